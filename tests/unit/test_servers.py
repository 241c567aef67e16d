"""A test server that is not there: a skip with a hint at home, an error on CI."""

from __future__ import annotations

import pytest

from tests.servers import redis_server

DEAD = "redis://:secret@127.0.0.1:1/0"  # nothing listens on port 1


def test_a_dead_test_redis_url_skips_with_a_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_REDIS_URL", DEAD)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped, redis_server():
        pass
    assert "TEST_REDIS_URL=redis://:***@127.0.0.1:1/0" in str(skipped.value)
    assert "secret" not in str(skipped.value)


def test_on_ci_a_dead_test_redis_url_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_REDIS_URL", DEAD)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="Redis is not reachable"), redis_server():
        pass
