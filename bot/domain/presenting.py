"""Turn rounds, questions and answers into views (pure)."""

from __future__ import annotations

from bot.domain.errors import CommandError
from bot.domain.model import LETTERS, Answer, Member, Presentation, Question, Round
from bot.domain.views import (
    BoardLine,
    BoardView,
    QuestionView,
    RevealView,
    Winner,
    WinnerLine,
)


def question_view(round_: Round, question: Question, topic_title: str, zone: str) -> QuestionView:
    """The question of a round, with choices in the round's shuffled order."""
    shown = Presentation.shuffled(question, round_.seed)
    return QuestionView(
        round_id=round_.id,
        workspace_id=round_.workspace_id,
        kind=round_.kind,
        topic=question.topic,
        topic_title=topic_title or question.topic,
        difficulty=question.difficulty,
        text=question.text,
        choices=shown.lettered_choices,
        pick=len(question.answer),
        closes_at=round_.closes_at,
        zone=zone,
        opened_at=round_.opened_at,
    )


def reveal_view(view: QuestionView, round_: Round, question: Question,
                answers: list[tuple[Answer, Member]]) -> RevealView:
    """The reveal: right letters, explanation, votes per letter and who got it right."""
    shown = Presentation.shuffled(question, round_.seed)
    votes = dict.fromkeys(shown.letters, 0)
    for answer, _ in answers:
        for letter in shown.letters_for(answer.choices):
            votes[letter] += 1
    winners = [Winner(member.display_name, answer.points, answer.streak)
               for answer, member in answers if answer.correct]
    return RevealView(
        question=view,
        correct=shown.correct_letters,
        explanation=question.explanation,
        votes=list(votes.items()),
        answers=len(answers),
        winners=winners,
    )


def normalize_letters(text: str) -> str:
    """'a, c' or 'CA' → 'AC': upper case, no separators, sorted; a repeated letter is refused."""
    typed = [c for c in text.upper() if c not in " ,;/+&"]
    repeated = sorted({c for c in typed if typed.count(c) > 1})
    if repeated:
        # 'a,a' is a slip, not a choice of A: taking it would score a half-made answer.
        raise CommandError(f"You named {', '.join(repeated)} twice: name each choice once, "
                           "like `a,c`.")
    return "".join(sorted(typed, key=lambda c: (c not in LETTERS, c)))


def board_lines(view: BoardView) -> list[BoardLine]:
    """The rows every platform shows: the top rows, then the asker's own row when below them."""
    lines = [BoardLine(row.rank, row.name, row.points, row.members if view.squads else None)
             for row in view.rows]
    if view.you is not None and all(row.key != view.you.key for row in view.rows):
        lines.append(BoardLine(view.you.rank, view.you.name, view.you.points, None, yours=True))
    return lines


def winner_lines(view: RevealView) -> list[WinnerLine]:
    """Who got it right; a streak is worth showing only once it is above 1."""
    return [WinnerLine(w.name, w.points, w.streak if w.streak > 1 else None)
            for w in view.winners]
