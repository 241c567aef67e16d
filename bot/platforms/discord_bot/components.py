"""Answer buttons and the "choose two" select: dynamic items whose custom_id names the round.

The custom_id is all a click carries, so it is stable (round and letter) and registered once in
setup_hook: a question posted before a restart still takes answers after it. The round id in it
is never trusted; the answering service checks guild, round and member against the database.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, cast

import discord

from bot.domain.model import LETTERS, RoundKind, Where, Who
from bot.domain.views import QuestionView, Verdict
from bot.platforms.discord_bot.embeds import Reply, question_embed, reply_for
from bot.platforms.discord_bot.replies import Interaction, answer_with
from bot.platforms.discord_bot.reporting import report_view
from bot.services import quiz

# At most nine digits: a forged id can never overflow the database's integer column.
ROUND = r"(?P<round>[0-9]{1,9})"
BUTTON_ID = re.compile(rf"quiz:{ROUND}:(?P<letter>[{LETTERS}])")
SELECT_ID = re.compile(rf"quiz:{ROUND}:pick")



async def _answer(interaction: Interaction, round_id: int, letters: str) -> None:
    async def work(where: Where, who: Who) -> Reply:
        deps = interaction.client.deps
        view = await quiz.answer(deps, where, who, round_id, letters)
        if isinstance(view, Verdict):
            return replace(reply_for(view), view=report_view(round_id))
        return reply_for(view)

    await answer_with(interaction, work)


class AnswerButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=BUTTON_ID):
    """One choice of a one-answer question."""

    def __init__(self, round_id: int, letter: str, kind: RoundKind = RoundKind.DAILY) -> None:
        style = (discord.ButtonStyle.secondary if kind is RoundKind.PRACTICE
                 else discord.ButtonStyle.primary)
        super().__init__(discord.ui.Button(label=letter, style=style,
                                           custom_id=f"quiz:{round_id}:{letter}"))
        self.round_id, self.letter = round_id, letter

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any],
                             item: discord.ui.Item[Any], match: re.Match[str], /
                             ) -> AnswerButton:
        """Rebuild the button from a click on any message, old or new."""
        return cls(int(match["round"]), match["letter"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """A click is an answer."""
        await _answer(cast(Interaction, interaction), self.round_id, self.letter)


class AnswerSelect(discord.ui.DynamicItem[discord.ui.Select[Any]], template=SELECT_ID):
    """The choices of a "choose N" question: exactly N must be picked."""

    def __init__(self, round_id: int, choices: list[tuple[str, str]] | None = None,
                 pick: int = 2) -> None:
        options = [discord.SelectOption(label=letter, description=_short(text), value=letter)
                   for letter, text in choices or [("A", ""), ("B", "")]]
        super().__init__(discord.ui.Select(
            custom_id=f"quiz:{round_id}:pick", placeholder=f"Choose {pick}",
            min_values=pick, max_values=pick, options=options))
        self.round_id = round_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any],
                             item: discord.ui.Item[Any], match: re.Match[str], /
                             ) -> AnswerSelect:
        """Rebuild the select; the picked values come from the interaction itself."""
        return cls(int(match["round"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """The picked letters are one answer."""
        await _answer(cast(Interaction, interaction), self.round_id, "".join(self.item.values))


def _short(text: str) -> str | None:
    # A select option's description holds at most 100 characters.
    return (text if len(text) <= 100 else text[:99] + "…") or None


def answer_view(view: QuestionView) -> discord.ui.View:
    """Buttons (or a select for "choose N") for a question; no timeout, so they never expire."""
    answers = discord.ui.View(timeout=None)
    if view.pick > 1:
        answers.add_item(AnswerSelect(view.round_id, view.choices, view.pick))
    else:
        for letter in view.letters:
            answers.add_item(AnswerButton(view.round_id, letter, view.kind))
    return answers


def question_reply(view: QuestionView) -> Reply:
    """A practice question, privately, with its answer buttons."""
    return Reply(embed=question_embed(view), view=answer_view(view))
