"""Charts on Discord: a PNG attached to the embed that already says the same in text."""

from __future__ import annotations

import io
from dataclasses import replace

import discord

from bot.domain.views import BoardView, StatsView
from bot.platforms.charts import board_chart, readiness_chart
from bot.platforms.discord_bot.embeds import Reply

READINESS_FILE = "readiness.png"
BOARD_FILE = "board.png"


def with_readiness_chart(reply: Reply, view: StatsView) -> Reply:
    """The stats reply with the readiness chart as its embed's image."""
    if view.readiness is None or reply.embed is None:
        return reply
    png = readiness_chart(view.name, view.readiness)
    reply.embed.set_image(url=f"attachment://{READINESS_FILE}")
    return replace(reply, file=discord.File(io.BytesIO(png), filename=READINESS_FILE))


def board_file(embed: discord.Embed, view: BoardView) -> discord.File:
    """The board chart, set as the embed's image."""
    embed.set_image(url=f"attachment://{BOARD_FILE}")
    return discord.File(io.BytesIO(board_chart(view)), filename=BOARD_FILE)
