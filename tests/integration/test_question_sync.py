"""Syncing the bank: upsert by id, new hash on change, retire what disappeared."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.adapters.question_files import content_hash
from bot.domain.errors import RoundClosed
from bot.domain.model import Where, Who
from bot.services import quiz
from bot.services.bank import sync_bank
from bot.services.deps import Deps
from tests.sample import SAMPLE_QUESTIONS, SAMPLE_TOPICS


def hashed(questions: list) -> list:  # type: ignore[type-arg]
    return [(q, content_hash(q)) for q in questions]


async def test_a_second_sync_of_the_same_bank_changes_nothing(deps: Deps) -> None:
    report = await sync_bank(deps.uow, SAMPLE_TOPICS, hashed(SAMPLE_QUESTIONS))
    assert (report.added, report.updated, report.retired) == (0, 0, 0)
    assert report.unchanged == len(SAMPLE_QUESTIONS)


async def test_a_changed_question_is_updated_and_a_missing_one_retired(deps: Deps) -> None:
    changed = replace(SAMPLE_QUESTIONS[0], explanation="A better explanation.")
    report = await sync_bank(deps.uow, SAMPLE_TOPICS, hashed([changed, *SAMPLE_QUESTIONS[1:3]]))
    assert (report.added, report.updated, report.retired) == (0, 1, 1)
    async with deps.uow() as uow:
        retired = await uow.questions.get(SAMPLE_QUESTIONS[3].id)
        kept = await uow.questions.get(changed.id)
    assert retired is not None and retired.retired
    assert kept is not None and kept.explanation == "A better explanation."


async def test_a_retired_question_keeps_its_history_but_takes_no_answers(deps: Deps) -> None:
    here, alice = Where("slack", "T1", "C1"), Who("U1", "alice")
    posted = await quiz.handle(deps, here, alice, "now")
    await sync_bank(deps.uow, SAMPLE_TOPICS, [])
    with pytest.raises(RoundClosed, match="retired"):
        await quiz.answer(deps, here, alice, posted.question.round_id,  # type: ignore[union-attr]
                          "a")
