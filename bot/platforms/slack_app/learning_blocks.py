"""Readiness, reviews and other learning views as Block Kit."""

from __future__ import annotations

from bot.domain.views import ReviewQuestion, StatsView
from bot.platforms.render_learning import due_line, readiness_rows, review_line, score_line
from bot.platforms.slack_app.blocks import Block, context, mrkdwn, question_blocks


def readiness_blocks(view: StatsView) -> list[Block]:
    """Accuracy per exam domain with its interval, the estimated score, the day's reviews."""
    if view.readiness is None:
        return []
    rows = "\n".join(f"*{label}:* {value}" for label, value in readiness_rows(view.readiness))
    return [mrkdwn(f"*Exam readiness* (95% interval)\n{rows}"),
            mrkdwn(f"🎯 {score_line(view.readiness)}"),
            context(due_line(view.due_today))]


def review_blocks(view: ReviewQuestion) -> list[Block]:
    """A missed question asked again, with its answer buttons and how many misses are left."""
    return [context(review_line(view.left)), *question_blocks(view.question)]


def chart_block(url: str, view: StatsView) -> Block:
    """The readiness chart as an image; its alt text says what the chart shows."""
    alt = score_line(view.readiness) if view.readiness is not None else "Exam readiness"
    return {"type": "image", "image_url": url, "alt_text": f"Exam readiness chart. {alt}"[:2000]}
