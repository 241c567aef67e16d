"""Learning views on Discord: readiness in the stats, a review question with its buttons."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.domain.exam import Exam, score
from bot.domain.views import ExamResult
from bot.platforms.discord_bot.exam_components import exam_reply
from tests.platforms.discord import gateway
from tests.platforms.discord.chat import DiscordChat, custom_ids, is_private, text_of
from tests.platforms.discord.gateway import Person, Place, snowflake
from tests.sample import SAMPLE_QUESTIONS


async def test_review_asks_a_missed_question_again_privately_with_its_buttons(
        chat: DiscordChat, place: Place) -> None:
    alice = Person(snowflake(), "Alice")
    assert "Nothing to review" in text_of(await chat.slash(place, alice, "review"))
    shown = await chat.slash(place, alice, "me", topic="dynamodb")
    question = text_of(shown).splitlines()[1]
    for custom_id in custom_ids(shown):  # one of the four is wrong at least once
        verdict = await chat.click(place, alice, shown, custom_id)
        if "❌ Not quite" in text_of(verdict):
            break
        shown = await chat.slash(place, alice, "me", topic="dynamodb")
        question = text_of(shown).splitlines()[1]
    again = await chat.slash(place, alice, "review")
    assert is_private(again) and custom_ids(again)
    assert "🔁 Review: 1 missed question left" in text_of(again)
    assert question in text_of(again)


async def test_stats_show_readiness_by_domain(chat: DiscordChat, place: Place) -> None:
    alice = Person(snowflake(), "Alice")
    stats = await chat.slash(place, alice, "stats")
    assert "Exam readiness (95% interval):" in text_of(stats)
    assert "Not enough answers yet" in text_of(stats)
    assert "Due today: 0 reviews." in text_of(stats)
    # The text stays for screen readers; the chart repeats it.
    assert [a["filename"] for a in stats["attachments"]] == ["readiness.png"]
    assert stats["embeds"][0]["image"]["url"] == "attachment://readiness.png"


async def _submit_modal(chat: DiscordChat, place: Place, who: Person, modal: dict[str, Any],
                        reason: str) -> dict[str, Any]:
    [row] = modal["components"]
    [field] = row["components"]
    data = {"custom_id": modal["custom_id"], "components": [
        {"type": 1, "components": [{"type": 4, "custom_id": field["custom_id"],
                                    "value": reason}]}]}
    payload = gateway.interaction(5, place, who, data)
    gateway.feed(chat.client, "INTERACTION_CREATE", payload)
    answer = await chat.api.reply_to(payload["token"])
    await gateway.settle()
    return answer


async def test_a_verdict_carries_report_a_problem_which_takes_a_one_line_reason(
        chat: DiscordChat, place: Place) -> None:
    alice = Person(snowflake(), "Alice")
    shown = await chat.slash(place, alice, "me", topic="dynamodb")
    verdict = await chat.click(place, alice, shown, custom_ids(shown)[0])
    [report_id] = custom_ids(verdict)
    assert report_id.startswith("report:")
    assert verdict["components"][0]["components"][0]["label"] == "Report a problem"

    modal = await chat.click(place, alice, verdict, report_id)
    assert modal["how"] == 9 and modal["title"] == "Report a problem"
    thanks = await _submit_modal(chat, place, alice, modal, "two choices are both right")
    assert "Thanks: your report is in" in text_of(thanks) and is_private(thanks)
    async with chat.client.deps.uow() as uow:
        [stored] = await uow.reports.open()
    assert stored.reason == "two choices are both right"


def _exam_choice(reply: dict[str, Any], right: bool) -> tuple[str, list[str] | None]:
    """The custom_id to use on an exam question, and the values for a "choose two" select."""
    [embed] = reply["embeds"]
    question = next(q for q in SAMPLE_QUESTIONS if embed["description"].startswith(q.text))
    wanted = {question.choices[i] for i in question.answer}
    lines = [line for line in embed["description"].splitlines() if line[3:7] == ".** "]
    shown = {line[2]: line.split(".** ", 1)[1] for line in lines}
    letters = sorted(k for k, v in shown.items() if (v in wanted) == right)
    letters = letters[: len(question.answer)]
    ids = custom_ids(reply)
    if question.multi:
        return ids[0], letters
    return next(i for i in ids if i.endswith(f":{letters[0]}")), None


async def test_a_mock_exam_comes_as_private_follow_ups_and_survives_a_restart(
        chat: DiscordChat, place: Place) -> None:
    alice = Person(snowflake(), "Alice")
    shown = await chat.slash(place, alice, "exam", size="3")
    assert is_private(shown)
    assert "📝 Mock exam · question 1 of 3 · 6 min left" in text_of(shown)
    for number in range(1, 4):
        if number == 2:
            await chat.restart()  # the buttons of the message shown before still work
        custom_id, values = _exam_choice(shown, right=number != 2)
        if values is None:
            shown = await chat.click(place, alice, shown, custom_id)
        else:
            shown = await chat.pick(place, alice, shown, custom_id, values)
        assert is_private(shown)
    assert "Mock exam finished. 2 of 3 right (67%)" in text_of(shown)
    assert "Missed:" in text_of(shown)


def test_a_long_exam_result_comes_with_the_whole_list_as_a_file() -> None:
    bank = {q.id: q for q in SAMPLE_QUESTIONS}
    ids = tuple(q.id for q in SAMPLE_QUESTIONS) * 16  # 64 questions, none answered
    now = datetime(2027, 3, 26, tzinfo=UTC)
    result = score(Exam(1, 1, 1, ids, (None,) * len(ids), 3, now, now), bank, timed_out=True)
    reply = exam_reply(ExamResult(1, result))
    assert reply.file is not None and reply.file.filename == "mock-exam.txt"
    assert reply.embed is not None and len(reply.embed.description or "") <= 4096
    assert "Every missed question is in mock-exam.txt." in (reply.embed.description or "")
