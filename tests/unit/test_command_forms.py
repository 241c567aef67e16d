"""Every /quiz form, right and wrong, word for word: the hints are what people read."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from bot.domain.commands import (
    Command,
    DailyOff,
    Period,
    Practice,
    SetDaily,
    SetTopics,
    SetWeekly,
    SetWindow,
    ShowLeaderboard,
    ShowStats,
    StopExam,
    TakeExam,
    parse,
)
from bot.domain.errors import CommandError

# The hints people get, word for word: the problem, then the right form of the command.
USE = {
    'me': '`/quiz me [topic]`.',
    'leaderboard': '`/quiz leaderboard [week|all] [channels]`.',
    'stats': '`/quiz stats [@user]`.',
    'daily': '`/quiz daily 09:30 [Europe/Berlin] [mon-fri]` or `/quiz daily off`.',
    'weekly': '`/quiz weekly fri 16:00` or `/quiz weekly off`.',
    'window': '`/quiz window 8h` or `/quiz window pop 10m`.',
    'only': '`/quiz only lambda,dynamodb` or `/quiz only all`.',
    'exam': '`/quiz exam [size|full]` or `/quiz exam stop`.',
    'topics': '`/quiz topics`.',
    'help': '`/quiz help`.',
    'settings': '`/quiz settings`.',
    'now': '`/quiz now`.',
    'review': '`/quiz review`.',
}

WRONG = [
    ('me lambda dynamodb', 'Name one topic at most.'),
    ('leaderboard sideways', "I don't understand `sideways`."),
    ('stats @a @b', 'Name one member at a time.'),
    ('daily', 'Give a time, and optionally a time zone and days.'),
    ('daily 25:00', '`25:00` is not a time of day (00:00 to 23:59).'),
    ('daily 09:00 Mars/Base', '`Mars/Base` is not a time zone I know (like Europe/Berlin or UTC).'),
    ('daily 09:00 UTC funday', '`funday` is not a day (mon, tue, wed, thu, fri, sat, sun).'),
    ('daily 09:00 UTC mon-xyz', '`xyz` is not a day (mon, tue, wed, thu, fri, sat, sun).'),
    ('daily 09:00 UTC xyz-fri', '`xyz` is not a day (mon, tue, wed, thu, fri, sat, sun).'),
    ('daily 09:00 UTC mon-wed-fri',
     '`wed-fri` is not a day (mon, tue, wed, thu, fri, sat, sun).'),
    ('daily 09:00 UTC mon-fri later', 'Give a time, and optionally a time zone and days.'),
    ('weekly', 'Give a day and a time.'),
    ('weekly fri', 'Give a day and a time.'),
    ('weekly someday 16:00', '`someday` is not a day (mon, tue, wed, thu, fri, sat, sun).'),
    ('weekly fri 26:00', '`26:00` is not a time of day (00:00 to 23:59).'),
    ('window', 'Give one duration.'),
    ('window 8h 9h', 'Give one duration.'),
    ('window 0m', 'A window is between 1m and 23h.'),
    ('window 24h', 'A window is between 1m and 23h.'),
    ('window soon', '`soon` is not a duration like 8h, 90m or 1h30m.'),
    ('window 90s', '`90s` is not a duration like 8h, 90m or 1h30m.'),
    ('only', 'Name the topics.'),
    ('exam 3 4', 'Give one size at most.'),
    ('exam many', '`many` is not a size: give 1 to 65 questions, or `full`.'),
    ('exam 0', '`0` is not a size: give 1 to 65 questions, or `full`.'),
    ('exam 999', '`999` is not a size: give 1 to 65 questions, or `full`.'),
    ('topics now', '`topics` takes nothing after it.'),
    ('help me', '`help` takes nothing after it.'),
    ('settings x', '`settings` takes nothing after it.'),
    ('now please', '`now` takes nothing after it.'),
    ('review again', '`review` takes nothing after it.'),
    ('daily off now', '`off` is not a time of day (00:00 to 23:59).'),
    ('frobnicate',
     "I don't know `frobnicate`. Try one of: now, me, leaderboard, stats, topics, revi"
     'ew, exam, help, daily, weekly, window, only, settings (or `/quiz help`).'),
]

RIGHT = [
    ('me', Practice(topic=None)),
    ('me lambda', Practice(topic='lambda')),
    ('window 1m', SetWindow(length=timedelta(seconds=60), pop=False)),
    ('window 23h', SetWindow(length=timedelta(seconds=82800), pop=False)),
    ('window 1h30m', SetWindow(length=timedelta(seconds=5400), pop=False)),
    ('window pop 10m', SetWindow(length=timedelta(seconds=600), pop=True)),
    ('exam', TakeExam(size=20)),
    ('exam 1', TakeExam(size=1)),
    ('exam 65', TakeExam(size=65)),
    ('exam full', TakeExam(size=65)),
    ('exam stop', StopExam()),
    ('daily 09:30 Europe/Berlin mon-fri',
     SetDaily(at=time(9, 30), zone='Europe/Berlin', days=frozenset({0, 1, 2, 3, 4}))),
    ('daily 9:05', SetDaily(at=time(9, 5), zone=None, days=None)),
    ('daily 09:00 utc sat,sun', SetDaily(at=time(9, 0), zone='UTC', days=frozenset({5, 6}))),
    ('daily 23:59 UTC daily',
     SetDaily(at=time(23, 59), zone='UTC', days=frozenset(range(7)))),
    ('weekly fri 16:00', SetWeekly(day=4, at=time(16, 0))),
    ('weekly off', SetWeekly(day=None, at=None)),
    ('daily off', DailyOff()),
    ('leaderboard', ShowLeaderboard(period=Period.WEEK, squads=False)),
    ('leaderboard all channels', ShowLeaderboard(period=Period.ALL, squads=True)),
    ('leaderboard week', ShowLeaderboard(period=Period.WEEK, squads=False)),
    ('stats', ShowStats(target=None)),
    ('stats @ann', ShowStats(target='ann')),
    ('only lambda,dynamodb', SetTopics(topics=frozenset({'lambda', 'dynamodb'}))),
    ('only all', SetTopics(topics=frozenset())),
]


@pytest.mark.parametrize(("text", "hint"), WRONG, ids=[text for text, _ in WRONG])
def test_a_wrong_command_gets_its_one_line_hint(text: str, hint: str) -> None:
    with pytest.raises(CommandError) as refused:
        parse(text)
    head = text.split()[0]
    assert str(refused.value) == (f"{hint} Use {USE[head]}" if head in USE else hint)


@pytest.mark.parametrize(("text", "command"), RIGHT, ids=[text for text, _ in RIGHT])
def test_a_right_command_parses_to_what_it_says(text: str, command: Command) -> None:
    assert parse(text) == command
