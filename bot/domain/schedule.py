"""A channel's rules and clock: when its daily question opens and closes, when its board posts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_DAY = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
FRIDAY = 4


@dataclass(frozen=True)
class ChannelSettings:
    """What a channel asked for; `daily_time` None means no daily question."""

    daily_time: time | None = None
    zone: str = "UTC"
    days: frozenset[int] = WEEKDAYS
    window: timedelta = timedelta(hours=8)
    pop_window: timedelta = timedelta(minutes=10)
    topics: frozenset[str] = field(default_factory=frozenset)  # empty: every topic
    weekly_day: int | None = None  # 0 is Monday; None: no weekly board
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


@dataclass(frozen=True)
class Due:
    """When a channel next has scheduled work: its next daily question and weekly board."""

    daily: datetime | None = None
    weekly: datetime | None = None

    @property
    def earliest(self) -> datetime | None:
        """The first of the two; the scheduling pass looks at a channel from then on."""
        moments = [m for m in (self.daily, self.weekly) if m is not None]
        return min(moments) if moments else None


def plan(settings: ChannelSettings, now: datetime, before: Due | None = None) -> Due:
    """A channel's due instants from its settings: the next daily question opening after
    now, and the next weekly board (never a board for a week the channel had no schedule
    in). A daily question that came due under the settings `before` but is not asked yet
    stays due while its window is open (settings changed in the seconds before a pass)."""
    upcoming = next_daily_slots(settings, now, 1)
    daily = upcoming[0].opens_at if upcoming else None
    if before is not None and before.daily is not None and before.daily <= now:
        slot = daily_slot_at(settings, before.daily)
        if slot is not None and now < slot.closes_at:
            daily = slot.opens_at
    return Due(daily, next_weekly(settings, now))


def daily_slot_at(settings: ChannelSettings, opens_at: datetime) -> Slot | None:
    """The daily slot that opens at an instant (the one a stored due instant names)."""
    day = opens_at.astimezone(settings.tz).date()
    slot = daily_slot(settings, day)
    return slot if slot is not None and slot.opens_at == opens_at else None


def after_daily(settings: ChannelSettings, handled: datetime, now: datetime) -> datetime | None:
    """The next daily instant once the slot opening at `handled` is dealt with: the next slot
    after it whose window has not yet closed (slots missed while nobody ran are skipped)."""
    # A slot opening after now - window still has its window open at now.
    slots = next_daily_slots(settings, max(handled, now - settings.window), 1)
    return slots[0].opens_at if slots else None


def upcoming_daily(settings: ChannelSettings, due: Due, now: datetime,
                   count: int) -> list[Slot]:
    """The next daily slots as the scheduling pass will open them: from the stored instant
    when there is one (what the pass reads), else from the settings."""
    first = due.daily if due.earliest is not None else plan(settings, now).daily
    if first is None:
        return []
    slot = daily_slot_at(settings, first)
    rest = next_daily_slots(settings, first, count - 1 if slot else count)
    return ([slot] if slot else []) + rest


def upcoming_weekly(settings: ChannelSettings, due: Due, now: datetime) -> datetime | None:
    """The next weekly board as the scheduling pass will post it."""
    return due.weekly if due.earliest is not None else plan(settings, now).weekly


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


def when_text(moment: datetime, zone: str, today: datetime | None) -> str:
    """'HH:MM' on the local day of `today`, else 'Sat 27 Mar HH:MM': a bare time means today."""
    tz = ZoneInfo(zone)
    local = moment.astimezone(tz)
    if today is not None and local.date() != today.astimezone(tz).date():
        return f"{local:%a %d %b %H:%M}"
    return f"{local:%H:%M}"


def describe_window(window: timedelta) -> str:
    """A duration as '8h', '90m' or '1h30m'."""
    minutes = int(window.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h{rest}m"
    return f"{hours}h" if hours else f"{rest}m"
