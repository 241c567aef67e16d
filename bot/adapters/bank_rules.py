"""The rules a bank must meet: per question (key length, verified, source) and bank-wide shape."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from bot.adapters.question_files import Bank, Origin, Problem
from bot.domain.model import ExamDomain, Question

EXAM_WEIGHTS = {ExamDomain.DEVELOPMENT: 32, ExamDomain.SECURITY: 26,
                ExamDomain.DEPLOYMENT: 24, ExamDomain.TROUBLESHOOTING: 18}
WEIGHT_TOLERANCE = 3  # percentage points
MIN_TOTAL = 450
MIN_PER_SECTION = 6
MIN_MULTI_SHARE = 0.15
MIN_MULTI_CHOICES = 5
# A key much longer than every distractor gives itself away; so does a bank where the key is
# usually the longest choice (chance is 1 in 4 for four choices, 2 in 5 for "choose two").
MAX_KEY_RATIO = Fraction(13, 10)
MAX_KEY_LONGEST_PERCENT = {"single-answer": 30, "multi-answer": 45}
# The opposite tell: a bank that never lets the key be the longest, or often makes it the
# shortest, teaches "skip the longest, pick the shortest". Single-answer questions only.
MIN_KEY_LONGEST_PERCENT = 15
MAX_KEY_SHORTEST_PERCENT = 30
SECTIONS = ("ec2", "ebs", "monitoring", "networking", "s3", "rds", "aurora", "dynamodb",
            "elasticache", "iam", "cognito-sts", "kms", "cloudformation-sam",
            "elastic-beanstalk", "sqs", "sns", "ses", "kinesis", "api-gateway", "lambda",
            "xray", "codepipeline", "codecommit", "codebuild", "codedeploy", "ecs")
# DVA-C02 topics the study notes predate, with the questions each must have.
BEYOND_THE_NOTES = {
    "eventbridge": 8, "step-functions": 8, "secrets-parameters": 8, "appconfig": 8,
    "sam-cdk": 8, "observability-otel": 8, "lambda-snapstart-streaming": 4,
    "powertools-lambda": 4, "resilience": 4, "amazon-q-developer": 4,
}
GROUPS = {
    "dynamodb": ("dynamodb",), "lambda": ("lambda",), "s3": ("s3",),
    "messaging": ("sqs", "sns", "ses", "kinesis"),
    "security": ("iam", "cognito-sts", "kms"),
    "deployment services": ("cloudformation-sam", "elastic-beanstalk", "codepipeline",
                            "codecommit", "codebuild", "codedeploy"),
}
MIN_PER_GROUP = 15


@dataclass(frozen=True)
class Rule:
    """One bank-wide rule and whether the bank meets it."""

    name: str
    actual: str
    met: bool


def _lengths(question: Question) -> tuple[int, int]:
    keys = [len(c) for i, c in enumerate(question.choices) if i in question.answer]
    distractors = [len(c) for i, c in enumerate(question.choices) if i not in question.answer]
    return max(keys), max(distractors, default=0) or 1  # files refuse empty choices


def key_too_long(question: Question) -> bool:
    """True when a key is more than MAX_KEY_RATIO times as long as the longest distractor."""
    key, distractor = _lengths(question)
    return Fraction(key, distractor) > MAX_KEY_RATIO


def key_is_longest(question: Question) -> bool:
    """True when a key is longer than every distractor, so picking the longest choice wins."""
    key, distractor = _lengths(question)
    return key > distractor


def key_is_shortest(question: Question) -> bool:
    """True when every key is shorter than every distractor; a tie does not count."""
    keys = [len(c) for i, c in enumerate(question.choices) if i in question.answer]
    distractors = [len(c) for i, c in enumerate(question.choices) if i not in question.answer]
    return bool(distractors) and max(keys) < min(distractors)


def question_problems(bank: Bank) -> list[Problem]:
    """Each break of a per-question rule, naming the file, the question id and the field."""
    problems = []
    for question in bank.questions:
        origin = bank.origins.get(question.id, Origin(""))
        if key_too_long(question):
            key, distractor = _lengths(question)
            problems.append(Problem(
                origin.file, question.id, "choices",
                f"the key has {key} characters, the longest distractor {distractor} "
                f"({key / distractor:.2f}×, at most {float(MAX_KEY_RATIO)}×): "
                "make the distractors as detailed as the key"))
        if not origin.verified:
            problems.append(Problem(origin.file, question.id, "verified",
                                    "missing: the month its facts were last checked against "
                                    "AWS documentation, YYYY-MM"))
        if not origin.source:
            problems.append(Problem(origin.file, question.id, "source",
                                    "missing: the https address of the AWS documentation page "
                                    "that settles it"))
    return problems


def check(bank: Bank) -> list[Rule]:
    """Every bank-wide rule, met or not, for the live questions of a bank."""
    live = [q for q in bank.questions if not q.retired]
    return [*_size_and_mix(live), *_key_length(live), *_provenance(bank, live),
            *_coverage(live)]


def _size_and_mix(live: list[Question]) -> list[Rule]:
    total = len(live)
    domains = Counter(q.domain for q in live)
    multi = [q for q in live if q.multi]
    rules = [Rule(f"at least {MIN_TOTAL} questions", str(total), total >= MIN_TOTAL)]
    for domain, weight in EXAM_WEIGHTS.items():
        share = 100 * domains[domain] / total if total else 0.0
        rules.append(Rule(f"{domain.label}: {weight}% ± {WEIGHT_TOLERANCE}", f"{share:.1f}%",
                          abs(share - weight) <= WEIGHT_TOLERANCE))
    share = len(multi) / total if total else 0.0
    rules.append(Rule(f"multiple response ≥ {MIN_MULTI_SHARE:.0%}", f"{share:.1%}",
                      share >= MIN_MULTI_SHARE))
    thin = [q.id for q in multi if len(q.choices) < MIN_MULTI_CHOICES]
    rules.append(Rule(f"multiple response has ≥ {MIN_MULTI_CHOICES} choices",
                      ", ".join(thin) or "all", not thin))
    return rules


def _key_length(live: list[Question]) -> list[Rule]:
    over = sum(key_too_long(q) for q in live)
    rules = [Rule(f"no key longer than {float(MAX_KEY_RATIO)}× the longest distractor",
                  f"{over} longer", not over)]
    for kind, limit in MAX_KEY_LONGEST_PERCENT.items():
        asked = [q for q in live if q.multi == (kind == "multi-answer")]
        longest = sum(key_is_longest(q) for q in asked)
        share = 100 * longest / len(asked) if asked else 0.0
        rules.append(Rule(f"key is the longest choice in ≤ {limit}% of {kind}",
                          f"{share:.0f}% ({longest}/{len(asked)})",
                          100 * longest <= limit * len(asked)))
    singles = [q for q in live if not q.multi]
    longest = sum(key_is_longest(q) for q in singles)
    share = 100 * longest / len(singles) if singles else 0.0
    rules.append(Rule(f"key is the longest choice in ≥ {MIN_KEY_LONGEST_PERCENT}% of "
                      "single-answer", f"{share:.0f}% ({longest}/{len(singles)})",
                      100 * longest >= MIN_KEY_LONGEST_PERCENT * len(singles)))
    shortest = sum(key_is_shortest(q) for q in singles)
    share = 100 * shortest / len(singles) if singles else 0.0
    rules.append(Rule(f"key is the shortest choice in ≤ {MAX_KEY_SHORTEST_PERCENT}% of "
                      "single-answer", f"{share:.0f}% ({shortest}/{len(singles)})",
                      100 * shortest <= MAX_KEY_SHORTEST_PERCENT * len(singles)))
    return rules


def _provenance(bank: Bank, live: list[Question]) -> list[Rule]:
    origins = [bank.origins.get(q.id, Origin("")) for q in live]
    unverified = sum(not o.verified for o in origins)
    unsourced = sum(not o.source for o in origins)
    return [Rule("every question has verified (YYYY-MM)", f"{unverified} without",
                 not unverified),
            Rule("every question has a source page", f"{unsourced} without", not unsourced)]


def _coverage(live: list[Question]) -> list[Rule]:
    topics = Counter(q.topic for q in live)
    rules = [Rule(f"section {section} ≥ {MIN_PER_SECTION}", str(topics[section]),
                  topics[section] >= MIN_PER_SECTION) for section in SECTIONS]
    rules += [Rule(f"topic {topic} ≥ {minimum}", str(topics[topic]), topics[topic] >= minimum)
              for topic, minimum in BEYOND_THE_NOTES.items()]
    for group, members in GROUPS.items():
        count = sum(topics[t] for t in members)
        rules.append(Rule(f"{group} ≥ {MIN_PER_GROUP}", str(count), count >= MIN_PER_GROUP))
    return rules
