"""The services' dependencies on a real database, built one way for every test that needs them."""

from __future__ import annotations

import random

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.adapters.answer_book import SqlAnswerBook
from bot.adapters.database import make_sessions
from bot.adapters.sql_leaderboard import SqlLeaderboard
from bot.adapters.unit_of_work import SqlUnitOfWorkFactory
from bot.domain.model import Where, Who
from bot.domain.ports import Clock, Poster
from bot.domain.views import PopPosted
from bot.services import quiz
from bot.services.deps import Deps
from tests.recording import RecordingPoster

ACME = Where("slack", "T1", "C1", "Acme", "general")


def sql_deps(engine: AsyncEngine, clock: Clock, poster: Poster | None = None,
             seed: int = 1) -> Deps:
    """Storage, the answer book and the SQL leaderboard on one engine."""
    sessions = make_sessions(engine)
    return Deps(uow=SqlUnitOfWorkFactory(sessions), answers=SqlAnswerBook(engine), clock=clock,
                leaderboard=SqlLeaderboard(sessions), poster=poster or RecordingPoster(),
                rng=random.Random(seed))


async def pop_quiz(deps: Deps) -> PopPosted:
    """A pop quiz in Acme's #general, asked by someone who is not one of the players."""
    view = await quiz.handle(deps, ACME, Who("U0", "asker"), "now")
    assert isinstance(view, PopPosted)
    return view
