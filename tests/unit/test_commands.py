"""The one /quiz grammar."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from bot.domain.commands import (
    AskPop,
    DailyOff,
    Period,
    Practice,
    SetDaily,
    SetTopics,
    SetWeekly,
    SetWindow,
    ShowHelp,
    ShowLeaderboard,
    ShowSettings,
    ShowStats,
    ShowTopics,
    parse,
    parse_clock,
    parse_days,
)
from bot.domain.errors import CommandError
from bot.domain.presenting import normalize_letters
from bot.domain.schedule import describe_days


@pytest.mark.parametrize(("text", "command"), [
    ("", AskPop()),
    ("now", AskPop()),
    ("me", Practice()),
    ("me DynamoDB", Practice("dynamodb")),
    ("leaderboard", ShowLeaderboard(Period.WEEK, squads=False)),
    ("leaderboard all channels", ShowLeaderboard(Period.ALL, squads=True)),
    ("stats", ShowStats()),
    ("stats <@U123|alice>", ShowStats("U123")),
    ("stats <@!42>", ShowStats("42")),
    ("stats @bob", ShowStats("bob")),
    ("stats Ann  Lee", ShowStats("Ann Lee")),
    ("leaderboard squads", ShowLeaderboard(Period.WEEK, squads=True)),
    ("topics", ShowTopics()),
    ("help", ShowHelp()),
    ("settings", ShowSettings()),
    ("daily 09:30 Europe/Berlin mon-fri",
     SetDaily(time(9, 30), "Europe/Berlin", frozenset(range(5)))),
    ("daily 7:05", SetDaily(time(7, 5))),
    ("daily 18:00 mon,wed,fri", SetDaily(time(18), None, frozenset({0, 2, 4}))),
    ("daily 08:00 utc sat-mon", SetDaily(time(8), "UTC", frozenset({5, 6, 0}))),
    ("daily 08:00 Japan weekdays", SetDaily(time(8), "Japan", frozenset(range(5)))),
    ("daily 08:00 europe/berlin", SetDaily(time(8), "Europe/Berlin")),
    ("daily 08:00 AMERICA/NEW_YORK", SetDaily(time(8), "America/New_York")),
    ("daily off", DailyOff()),
    ("weekly fri 16:00", SetWeekly(4, time(16))),
    ("weekly Friday 16:00", SetWeekly(4, time(16))),
    ("weekly off", SetWeekly(None)),
    ("window 8h", SetWindow(timedelta(hours=8))),
    ("window 1h30m", SetWindow(timedelta(minutes=90))),
    ("window pop 10m", SetWindow(timedelta(minutes=10), pop=True)),
    ("only lambda,dynamodb", SetTopics(frozenset({"lambda", "dynamodb"}))),
    ("only lambda, s3", SetTopics(frozenset({"lambda", "s3"}))),
    ("only all", SetTopics(frozenset())),
])
def test_each_command_parses_to_its_typed_form(text: str, command: object) -> None:
    assert parse(text) == command


@pytest.mark.parametrize(("text", "hint"), [
    ("frobnicate", "I don't know `frobnicate`"),
    ("daily 25:00", "`25:00` is not a time of day (00:00 to 23:59). Use `/quiz daily 09:30"),
    ("daily 09:00 Mars/Olympus", "`Mars/Olympus` is not a time zone I know"),
    ("daily 09:00 funday", "`funday` is not a day"),
    ("daily", "Give a time"),
    ("weekly 16:00", "Give a day and a time."),
    ("window 25h", "A window is between 1m and 23h."),
    ("window soon", "`soon` is not a duration"),
    ("window 99999999999h", "is not a duration"),
    ("leaderboard yesterday", "I don't understand `yesterday`"),
    ("help me", "`help` takes nothing after it."),
    ("only", "Name the topics."),
    ("stats @bob @carol", "Name one member at a time."),
    ("stats <@U1> <@U2>", "Name one member at a time."),
])
def test_a_wrong_command_gets_a_one_line_hint_with_the_right_form(text: str, hint: str) -> None:
    with pytest.raises(CommandError) as error:
        parse(text)
    assert hint in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(("days", "written"), [
    (frozenset(range(5)), "mon-fri"),
    (frozenset({5, 6, 0}), "sat-mon"),
    (frozenset({4, 5, 6, 0, 1}), "fri-tue"),
    (frozenset({0, 2, 4}), "mon,wed,fri"),
    (frozenset({6, 0}), "mon,sun"),
    (frozenset(range(7)), "every day"),
])
def test_days_are_written_back_as_a_person_writes_them(days: frozenset[int],
                                                       written: str) -> None:
    assert describe_days(days) == written


def test_a_letter_named_twice_is_refused_not_read_as_one() -> None:
    assert normalize_letters("c, a") == "AC"
    with pytest.raises(CommandError, match="named A twice"):
        normalize_letters("a,a")


@pytest.mark.parametrize("text", ["24:00", "9:60", "23:60", "99:99"])
def test_a_time_past_23_59_gets_the_polite_hint_not_a_crash(text: str) -> None:
    with pytest.raises(CommandError) as refused:
        parse_clock(text, "daily")
    assert str(refused.value) == (f"`{text}` is not a time of day (00:00 to 23:59). "
                                  "Use `/quiz daily 09:30 [Europe/Berlin] [mon-fri]` or "
                                  "`/quiz daily off`.")


def test_the_first_and_last_minutes_of_the_day_are_times_of_day() -> None:
    assert parse_clock("0:00", "daily") == time(0, 0)
    assert parse_clock("23:59", "weekly") == time(23, 59)


@pytest.mark.parametrize(("text", "days"), [
    ("mon-mon", {0}), ("sun-sun", {6}), ("fri-mon", {4, 5, 6, 0}), ("mon-tue,thu", {0, 1, 3}),
])
def test_a_range_of_days_includes_both_ends_and_may_wrap_past_sunday(text: str,
                                                                    days: set[int]) -> None:
    assert parse_days(text) == frozenset(days)
