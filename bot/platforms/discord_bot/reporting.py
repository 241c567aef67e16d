""""Report a problem": a button under reveals and verdicts that opens a one-line modal.

Like the answer buttons, the button is a dynamic item whose custom_id names the round, so a
reveal posted before a restart can still be reported after it; the services check the round.
"""

from __future__ import annotations

import re
from typing import Any, cast

import discord

from bot.domain.model import Where, Who
from bot.domain.reports import REASON_LIMIT
from bot.platforms.discord_bot.embeds import Reply, reply_for
from bot.platforms.discord_bot.replies import Interaction, answer_with
from bot.services import quiz

REPORT_ID = re.compile(r"report:(?P<round>[0-9]{1,9})")
LABEL = "Report a problem"


class ReportModal(discord.ui.Modal, title=LABEL):
    """One line saying what is wrong with the question."""

    reason: discord.ui.TextInput[ReportModal] = discord.ui.TextInput(
        label="What is wrong with this question?", max_length=REASON_LIMIT,
        placeholder="e.g. the answer should be C: the limit is 15 minutes")

    def __init__(self, round_id: int) -> None:
        super().__init__(custom_id=f"report-modal:{round_id}")
        self.round_id = round_id

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        """Store the report, then thank the member privately."""
        async def work(where: Where, who: Who) -> Reply:
            deps = cast(Interaction, interaction).client.deps
            return reply_for(await quiz.report(deps, where, who, self.round_id,
                                               self.reason.value))

        await answer_with(cast(Interaction, interaction), work)


class ReportButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=REPORT_ID):
    """Opens the report modal for the round's question."""

    def __init__(self, round_id: int) -> None:
        super().__init__(discord.ui.Button(label=LABEL, emoji="⚠️",
                                           style=discord.ButtonStyle.secondary,
                                           custom_id=f"report:{round_id}"))
        self.round_id = round_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any],
                             item: discord.ui.Item[Any], match: re.Match[str], /
                             ) -> ReportButton:
        """Rebuild the button from a click on any message, old or new."""
        return cls(int(match["round"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Ask for the reason."""
        await interaction.response.send_modal(ReportModal(self.round_id))


def report_view(round_id: int) -> discord.ui.View:
    """The "Report a problem" button alone."""
    view = discord.ui.View(timeout=None)
    view.add_item(ReportButton(round_id))
    return view
