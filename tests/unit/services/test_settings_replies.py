"""Every settings command on the fakes: what it stores and the reply it posts, word for word."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from bot.domain.errors import NotAllowed, QuizError
from bot.domain.model import Where, Who
from bot.domain.schedule import ChannelSettings
from bot.domain.views import Notice
from bot.services import quiz
from bot.services.deps import Deps
from tests.unit.fakes import Store

HERE = Where("slack", "T1", "C1", "Acme", "general")
ADMIN = Who("A1", "ada", is_admin=True)


async def _say(deps: Deps, text: str) -> Notice:
    notice = await quiz.handle(deps, HERE, ADMIN, text)
    assert isinstance(notice, Notice) and not notice.private  # the channel sees the change
    return notice


def _settings(store: Store) -> ChannelSettings:
    [channel] = store.channels.values()
    return channel.settings


async def test_a_first_daily_question_brings_the_weekly_board_and_says_so(
        deps: Deps, store: Store) -> None:
    notice = await _say(deps, "daily 09:30 Europe/Berlin mon-fri")
    assert notice.text == ("Daily question set: 09:30 Europe/Berlin, mon-fri, open for 8h. The "
                           "weekly leaderboard posts fri 16:00 (`/quiz weekly off` to stop it).")
    assert _settings(store).weekly_day == 4
    notice = await _say(deps, "daily 10:00")  # the board is there already: not said again
    assert notice.text == "Daily question set: 10:00 Europe/Berlin, mon-fri, open for 8h."


async def test_a_weekly_board_turned_off_stays_off_when_the_daily_time_changes(
        deps: Deps, store: Store) -> None:
    await _say(deps, "daily 09:30")
    assert (await _say(deps, "weekly off")).text == (
        "Weekly leaderboard turned off for this channel.")
    await _say(deps, "daily 10:00")
    assert _settings(store).weekly_day is None


async def test_a_weekly_board_set_alone_brings_no_daily_question(deps: Deps,
                                                                 store: Store) -> None:
    notice = await _say(deps, "weekly mon 08:15")
    assert notice.text == "Weekly leaderboard set: mon 08:15 UTC."
    settings = _settings(store)
    assert (settings.weekly_day, settings.weekly_time, settings.daily_time) == (
        0, time(8, 15), None)
    notice = await _say(deps, "daily 09:00")  # a board was asked for already: kept as it is
    assert notice.text == "Daily question set: 09:00 UTC, mon-fri, open for 8h."
    assert _settings(store).weekly_day == 0


async def test_the_daily_question_turned_off_says_so(deps: Deps, store: Store) -> None:
    await _say(deps, "daily 09:00")
    assert (await _say(deps, "daily off")).text == "Daily question turned off for this channel."
    assert _settings(store).daily_time is None


async def test_each_window_is_set_on_its_own(deps: Deps, store: Store) -> None:
    assert (await _say(deps, "window 2h")).text == "Daily questions now stay open for 2h."
    assert (await _say(deps, "window pop 15m")).text == "Pop quizzes now stay open for 15m."
    settings = _settings(store)
    assert (settings.window, settings.pop_window) == (timedelta(hours=2), timedelta(minutes=15))


async def test_topics_are_limited_and_widened_again(deps: Deps, store: Store) -> None:
    notice = await _say(deps, "only lambda,dynamodb")
    assert notice.text == "Questions now come only from: dynamodb, lambda."
    assert _settings(store).topics == {"dynamodb", "lambda"}
    assert (await _say(deps, "only all")).text == "Questions now come from every topic."
    assert _settings(store).topics == frozenset()


async def test_an_unknown_topic_is_named_with_the_known_ones(deps: Deps) -> None:
    with pytest.raises(QuizError) as refused:
        await quiz.handle(deps, HERE, ADMIN, "only lambda,sqs,ec2")
    assert str(refused.value) == ("I don't know the topic ec2, sqs. Known topics: dynamodb, "
                                  "lambda.")


async def test_a_member_who_is_not_an_admin_is_told_who_may_change_settings(
        deps: Deps, store: Store) -> None:
    with pytest.raises(NotAllowed) as refused:
        await quiz.handle(deps, HERE, Who("U1", "ann"), "window 2h")
    assert str(refused.value) == ("Only workspace admins can change the quiz settings. "
                                  "Everyone can use `/quiz settings` to see them.")
    assert store.channels == {}  # refused before anything is stored
