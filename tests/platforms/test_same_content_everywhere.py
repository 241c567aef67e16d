"""Slack, Discord and the terminal show the same rows of a view; they differ only in style."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import discord

from bot.domain.commands import Period
from bot.domain.model import Difficulty, RoundKind
from bot.domain.standings import Standing
from bot.domain.views import BoardView, QuestionView, RevealView, Winner
from bot.platforms.discord_bot.embeds import board_embed, reveal_embed
from bot.platforms.render_text import render
from bot.platforms.slack_app.blocks import reveal_blocks
from bot.platforms.slack_app.panels import board_blocks

TOP = [Standing(rank, rank, f"player{rank}", 100 - rank) for rank in range(1, 11)]
BOARD = BoardView(Period.WEEK, False, TOP, (2027, 12), you=Standing(14, 99, "zoe", 7))
QUESTION = QuestionView(1, 1, RoundKind.DAILY, "dynamodb", "DynamoDB", Difficulty.EASY,
                        "Which?", [("A", "one"), ("B", "two")], 1,
                        datetime(2027, 3, 26, 17, tzinfo=UTC), "UTC")
REVEAL = RevealView(QUESTION, "A", "Because.", [("A", 3), ("B", 1)], 4,
                    [Winner("alice", 13, 3), Winner("bob", 10, 1), Winner("carol", 11, 2)])


def slack_text(blocks: list[dict[str, Any]]) -> str:
    """Every text of a list of blocks, in order."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return "\n".join(found)


def discord_text(embed: discord.Embed) -> str:
    """The title, description and fields of an embed, in order."""
    parts = [embed.title or "", embed.description or ""]
    parts += [f"{field.name}\n{field.value}" for field in embed.fields]
    return "\n".join(parts)


def board_rows(shown: str) -> list[tuple[str, str]]:
    """(name, points) of each row a rendering shows, markup stripped."""
    return re.findall(r"(\w+) — (\d+(?:\.\d+)?) pts?", shown.replace("*", ""))


def winners(shown: str) -> list[tuple[str, str, str]]:
    """(name, points, streak or '') of each winner a rendering shows, markup stripped."""
    return re.findall(r"(\w+) \(?\+(\d+)(?:,? (?:streak |🔥 ?)(\d+))?", shown.replace("*", ""))


def test_every_platform_shows_the_top_ten_and_the_askers_own_row_below_them() -> None:
    shown = {"terminal": render(BOARD), "slack": slack_text(board_blocks(BOARD)),
             "discord": discord_text(board_embed(BOARD))}
    expected = [(f"player{rank}", str(100 - rank)) for rank in range(1, 11)] + [("zoe", "7")]
    for platform, text in shown.items():
        assert board_rows(text) == expected, platform
        assert "#14 " in text, platform


def test_every_platform_shows_the_same_winners_with_streaks_only_above_one() -> None:
    shown = {"terminal": render(REVEAL), "slack": slack_text(reveal_blocks(REVEAL)),
             "discord": discord_text(reveal_embed(REVEAL))}
    expected = [("alice", "13", "3"), ("bob", "10", ""), ("carol", "11", "2")]
    for platform, text in shown.items():
        assert winners(text) == expected, platform
