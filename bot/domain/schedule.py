"""A channel's rules and clock: when its daily question opens and closes, when its board posts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_DAY = frozenset(range(7))
WEEKDAYS = frozenset(range(5))


@dataclass(frozen=True)
class ChannelSettings:
    """What a channel asked for; `daily_time` None means no daily question."""

    daily_time: time | None = None
    zone: str = "UTC"
    days: frozenset[int] = WEEKDAYS
    window: timedelta = timedelta(hours=8)
    pop_window: timedelta = timedelta(minutes=10)
    topics: frozenset[str] = field(default_factory=frozenset)  # empty: every topic
    weekly_day: int | None = 4  # Friday; None: no weekly board
    weekly_time: time = time(16, 0)

    @property
    def tz(self) -> ZoneInfo:
        """The channel's IANA time zone."""
        return ZoneInfo(self.zone)


@dataclass(frozen=True)
class Slot:
    """One daily question's life: the local date it belongs to, when it opens and closes (UTC)."""

    local_date: date
    opens_at: datetime
    closes_at: datetime


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time.

    A time that a spring-forward switch skips (02:30 in Berlin on that Sunday) comes out one
    hour later on the wall clock (03:30), which is what PEP 495's fold=0 gives.
    """
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def daily_slot(settings: ChannelSettings, day: date) -> Slot | None:
    """The daily question's slot on a local date, if the channel has one that day."""
    if settings.daily_time is None or day.weekday() not in settings.days:
        return None
    opens = local_moment(day, settings.daily_time, settings.tz)
    return Slot(day, opens, opens + settings.window)


def current_daily_slot(settings: ChannelSettings, now: datetime) -> Slot | None:
    """The slot whose answer window contains `now` (yesterday's may still be open)."""
    today = now.astimezone(settings.tz).date()
    for day in (today, today - timedelta(days=1)):
        slot = daily_slot(settings, day)
        if slot is not None and slot.opens_at <= now < slot.closes_at:
            return slot
    return None


def next_daily_slots(settings: ChannelSettings, after: datetime, count: int) -> list[Slot]:
    """The next `count` daily slots opening after `after`."""
    slots: list[Slot] = []
    if settings.daily_time is None or not settings.days:
        return slots
    day = after.astimezone(settings.tz).date() - timedelta(days=1)
    while len(slots) < count:
        slot = daily_slot(settings, day)
        if slot is not None and slot.opens_at > after:
            slots.append(slot)
        day += timedelta(days=1)
    return slots


def weekly_moment(settings: ChannelSettings, iso_year: int, iso_week: int) -> datetime | None:
    """When the weekly board of an ISO week posts, in UTC."""
    if settings.weekly_day is None:
        return None
    day = date.fromisocalendar(iso_year, iso_week, settings.weekly_day + 1)
    return local_moment(day, settings.weekly_time, settings.tz)


def due_weekly_week(settings: ChannelSettings, now: datetime) -> tuple[int, int] | None:
    """The (ISO year, week) whose board is due at `now`, until the week ends locally."""
    local = now.astimezone(settings.tz)
    year, week, _ = local.isocalendar()
    moment = weekly_moment(settings, year, week)
    if moment is None or now < moment:
        return None
    return year, week


def next_weekly(settings: ChannelSettings, after: datetime) -> datetime | None:
    """The next weekly board post after `after`."""
    if settings.weekly_day is None:
        return None
    local = after.astimezone(settings.tz).date()
    for weeks in range(0, 3):
        year, week, _ = (local + timedelta(weeks=weeks)).isocalendar()
        moment = weekly_moment(settings, year, week)
        if moment is not None and moment > after:
            return moment
    return None


def iso_week_of(moment: datetime) -> tuple[int, int]:
    """The (ISO year, ISO week) of a UTC instant; leaderboard weeks run on UTC."""
    year, week, _ = moment.astimezone(UTC).isocalendar()
    return year, week


def describe_days(days: frozenset[int]) -> str:
    """Weekdays as a person writes them: 'mon-fri', 'sat-mon', 'every day', 'mon,wed,fri'."""
    if days == EVERY_DAY:
        return "every day"
    # A run may wrap past Sunday ('sat-mon'): start it at the day whose eve is not chosen.
    starts = [d for d in sorted(days) if (d - 1) % 7 not in days]
    if len(starts) == 1 and len(days) > 2:
        first = starts[0]
        return f"{DAY_NAMES[first]}-{DAY_NAMES[(first + len(days) - 1) % 7]}"
    return ",".join(DAY_NAMES[d] for d in sorted(days))


def describe_window(window: timedelta) -> str:
    """A duration as '8h', '90m' or '1h30m'."""
    minutes = int(window.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h{rest}m"
    return f"{hours}h" if hours else f"{rest}m"
