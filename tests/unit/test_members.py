"""Members on the fakes: a display name looked up after an answer, a member's readiness by id."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.model import Where, Who
from bot.domain.views import PopPosted
from bot.services import quiz
from bot.services.answering import rename_member
from bot.services.readiness import member_readiness
from tests.sample import SAMPLE_QUESTIONS, right_letters
from tests.unit.fake_deps import deps_on
from tests.unit.fakes import Store

HERE = Where("slack", "T1", "C1", "Acme", "general")
ELSEWHERE = Where("slack", "T2", "C1", "Other", "general")
ANN = Who("U1", "ann")
START = datetime(2027, 3, 26, 9, 0, tzinfo=UTC)


async def test_a_known_member_is_renamed_to_the_name_the_platform_gives() -> None:
    store = Store()
    deps = await deps_on(store, START)
    await quiz.handle(deps, HERE, ANN, "topics")
    await rename_member(deps, HERE, Who("U1", "Ann Lee"))
    assert [(m.external_id, m.display_name) for m in store.members.values()] == [
        ("U1", "Ann Lee")]


async def test_renaming_creates_no_member_that_never_played_nor_any_workspace() -> None:
    store = Store()
    deps = await deps_on(store, START)
    await quiz.handle(deps, HERE, ANN, "topics")
    await rename_member(deps, HERE, Who("U2", "bob"))
    await rename_member(deps, ELSEWHERE, Who("U1", "Ann Lee"))
    assert [m.display_name for m in store.members.values()] == ["ann"]
    assert [w.external_id for w in store.workspaces.values()] == ["T1"]


async def test_a_member_s_readiness_is_theirs_and_only_within_their_workspace() -> None:
    store = Store()
    deps = await deps_on(store, START)
    posted = await quiz.handle(deps, HERE, Who("U0", "host"), "now")
    assert isinstance(posted, PopPosted)
    await quiz.answer(deps, HERE, ANN, posted.question.round_id, right_letters(posted.question))
    await quiz.handle(deps, ELSEWHERE, ANN, "topics")
    [ann, elsewhere] = [m for m in store.members.values() if m.external_id == "U1"]
    domain = next(q.domain for q in SAMPLE_QUESTIONS if q.text == posted.question.text)

    found = await member_readiness(deps, ann.workspace_id, ann.id)

    assert found is not None
    name, seen = found
    assert name == "ann"
    assert [(d.domain, d.correct, d.total) for d in seen.domains if d.total] == [(domain, 1, 1)]
    assert await member_readiness(deps, ann.workspace_id, elsewhere.id) is None
    assert await member_readiness(deps, ann.workspace_id, 999) is None


async def test_a_click_by_a_known_member_keeps_the_name_looked_up_for_them() -> None:
    store = Store()
    deps = await deps_on(store, START)
    posted = await quiz.handle(deps, HERE, Who("U0", "host"), "now")
    assert isinstance(posted, PopPosted)
    await quiz.handle(deps, HERE, ANN, "topics")
    await rename_member(deps, HERE, Who("U1", "Ann Lee"))
    await quiz.answer(deps, HERE, ANN, posted.question.round_id, right_letters(posted.question))
    assert [m.display_name for m in store.members.values() if m.external_id == "U1"] == [
        "Ann Lee"]
