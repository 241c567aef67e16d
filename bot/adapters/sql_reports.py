"""Question reports in SQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.orm import ReportRow
from bot.domain.reports import Report


def _report(row: ReportRow) -> Report:
    return Report(row.workspace_id, row.question_id, row.member_id, row.reason,
                  row.reported_at, row.round_id)


class SqlReports:
    """The question_reports table."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, report: Report) -> None:
        """Insert a report."""
        self.session.add(ReportRow(workspace_id=report.workspace_id,
                                   question_id=report.question_id, member_id=report.member_id,
                                   round_id=report.round_id, reason=report.reason,
                                   reported_at=report.at, cleared_at=None))
        await self.session.flush()

    async def open_in(self, workspace_id: int) -> list[Report]:
        """A workspace's open reports."""
        rows = await self.session.scalars(
            select(ReportRow).where(ReportRow.workspace_id == workspace_id,
                                    ReportRow.cleared_at.is_(None)).order_by(ReportRow.id))
        return [_report(row) for row in rows]

    async def open(self) -> list[Report]:
        """Every open report."""
        rows = await self.session.scalars(select(ReportRow)
                                          .where(ReportRow.cleared_at.is_(None))
                                          .order_by(ReportRow.id))
        return [_report(row) for row in rows]

    async def clear(self, question_id: str, at: datetime) -> int:
        """Clear a question's open reports."""
        result = await self.session.execute(
            update(ReportRow).where(ReportRow.question_id == question_id,
                                    ReportRow.cleared_at.is_(None))
            .values(cleared_at=at).execution_options(synchronize_session=False))
        return int(getattr(result, "rowcount", 0))
