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
    ChannelSettings,
    describe_days,
    describe_window,
    next_daily_slots,
    next_weekly,
)
from bot.domain.views import Notice, SettingsView
from bot.services.deps import Deps
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
        await uow.commit()
    updated = replace(channel, settings=settings, disabled=None)
    await deps.channels_changed([updated])
    return Notice(_confirmation(settings, command), private=False)


def _apply(settings: ChannelSettings, command: SettingsCommand,
           known_topics: set[str]) -> ChannelSettings:
    match command:
        case SetDaily(at, zone, days):
            return replace(settings, daily_time=at, zone=zone or settings.zone,
                           days=days if days is not None else settings.days)
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


def _confirmation(settings: ChannelSettings, command: SettingsCommand) -> str:
    match command:
        case SetDaily():
            assert settings.daily_time is not None
            return (f"Daily question set: {settings.daily_time:%H:%M} {settings.zone}, "
                    f"{describe_days(settings.days)}, open for "
                    f"{describe_window(settings.window)}.")
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
    """Build the settings view of a channel at an instant."""
    slots = next_daily_slots(channel.settings, now, 3)
    return SettingsView(
        channel=channel.name,
        settings=channel.settings,
        next_daily=[s.opens_at for s in slots],
        next_reveal=slots[0].closes_at if slots else None,
        next_weekly=next_weekly(channel.settings, now),
        disabled=channel.disabled,
    )
