"""Mock exams on Discord: each question a private follow-up with buttons naming the exam and
the question, registered once so an exam resumes after a restart."""

from __future__ import annotations

import io
import re
from typing import Any, cast

import discord

from bot.domain.model import LETTERS, Where, Who
from bot.domain.views import ExamQuestion, ExamResult
from bot.platforms.discord_bot.embeds import COLORS, DESCRIPTION_MAX, Reply, clip
from bot.platforms.discord_bot.replies import Interaction, answer_with
from bot.platforms.render_learning import (
    exam_header,
    exam_pick_hint,
    exam_result_text,
)
from bot.services import quiz

EXAM = r"exam:(?P<exam>[0-9]{1,9}):(?P<number>[0-9]{1,3})"
BUTTON_ID = re.compile(rf"{EXAM}:(?P<letter>[{LETTERS}])")
SELECT_ID = re.compile(rf"{EXAM}:pick")
RESULT_FILE = "mock-exam.txt"


def exam_reply(view: ExamQuestion | ExamResult) -> Reply:
    """A question with its buttons, or the result; only the member sees either."""
    if isinstance(view, ExamResult):
        text = exam_result_text(view.score)
        title, _, body = text.partition("\n")
        colour = COLORS["reveal" if view.score.passed else "wrong"]
        if len(body) <= DESCRIPTION_MAX:
            return Reply(embed=discord.Embed(title=clip(title, 256), description=body,
                                             colour=colour))
        # A long list of misses does not fit an embed: the whole result comes as a file.
        embed = discord.Embed(title=clip(title, 256), colour=colour,
                              description=clip(body, DESCRIPTION_MAX - 60)
                              + f"\n\nEvery missed question is in {RESULT_FILE}.")
        return Reply(embed=embed, file=discord.File(io.BytesIO(text.encode()),
                                                    filename=RESULT_FILE))
    choices = "\n".join(f"**{letter}.** {text}" for letter, text in view.choices)
    hint = exam_pick_hint(view)
    body = "\n\n".join(p for p in (view.text, f"**{hint}**" if hint else "", choices) if p)
    embed = discord.Embed(title=exam_header(view), description=clip(body, DESCRIPTION_MAX),
                          colour=COLORS["info"])
    embed.set_footer(text="Only you see this. No feedback until the end.")
    buttons = discord.ui.View(timeout=None)
    if view.pick > 1:
        buttons.add_item(ExamSelect(view.exam_id, view.number, view.choices, view.pick))
    else:
        for letter in view.letters:
            buttons.add_item(ExamButton(view.exam_id, view.number, letter))
    return Reply(embed=embed, view=buttons)


async def _answer(interaction: Interaction, exam_id: int, number: int, letters: str) -> None:
    async def work(where: Where, who: Who) -> Reply:
        deps = interaction.client.deps
        return exam_reply(await quiz.answer_exam(deps, where, who, exam_id, number, letters))

    await answer_with(interaction, work)


class ExamButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=BUTTON_ID):
    """One choice of a one-answer exam question."""

    def __init__(self, exam_id: int, number: int, letter: str) -> None:
        super().__init__(discord.ui.Button(label=letter, style=discord.ButtonStyle.secondary,
                                           custom_id=f"exam:{exam_id}:{number}:{letter}"))
        self.exam_id, self.number, self.letter = exam_id, number, letter

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any],
                             item: discord.ui.Item[Any], match: re.Match[str], /
                             ) -> ExamButton:
        """Rebuild the button from a click, before or after a restart."""
        return cls(int(match["exam"]), int(match["number"]), match["letter"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """A click is the answer."""
        await _answer(cast(Interaction, interaction), self.exam_id, self.number, self.letter)


class ExamSelect(discord.ui.DynamicItem[discord.ui.Select[Any]], template=SELECT_ID):
    """The choices of a "choose N" exam question."""

    def __init__(self, exam_id: int, number: int,
                 choices: list[tuple[str, str]] | None = None, pick: int = 2) -> None:
        options = [discord.SelectOption(label=letter, value=letter,
                                        description=text[:100] or None)
                   for letter, text in choices or [("A", ""), ("B", "")]]
        super().__init__(discord.ui.Select(
            custom_id=f"exam:{exam_id}:{number}:pick", placeholder=f"Choose {pick}",
            min_values=pick, max_values=pick, options=options))
        self.exam_id, self.number = exam_id, number

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any],
                             item: discord.ui.Item[Any], match: re.Match[str], /
                             ) -> ExamSelect:
        """Rebuild the select; the picked values come with the interaction."""
        return cls(int(match["exam"]), int(match["number"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """The picked letters are one answer."""
        await _answer(cast(Interaction, interaction), self.exam_id, self.number,
                      "".join(self.item.values))
