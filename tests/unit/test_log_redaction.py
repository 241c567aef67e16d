"""The log formatter leaves secrets out and everything else in."""

from __future__ import annotations

import logging
import sys

from bot.logs import RedactingFormatter, redact


def test_tokens_and_oauth_fields_are_redacted_wherever_they_appear() -> None:
    assert "xoxb" not in redact("token xoxb-123-abc-DEF sent")
    assert redact("GET /slack/oauth_redirect?code=abc.123&state=s") == (
        "GET /slack/oauth_redirect?code=[redacted]&state=s")
    assert "sekret" not in redact("data: {'client_id': '1.2', 'client_secret': 'sekret'}")
    assert "c0de" not in redact("{'code': ['c0de'], 'state': ['x']}")
    assert "abc" not in redact('{"access_token": "abc"}')
    assert "MTA0" not in redact("Authorization: Bot MTA0NjE5.GhQx7b.abcdefghijklmnop")


def test_known_secret_values_are_redacted_even_without_a_telltale_shape() -> None:
    assert redact("connected with plainsecret99", ["plainsecret99"]) == (
        "connected with [redacted]")


def test_ordinary_text_and_error_codes_stay_readable() -> None:
    text = 'the bot answered; Discord said {"code": 10008, "message": "Unknown Message"}'
    assert redact(text) == text


def test_a_traceback_is_redacted_too() -> None:
    formatter = RedactingFormatter(as_json=False)
    try:
        raise RuntimeError("auth failed for xoxb-999-secret")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None,
                                   exc_info=sys.exc_info())
    assert "xoxb-999" not in formatter.format(record)
