"""The /quiz command group: typed subcommands turned back into the one grammar's text."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Literal
from zoneinfo import available_timezones

import discord
from discord import app_commands

from bot.domain.model import Where, Who
from bot.domain.schedule import DAY_NAMES
from bot.domain.views import ExamQuestion, ExamResult, QuestionView, ReviewQuestion, StatsView
from bot.platforms.discord_bot.charts_attach import with_readiness_chart
from bot.platforms.discord_bot.components import question_reply
from bot.platforms.discord_bot.embeds import Reply, reply_for
from bot.platforms.discord_bot.exam_components import exam_reply
from bot.platforms.discord_bot.replies import (
    Interaction,
    answer_with,
    is_admin,
    where_of,
    who_of,
)
from bot.platforms.render_learning import review_line
from bot.services import quiz

MAX_CHOICES = 25  # Discord shows at most 25 autocomplete choices
CHOICE_LIMIT = 100  # and refuses the whole list if one value is longer
DAY_PATTERNS = ("mon-fri", "daily", "weekdays", "weekends", "mon,wed,fri", "tue,thu")


async def run(interaction: Interaction, *words: str | None) -> None:
    """Hand `/quiz <words>` to the services and reply with what they return."""
    text = " ".join(word.strip() for word in words if word and word.strip())

    async def work(where: Where, who: Who) -> Reply:
        view = await quiz.handle(interaction.client.deps, where, who, text)
        if isinstance(view, ExamQuestion | ExamResult):
            return exam_reply(view)
        if isinstance(view, StatsView):
            return with_readiness_chart(reply_for(view), view)
        if isinstance(view, ReviewQuestion):
            return replace(question_reply(view.question), content=review_line(view.left))
        return question_reply(view) if isinstance(view, QuestionView) else reply_for(view)

    await answer_with(interaction, work)


def _manage_server(interaction: Interaction) -> bool:
    # Discord lets only top-level commands carry default_member_permissions, and /quiz is
    # for everyone, so the admin subcommands check at run time (the services check again).
    if not is_admin(interaction):
        raise app_commands.MissingPermissions(["manage_guild"])
    return True


admin_only = app_commands.check(_manage_server)


async def topic_choices(interaction: Interaction, current: str
                        ) -> list[app_commands.Choice[str]]:
    """The bank's topics matching what is typed (the last of a comma list for `only`)."""
    done, _, typed = current.rpartition(",")
    try:
        view = await quiz.topics(interaction.client.deps, where_of(interaction),
                                 who_of(interaction))
    except Exception:  # a suggestion list that fails must not break the command
        return []
    prefix = f"{done}," if done else ""
    return [app_commands.Choice(name=f"{title} ({count})"[:100], value=f"{prefix}{slug}")
            for slug, title, count in view.topics
            if typed.strip().lower() in f"{slug} {title.lower()}"
            and len(prefix) + len(slug) <= CHOICE_LIMIT][:MAX_CHOICES]


@cache
def _zones() -> list[str]:
    return sorted(available_timezones())


async def zone_choices(interaction: Interaction, current: str
                       ) -> list[app_commands.Choice[str]]:
    """IANA time zones matching what is typed."""
    typed = current.lower()
    return [app_commands.Choice(name=zone, value=zone) for zone in _zones()
            if typed in zone.lower()][:MAX_CHOICES]


async def day_choices(interaction: Interaction, current: str
                      ) -> list[app_commands.Choice[str]]:
    """Common day patterns; whatever is typed is offered too."""
    offered = [current] if current and current not in DAY_PATTERNS else []
    return [app_commands.Choice(name=days, value=days) for days in [*offered, *DAY_PATTERNS]]


class QuizGroup(app_commands.Group):
    """/quiz and its subcommands, one per first word of the grammar."""

    def __init__(self) -> None:
        super().__init__(
            name="quiz", description="Team quiz for the AWS Developer – Associate exam",
            guild_only=True, allowed_contexts=app_commands.AppCommandContext(guild=True),
            allowed_installs=app_commands.AppInstallationType(guild=True, user=False))

    @app_commands.command(name="now", description="Post a pop quiz to this channel")
    async def now(self, interaction: Interaction) -> None:
        """A pop quiz."""
        await run(interaction, "now")

    @app_commands.command(name="me", description="A private practice question")
    @app_commands.describe(topic="Practice one topic, e.g. dynamodb")
    @app_commands.autocomplete(topic=topic_choices)
    async def me(self, interaction: Interaction, topic: str | None = None) -> None:
        """A practice question only the caller sees."""
        await run(interaction, "me", topic)

    @app_commands.command(name="leaderboard", description="Standings of this server")
    @app_commands.describe(period="This week or all time", squads="Rank channels as squads")
    async def leaderboard(self, interaction: Interaction,
                          period: Literal["week", "all"] = "week", squads: bool = False) -> None:
        """People, or channels competing as squads."""
        await run(interaction, "leaderboard", period, "channels" if squads else None)

    @app_commands.command(name="stats", description="Accuracy by exam domain and topic")
    @app_commands.describe(user="Whose stats (you, if empty)")
    async def stats(self, interaction: Interaction, user: discord.User | None = None) -> None:
        """A member's record."""
        await run(interaction, "stats", f"<@{user.id}>" if user else None)

    @app_commands.command(name="review", description="Ask again the questions you got wrong")
    async def review(self, interaction: Interaction) -> None:
        """The latest missed question, privately."""
        await run(interaction, "review")

    @app_commands.command(name="exam", description="A private timed mock exam")
    @app_commands.describe(size="How many questions (1-65, default 20), full (65 in 130 min), "
                                "or stop to end yours now")
    async def exam(self, interaction: Interaction, size: str | None = None) -> None:
        """A mock exam, or the one already running."""
        await run(interaction, "exam", size)

    @app_commands.command(name="topics", description="The topics and their question counts")
    async def topics(self, interaction: Interaction) -> None:
        """The bank's topics."""
        await run(interaction, "topics")

    @app_commands.command(name="help", description="The commands, with examples")
    async def help(self, interaction: Interaction) -> None:
        """Help."""
        await run(interaction, "help")

    @app_commands.command(name="settings", description="This channel's schedule and rules")
    async def settings(self, interaction: Interaction) -> None:
        """The channel's settings, for everyone."""
        await run(interaction, "settings")

    @app_commands.command(name="daily", description="Admins: the daily question (or off)")
    @app_commands.describe(time="Local time like 09:30, or off", zone="Time zone, e.g. "
                           "Europe/Berlin", days="Days, e.g. mon-fri or daily")
    @app_commands.autocomplete(zone=zone_choices, days=day_choices)
    @admin_only
    async def daily(self, interaction: Interaction, time: str, zone: str | None = None,
                    days: str | None = None) -> None:
        """Schedule the daily question."""
        await run(interaction, "daily", time, zone, days)

    @app_commands.command(name="weekly", description="Admins: the weekly leaderboard post")
    @app_commands.describe(day="Day of the post, or off", time="Local time like 16:00")
    @app_commands.choices(day=[app_commands.Choice(name=d, value=d)
                               for d in (*DAY_NAMES, "off")])
    @admin_only
    async def weekly(self, interaction: Interaction, day: str, time: str | None = None) -> None:
        """Schedule the weekly board."""
        await run(interaction, "weekly", day, time)

    @app_commands.command(name="window", description="Admins: how long questions stay open")
    @app_commands.describe(length="Like 8h, 90m or 1h30m", pop="Set the pop quiz window")
    @admin_only
    async def window(self, interaction: Interaction, length: str, pop: bool = False) -> None:
        """The answer window."""
        await run(interaction, "window", "pop" if pop else None, length)

    @app_commands.command(name="only", description="Admins: limit the topics (all to undo)")
    @app_commands.describe(topics="Comma-separated topics, or all")
    @app_commands.autocomplete(topics=topic_choices)
    @admin_only
    async def only(self, interaction: Interaction, topics: str) -> None:
        """Limit the channel's topics."""
        await run(interaction, "only", topics)
