"""A small question bank for tests: known answers, two topics, one multi-answer question."""

from __future__ import annotations

from bot.domain.model import Difficulty, ExamDomain, Question, Topic
from bot.domain.views import QuestionView

SAMPLE_TOPICS = [Topic("dynamodb", "DynamoDB"), Topic("lambda", "Lambda")]


def _q(qid: str, topic: str, domain: ExamDomain, answer: set[int],
       choices: tuple[str, ...] = ("one", "two", "three", "four")) -> Question:
    return Question(id=qid, topic=topic, domain=domain, difficulty=Difficulty.MEDIUM,
                    text=f"Question {qid}?", choices=choices, answer=frozenset(answer),
                    explanation=f"Because of {qid}.")


SAMPLE_QUESTIONS = [
    _q("dynamodb-a", "dynamodb", ExamDomain.DEVELOPMENT, {2}),
    _q("dynamodb-b", "dynamodb", ExamDomain.TROUBLESHOOTING, {0}),
    _q("lambda-a", "lambda", ExamDomain.DEPLOYMENT, {1}),
    _q("lambda-multi", "lambda", ExamDomain.SECURITY, {0, 3},
       ("one", "two", "three", "four", "five")),
]


def _question_of(view: QuestionView) -> Question:
    return next(q for q in SAMPLE_QUESTIONS if q.text == view.text)


def right_letters(view: QuestionView) -> str:
    """The letters of the right choices as this round shows them."""
    question = _question_of(view)
    right = {question.choices[i] for i in question.answer}
    return "".join(letter for letter, text in view.choices if text in right)


def wrong_letters(view: QuestionView) -> str:
    """As many letters as the question wants, but not the right set."""
    question = _question_of(view)
    wrong = [letter for letter, text in view.choices
             if text not in {question.choices[i] for i in question.answer}]
    return "".join(sorted(wrong[: view.pick]))
