"""A newcomer's first hour in the terminal: fresh games, time that passes step by step, answers
that reach the question meant, and plain hints for slips."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console

from bot.platforms.terminal import TerminalChat
from bot.platforms.terminal_app import _printer
from bot.platforms.terminal_input import ERASE_LINE, LineReader
from tests.e2e.test_terminal_transcript import letters_for

REPO = Path(__file__).resolve().parents[2]


def quizbot_play(*args: str, script: str, env: dict[str, str]) -> str:
    """Run `quizbot play` on a script; its transcript."""
    result = subprocess.run([sys.executable, "-m", "bot", "play", *args], input=script,
                            capture_output=True, text=True, cwd=REPO, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_every_quizbot_play_starts_a_fresh_game(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"}
    first = quizbot_play("--now", "2027-03-26T08:59Z", script="/quiz\n", env=env)
    second = quizbot_play("--now", "2027-03-26T08:59Z", script="/quiz\n", env=env)
    assert "⚡ Pop quiz" in first
    assert "⚡ Pop quiz" in second and "already running" not in second


def test_a_kept_game_keeps_its_clock_too(tmp_path: Path) -> None:
    env = dict(os.environ)
    game = str(tmp_path / "game.db")
    start = datetime(2099, 3, 27, 8, 59, tzinfo=UTC)  # far ahead: a saved clock never goes back
    quizbot_play("--db", game, "--now", start.isoformat(), script="/wait 3d\n", env=env)
    resumed = quizbot_play("--db", game, script="/time\n", env=env)
    assert f"🕘 {start + timedelta(days=3):%a %d %b %Y %H:%M} UTC" in resumed


async def test_reset_starts_the_game_over(chat: TerminalChat) -> None:
    await chat.say("/quiz only dynamodb")
    shown = await chat.say("/quiz")
    await chat.say(letters_for(shown, shown, right=True))
    await chat.say("/wait 3d")
    assert "Started over" in await chat.say("/reset")
    assert "🕘 Fri 26 Mar 2027 08:59 UTC" in await chat.say("/time")
    assert "No points yet" in await chat.say("/quiz leaderboard")
    assert "⚡ Pop quiz" in await chat.say("/quiz")


async def test_a_reveal_on_another_day_carries_its_date(chat: TerminalChat) -> None:
    await chat.say("/quiz daily 09:00 UTC daily")
    await chat.say("/quiz window 23h")
    shown = await chat.say("/wait 1m")
    assert "reveal at Sat 27 Mar 08:00 (UTC)" in shown
    answer = letters_for(shown, shown, right=True)
    assert "is in — reveal at Sat 27 Mar 08:00 (UTC)" in await chat.say(answer)


async def test_waiting_days_posts_every_question_and_reveal_in_between_in_order(
        chat: TerminalChat) -> None:
    await chat.say("/quiz weekly off")
    await chat.say("/quiz daily 09:30 UTC mon-fri")
    first = await chat.say("/wait 4d")  # Friday 08:59 to Tuesday 08:59
    later = await chat.say("/wait 3d")  # to Friday 08:59
    assert first.count("📅 Daily question") == 4  # Friday's and Monday's, each posted and revealed
    assert later.count("📅 Daily question") == 6
    instants = re.findall(r"🕘 (\w{3} \d\d \w{3} \d\d:\d\d) UTC", later)
    assert instants == ["Tue 30 Mar 09:30", "Tue 30 Mar 17:30", "Wed 31 Mar 09:30",
                        "Wed 31 Mar 17:30", "Thu 01 Apr 09:30", "Thu 01 Apr 17:30"]
    numbers = re.findall(r"Q(\d+) 📅", later)  # each question posted, then revealed
    assert numbers[0::2] == numbers[1::2] and len(set(numbers)) == 3


def _ignore_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize("started", [None, _ignore_ctrl_c], ids=["plainly", "with-sigint-ignored"])
def test_ctrl_c_quits_quizbot_play_while_it_waits_for_a_line(
        tmp_path: Path, started: Callable[[], None] | None) -> None:
    """However it was started: a child inherits an ignored SIGINT (a shell's background job)."""
    errors = tmp_path / "stderr.txt"
    with errors.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "play", "--now", "2027-03-26T08:59Z"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, text=True,
            cwd=REPO, preexec_fn=started)
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("/time\n")
    process.stdin.flush()
    while "🕘" not in process.stdout.readline():
        pass
    process.send_signal(signal.SIGINT)  # stdin stays open: no Enter, no end of input
    try:
        assert process.wait(timeout=15) == 130
    finally:
        process.kill()
        process.stdin.close()
    assert "Traceback" not in errors.read_text()


async def test_a_bare_answer_goes_to_the_latest_question_shown(chat: TerminalChat) -> None:
    await chat.say("/quiz only dynamodb")
    practice = await chat.say("/quiz me")
    number = re.search(r"Q(\d+) 🎯 Practice", practice)
    pop = await chat.say("/quiz")
    assert "is in — reveal at" in await chat.say(letters_for(pop, pop, right=True))
    assert number is not None
    verdict = await chat.say(f"/answer {number.group(1)} "
                             f"{letters_for(practice, practice, right=True)}")
    assert "✅ Right!" in verdict
    assert "/answer 7 b" in await chat.say("/answer b")


async def test_a_slip_on_a_practice_question_keeps_it_the_one_answered(
        chat: TerminalChat) -> None:
    await chat.say("/quiz only dynamodb")
    await chat.say("/quiz")
    practice = await chat.say("/quiz me")
    assert "named A twice" in await chat.say("a,a")
    assert "✅ Right!" in await chat.say(letters_for(practice, practice, right=True))


async def test_practice_keeps_to_the_channels_topics(chat: TerminalChat) -> None:
    await chat.say("/quiz only lambda")
    shown = [await chat.say("/quiz me") for _ in range(8)]
    assert all("🎯 Practice · Lambda" in text for text in shown)


@pytest.mark.parametrize(("line", "hint"), [
    ("a,a", "named A twice"),
    ("/quiz stats @bob @carol", "Name one member at a time"),
    ("/quiz daily 09:00 UTC sat-mon", "09:00 UTC, sat-mon"),
    ("/quiz daily 09:00 europe/berlin", "Daily question set: 09:00 Europe/Berlin"),
    ("/as " + "x" * 10_000, "keep it to 80"),
])
async def test_a_slip_gets_a_plain_hint(chat: TerminalChat, line: str, hint: str) -> None:
    await chat.say("/quiz only dynamodb")
    await chat.say("/quiz")
    assert hint in await chat.say(line)


async def test_a_reveal_goes_above_a_half_typed_line() -> None:
    screen = io.StringIO()
    reader = LineReader(io.StringIO(), interactive=True)
    reader.waiting_prompt = "alice@#general> "
    reader.typed = lambda: "b,"  # type: ignore[method-assign]
    _printer(Console(file=screen), reader)("Q1 ⚡ Pop quiz — revealed")
    assert screen.getvalue() == f"{ERASE_LINE}Q1 ⚡ Pop quiz — revealed\nalice@#general> b,"
