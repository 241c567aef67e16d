"""A channel's clock in its own time zone, daylight-saving switches included."""

from __future__ import annotations

import time as time_module
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.outbox import backoff
from bot.domain.schedule import (
    EVERY_DAY,
    ChannelSettings,
    Due,
    after_daily,
    current_daily_slot,
    daily_slot,
    describe_window,
    due_weekly_week,
    iso_week_of,
    local_moment,
    next_daily_slots,
    next_weekly,
    plan,
    upcoming_daily,
    upcoming_weekly,
    when_text,
)

BERLIN = ChannelSettings(daily_time=time(9, 0), zone="Europe/Berlin", days=EVERY_DAY)


def test_nine_in_berlin_stays_nine_local_across_the_spring_switch() -> None:
    before = daily_slot(BERLIN, date(2027, 3, 27))
    after = daily_slot(BERLIN, date(2027, 3, 28))
    assert before is not None and after is not None
    assert before.opens_at == datetime(2027, 3, 27, 8, 0, tzinfo=UTC)
    assert after.opens_at == datetime(2027, 3, 28, 7, 0, tzinfo=UTC)


def test_nine_in_berlin_stays_nine_local_across_the_autumn_switch() -> None:
    slots = next_daily_slots(BERLIN, datetime(2027, 10, 30, 0, 0, tzinfo=UTC), 2)
    assert [s.opens_at.hour for s in slots] == [7, 8]


def test_a_time_skipped_by_the_switch_moves_an_hour_later() -> None:
    settings = ChannelSettings(daily_time=time(2, 30), zone="Europe/Berlin", days=EVERY_DAY)
    slot = daily_slot(settings, date(2027, 3, 28))
    assert slot is not None
    assert slot.opens_at == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)  # 03:30 CEST


def test_the_answer_window_of_yesterday_can_still_be_open_after_midnight() -> None:
    late = ChannelSettings(daily_time=time(22, 0), zone="UTC", days=EVERY_DAY,
                           window=timedelta(hours=4))
    slot = current_daily_slot(late, datetime(2027, 3, 27, 1, 0, tzinfo=UTC))
    assert slot is not None and slot.local_date == date(2027, 3, 26)


def test_weekdays_only_skip_the_weekend() -> None:
    weekdays = ChannelSettings(daily_time=time(9, 0), zone="UTC")
    slots = next_daily_slots(weekdays, datetime(2027, 3, 26, 10, 0, tzinfo=UTC), 1)
    assert slots[0].local_date == date(2027, 3, 29)


def test_no_daily_time_means_no_slots() -> None:
    assert next_daily_slots(ChannelSettings(), datetime(2027, 1, 1, tzinfo=UTC), 3) == []


def test_the_weekly_board_is_due_from_its_local_time_until_the_week_ends() -> None:
    settings = ChannelSettings(zone="America/New_York", weekly_day=4, weekly_time=time(16, 0))
    assert due_weekly_week(settings, datetime(2027, 3, 26, 19, 59, tzinfo=UTC)) is None
    assert due_weekly_week(settings, datetime(2027, 3, 26, 20, 0, tzinfo=UTC)) == (2027, 12)
    assert next_weekly(settings, datetime(2027, 3, 26, 20, 0, tzinfo=UTC)) == \
        datetime(2027, 4, 2, 20, 0, tzinfo=UTC)


def test_a_new_schedule_is_due_at_its_next_slot_not_at_one_already_open() -> None:
    settings = ChannelSettings(daily_time=time(9, 0), zone="UTC", days=EVERY_DAY)
    due = plan(settings, datetime(2027, 3, 23, 9, 30, tzinfo=UTC))
    assert due.daily == datetime(2027, 3, 24, 9, 0, tzinfo=UTC)


def test_a_question_due_but_not_yet_asked_stays_due_when_settings_change_in_its_window() -> None:
    before = Due(daily=datetime(2027, 3, 23, 9, 0, tzinfo=UTC))
    settings = ChannelSettings(daily_time=time(9, 0), zone="UTC", days=EVERY_DAY,
                               topics=frozenset({"lambda"}))
    due = plan(settings, datetime(2027, 3, 23, 9, 0, 3, tzinfo=UTC), before)
    assert due.daily == datetime(2027, 3, 23, 9, 0, tzinfo=UTC)


def test_after_a_daily_comes_the_next_slot_whose_window_is_still_open() -> None:
    settings = ChannelSettings(daily_time=time(9, 0), zone="UTC", days=EVERY_DAY)
    handled = datetime(2027, 3, 20, 9, 0, tzinfo=UTC)
    # Back after three days away, at noon: today's question is still open, so it is next.
    assert after_daily(settings, handled, datetime(2027, 3, 23, 12, 0, tzinfo=UTC)) == \
        datetime(2027, 3, 23, 9, 0, tzinfo=UTC)
    # In the evening its window has closed: tomorrow's comes next.
    assert after_daily(settings, handled, datetime(2027, 3, 23, 18, 0, tzinfo=UTC)) == \
        datetime(2027, 3, 24, 9, 0, tzinfo=UTC)


def test_a_weekly_board_is_planned_for_the_next_one_only() -> None:
    settings = ChannelSettings(weekly_day=4, weekly_time=time(16, 0), zone="Europe/Berlin")
    friday_evening = datetime(2027, 3, 26, 17, 0, tzinfo=UTC)
    assert plan(settings, friday_evening).weekly == datetime(2027, 4, 2, 14, 0, tzinfo=UTC)


def test_a_channel_with_nothing_scheduled_is_never_due() -> None:
    assert plan(ChannelSettings(), datetime(2027, 3, 26, tzinfo=UTC)).earliest is None


def test_the_upcoming_slots_start_from_the_stored_instant() -> None:
    settings = ChannelSettings(daily_time=time(9, 0), zone="UTC", days=EVERY_DAY)
    stored = Due(daily=datetime(2027, 3, 23, 9, 0, tzinfo=UTC))
    slots = upcoming_daily(settings, stored, datetime(2027, 3, 23, 9, 0, 2, tzinfo=UTC), 2)
    assert [s.opens_at.day for s in slots] == [23, 24]


def test_retries_back_off_from_five_seconds_to_five_minutes() -> None:
    assert [backoff(n, 1.0).total_seconds() for n in (1, 2, 3, 8, 30)] == [5, 10, 20, 300, 300]
    assert backoff(1, 0.5).total_seconds() == 2.5


def test_a_moment_on_the_day_in_question_shows_as_a_bare_time_else_with_its_date() -> None:
    moment = datetime(2027, 3, 27, 8, 30, tzinfo=UTC)  # 09:30 in Berlin, a Saturday
    assert when_text(moment, "Europe/Berlin", moment) == "09:30"
    assert when_text(moment, "Europe/Berlin", None) == "09:30"
    friday = datetime(2027, 3, 26, 12, 0, tzinfo=UTC)
    assert when_text(moment, "Europe/Berlin", friday) == "Sat 27 Mar 09:30"
    # 23:30 UTC on Friday is already Saturday in Berlin: the local day decides.
    late = datetime(2027, 3, 26, 23, 30, tzinfo=UTC)
    assert when_text(late, "Europe/Berlin", moment) == "00:30"


@pytest.mark.parametrize(("window", "text"), [
    (timedelta(hours=8), "8h"), (timedelta(minutes=90), "1h30m"), (timedelta(minutes=45), "45m"),
    (timedelta(minutes=1), "1m"), (timedelta(hours=23), "23h"), (timedelta(seconds=150), "2m"),
])
def test_a_window_is_described_as_people_write_it(window: timedelta, text: str) -> None:
    assert describe_window(window) == text


def test_the_upcoming_weekly_board_is_the_stored_instant_when_there_is_one() -> None:
    settings = ChannelSettings(weekly_day=4, weekly_time=time(16, 0))
    now = datetime(2027, 3, 22, 9, 0, tzinfo=UTC)  # a Monday
    stored = datetime(2027, 3, 26, 17, 0, tzinfo=UTC)
    assert upcoming_weekly(settings, Due(weekly=stored), now) == stored
    assert upcoming_weekly(settings, Due(), now) == datetime(2027, 3, 26, 16, 0, tzinfo=UTC)
    assert upcoming_weekly(ChannelSettings(), Due(), now) is None


NINE_UTC = ChannelSettings(daily_time=time(9, 0), zone="UTC", days=EVERY_DAY)
OPENS = datetime(2027, 3, 23, 9, 0, tzinfo=UTC)
CLOSES = OPENS + NINE_UTC.window
TICK = timedelta(microseconds=1)


def test_a_daily_slot_is_open_from_its_first_instant_until_the_instant_it_closes() -> None:
    assert current_daily_slot(NINE_UTC, OPENS - TICK) is None
    assert current_daily_slot(NINE_UTC, OPENS) == daily_slot(NINE_UTC, OPENS.date())
    assert current_daily_slot(NINE_UTC, CLOSES - TICK) == daily_slot(NINE_UTC, OPENS.date())
    assert current_daily_slot(NINE_UTC, CLOSES) is None


def test_the_next_slot_after_an_opening_instant_is_the_following_day_s() -> None:
    [slot] = next_daily_slots(NINE_UTC, OPENS, 1)
    assert slot.opens_at == OPENS + timedelta(days=1)
    [slot] = next_daily_slots(NINE_UTC, OPENS - TICK, 1)
    assert slot.opens_at == OPENS


def test_a_question_due_at_this_very_instant_stays_due_until_its_window_closes() -> None:
    before = Due(daily=OPENS)
    assert plan(NINE_UTC, OPENS, before).daily == OPENS
    assert plan(NINE_UTC, CLOSES - TICK, before).daily == OPENS
    assert plan(NINE_UTC, CLOSES, before).daily == OPENS + timedelta(days=1)


def test_the_weekly_board_is_due_from_its_very_instant_and_the_next_is_a_week_on() -> None:
    settings = ChannelSettings(weekly_day=4, weekly_time=time(16, 0))
    board = datetime(2027, 3, 26, 16, 0, tzinfo=UTC)
    assert due_weekly_week(settings, board - TICK) is None
    assert due_weekly_week(settings, board) == (2027, 12)
    assert next_weekly(settings, board - TICK) == board
    assert next_weekly(settings, board) == board + timedelta(weeks=1)


def test_after_a_daily_the_next_slot_is_the_one_whose_window_is_still_open_at_now() -> None:
    long_ago = OPENS - timedelta(days=3)  # the days in between were missed while nobody ran
    assert after_daily(NINE_UTC, long_ago, OPENS + timedelta(hours=1)) == OPENS
    assert after_daily(NINE_UTC, long_ago, CLOSES - TICK) == OPENS
    assert after_daily(NINE_UTC, long_ago, CLOSES) == OPENS + timedelta(days=1)


def test_upcoming_slots_from_a_stored_instant_that_opens_no_slot_start_after_it() -> None:
    # Stored under older settings (08:00); the channel now asks at 09:00.
    stored = Due(daily=datetime(2027, 3, 23, 8, 0, tzinfo=UTC))
    slots = upcoming_daily(NINE_UTC, stored, OPENS, 2)
    assert [s.opens_at for s in slots] == [OPENS, OPENS + timedelta(days=1)]


def test_upcoming_slots_with_nothing_stored_come_from_the_settings() -> None:
    slots = upcoming_daily(NINE_UTC, Due(), OPENS - timedelta(hours=1), 2)
    assert [s.opens_at for s in slots] == [OPENS, OPENS + timedelta(days=1)]


KIRITIMATI, PAGO_PAGO = "Pacific/Kiritimati", "Pacific/Pago_Pago"  # UTC+14 and UTC-11


@pytest.fixture
def server_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Move the process's local time zone (the server's clock) for one test."""

    def move(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        time_module.tzset()

    yield move
    monkeypatch.undo()
    time_module.tzset()


def _local(zone: str, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def test_the_open_daily_slot_is_found_by_the_channel_s_day_not_the_server_s(
        server_zone: Callable[[str], None]) -> None:
    server_zone(PAGO_PAGO)  # still Friday there
    settings = ChannelSettings(daily_time=time(9, 0), zone=KIRITIMATI, days=EVERY_DAY)
    slot = current_daily_slot(settings, _local(KIRITIMATI, 3, 27, 10, 0))
    assert slot is not None and slot.local_date == date(2027, 3, 27)


def test_the_next_daily_slot_is_counted_from_the_channel_s_day_not_the_server_s(
        server_zone: Callable[[str], None]) -> None:
    server_zone(KIRITIMATI)  # already Sunday there
    settings = ChannelSettings(daily_time=time(23, 45), zone=PAGO_PAGO, days=EVERY_DAY)
    [slot] = next_daily_slots(settings, _local(PAGO_PAGO, 3, 26, 23, 30), 1)
    assert slot.local_date == date(2027, 3, 26)


def test_the_weekly_board_due_is_the_channel_s_week_not_the_server_s(
        server_zone: Callable[[str], None]) -> None:
    server_zone(PAGO_PAGO)  # still Sunday of week 12 there
    settings = ChannelSettings(zone=KIRITIMATI, weekly_day=0, weekly_time=time(9, 0))
    assert due_weekly_week(settings, _local(KIRITIMATI, 3, 29, 10, 0)) == (2027, 13)


def test_the_next_weekly_board_is_counted_from_the_channel_s_week_not_the_server_s(
        server_zone: Callable[[str], None]) -> None:
    server_zone(KIRITIMATI)  # already Monday of week 13 there
    settings = ChannelSettings(zone=PAGO_PAGO, weekly_day=6, weekly_time=time(23, 0))
    assert next_weekly(settings, _local(PAGO_PAGO, 3, 28, 22, 0)) == _local(
        PAGO_PAGO, 3, 28, 23, 0)


def test_a_bare_time_means_the_channel_s_today_not_the_server_s(
        server_zone: Callable[[str], None]) -> None:
    server_zone(KIRITIMATI)  # already Sunday there
    moment = datetime(2027, 3, 27, 9, 0, tzinfo=UTC)
    assert when_text(moment, "UTC", moment + timedelta(hours=3)) == "09:00"


def test_a_channel_with_no_daily_question_has_no_next_daily_instant() -> None:
    now = datetime(2027, 3, 26, 9, 0, tzinfo=UTC)
    assert after_daily(ChannelSettings(weekly_day=4), now, now) is None


def test_a_local_moment_comes_back_in_utc_whatever_the_server_s_zone(
        server_zone: Callable[[str], None]) -> None:
    server_zone(KIRITIMATI)
    moment = local_moment(date(2027, 3, 26), time(9, 0), ZoneInfo("Europe/Berlin"))
    assert (moment.utcoffset(), moment.hour) == (timedelta(0), 8)


def test_the_board_s_week_is_the_utc_week_whatever_the_server_s_zone(
        server_zone: Callable[[str], None]) -> None:
    server_zone(KIRITIMATI)  # already Monday of week 13 there
    assert iso_week_of(datetime(2027, 3, 28, 23, 30, tzinfo=UTC)) == (2027, 12)
