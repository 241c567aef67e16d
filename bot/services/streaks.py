"""Daily streaks: the daily questions of a channel a member got right in a row."""

from __future__ import annotations

from datetime import date, datetime

from bot.domain.ports import DailyResults
from bot.domain.scoring import current_streak

STREAK_LOOKBACK = 400  # daily rounds; a longer streak still counts this many


async def streak_before(answers: DailyResults, member_id: int, channel_id: int, before: date,
                        now: datetime) -> int:
    """The streak over the channel's daily rounds before a local date.

    A missed or wrong day ends it; a round still open that the member has not answered yet
    does not (they may still answer it).
    """
    days = await answers.daily_results(member_id, channel_id, before, STREAK_LOOKBACK)
    while days and days[0][0].is_open(now) and days[0][1] is None:
        days = days[1:]
    return current_streak([result for _, result in days])
