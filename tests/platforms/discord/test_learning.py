"""Learning views on Discord: readiness in the stats, a review question with its buttons."""

from __future__ import annotations

from tests.platforms.discord.chat import DiscordChat, custom_ids, is_private, text_of
from tests.platforms.discord.gateway import Person, Place, snowflake


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
