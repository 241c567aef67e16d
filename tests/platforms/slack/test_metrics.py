"""What Slack does to the bot shows in its metrics: how fast it answers, and every 429."""

from __future__ import annotations

from tests.platforms.slack.conftest import ALICE, SlackRig


async def test_a_command_is_timed_and_a_429_is_counted(installed: SlackRig) -> None:
    fake, send = installed.fake, installed.send
    fake.throttle("chat.postMessage", retry_after=1)
    await send.command(ALICE, "now")
    await fake.wait_until(lambda: len(fake.to("chat.postMessage")) == 2)
    text = installed.platform.runtime.metrics.render().decode()
    assert 'quizbot_rate_limited_total{platform="slack"} 1.0' in text
    answered = next(line for line in text.splitlines()
                    if line.startswith('quizbot_reply_seconds_count{platform="slack"}'))
    assert float(answered.split()[-1]) >= 1
