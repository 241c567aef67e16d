"""`.env.example` lists every setting the bot reads, and nothing it does not."""

from __future__ import annotations

import re

from bot.config import Settings
from tests.conftest import REPO


def test_env_example_names_every_setting_and_only_settings() -> None:
    text = (REPO / ".env.example").read_text(encoding="utf-8")
    named = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, re.MULTILINE))
    assert named == {name.upper() for name in Settings.model_fields}
