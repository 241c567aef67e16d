"""Daily streaks: the daily questions of a channel a member got right in a row."""

from __future__ import annotations

from datetime import date, datetime

from bot.domain.ports import DailyResults
from bot.domain.scoring import current_streak

STREAK_LOOKBACK = 400  # daily rounds; a longer streak still counts this many
# Most streaks end within the latest few rounds, so those are read first: a year of rounds
# costs a daily click several times what the rest of it does, and is read only for a streak
# that runs past them.
FIRST_LOOK = 8


async def streak_before(answers: DailyResults, member_id: int, channel_id: int, before: date,
                        now: datetime) -> int:
    """The streak over the channel's daily rounds before a local date.

    A missed or wrong day ends it; a round still open that the member has not answered yet
    does not (they may still answer it).
    """
    streak = 0
    for look in (FIRST_LOOK, STREAK_LOOKBACK):
        days = await answers.daily_results(member_id, channel_id, before, look)
        read = len(days)
        while days and days[0][0].is_open(now) and days[0][1] is None:
            days = days[1:]
        streak = current_streak([result for _, result in days])
        if streak < len(days) or read < look:  # the run ends among the rounds read
            break
    return streak
