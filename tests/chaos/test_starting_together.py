"""Machines of one deploy start together: migrations and bank syncs may race, and all win."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import yaml

from tests.chaos.processes import REPO, Bot
from tests.chaos.test_posts_survive_crashes import fresh_database
from tests.platforms.slack.fake_slack import FakeSlack, bot_token


async def migrate(database: str) -> tuple[int, str]:
    """`quizbot migrate` as its own process; its exit code and output."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "migrate", cwd=REPO,
        env={"DATABASE_URL": database, "PATH": "/usr/bin:/bin"},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await process.communicate()
    return process.returncode or 0, out.decode(errors="replace")


def changed_bank(folder: Path) -> Path:
    """The shipped bank with one question reworded and one topic added."""
    bank = folder / "questions"
    shutil.copytree(REPO / "questions", bank)
    lambda_file = bank / "lambda.yaml"
    data = yaml.safe_load(lambda_file.read_text())
    data["questions"][0]["question"] += " (Reworded for this deploy.)"
    lambda_file.write_text(yaml.safe_dump(data, sort_keys=False))
    extra = yaml.safe_load((bank / "ses.yaml").read_text())
    extra["topic"], extra["title"] = "ses-copy", "SES (copy)"
    for question in extra["questions"]:
        question["id"] = f"copy-{question['id']}"
    (bank / "ses-copy.yaml").write_text(yaml.safe_dump(extra, sort_keys=False))
    return bank


async def test_three_migrations_and_three_starts_at_once_with_a_changed_bank_all_succeed(
        tmp_path: Path) -> None:
    slack = FakeSlack()
    slack.add_team("T1", "Acme")
    await slack.start()
    bots: list[Bot] = []
    try:
        async with fresh_database() as database:
            results = await asyncio.gather(*(migrate(database) for _ in range(3)))
            assert [code for code, _ in results] == [0, 0, 0], results
            assert all("Traceback" not in out for _, out in results)

            bank = changed_bank(tmp_path)
            bots = [Bot({"DATABASE_URL": database, "SLACK_BOT_TOKEN": bot_token("T1"),
                         "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": slack.api_url,
                         "QUESTIONS_PATH": str(bank)}, tmp_path / f"bot{n}.log")
                    for n in range(3)]
            for bot in bots:
                bot.start()
            await asyncio.gather(*(bot.ready() for bot in bots))
            assert all("Traceback" not in bot.output() for bot in bots)
    finally:
        for bot in bots:
            bot.stop()
        await slack.close()
