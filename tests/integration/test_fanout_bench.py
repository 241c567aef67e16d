"""The fan-out benchmark at a small size, so it keeps running: not timed, but exact."""

from __future__ import annotations

from bench.fanout import Limits, measure, render
from tests.platforms.discord.fake_api import DiscordLimits
from tests.platforms.slack.fake_slack import SlackLimits

# Limits scaled to 50 channels a platform, so that both still have to wait for them.
SMALL = Limits(SlackLimits(per_workspace=5, workspace_burst=1),
               DiscordLimits(global_rate=25, global_burst=5))


async def test_one_and_two_workers_post_every_channel_its_question_exactly_once() -> None:
    report = await measure(50, SMALL, per_workspace=10)

    assert [run.workers for run in report.runs] == [1, 2]
    for run in report.runs:
        for outcome in (run.slack, run.discord):
            assert outcome is not None
            assert (outcome.missing, outcome.doubled) == (0, 0)
            assert outcome.seconds >= outcome.floor
        assert run.unreferenced == 0
    assert "floor" in "\n".join(render(report))
