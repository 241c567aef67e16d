"""One SQL transaction over every repository."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.adapters.sql_deliveries import SqlDeliveries
from bot.adapters.sql_exams import SqlExams
from bot.adapters.sql_memories import SqlMemories
from bot.adapters.sql_questions import SqlQuestions
from bot.adapters.sql_reports import SqlReports
from bot.adapters.sql_rounds import SqlAnswers, SqlRounds
from bot.adapters.sql_tenants import SqlChannels, SqlMembers, SqlWorkspaces
from bot.domain.ports import (
    AnswerRepository,
    ChannelRepository,
    DeliveryRepository,
    ExamRepository,
    MemberRepository,
    MemoryRepository,
    QuestionRepository,
    ReportRepository,
    RoundRepository,
    WorkspaceRepository,
)


class SqlUnitOfWork:
    """A session and its repositories; leaving without commit rolls back."""

    session: AsyncSession
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

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def __aenter__(self) -> SqlUnitOfWork:
        self.session = self._sessions()
        self.workspaces = SqlWorkspaces(self.session)
        self.channels = SqlChannels(self.session)
        self.members = SqlMembers(self.session)
        self.questions = SqlQuestions(self.session)
        self.rounds = SqlRounds(self.session)
        self.answers = SqlAnswers(self.session)
        self.deliveries = SqlDeliveries(self.session)
        self.memories = SqlMemories(self.session)
        self.reports = SqlReports(self.session)
        self.exams = SqlExams(self.session)
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.session.rollback()
        await self.session.close()

    async def commit(self) -> None:
        """Commit the transaction."""
        await self.session.commit()


class SqlUnitOfWorkFactory:
    """Makes units of work on one engine's sessions."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    def __call__(self) -> SqlUnitOfWork:
        """A new unit of work."""
        return SqlUnitOfWork(self._sessions)
