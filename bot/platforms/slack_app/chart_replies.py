"""Stats on Slack with the readiness chart: an image block whose signed link the bot serves."""

from __future__ import annotations

from datetime import datetime

from slack_bolt.async_app import AsyncRespond

from bot.domain.views import StatsView
from bot.platforms.chart_links import ChartLinks
from bot.platforms.slack_app.learning_blocks import chart_block
from bot.platforms.slack_app.replies import reply_for


async def show_stats_with_chart(respond: AsyncRespond, view: StatsView, links: ChartLinks,
                                now: datetime) -> None:
    """The stats, privately, with the chart after the readiness text it repeats."""
    reply = reply_for(view)
    blocks = reply.blocks
    if view.workspace_id is not None and view.member_id is not None:
        url = links.readiness_url(view.workspace_id, view.member_id, now)
        blocks = [*blocks, chart_block(url, view)]
    await respond(text=reply.text, blocks=blocks, response_type="ephemeral")
