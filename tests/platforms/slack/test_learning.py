"""Learning views in Slack: readiness in the stats, a review question with its buttons."""

from __future__ import annotations

from bot.domain.views import QuestionView
from tests.platforms.slack.conftest import ALICE, SlackRig
from tests.platforms.slack.deliveries import question_in
from tests.platforms.slack.test_commands import reply
from tests.sample import right_letters, wrong_letters


async def _answer(rig: SlackRig, question: QuestionView, letters: str) -> None:
    _, click = await rig.send.click(ALICE, question, letters, ephemeral=True)
    await rig.fake.wait_until(lambda: bool(rig.fake.responses_to(click)))


async def test_stats_show_readiness_by_domain_and_the_reviews_due(installed: SlackRig) -> None:
    shown = await reply(installed, ALICE, "me lambda")
    await _answer(installed, question_in(shown["blocks"]),  # type: ignore[arg-type]
                  wrong_letters(question_in(shown["blocks"])))  # type: ignore[arg-type]
    stats = str((await reply(installed, ALICE, "stats"))["blocks"])
    assert "*Exam readiness* (95% interval)" in stats
    assert "Not enough answers yet" in stats
    assert "Due today: 1 review" in stats


async def test_review_asks_a_missed_question_again_privately_with_its_buttons(
        installed: SlackRig) -> None:
    nothing = await reply(installed, ALICE, "review")
    assert "Nothing to review" in str(nothing["text"])
    shown = await reply(installed, ALICE, "me dynamodb")
    missed = question_in(shown["blocks"])  # type: ignore[arg-type]
    await _answer(installed, missed, wrong_letters(missed))

    again = await reply(installed, ALICE, "review")
    assert again["response_type"] == "ephemeral"
    blocks = again["blocks"]
    assert "🔁 Review: 1 missed question left" in str(blocks[0])  # type: ignore[index]
    question = question_in(blocks[1:])  # type: ignore[index]
    assert question.text == missed.text
    await _answer(installed, question, right_letters(question))
    assert "Nothing to review" in str((await reply(installed, ALICE, "review"))["text"])
