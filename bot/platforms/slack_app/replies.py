"""Which Slack message answers a view: its fallback text, its blocks, and who sees it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.views import (
    BoardView,
    ExamQuestion,
    ExamResult,
    HelpView,
    Notice,
    QuestionView,
    RevealView,
    ReviewQuestion,
    SettingsView,
    StatsView,
    TopicsView,
    Verdict,
    View,
)
from bot.platforms.render_text import render
from bot.platforms.slack_app.blocks import (
    Block,
    escape,
    mrkdwn,
    question_blocks,
    reveal_blocks,
    verdict_blocks,
)
from bot.platforms.slack_app.exam_blocks import exam_question_blocks, exam_result_blocks
from bot.platforms.slack_app.learning_blocks import review_blocks
from bot.platforms.slack_app.panels import (
    board_blocks,
    help_blocks,
    settings_blocks,
    stats_blocks,
    topics_blocks,
)

APOLOGY = "Sorry, something went wrong on my side and nothing was changed. Please try again."


@dataclass(frozen=True)
class Reply:
    """A message: `text` is the notification and screen-reader fallback of the blocks."""

    text: str
    blocks: list[Block]
    in_channel: bool = False


def reply_for(view: View) -> Reply:
    """The message that shows a view; everything is private unless the view says otherwise."""
    raw = render(view)
    text = escape(raw)
    match view:
        case QuestionView():
            return Reply(text, question_blocks(view))
        case ReviewQuestion():
            return Reply(text, review_blocks(view))
        case ExamQuestion():
            return Reply(text, exam_question_blocks(view))
        case ExamResult():
            return Reply(text, exam_result_blocks(view.score))
        case RevealView():
            return Reply(text, reveal_blocks(view))
        case Verdict():
            return Reply(text, verdict_blocks(view))
        case BoardView():
            return Reply(text, board_blocks(view))
        case StatsView():
            return Reply(text, stats_blocks(view))
        case SettingsView():
            return Reply(text, settings_blocks(view))
        case TopicsView():
            return Reply(text, topics_blocks(view))
        case HelpView():
            return Reply(text, help_blocks(view))
        case Notice(private=private):
            return Reply(text, [mrkdwn(raw)], in_channel=not private)
    return Reply(text, [mrkdwn(raw)])
