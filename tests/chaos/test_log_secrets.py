"""At DEBUG, with every library logging what it sends and receives, an OAuth install and a
Discord login leave no token, client secret or OAuth code in the log; each line is JSON."""

from __future__ import annotations

import json
import re
import signal
from pathlib import Path

import aiohttp

from tests.chaos.processes import Bot
from tests.platforms.discord.fake_api import FakeDiscord
from tests.platforms.slack.fake_slack import FakeSlack, bot_token

CLIENT_SECRET = "client-secret-5d1f0c9a"
SIGNING_SECRET = "signing-secret-77ab31"
DISCORD_TOKEN = "MTA0.discord-token.6c2e9f1b"


async def install(bot: Bot, team: str) -> int:
    """Click "Add to Slack", come back through Slack's redirect with a code; the status."""
    base = f"http://127.0.0.1:{bot.port}"
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base}/slack/install") as start:
            state = re.search(r"state=([\w-]+)", await start.text())
        assert state is not None
        async with http.get(f"{base}/slack/oauth_redirect",
                            params={"code": f"code-{team}", "state": state[1]},
                            headers={"Cookie": f"slack-app-oauth-state={state[1]}"}) as done:
            return done.status


async def test_an_oauth_install_and_a_discord_login_at_debug_log_no_secret(
        tmp_path: Path) -> None:
    slack, discord = FakeSlack(), FakeDiscord()
    slack.add_team("T1", "Acme")
    await slack.start()
    await discord.start()
    bot = Bot({"DATABASE_URL": f"sqlite:///{tmp_path / 'q.db'}", "LOG_LEVEL": "DEBUG",
               "SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": CLIENT_SECRET,
               "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": slack.api_url,
               "DISCORD_TOKEN": DISCORD_TOKEN, "DISCORD_API_URL": discord.url,
               "DISCORD_GATEWAY_URL": discord.gateway_url}, tmp_path / "bot.log")
    bot.start()
    try:
        await bot.ready()
        await discord.wait_for(lambda: discord.to("WS", "gateway/op2"), timeout=30)
        assert await install(bot, "T1") == 200
        assert slack.to("oauth.v2.access"), "the install reached Slack"
        bot.signal(signal.SIGTERM)
        assert await bot.exited(timeout=15) == 0
    finally:
        bot.stop()
        await discord.close()
        await slack.close()
    log = bot.output()
    assert "Received the following response" in log, "slack_sdk did log at DEBUG"
    for secret in (CLIENT_SECRET, SIGNING_SECRET, DISCORD_TOKEN, bot_token("T1"), "code-T1"):
        assert secret not in log, f"{secret} is in the log"
    lines = log.splitlines()
    assert all(json.loads(line)["message"] is not None for line in lines)
    access = [json.loads(line) for line in lines if json.loads(line)["logger"] == "aiohttp.access"]
    assert any("/slack/oauth_redirect" in a["message"] for a in access)
    assert not any("/healthz" in a["message"] for a in access), "no line per health check"
    assert all(a.get("request_id") for a in access)
