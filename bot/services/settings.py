"""A channel's schedule and rules: admin-only changes, and a view of them."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bot.domain.channel import Channel
from bot.domain.commands import DailyOff, SetDaily, SetTopics, SetWeekly, SetWindow
from bot.domain.errors import NotAllowed, QuizError
from bot.domain.model import Where, Who
from bot.domain.schedule import (
    DAY_NAMES,
    FRIDAY,
    ChannelSettings,
    describe_days,
    describe_window,
    upcoming_daily,
    upcoming_weekly,
)
from bot.domain.views import Notice, SettingsView
from bot.services.deps import Deps
from bot.services.planning import replan
from bot.services.tenancy import resolve

SettingsCommand = SetDaily | DailyOff | SetWeekly | SetWindow | SetTopics


async def change_settings(deps: Deps, where: Where, who: Who,
                          command: SettingsCommand) -> Notice:
    """Apply an admin command to the channel's settings; the service, not the adapter, decides."""
    if not who.is_admin:
        raise NotAllowed("Only workspace admins can change the quiz settings. "
                         "Everyone can use `/quiz settings` to see them.")
    async with deps.uow() as uow:
        _, channel, _ = await resolve(uow, where, who)
        known = {t.slug for t in await uow.questions.topics()}
        settings = _apply(channel.settings, command, known)
        await uow.channels.save_settings(channel.id, settings)
        await replan(uow, replace(channel, settings=settings), deps.clock.now())
        await uow.commit()
    return Notice(_confirmation(channel.settings, settings, command), private=False)


def _apply(settings: ChannelSettings, command: SettingsCommand,
           known_topics: set[str]) -> ChannelSettings:
    match command:
        case SetDaily(at, zone, days):
            # A channel that starts a daily question gets the weekly board with it (Friday
            # 16:00 unless set otherwise); `/quiz weekly off` stops it.
            weekly = (FRIDAY if settings.daily_time is None and settings.weekly_day is None
                      else settings.weekly_day)
            return replace(settings, daily_time=at, zone=zone or settings.zone,
                           days=days if days is not None else settings.days,
                           weekly_day=weekly)
        case DailyOff():
            return replace(settings, daily_time=None)
        case SetWeekly(day, at):
            return replace(settings, weekly_day=day, weekly_time=at or settings.weekly_time)
        case SetWindow(length, pop):
            return (replace(settings, pop_window=length) if pop
                    else replace(settings, window=length))
        case SetTopics(topics):
            unknown = sorted(topics - known_topics)
            if unknown:
                raise QuizError(f"I don't know the topic {', '.join(unknown)}. Known topics: "
                                f"{', '.join(sorted(known_topics))}.")
            return replace(settings, topics=topics)


def _confirmation(before: ChannelSettings, settings: ChannelSettings,
                  command: SettingsCommand) -> str:
    match command:
        case SetDaily():
            assert settings.daily_time is not None
            weekly = ""
            if before.weekly_day is None and settings.weekly_day is not None:
                weekly = (f" The weekly leaderboard posts {DAY_NAMES[settings.weekly_day]} "
                          f"{settings.weekly_time:%H:%M} (`/quiz weekly off` to stop it).")
            return (f"Daily question set: {settings.daily_time:%H:%M} {settings.zone}, "
                    f"{describe_days(settings.days)}, open for "
                    f"{describe_window(settings.window)}.{weekly}")
        case DailyOff():
            return "Daily question turned off for this channel."
        case SetWeekly(day=None):
            return "Weekly leaderboard turned off for this channel."
        case SetWeekly():
            assert settings.weekly_day is not None
            return (f"Weekly leaderboard set: {DAY_NAMES[settings.weekly_day]} "
                    f"{settings.weekly_time:%H:%M} {settings.zone}.")
        case SetWindow(pop=True):
            return f"Pop quizzes now stay open for {describe_window(settings.pop_window)}."
        case SetWindow():
            return f"Daily questions now stay open for {describe_window(settings.window)}."
        case SetTopics():
            return ("Questions now come from every topic." if not settings.topics
                    else f"Questions now come only from: {', '.join(sorted(settings.topics))}.")


async def show_settings(deps: Deps, where: Where, who: Who) -> SettingsView:
    """The channel's settings with its next daily post, reveal and weekly board."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        _, channel, _ = await resolve(uow, where, who)
        await uow.commit()
    return settings_view(channel, now)


def settings_view(channel: Channel, now: datetime) -> SettingsView:
    """The settings view of a channel, with the instants the scheduling pass will act on."""
    slots = upcoming_daily(channel.settings, channel.due, now, 3)
    return SettingsView(
        channel=channel.name,
        settings=channel.settings,
        next_daily=[s.opens_at for s in slots],
        next_reveal=slots[0].closes_at if slots else None,
        next_weekly=upcoming_weekly(channel.settings, channel.due, now),
        disabled=channel.disabled,
    )
