"""Hand-written in-memory fakes of the repositories and the unit of work, for service tests.

The fakes keep the contract the SQL repositories keep (tests/integration/test_repository_contract
runs the same tests on both): writes are staged until commit, member names match in any case,
uniqueness rules raise the same errors.
"""

from __future__ import annotations

import contextlib
import copy
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from types import TracebackType

from bot.domain.channel import Channel
from bot.domain.commands import Period
from bot.domain.errors import AlreadyAnswered
from bot.domain.exam import Exam
from bot.domain.memory import Memory, Recall
from bot.domain.model import Answer, Member, Question, Round, RoundKind, Topic, Who, Workspace
from bot.domain.outbox import Delivery, DeliveryKind, DeliveryStatus
from bot.domain.ports import (
    Added,
    Answering,
    AnswerRecord,
    AnswerRepository,
    ChannelRepository,
    DeliveryRepository,
    Duplicate,
    ExamRepository,
    MemberRepository,
    MemoryRepository,
    QuestionRepository,
    ReportRepository,
    RoundRepository,
    Score,
    WorkspaceRepository,
)
from bot.domain.reports import Report
from bot.domain.schedule import ChannelSettings, Due
from bot.domain.standings import Standing


class Store:
    """The tables of a fake database: committed state, or one unit of work's staged copy."""

    def __init__(self) -> None:
        self.workspaces: dict[int, Workspace] = {}
        self.channels: dict[int, Channel] = {}
        self.members: dict[int, Member] = {}
        self.questions: dict[str, Question] = {}
        self.topics: dict[str, Topic] = {}
        self.rounds: dict[int, Round] = {}
        self.answers: dict[tuple[int, int], Answer] = {}
        self.answer_ids: dict[tuple[int, int], int] = {}
        self.remembered: set[int] = set()  # answer ids the memories took in
        self.deliveries: dict[int, Delivery] = {}
        self.claims: dict[int, str] = {}
        self.not_before: dict[int, datetime] = {}  # delivery → when it may be claimed
        self.next_post_at: dict[int, datetime] = {}  # workspace → its next free post slot
        self.memories: dict[tuple[int, str], Memory] = {}
        self.exams: dict[int, Exam] = {}
        self.reports: list[tuple[Report, datetime | None]] = []  # with when it was cleared
        self.hashes: dict[str, str] = {}
        self.commits = 0

    def next_id(self, table: Mapping[int, object]) -> int:
        """The next free id of a table."""
        return max(table, default=0) + 1

    def staged(self) -> Store:
        """A copy to write to: rows are immutable, so copying the tables is enough."""
        work = copy.copy(self)
        for name, table in vars(self).items():
            if isinstance(table, dict | list | set):
                setattr(work, name, copy.copy(table))
        return work

    def take(self, work: Store) -> None:
        """Make a staged copy's tables the committed ones."""
        commits = self.commits
        vars(self).update(vars(work.staged()))
        self.commits = commits


class FakeWorkspaces:
    def __init__(self, store: Store) -> None:
        self.s = store

    async def ensure(self, platform: str, external_id: str, name: str) -> Workspace:
        found = await self.find(platform, external_id)
        if found:
            return found
        ws = Workspace(self.s.next_id(self.s.workspaces), platform, external_id, name)
        self.s.workspaces[ws.id] = ws
        return ws

    async def get(self, workspace_id: int) -> Workspace | None:
        return self.s.workspaces.get(workspace_id)

    async def many(self, workspace_ids: Collection[int]) -> dict[int, Workspace]:
        return {i: self.s.workspaces[i] for i in workspace_ids if i in self.s.workspaces}

    async def find(self, platform: str, external_id: str) -> Workspace | None:
        return next((w for w in self.s.workspaces.values()
                     if (w.platform, w.external_id) == (platform, external_id)), None)

    async def set_active(self, workspace_id: int, active: bool) -> None:
        self.s.workspaces[workspace_id] = replace(self.s.workspaces[workspace_id], active=active)


class FakeChannels:
    def __init__(self, store: Store) -> None:
        self.s = store

    async def ensure(self, workspace_id: int, external_id: str, name: str) -> Channel:
        for channel in self.s.channels.values():
            if (channel.workspace_id, channel.external_id) == (workspace_id, external_id):
                return channel
        channel = Channel(self.s.next_id(self.s.channels), workspace_id, external_id,
                          name, ChannelSettings())
        self.s.channels[channel.id] = channel
        return channel

    async def get(self, channel_id: int) -> Channel | None:
        return self.s.channels.get(channel_id)

    async def many(self, channel_ids: Collection[int]) -> dict[int, Channel]:
        return {i: self.s.channels[i] for i in channel_ids if i in self.s.channels}

    async def in_workspace(self, workspace_id: int) -> list[Channel]:
        return [c for c in self.s.channels.values() if c.workspace_id == workspace_id]

    async def save_settings(self, channel_id: int, settings: ChannelSettings) -> None:
        self.s.channels[channel_id] = replace(self.s.channels[channel_id], settings=settings,
                                              disabled=None)

    async def scheduled(self) -> list[Channel]:
        return [c for c in self.s.channels.values()
                if not c.disabled and self.s.workspaces[c.workspace_id].active
                and (c.settings.daily_time or c.settings.weekly_day is not None)]

    async def disable(self, channel_id: int, reason: str) -> None:
        self.s.channels[channel_id] = replace(self.s.channels[channel_id], disabled=reason)

    async def set_due(self, channel_id: int, due: Due) -> None:
        self.s.channels[channel_id] = replace(self.s.channels[channel_id], due=due)

    async def set_dues(self, dues: dict[int, Due]) -> None:
        for channel_id, due in dues.items():
            await self.set_due(channel_id, due)

    async def claim_due(self, now: datetime, limit: int) -> list[Channel]:
        due = sorted((c for c in await self.scheduled()
                      if c.due.earliest is not None and c.due.earliest <= now),
                     key=lambda c: (c.due.earliest, c.id))
        seen: Counter[int] = Counter()
        turn: dict[int, int] = {}
        for c in due:  # each workspace's earliest first, then each one's second
            seen[c.workspace_id] += 1
            turn[c.id] = seen[c.workspace_id]
        return sorted(due, key=lambda c: (turn[c.id], c.due.earliest, c.id))[:limit]

    async def unplanned(self, limit: int) -> list[Channel]:
        return [c for c in await self.scheduled() if c.due.earliest is None][:limit]

    async def next_due_after(self, after: datetime) -> datetime | None:
        return min((c.due.earliest for c in await self.scheduled()
                    if c.due.earliest is not None and c.due.earliest > after), default=None)


class FakeMembers:
    def __init__(self, store: Store) -> None:
        self.s = store

    async def ensure(self, workspace_id: int, external_id: str, name: str) -> Member:
        found = next((m for m in self.s.members.values()
                      if (m.workspace_id, m.external_id) == (workspace_id, external_id)), None)
        member = Member(found.id if found else self.s.next_id(self.s.members),
                        workspace_id, external_id, name or external_id)
        self.s.members[member.id] = member
        return member

    async def get(self, member_id: int) -> Member | None:
        return self.s.members.get(member_id)

    async def find(self, workspace_id: int, id_or_name: str) -> Member | None:
        by_id = (m for m in self.s.members.values()
                 if m.workspace_id == workspace_id and m.external_id == id_or_name)
        by_name = (m for m in self.s.members.values() if m.workspace_id == workspace_id
                   and m.display_name.lower() == id_or_name.lower())
        return min((*by_id, *by_name), key=lambda m: m.id, default=None)


class FakeQuestions:
    def __init__(self, store: Store) -> None:
        self.s = store

    async def all(self) -> list[Question]:
        return sorted(self.s.questions.values(), key=lambda q: q.id)

    async def get(self, question_id: str) -> Question | None:
        return self.s.questions.get(question_id)

    async def many(self, question_ids: Collection[str]) -> dict[str, Question]:
        return {i: self.s.questions[i] for i in question_ids if i in self.s.questions}

    async def hashes(self) -> dict[str, tuple[str, bool]]:
        return {q.id: (self.s.hashes.get(q.id, ""), q.retired) for q in self.s.questions.values()}

    async def upsert(self, question: Question, content_hash: str) -> None:
        self.s.questions[question.id] = replace(question, retired=False)
        self.s.hashes[question.id] = content_hash

    async def retire(self, question_ids: Iterable[str]) -> None:
        for qid in question_ids:
            self.s.questions[qid] = replace(self.s.questions[qid], retired=True)

    async def save_topic(self, topic: Topic) -> None:
        self.s.topics[topic.slug] = topic

    async def topics(self) -> list[Topic]:
        counts = {slug: sum(1 for q in self.s.questions.values()
                            if q.topic == slug and not q.retired) for slug in self.s.topics}
        return [replace(t, count=counts[t.slug]) for t in self.s.topics.values()
                if counts[t.slug]]


class FakeRounds:
    def __init__(self, store: Store) -> None:
        self.s = store

    async def add(self, round_: Round) -> Round:
        if round_.local_date and await self.daily_on(round_.channel_id, round_.local_date):
            raise Duplicate("daily round exists")
        stored = replace(round_, id=self.s.next_id(self.s.rounds))
        self.s.rounds[stored.id] = stored
        return stored

    async def get(self, round_id: int) -> Round | None:
        return self.s.rounds.get(round_id)

    async def many(self, round_ids: Collection[int]) -> dict[int, Round]:
        return {i: self.s.rounds[i] for i in round_ids if i in self.s.rounds}

    async def lock(self, round_id: int) -> Round | None:
        return self.s.rounds.get(round_id)

    async def daily_on(self, channel_id: int, local_date: date) -> Round | None:
        return next((r for r in self.s.rounds.values()
                     if r.channel_id == channel_id and r.local_date == local_date), None)

    async def times_asked(self, channel_id: int) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.s.rounds.values():
            if r.channel_id == channel_id and r.kind is not RoundKind.PRACTICE:
                counts[r.question_id] = counts.get(r.question_id, 0) + 1
        return counts

    async def times_asked_in(self, channel_ids: Collection[int]) -> dict[int, dict[str, int]]:
        counts = {c: await self.times_asked(c) for c in channel_ids}
        return {c: n for c, n in counts.items() if n}

    async def daily_dates(self, channel_ids: Collection[int],
                          dates: Collection[date]) -> set[tuple[int, date]]:
        return {(r.channel_id, r.local_date) for r in self.s.rounds.values()
                if r.channel_id in channel_ids and r.local_date is not None
                and r.local_date in dates}

    async def add_dailies(self, rounds: list[Round]) -> list[Round]:
        added = []
        for round_ in rounds:
            with contextlib.suppress(Duplicate):
                added.append(await self.add(round_))
        return added

    async def due_to_close(self, now: datetime) -> list[Round]:
        return [r for r in self.s.rounds.values() if r.closed_at is None and r.closes_at <= now]

    async def next_close_after(self, after: datetime) -> datetime | None:
        return min((r.closes_at for r in self.s.rounds.values()
                    if r.closed_at is None and r.closes_at > after), default=None)

    async def open_in_channel(self, channel_id: int, now: datetime) -> list[Round]:
        return [r for r in self.s.rounds.values() if r.channel_id == channel_id
                and r.kind is not RoundKind.PRACTICE and r.is_open(now)]

    async def close(self, round_id: int, at: datetime) -> bool:
        if self.s.rounds[round_id].closed_at is not None:
            return False
        self.s.rounds[round_id] = replace(self.s.rounds[round_id], closed_at=at)
        return True

    async def set_message_refs(self, refs: Mapping[int, str]) -> None:
        for round_id, ref in refs.items():
            self.s.rounds[round_id] = replace(self.s.rounds[round_id], message_ref=ref)

    async def dailies_before(self, channel_id: int, before: date, limit: int) -> list[Round]:
        dailies = [r for r in self.s.rounds.values() if r.channel_id == channel_id
                   and r.local_date is not None and r.local_date < before]
        return sorted(dailies, key=lambda r: r.local_date or before, reverse=True)[:limit]


class FakeAnswers:
    def __init__(self, store: Store) -> None:
        self.s = store

    async def add(self, answer: Answer) -> int:
        key = (answer.round_id, answer.member_id)
        if key in self.s.answers:
            raise AlreadyAnswered("You have already answered; the first answer counts.")
        self.s.answers[key] = answer
        self.s.answer_ids[key] = len(self.s.answers)
        return self.s.answer_ids[key]

    async def get(self, round_id: int, member_id: int) -> Answer | None:
        return self.s.answers.get((round_id, member_id))

    async def for_round(self, round_id: int) -> list[tuple[Answer, Member]]:
        return [(a, self.s.members[a.member_id]) for (rid, _), a in self.s.answers.items()
                if rid == round_id]

    async def results(self, member_id: int, round_ids: list[int]) -> dict[int, bool]:
        return {rid: a.correct for (rid, mid), a in self.s.answers.items()
                if mid == member_id and rid in round_ids}

    async def practice_scored_between(self, member_id: int, start: datetime,
                                      end: datetime) -> int:
        return sum(1 for (rid, mid), a in self.s.answers.items()
                   if mid == member_id and a.points > 0 and start <= a.answered_at < end
                   and self.s.rounds[rid].kind is RoundKind.PRACTICE)

    async def records(self, member_id: int) -> list[AnswerRecord]:
        out = []
        for (rid, mid), a in self.s.answers.items():
            if mid == member_id:
                question = self.s.questions[self.s.rounds[rid].question_id]
                out.append(AnswerRecord(a, str(self.s.rounds[rid].kind), question.topic,
                                        str(question.domain), self.s.rounds[rid].channel_id))
        return out

    async def daily_results(self, member_id: int, channel_id: int, before: date,
                            limit: int) -> list[tuple[Round, bool | None]]:
        dailies = sorted((r for r in self.s.rounds.values() if r.channel_id == channel_id
                          and r.local_date is not None and r.local_date < before),
                         key=lambda r: r.local_date or before, reverse=True)[:limit]
        return [(r, a.correct if (a := self.s.answers.get((r.id, member_id))) else None)
                for r in dailies]


class FakeAnswerBook:
    """The answer path's storage: each call commits by itself (a write counts as a commit)."""

    def __init__(self, store: Store) -> None:
        self.s = store
        self._answers = FakeAnswers(store)

    async def answering(self, round_id: int, platform: str, workspace: str, member: str, *,
                        fresh: bool = False) -> Answering | None:
        round_ = self.s.rounds.get(round_id)
        tenant = next((w for w in self.s.workspaces.values()
                       if (w.platform, w.external_id) == (platform, workspace)), None)
        if round_ is None or tenant is None or round_.workspace_id != tenant.id:
            return None
        question = self.s.questions[round_.question_id]
        topic = self.s.topics.get(question.topic)
        who = next((m for m in self.s.members.values()
                    if m.workspace_id == tenant.id and m.external_id == member), None)
        previous = self.s.answers.get((round_id, who.id)) if who is not None else None
        return Answering(round_, question, self.s.channels[round_.channel_id],
                         topic.title if topic else "", who, previous)

    async def daily_results(self, member_id: int, channel_id: int, before: date,
                            limit: int) -> list[tuple[Round, bool | None]]:
        return await self._answers.daily_results(member_id, channel_id, before, limit)

    async def practice_scored_between(self, member_id: int, start: datetime,
                                      end: datetime) -> int:
        return await self._answers.practice_scored_between(member_id, start, end)

    async def add_while_open(self, answer: Answer, who: Who, member: Member | None, *,
                             close: bool) -> Added | None:
        round_ = self.s.rounds[answer.round_id]
        if not round_.is_open(answer.answered_at):
            return None
        if close:
            await FakeRounds(self.s).close(round_.id, answer.answered_at)
        if member is None:
            member = await FakeMembers(self.s).ensure(round_.workspace_id, who.external_id,
                                                      who.display_name)
        answer_id = await self._answers.add(replace(answer, member_id=member.id))
        self.s.commits += 1
        return Added(answer_id, member)


class FakeDeliveries:
    def __init__(self, store: Store) -> None:
        self.s = store

    async def add(self, delivery: Delivery) -> Delivery:
        same = [d for d in self.s.deliveries.values()
                if (d.kind, d.round_id, d.channel_id, d.week)
                == (delivery.kind, delivery.round_id, delivery.channel_id, delivery.week)]
        if same:
            raise Duplicate("that post is in the outbox already")
        stored = replace(delivery, id=self.s.next_id(self.s.deliveries))
        self.s.deliveries[stored.id] = stored
        self.s.not_before[stored.id] = delivery.created_at
        return stored

    async def add_posts(self, deliveries: list[Delivery]) -> None:
        for delivery in deliveries:
            await self.add(delivery)

    async def claim(self, now: datetime, owner: str, until: datetime, limit: int,
                    platform: str | None = None,
                    per_workspace: int | None = None) -> list[Delivery]:
        pending = [d for d in self.s.deliveries.values() if d.status is DeliveryStatus.PENDING
                   and platform in (None, self.s.workspaces[d.workspace_id].platform)]
        seen: dict[int, int] = {}
        turn: dict[int, int] = {}
        for d in sorted(pending, key=self._in_line):  # each workspace's oldest first
            seen[d.workspace_id] = turn[d.id] = seen.get(d.workspace_id, 0) + 1
        due = sorted((d for d in pending if self.s.not_before[d.id] <= now
                      and (d.claimed_until is None or d.claimed_until <= now)
                      and (per_workspace is None or turn[d.id] <= per_workspace)),
                     key=lambda d: (turn[d.id], *self._in_line(d)))[:limit]
        claimed = []
        for d in sorted(due, key=lambda d: d.id):
            self.s.deliveries[d.id] = replace(d, claimed_until=until, attempts=d.attempts + 1)
            self.s.claims[d.id] = owner
            claimed.append(self.s.deliveries[d.id])
        return claimed

    async def reserve(self, claimed: list[Delivery], now: datetime,
                      spacing: Mapping[str, timedelta]) -> list[Delivery]:
        timed = []
        for d in claimed:
            gap = spacing.get(self.s.workspaces[d.workspace_id].platform)
            if gap is not None:
                at = max(self.s.next_post_at.get(d.workspace_id, now), now)
                self.s.next_post_at[d.workspace_id] = at + gap
                d = replace(d, send_at=at)
            timed.append(d)
        return timed

    async def extend(self, delivery_ids: list[int], owner: str, until: datetime) -> None:
        for i in delivery_ids:
            if self.s.claims.get(i) == owner:
                self.s.deliveries[i] = replace(self.s.deliveries[i], claimed_until=until)

    async def finish(self, done: Mapping[int, str | None], owner: str,
                     at: datetime) -> set[int]:
        kept = {i for i in done if self.s.claims.get(i) == owner
                and self.s.deliveries[i].status is DeliveryStatus.PENDING}
        for i in kept:
            self.s.deliveries[i] = replace(self.s.deliveries[i], status=DeliveryStatus.DONE,
                                           claimed_until=None, message_ref=done[i])
        return kept

    async def retry(self, delivery_id: int, owner: str, not_before: datetime,
                    error: str) -> bool:
        if self.s.claims.get(delivery_id) != owner:
            return False
        self.s.deliveries[delivery_id] = replace(self.s.deliveries[delivery_id],
                                                 claimed_until=None)
        self.s.not_before[delivery_id] = not_before
        return True

    async def drop(self, delivery_id: int, reason: str) -> None:
        self.s.deliveries[delivery_id] = replace(self.s.deliveries[delivery_id],
                                                 status=DeliveryStatus.DROPPED)

    async def of_round(self, round_id: int, kind: DeliveryKind) -> Delivery | None:
        return next((d for d in self.s.deliveries.values()
                     if (d.round_id, d.kind) == (round_id, kind)), None)

    async def get(self, delivery_id: int) -> Delivery | None:
        return self.s.deliveries.get(delivery_id)

    async def next_after(self, after: datetime) -> datetime | None:
        return min((self.s.not_before[d.id] for d in self.s.deliveries.values()
                    if d.status is DeliveryStatus.PENDING and self.s.not_before[d.id] > after),
                   default=None)

    def _in_line(self, delivery: Delivery) -> tuple[datetime, int]:
        return self.s.not_before[delivery.id], delivery.id


class FakeMemories:
    def __init__(self, store: Store) -> None:
        self.s = store

    async def locked(self, member_id: int, question_ids: Collection[str]) -> dict[str, Memory]:
        return {qid: m for (mid, qid), m in self.s.memories.items()
                if mid == member_id and qid in question_ids}

    async def save(self, workspace_id: int, memories: Sequence[Memory]) -> None:
        for memory in memories:
            self.s.memories[(memory.member_id, memory.question_id)] = memory

    async def of_member(self, member_id: int) -> list[Memory]:
        return [m for (mid, _), m in self.s.memories.items() if mid == member_id]

    async def to_take_in(self, member_id: int) -> list[Recall]:
        recalls = [Recall(self.s.answer_ids[key], self.s.rounds[key[0]].workspace_id,
                          self.s.rounds[key[0]].question_id, a.correct, a.answered_at)
                   for key, a in self.s.answers.items()
                   if key[1] == member_id and self.s.answer_ids[key] not in self.s.remembered]
        return sorted(recalls, key=lambda r: (r.at, r.answer_id))

    async def taken_in(self, answer_ids: list[int]) -> None:
        self.s.remembered.update(answer_ids)


class FakeReports:
    def __init__(self, store: Store) -> None:
        self.s = store

    async def add(self, report: Report) -> None:
        self.s.reports.append((report, None))

    async def open_in(self, workspace_id: int) -> list[Report]:
        return [r for r in await self.open() if r.workspace_id == workspace_id]

    async def open(self) -> list[Report]:
        return [r for r, cleared in self.s.reports if cleared is None]

    async def clear(self, question_id: str, at: datetime) -> int:
        cleared = [i for i, (r, when) in enumerate(self.s.reports)
                   if r.question_id == question_id and when is None]
        for i in cleared:
            self.s.reports[i] = (self.s.reports[i][0], at)
        return len(cleared)


class FakeExams:
    def __init__(self, store: Store) -> None:
        self.s = store

    async def add(self, exam: Exam) -> Exam:
        stored = replace(exam, id=self.s.next_id(self.s.exams))
        self.s.exams[stored.id] = stored
        return stored

    async def lock(self, exam_id: int) -> Exam | None:
        return self.s.exams.get(exam_id)

    async def running(self, member_id: int) -> Exam | None:
        return max((e for e in self.s.exams.values()
                    if e.member_id == member_id and e.finished_at is None),
                   key=lambda e: e.id, default=None)

    async def save(self, exam: Exam) -> None:
        self.s.exams[exam.id] = exam

    async def of_member(self, member_id: int) -> list[Exam]:
        return [e for e in self.s.exams.values() if e.member_id == member_id]


class FakeUnitOfWork:
    """A transaction on a Store: writes go to a staged copy that only commit makes real."""

    workspaces: WorkspaceRepository
    channels: ChannelRepository
    members: MemberRepository
    questions: QuestionRepository
    rounds: RoundRepository
    answers: AnswerRepository
    deliveries: DeliveryRepository
    memories: MemoryRepository
    reports: ReportRepository
    exams: ExamRepository

    def __init__(self, store: Store) -> None:
        self.store = store
        self.work = store

    async def __aenter__(self) -> FakeUnitOfWork:
        self.work = work = self.store.staged()
        self.workspaces = FakeWorkspaces(work)
        self.channels = FakeChannels(work)
        self.members = FakeMembers(work)
        self.questions = FakeQuestions(work)
        self.rounds = FakeRounds(work)
        self.answers = FakeAnswers(work)
        self.deliveries = FakeDeliveries(work)
        self.memories = FakeMemories(work)
        self.reports = FakeReports(work)
        self.exams = FakeExams(work)
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        self.work = self.store.staged()  # what was not committed is gone

    async def commit(self) -> None:
        """Make the staged writes the store's."""
        self.store.take(self.work)
        self.store.commits += 1


class FakeUnitOfWorkFactory:
    """Makes fake units of work on one store, as SqlUnitOfWorkFactory does on one engine."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __call__(self) -> FakeUnitOfWork:
        """A new unit of work."""
        return FakeUnitOfWork(self.store)


class FakeLeaderboard:
    """Remembers the scores it was told about; shows no standings."""

    def __init__(self) -> None:
        self.scores: list[Score] = []

    async def record(self, score: Score) -> None:
        self.scores.append(score)

    async def members(self, workspace_id: int, period: Period, at: datetime,
                      limit: int) -> list[Standing]:
        return []

    async def squads(self, workspace_id: int, period: Period, at: datetime) -> list[Standing]:
        return []

    async def rank_of(self, workspace_id: int, period: Period, at: datetime,
                      member_id: int) -> Standing | None:
        return None

    async def movers(self, workspace_id: int, at: datetime, limit: int) -> list[tuple[str, int]]:
        return []
