"""Questions, answers and reveals as Block Kit: what a round looks like in a channel."""

from __future__ import annotations

from typing import Any

from bot.domain.model import RoundKind
from bot.domain.presenting import winner_lines
from bot.domain.views import QuestionView, Receipt, RevealView, Verdict
from bot.platforms.render_text import bar, header, pick_hint, render, reveal_time

Block = dict[str, Any]
ANSWER_ACTION = "answer"  # one button per letter: answer_A, answer_B, …
PICK_ACTION = "pick"  # the checkboxes of a "choose two" question
SUBMIT_ACTION = "answer_submit"
REPORT_ACTION = "report_problem"
SECTION_LIMIT = 3000  # Slack refuses longer section texts
OPTION_LIMIT = 75  # and longer checkbox labels


def escape(text: str) -> str:
    """Slack reads &, < and > in message text as markup; our texts mean them literally
    (`home/<user name>/` in a policy example must not become a link)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn(text: str) -> Block:
    """A section of Slack markdown, escaped and cut to the length Slack accepts."""
    text = escape(text)
    if len(text) > SECTION_LIMIT:
        text = text[: SECTION_LIMIT - 1] + "…"
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def context(text: str) -> Block:
    """A small grey line."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(text)}]}


def answer_value(round_id: int, letters: str) -> str:
    """What a button carries: the round and the letters; the services check both."""
    return f"{round_id}:{letters}"


def parse_answer_value(value: str) -> tuple[int, str] | None:
    """The (round id, letters) of a button's value, or None when it is not ours."""
    round_text, _, letters = value.partition(":")
    if not (round_text.isascii() and round_text.isdigit()):
        return None
    return int(round_text), letters


def _choices(view: QuestionView) -> Block:
    return mrkdwn("\n".join(f"*{letter})* {text}" for letter, text in view.choices))


def _closing_line(view: QuestionView) -> str:
    hint = pick_hint(view)
    if view.kind is RoundKind.PRACTICE:
        return " ".join(filter(None, [hint, "Only you can see this; you get the answer at once."]))
    when = f"Reveal at {reveal_time(view)} ({view.zone}). One answer each."
    return " ".join(filter(None, [hint, when]))


def _buttons(view: QuestionView) -> Block:
    if view.pick > 1:
        options = [{"text": {"type": "plain_text", "text": f"{letter}) {text}"[:OPTION_LIMIT]},
                    "value": letter} for letter, text in view.choices]
        elements: list[Block] = [
            {"type": "checkboxes", "action_id": PICK_ACTION, "options": options},
            {"type": "button", "action_id": SUBMIT_ACTION, "style": "primary",
             "text": {"type": "plain_text", "text": "Submit"},
             "value": answer_value(view.round_id, "")},
        ]
    else:
        elements = [{"type": "button", "action_id": f"{ANSWER_ACTION}_{letter}",
                     "text": {"type": "plain_text", "text": letter},
                     "value": answer_value(view.round_id, letter)} for letter in view.letters]
    return {"type": "actions", "block_id": f"round_{view.round_id}", "elements": elements}


def question_blocks(view: QuestionView) -> list[Block]:
    """The question with its topic, difficulty, lettered choices and answer buttons."""
    return [context(f"*{header(view)}*"), mrkdwn(view.text), _choices(view),
            context(_closing_line(view)), _buttons(view)]


def _vote_lines(view: RevealView) -> str:
    lines = []
    for letter, count in view.votes:
        mark = " ✅" if letter in view.correct else ""
        lines.append(f"`{letter} {bar(count, view.answers)}` {count}{mark}")
    return "\n".join(lines)


def _winners_line(view: RevealView) -> str:
    winners = winner_lines(view)
    if not winners:
        return f"Nobody got it this time ({view.answers} answered)."
    names = ", ".join(f"*{w.name}* (+{w.points}" + (f", 🔥 {w.streak}" if w.streak else "")
                      + ")" for w in winners)
    return f"🎉 Right ({len(winners)} of {view.answers}): {names}"


def reveal_blocks(view: RevealView) -> list[Block]:
    """The question as revealed: right choice, explanation, vote split, who got it right."""
    question = view.question
    correct = "\n".join(f"*{letter})* {text}" for letter, text in question.choices
                        if letter in view.correct)
    return [context(f"*{header(question)}* — revealed"), mrkdwn(question.text),
            _choices(question), mrkdwn(f"✅ *Answer*\n{correct}"), mrkdwn(view.explanation),
            mrkdwn(f"*Votes*\n{_vote_lines(view)}"), mrkdwn(_winners_line(view)),
            report_block(question.round_id)]


def report_block(round_id: int) -> Block:
    """The "Report a problem" button under a reveal or a verdict; it opens a one-line modal."""
    return {"type": "actions", "block_id": f"report_{round_id}", "elements": [
        {"type": "button", "action_id": REPORT_ACTION, "value": str(round_id),
         "text": {"type": "plain_text", "text": "⚠️ Report a problem", "emoji": True}}]}


def receipt_text(view: Receipt) -> str:
    """The private confirmation of an answer."""
    return render(view)


def verdict_blocks(view: Verdict) -> list[Block]:
    """A practice question answered: the verdict and the explanation, in place of the buttons."""
    question = view.question
    return [context(f"*{header(question)}*"), mrkdwn(question.text), _choices(question),
            mrkdwn(render(view)), report_block(question.round_id)]
