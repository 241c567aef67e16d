"""Mock exam questions and results as Block Kit, for the bot's direct messages."""

from __future__ import annotations

from bot.domain.exam import ExamScore
from bot.domain.views import ExamQuestion
from bot.platforms.render_learning import (
    exam_header,
    exam_pick_hint,
    exam_summary,
    unanswered_line,
)
from bot.platforms.slack_app.blocks import OPTION_LIMIT, SECTION_LIMIT, Block, context, mrkdwn

EXAM_ANSWER = "exam_answer"  # one button per letter: exam_answer_A, …
EXAM_PICK = "exam_pick"
EXAM_SUBMIT = "exam_submit"
MAX_BLOCKS = 50  # Slack refuses a message with more


def exam_value(exam_id: int, number: int, letters: str) -> str:
    """What an exam button carries: the exam, the question number and the letters."""
    return f"exam:{exam_id}:{number}:{letters}"


def parse_exam_value(value: str) -> tuple[int, int, str] | None:
    """(exam, number, letters) of an exam button's value, or None when it is not ours."""
    prefix, _, rest = value.partition(":")
    exam, _, rest = rest.partition(":")
    number, _, letters = rest.partition(":")
    if prefix != "exam" or not exam.isdigit() or not number.isdigit() or len(exam) > 9:
        return None
    return int(exam), int(number), letters


def _buttons(view: ExamQuestion) -> Block:
    if view.pick > 1:
        options = [{"text": {"type": "plain_text", "text": f"{letter}) {text}"[:OPTION_LIMIT]},
                    "value": letter} for letter, text in view.choices]
        elements: list[Block] = [
            {"type": "checkboxes", "action_id": EXAM_PICK, "options": options},
            {"type": "button", "action_id": EXAM_SUBMIT, "style": "primary",
             "text": {"type": "plain_text", "text": "Submit"},
             "value": exam_value(view.exam_id, view.number, "")}]
    else:
        elements = [{"type": "button", "action_id": f"{EXAM_ANSWER}_{letter}",
                     "text": {"type": "plain_text", "text": letter},
                     "value": exam_value(view.exam_id, view.number, letter)}
                    for letter in view.letters]
    return {"type": "actions", "block_id": f"exam_{view.exam_id}_{view.number}",
            "elements": elements}


def exam_question_blocks(view: ExamQuestion) -> list[Block]:
    """One exam question with its buttons; the results come at the end."""
    choices = "\n".join(f"*{letter})* {text}" for letter, text in view.choices)
    hint = " ".join(filter(None, [exam_pick_hint(view), "No feedback until the end."]))
    return [context(f"*{exam_header(view)}*"), mrkdwn(view.text), mrkdwn(choices),
            context(hint), _buttons(view)]


def exam_result_blocks(result: ExamScore) -> list[Block]:
    """The score, the domains, then each miss with its answer and explanation."""
    domains = "\n".join(f"*{d.label}:* {right}/{total}" for d, right, total in result.by_domain)
    blocks = [mrkdwn(f"📝 *Mock exam finished.* {exam_summary(result)}"),
              mrkdwn(f"*By domain*\n{domains}")]
    if result.answered < result.size:
        blocks.append(context(unanswered_line(result)))
    chunk = ""
    for miss in result.missed:
        yours = f"you said {miss.yours}" if miss.yours else "not answered"
        answer = "; ".join(f"{letter}) {text}" for letter, text in miss.correct)
        entry = f"*{miss.number}.* {miss.text}\n_{yours}_ · *{answer}*\n{miss.explanation}\n\n"
        if chunk and len(chunk) + len(entry) > SECTION_LIMIT:
            blocks.append(mrkdwn(chunk.strip()))
            chunk = ""
        chunk += entry
    if chunk:
        blocks.append(mrkdwn(chunk.strip()))
    if len(blocks) > MAX_BLOCKS:
        blocks = [*blocks[: MAX_BLOCKS - 1], context("… the rest did not fit in one message.")]
    return blocks
