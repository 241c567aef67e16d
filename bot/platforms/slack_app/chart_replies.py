"""Stats on Slack with the readiness chart: an image block whose signed link the bot serves."""

from __future__ import annotations

from datetime import datetime

from bot.domain.views import StatsView
from bot.platforms.chart_links import ChartLinks
from bot.platforms.slack_app.learning_blocks import chart_block
from bot.platforms.slack_app.replies import Reply, reply_for


def stats_reply_with_chart(view: StatsView, links: ChartLinks, now: datetime) -> Reply:
    """The stats with the chart after the readiness text it repeats."""
    reply = reply_for(view)
    if view.workspace_id is None or view.member_id is None:
        return reply
    url = links.readiness_url(view.workspace_id, view.member_id, now)
    return Reply(reply.text, [*reply.blocks, chart_block(url, view)])
