"""Leaderboard rows, ranked with ties sharing a rank."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Standing:
    """One row of a board: a member or a channel (squad)."""

    rank: int
    key: int
    name: str
    points: float
    members: int = 1


def ranked(scores: list[tuple[int, str, float, int]]) -> list[Standing]:
    """Rank (key, name, points, members) by points, highest first; equal points share a rank."""
    ordered = sorted(scores, key=lambda row: (-row[2], row[1].lower(), row[0]))
    rows: list[Standing] = []
    for position, (key, name, points, members) in enumerate(ordered, start=1):
        rank = rows[-1].rank if rows and rows[-1].points == points else position
        rows.append(Standing(rank, key, name, points, members))
    return rows
