"""Where the question bank and the migrations are: inside the installed package (the wheel maps
the repository's `questions/` and `migrations/` into `bot/`), or beside the package in a checkout.

Found from the package, never from the working directory, so every command works from anywhere.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def shipped(folder: str) -> Path:
    """`questions` or `migrations`: the installed copy if there is one, else the checkout's."""
    installed = PACKAGE / folder
    return installed if installed.is_dir() else PACKAGE.parent / folder


def question_bank(configured: str | None) -> Path:
    """QUESTIONS_PATH when set, else the bank that ships with the bot."""
    return Path(configured) if configured else shipped("questions")
