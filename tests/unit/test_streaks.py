"""Daily streaks: counted from the latest daily rounds, read a few first and more only if needed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from bot.domain.model import Round, RoundKind
from bot.services.streaks import FIRST_LOOK, STREAK_LOOKBACK, streak_before

NOW = datetime(2027, 3, 26, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


class Dailies:
    """A channel's daily results for one member, newest first; remembers each read's limit."""

    def __init__(self, results: Sequence[bool | None], today_open: bool = False) -> None:
        self.rounds = [self._round(n, n == 0 and today_open) for n in range(len(results))]
        self.results = list(results)
        self.reads: list[int] = []

    @staticmethod
    def _round(days_ago: int, still_open: bool) -> Round:
        opened = NOW - timedelta(days=days_ago, hours=3)
        closes = NOW + timedelta(hours=1) if still_open else opened + timedelta(hours=2)
        return Round(days_ago + 1, 1, 1, "q", RoundKind.DAILY, opened, closes, 0,
                     local_date=opened.date())

    async def daily_results(self, member_id: int, channel_id: int, before: date,
                            limit: int) -> list[tuple[Round, bool | None]]:
        """The latest `limit` rounds with the member's results."""
        self.reads.append(limit)
        return list(zip(self.rounds, self.results, strict=True))[:limit]


async def test_a_streak_that_ends_among_the_latest_rounds_takes_one_short_read() -> None:
    dailies = Dailies([True, True, False] + [True] * 20)
    assert await streak_before(dailies, 1, 1, TODAY, NOW) == 2
    assert dailies.reads == [FIRST_LOOK]


async def test_a_channel_with_fewer_daily_rounds_than_the_first_read_is_read_once() -> None:
    dailies = Dailies([True] * (FIRST_LOOK - 1))
    assert await streak_before(dailies, 1, 1, TODAY, NOW) == FIRST_LOOK - 1
    assert dailies.reads == [FIRST_LOOK]


async def test_a_streak_that_runs_past_the_latest_rounds_is_counted_from_a_longer_read() -> None:
    dailies = Dailies([True] * 12 + [False, True])
    assert await streak_before(dailies, 1, 1, TODAY, NOW) == 12
    assert dailies.reads == [FIRST_LOOK, STREAK_LOOKBACK]


async def test_a_streak_longer_than_the_lookback_counts_as_the_lookback() -> None:
    dailies = Dailies([True] * (STREAK_LOOKBACK + 100))
    assert await streak_before(dailies, 1, 1, TODAY, NOW) == STREAK_LOOKBACK


async def test_todays_open_round_not_answered_yet_does_not_end_the_streak() -> None:
    assert await streak_before(Dailies([None, True, True, False], today_open=True),
                               1, 1, TODAY, NOW) == 2
    assert await streak_before(Dailies([None, True, True, False]), 1, 1, TODAY, NOW) == 0
