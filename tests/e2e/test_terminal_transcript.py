"""The terminal adapter reads like a chat transcript, on the real services and database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.platforms.terminal import TerminalChat
from tests.sample import SAMPLE_QUESTIONS

REPO = Path(__file__).resolve().parents[2]


def letters_for(question_text: str, shown: str, right: bool) -> str:
    """Read the posted question off the transcript and pick the right (or a wrong) letter."""
    question = next(q for q in SAMPLE_QUESTIONS if q.text in question_text)
    right_texts = {question.choices[i] for i in question.answer}
    lines = [line.strip() for line in shown.splitlines() if line.strip()[1:3] == ") "]
    picked = [line[0] for line in lines if (line[3:] in right_texts) == right]
    return ",".join(picked[: len(question.answer)])


async def test_two_players_one_right_one_wrong_then_the_standings(chat: TerminalChat) -> None:
    await chat.say("/quiz only dynamodb")  # single-answer questions only
    shown = await chat.say("/quiz")
    assert "⚡ Pop quiz · DynamoDB" in shown

    assert "Your answer" in await chat.say(letters_for(shown, shown, right=True))
    assert await chat.say("/as bob") == "You are now bob."
    assert "is in — reveal at 09:09" in await chat.say(letters_for(shown, shown, right=False))
    assert "first answer counts" in await chat.say(letters_for(shown, shown, right=True))

    reveal = await chat.say("/wait 10m")
    assert "— revealed" in reveal
    assert "Right (1 of 2): alice (+5)" in reveal

    board = await chat.say("/quiz leaderboard")
    assert "🥇 alice — 5 pts" in board
    assert "bob" not in board


async def test_a_daily_question_posts_itself_when_its_time_comes(chat: TerminalChat) -> None:
    assert "Daily question set: 09:00 UTC" in await chat.say("/quiz daily 09:00 UTC mon-fri")
    arrived = await chat.say("/wait 1m")
    assert "📅 Daily question" in arrived


async def test_a_daily_question_its_reveal_and_the_weekly_board_arrive_by_themselves(
        chat: TerminalChat) -> None:
    await chat.say("/quiz only dynamodb")
    await chat.say("/quiz daily 09:00 UTC mon-fri")
    await chat.say("/quiz weekly fri 16:00")
    shown = await chat.say("/wait 1m")
    assert "📅 Daily question · DynamoDB" in shown
    await chat.say(letters_for(shown, shown, right=True))
    later = await chat.say("/wait 8h")
    assert "— revealed" in later and "Right (1 of 1): alice (+10)" in later
    assert "🏆 Leaderboard — week 2027-W12\n🥇 alice — 10 pts" in later


async def test_bad_input_gets_a_plain_hint(chat: TerminalChat) -> None:
    assert "is not a time of day" in await chat.say("/quiz daily 25:00")
    assert "no question to answer" in await chat.say("b")
    assert "/quiz help" in await chat.say("hello?")


def test_quizbot_play_runs_a_scripted_game_on_the_shipped_bank(tmp_path: Path) -> None:
    script = "/quiz help\n/quiz\nb\n/as bob\na\n/wait 10m\n/quiz leaderboard\n/quiz stats\n"
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'play.db'}"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "play", "--user", "alice", "--now", "2027-03-26T08:59Z"],
        input=script, capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "⚡ Pop quiz" in result.stdout
    assert "— revealed" in result.stdout
    assert "🏆 Leaderboard — week 2027-W12" in result.stdout
