"""Learning in the terminal: a review session, readiness in the stats."""

from __future__ import annotations

from bot.platforms.terminal import TerminalChat
from tests.e2e.test_terminal_transcript import letters_for


async def _practise(chat: TerminalChat, right: bool) -> str:
    shown = await chat.say("/quiz me")
    verdict = await chat.say(letters_for(shown, shown, right=right))
    assert ("✅ Right!" if right else "❌ Not quite") in verdict
    return shown


async def test_a_review_session_asks_the_misses_latest_first_until_each_is_put_right(
        chat: TerminalChat) -> None:
    assert "Nothing to review" in await chat.say("/quiz review")
    first_miss = await _practise(chat, right=False)
    await chat.say("/wait 1m")
    second_miss = await _practise(chat, right=False)
    await _practise(chat, right=True)

    shown = await chat.say("/quiz review")
    assert "🔁 Review: 2 missed questions left, the latest first." in shown
    assert _question_line(second_miss) in shown
    assert "❌ Not quite" in await chat.say(letters_for(shown, shown, right=False))

    shown = await chat.say("/quiz review")  # still missed, still the latest
    assert "2 missed questions left" in shown and _question_line(second_miss) in shown
    assert "✅ Right!" in await chat.say(letters_for(shown, shown, right=True))

    shown = await chat.say("/quiz review")
    assert "🔁 Review: 1 missed question left" in shown
    assert _question_line(first_miss) in shown
    await chat.say(letters_for(shown, shown, right=True))

    assert "Nothing to review" in await chat.say("/quiz review")


async def test_stats_show_readiness_and_the_reviews_due_today(chat: TerminalChat) -> None:
    await _practise(chat, right=False)
    stats = await chat.say("/quiz stats")
    assert "Exam readiness (95% interval):" in stats
    assert "no answers yet" in stats
    assert "Not enough answers yet: 10 in each domain are needed" in stats
    assert "Due today: 1 review" in stats


async def test_help_lists_the_learning_commands(chat: TerminalChat) -> None:
    shown = await chat.say("/quiz help")
    assert "/quiz review" in shown


def _question_line(shown: str) -> str:
    return next(line for line in shown.splitlines() if line.startswith("Question "))


async def test_three_reports_hold_a_question_back_until_it_is_cleared(
        chat: TerminalChat) -> None:
    await chat.say("/quiz only dynamodb")
    shown = await chat.say("/quiz")
    number = shown.split("] Q", 1)[1].split(" ", 1)[0]
    reported = _question_line(shown)
    for name in ("ann", "ben", "cat"):
        await chat.say(f"/as {name}")
        said = await chat.say(f"/report {number} the key should be the other choice")
        assert said.startswith("Thanks: your report is in")
    assert "held back from new rounds" in said
    reveal = await chat.say("/wait 10m")
    assert f"⚠️ Something wrong with Q{number}? `/report {number} what is wrong`" in reveal
    for _ in range(4):
        practice = await chat.say("/quiz me")
        assert reported not in practice
        await chat.say(letters_for(practice, practice, right=True))
    assert "Use `/report 7 the answer should be C`" in await chat.say("/report seven oops")
