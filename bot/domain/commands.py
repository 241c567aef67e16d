"""The one `/quiz` grammar: text in, a typed command (or a one-line hint) out."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.domain.errors import CommandError
from bot.domain.schedule import EVERY_DAY, WEEKDAYS


class Period(StrEnum):
    """Which leaderboard: this ISO week or all time."""

    WEEK = "week"
    ALL = "all"


@dataclass(frozen=True)
class AskPop:
    """`/quiz` or `/quiz now`: a pop quiz for the channel."""


@dataclass(frozen=True)
class Practice:
    """`/quiz me [topic]`: a private practice question."""

    topic: str | None = None


@dataclass(frozen=True)
class ShowLeaderboard:
    """`/quiz leaderboard [week|all] [channels]`."""

    period: Period = Period.WEEK
    squads: bool = False


@dataclass(frozen=True)
class ShowStats:
    """`/quiz stats [@user]`; `target` is a platform user id or a display name."""

    target: str | None = None


@dataclass(frozen=True)
class ShowTopics:
    """`/quiz topics`."""


@dataclass(frozen=True)
class ShowHelp:
    """`/quiz help`."""


@dataclass(frozen=True)
class SetDaily:
    """`/quiz daily 09:30 [Europe/Berlin] [mon-fri]`; None keeps the current value."""

    at: time
    zone: str | None = None
    days: frozenset[int] | None = None


@dataclass(frozen=True)
class DailyOff:
    """`/quiz daily off`."""


@dataclass(frozen=True)
class SetWeekly:
    """`/quiz weekly fri 16:00` or `/quiz weekly off` (day None)."""

    day: int | None
    at: time | None = None


@dataclass(frozen=True)
class SetWindow:
    """`/quiz window 8h` (daily) or `/quiz window pop 10m`."""

    length: timedelta
    pop: bool = False


@dataclass(frozen=True)
class SetTopics:
    """`/quiz only lambda,dynamodb` or `/quiz only all` (empty set)."""

    topics: frozenset[str]


@dataclass(frozen=True)
class ShowSettings:
    """`/quiz settings`."""


@dataclass(frozen=True)
class Review:
    """`/quiz review`: the questions you got wrong, latest first, until each is put right."""


@dataclass(frozen=True)
class TakeExam:
    """`/quiz exam [size|full]`: a private, timed mock exam (or the one already running)."""

    size: int = 20


@dataclass(frozen=True)
class StopExam:
    """`/quiz exam stop`: end the running mock exam now and score it."""


Command = (
    AskPop | Practice | ShowLeaderboard | ShowStats | ShowTopics | ShowHelp | SetDaily | DailyOff
    | SetWeekly | SetWindow | SetTopics | ShowSettings | Review | TakeExam | StopExam
)
_Parser = Callable[[list[str]], "Command"]
ADMIN_COMMANDS = (SetDaily, DailyOff, SetWeekly, SetWindow, SetTopics)

USAGE = {
    "now": "/quiz now",
    "me": "/quiz me [topic]",
    "leaderboard": "/quiz leaderboard [week|all] [channels]",
    "stats": "/quiz stats [@user]",
    "topics": "/quiz topics",
    "review": "/quiz review",
    "exam": "/quiz exam [size|full]` or `/quiz exam stop",
    "help": "/quiz help",
    "daily": "/quiz daily 09:30 [Europe/Berlin] [mon-fri]` or `/quiz daily off",
    "weekly": "/quiz weekly fri 16:00` or `/quiz weekly off",
    "window": "/quiz window 8h` or `/quiz window pop 10m",
    "only": "/quiz only lambda,dynamodb` or `/quiz only all",
    "settings": "/quiz settings",
}

_MAX_WINDOW = timedelta(hours=23)
_MIN_WINDOW = timedelta(minutes=1)


def parse(text: str) -> Command:
    """Parse the text after `/quiz`; raise CommandError with the right form when it is wrong."""
    words = text.strip().split()
    if not words:
        return AskPop()
    head, args = words[0].lower(), words[1:]
    parser = _PARSERS.get(head)
    if parser is None:
        known = ", ".join(USAGE)
        raise CommandError(f"I don't know `{words[0]}`. Try one of: {known} (or `/quiz help`).")
    return parser(args)


def _usage(head: str, problem: str) -> CommandError:
    return CommandError(f"{problem} Use `{USAGE[head]}`.")


def _no_args(head: str, command: Command) -> _Parser:
    def parse_it(args: list[str]) -> Command:
        if args:
            raise _usage(head, f"`{head}` takes nothing after it.")
        return command

    return parse_it


def _parse_me(args: list[str]) -> Command:
    if len(args) > 1:
        raise _usage("me", "Name one topic at most.")
    return Practice(args[0].lower() if args else None)


def _parse_leaderboard(args: list[str]) -> Command:
    period, squads = Period.WEEK, False
    for arg in (a.lower() for a in args):
        if arg in ("week", "all"):
            period = Period(arg)
        elif arg in ("channels", "squads"):
            squads = True
        else:
            raise _usage("leaderboard", f"I don't understand `{arg}`.")
    return ShowLeaderboard(period, squads)


_MENTION = re.compile(r"^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>$")


def _parse_stats(args: list[str]) -> Command:
    if not args:
        return ShowStats()
    target = " ".join(args)
    mentions = [arg for arg in args if arg.startswith(("@", "<@"))]
    if len(mentions) > 1:
        raise _usage("stats", "Name one member at a time.")
    match = _MENTION.match(target)
    if match:
        return ShowStats(match.group(1))
    return ShowStats(target.removeprefix("@"))


def parse_clock(text: str, head: str) -> time:
    """'9:30' or '09:30' as a time of day."""
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise _usage(head, f"`{text}` is not a time of day (00:00 to 23:59).")
    return time(int(match.group(1)), int(match.group(2)))


def parse_zone(text: str, head: str) -> str:
    """An IANA time zone name such as Europe/Berlin, in any letter case."""
    zone = canonical_zone(text)
    if zone is None:
        problem = f"`{text}` is not a time zone I know (like Europe/Berlin or UTC)."
        raise _usage(head, problem)
    return zone


def canonical_zone(text: str) -> str | None:
    """The IANA spelling of a zone name typed in any case ('europe/berlin'), or None."""
    if _is_zone(text):
        return text
    # People type zone names in lower case; the tz database spells them one way.
    return _zones_by_lower_name().get(text.lower())


@cache
def _zones_by_lower_name() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


_DAY_ALIASES = {"daily": EVERY_DAY, "everyday": EVERY_DAY, "weekdays": WEEKDAYS,
                "weekends": frozenset({5, 6})}


def _day(text: str, head: str) -> int:
    lowered = text.lower()
    for number, full in enumerate(_FULL_DAYS):
        if lowered in (full, full[:3]):
            return number
    raise _usage(head, f"`{text}` is not a day (mon, tue, wed, thu, fri, sat, sun).")


_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_days(text: str, head: str = "daily") -> frozenset[int]:
    """'mon-fri', 'mon,wed,fri', 'weekdays', 'daily' as weekday numbers (Monday 0)."""
    lowered = text.lower()
    if lowered in _DAY_ALIASES:
        return _DAY_ALIASES[lowered]
    days: set[int] = set()
    for part in lowered.split(","):
        if "-" in part:
            first, _, last = part.partition("-")
            start, end = _day(first, head), _day(last, head)
            span = range(start, end + 1) if start <= end else [*range(start, 7), *range(end + 1)]
            days.update(span)
        else:
            days.add(_day(part, head))
    return frozenset(days)


def _parse_daily(args: list[str]) -> Command:
    if len(args) == 1 and args[0].lower() == "off":
        return DailyOff()
    if not args or len(args) > 3:
        raise _usage("daily", "Give a time, and optionally a time zone and days.")
    at = parse_clock(args[0], "daily")
    zone: str | None = None
    days: frozenset[int] | None = None
    for arg in args[1:]:
        if arg.upper() == "UTC":
            zone = "UTC"
        elif "/" in arg or canonical_zone(arg):  # Europe/Berlin, and also Japan, GMT, EST5EDT
            zone = parse_zone(arg, "daily")
        else:
            days = parse_days(arg, "daily")
    return SetDaily(at, zone, days)


def _is_zone(text: str) -> bool:
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _parse_weekly(args: list[str]) -> Command:
    if len(args) == 1 and args[0].lower() == "off":
        return SetWeekly(None)
    if len(args) != 2:
        raise _usage("weekly", "Give a day and a time.")
    return SetWeekly(_day(args[0], "weekly"), parse_clock(args[1], "weekly"))


def parse_duration(text: str, head: str = "window") -> timedelta:
    """'8h', '90m', '1h30m' as a duration."""
    match = re.fullmatch(r"(?:(\d{1,4})h)?(?:(\d{1,4})m)?", text.lower())
    if not match or not any(match.groups()):
        raise _usage(head, f"`{text}` is not a duration like 8h, 90m or 1h30m.")
    length = timedelta(hours=int(match.group(1) or 0), minutes=int(match.group(2) or 0))
    if not _MIN_WINDOW <= length <= _MAX_WINDOW:
        raise _usage(head, "A window is between 1m and 23h.")
    return length


def _parse_window(args: list[str]) -> Command:
    pop = bool(args) and args[0].lower() == "pop"
    rest = args[1:] if pop else args
    if len(rest) != 1:
        raise _usage("window", "Give one duration.")
    return SetWindow(parse_duration(rest[0]), pop)


def _parse_only(args: list[str]) -> Command:
    joined = ",".join(args).lower()
    names = frozenset(t.strip() for t in joined.split(",") if t.strip())
    if not names:
        raise _usage("only", "Name the topics.")
    return SetTopics(frozenset() if names == {"all"} else names)


_FULL_EXAM = 65


def _parse_exam(args: list[str]) -> Command:
    if not args:
        return TakeExam()
    if len(args) > 1:
        raise _usage("exam", "Give one size at most.")
    if args[0].lower() == "full":
        return TakeExam(_FULL_EXAM)
    if args[0].lower() == "stop":
        return StopExam()
    if not args[0].isdigit() or not 1 <= int(args[0]) <= _FULL_EXAM:
        raise _usage("exam", f"`{args[0]}` is not a size: give 1 to {_FULL_EXAM} questions, "
                             "or `full`.")
    return TakeExam(int(args[0]))


_PARSERS: dict[str, _Parser] = {
    "now": _no_args("now", AskPop()),
    "me": _parse_me,
    "leaderboard": _parse_leaderboard,
    "stats": _parse_stats,
    "topics": _no_args("topics", ShowTopics()),
    "review": _no_args("review", Review()),
    "exam": _parse_exam,
    "help": _no_args("help", ShowHelp()),
    "daily": _parse_daily,
    "weekly": _parse_weekly,
    "window": _parse_window,
    "only": _parse_only,
    "settings": _no_args("settings", ShowSettings()),
}
