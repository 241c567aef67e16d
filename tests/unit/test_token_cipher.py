"""Sealing Slack tokens: a prefix tells sealed from plain, keys rotate, a wrong key says so."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bot.adapters.token_cipher import TokenCipher, new_key
from bot.cli import app
from bot.domain.errors import QuizError


def test_a_sealed_token_opens_with_its_key_and_plain_tokens_pass_through() -> None:
    cipher = TokenCipher([new_key()])
    sealed = cipher.seal("xoxb-1")
    assert sealed and sealed.startswith("fernet:") and "xoxb" not in sealed
    assert cipher.open(sealed) == "xoxb-1"
    assert cipher.open("xoxb-plain") == "xoxb-plain"
    assert cipher.seal(sealed) == sealed, "never sealed twice"


def test_without_keys_nothing_is_sealed() -> None:
    assert TokenCipher.from_setting(None).seal("xoxb-1") == "xoxb-1"
    assert not TokenCipher.from_setting(" ").enabled


def test_the_wrong_key_or_no_key_for_sealed_tokens_is_a_clear_error() -> None:
    sealed = TokenCipher([new_key()]).seal("xoxb-1")
    with pytest.raises(QuizError, match="cannot decrypt"):
        TokenCipher([new_key()]).open(sealed)
    with pytest.raises(QuizError, match="set TOKEN_ENCRYPTION_KEY"):
        TokenCipher([]).open(sealed)


def test_a_key_that_is_not_a_fernet_key_is_refused_with_a_hint() -> None:
    with pytest.raises(QuizError, match="tokens new-key"):
        TokenCipher.from_setting("not-a-key")


def test_rotation_moves_tokens_to_the_first_key() -> None:
    old, new = new_key(), new_key()
    sealed = TokenCipher([old]).seal("xoxb-1")
    rotated = TokenCipher([new, old]).rotate(sealed)
    assert TokenCipher([new]).open(rotated) == "xoxb-1"


def test_new_key_prints_a_key_the_cipher_accepts() -> None:
    result = CliRunner().invoke(app, ["tokens", "new-key"])
    assert result.exit_code == 0
    assert TokenCipher.from_setting(result.stdout.strip()).enabled


def test_rotate_without_a_key_says_to_set_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TOKEN_ENCRYPTION_KEY", raising=False)
    result = CliRunner().invoke(app, ["tokens", "rotate"])
    assert result.exit_code != 0 and "TOKEN_ENCRYPTION_KEY" in result.output
