"""Views as Discord embeds, one color per kind of message so a channel reads at a glance."""

from __future__ import annotations

from dataclasses import dataclass
from functools import singledispatch

import discord

from bot.domain.model import RoundKind
from bot.domain.presenting import winner_lines
from bot.domain.views import (
    BoardView,
    HelpView,
    Notice,
    PopPosted,
    QuestionView,
    Receipt,
    RevealView,
    SettingsView,
    StatsView,
    TopicsView,
    Verdict,
)
from bot.platforms.render_text import bar, header, pick_hint, render, reveal_time

COLORS = {
    RoundKind.DAILY: discord.Colour(0x5865F2),  # blurple
    RoundKind.POP: discord.Colour(0xEB459E),  # fuchsia
    RoundKind.PRACTICE: discord.Colour(0x9B59B6),  # purple
    "reveal": discord.Colour(0x57F287),  # green
    "wrong": discord.Colour(0xED4245),  # red
    "board": discord.Colour(0xFEE75C),  # gold
    "info": discord.Colour(0x99AAB5),  # grey
}
# Discord's limits: a description holds 4096 characters, a field 1024.
DESCRIPTION_MAX = 4096
FIELD_MAX = 1024


@dataclass(frozen=True)
class Reply:
    """What to send back: text and/or an embed, buttons, and whether only the caller sees it."""

    content: str | None = None
    embed: discord.Embed | None = None
    view: discord.ui.View | None = None
    private: bool = True
    file: discord.File | None = None  # a chart the embed shows as its image


def clip(text: str, limit: int) -> str:
    """Text cut to fit a Discord limit, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _choices(view: QuestionView, correct: str = "") -> str:
    lines = []
    for letter, text in view.choices:
        mark = "✅ " if letter in correct else ""
        lines.append(f"{mark}**{letter}.** {text}")
    return "\n".join(lines)


def question_embed(view: QuestionView) -> discord.Embed:
    """A question: topic and difficulty, the text, the lettered choices, when it closes."""
    hint = pick_hint(view)
    body = "\n\n".join(part for part in (view.text, f"**{hint}**" if hint else "",
                                         _choices(view)) if part)
    embed = discord.Embed(title=header(view), description=clip(body, DESCRIPTION_MAX),
                          colour=COLORS[view.kind])
    if view.kind is RoundKind.PRACTICE:
        embed.set_footer(text="Only you see this practice question. Pick below.")
    else:
        embed.set_footer(text=f"One answer each, the first counts · reveal at "
                              f"{reveal_time(view)} ({view.zone})")
    return embed


def reveal_embed(view: RevealView) -> discord.Embed:
    """The reveal that replaces the question: right choice, why, the vote split, who got it."""
    question = view.question
    body = f"{question.text}\n\n{_choices(question, view.correct)}"
    embed = discord.Embed(title=f"{header(question)} — revealed",
                          description=clip(body, DESCRIPTION_MAX), colour=COLORS["reveal"])
    embed.add_field(name=f"Answer: {', '.join(view.correct)}",
                    value=clip(view.explanation, FIELD_MAX), inline=False)
    votes = "\n".join(f"{letter} {bar(count, view.answers)} {count}"
                      + (" ✓" if letter in view.correct else "")
                      for letter, count in view.votes)
    embed.add_field(name=f"Votes ({view.answers})", value=f"```\n{votes}\n```", inline=False)
    if winners := winner_lines(view):
        names = ", ".join(f"{w.name} +{w.points}" + (f" 🔥{w.streak}" if w.streak else "")
                          for w in winners)
        embed.add_field(name=f"Right: {len(winners)} of {view.answers}",
                        value=clip(names, FIELD_MAX), inline=False)
    else:
        embed.add_field(name="Right: nobody this time", value="Next one!", inline=False)
    return embed


def text_embed(text: str, colour: discord.Colour) -> discord.Embed:
    """An embed from a plain-text rendering: its first line as title, the rest as body."""
    title, _, body = text.partition("\n")
    return discord.Embed(title=clip(title, 256), description=clip(body, DESCRIPTION_MAX) or None,
                         colour=colour)


def board_embed(view: BoardView) -> discord.Embed:
    """A leaderboard, weekly post or on demand."""
    return text_embed(render(view), COLORS["board"])


@singledispatch
def reply_for(view: object) -> Reply:
    """How a view goes back to the member who asked."""
    return Reply(content=render(view))


@reply_for.register
def _(view: QuestionView) -> Reply:
    return Reply(embed=question_embed(view))


@reply_for.register
def _(view: PopPosted) -> Reply:
    return Reply(content=render(view))


@reply_for.register
def _(view: Receipt) -> Reply:
    return Reply(content=render(view))


@reply_for.register
def _(view: Verdict) -> Reply:
    first, _, explanation = render(view).partition("\n")
    embed = discord.Embed(title=clip(first, 256), description=clip(explanation, DESCRIPTION_MAX),
                          colour=COLORS["reveal" if view.correct else "wrong"])
    return Reply(embed=embed)


@reply_for.register
def _(view: BoardView) -> Reply:
    return Reply(embed=board_embed(view))


@reply_for.register(StatsView)
@reply_for.register(TopicsView)
@reply_for.register(SettingsView)
@reply_for.register(HelpView)
def _(view: StatsView | TopicsView | SettingsView | HelpView) -> Reply:
    text = render(view)
    if isinstance(view, HelpView):
        text = "❓ /quiz help\n" + text.removeprefix("Commands:\n")
    if isinstance(view, StatsView | HelpView):
        title, _, body = text.partition("\n")
        text = f"{title}\n```\n{body}\n```" if body else title
    return Reply(embed=text_embed(text, COLORS["info"]))


@reply_for.register
def _(view: Notice) -> Reply:
    return Reply(content=view.text, private=view.private)
