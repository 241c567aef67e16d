"""The shape the shipped bank must have: the exam's domain mix, coverage of every section."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bot.domain.model import ExamDomain, Question

EXAM_WEIGHTS = {ExamDomain.DEVELOPMENT: 32, ExamDomain.SECURITY: 26,
                ExamDomain.DEPLOYMENT: 24, ExamDomain.TROUBLESHOOTING: 18}
WEIGHT_TOLERANCE = 5  # percentage points
MIN_TOTAL = 300
MIN_PER_SECTION = 6
MIN_MULTI_SHARE = 0.15
MIN_MULTI_CHOICES = 5
SECTIONS = ("ec2", "ebs", "monitoring", "networking", "s3", "rds", "aurora", "dynamodb",
            "elasticache", "iam", "cognito-sts", "kms", "cloudformation-sam",
            "elastic-beanstalk", "sqs", "sns", "ses", "kinesis", "api-gateway", "lambda",
            "xray", "codepipeline", "codecommit", "codebuild", "codedeploy", "ecs")
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
    """One coverage rule and whether the bank meets it."""

    name: str
    actual: str
    met: bool


def check(questions: list[Question]) -> list[Rule]:
    """Every rule, met or not, for the live questions of a bank."""
    live = [q for q in questions if not q.retired]
    total = len(live)
    topics = Counter(q.topic for q in live)
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
    for section in SECTIONS:
        rules.append(Rule(f"section {section} ≥ {MIN_PER_SECTION}", str(topics[section]),
                          topics[section] >= MIN_PER_SECTION))
    for group, members in GROUPS.items():
        count = sum(topics[t] for t in members)
        rules.append(Rule(f"{group} ≥ {MIN_PER_GROUP}", str(count), count >= MIN_PER_GROUP))
    return rules
