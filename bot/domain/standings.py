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


def movers(all_time: dict[int, tuple[str, float]], week: dict[int, float],
           limit: int) -> list[tuple[str, int]]:
    """Members whose all-time rank rose most this week, as (name, places gained)."""
    now = {s.key: s.rank for s in ranked([(k, n, p, 1) for k, (n, p) in all_time.items()])}
    before = {s.key: s.rank for s in ranked(
        [(k, n, p - week.get(k, 0), 1) for k, (n, p) in all_time.items()
         if p - week.get(k, 0) > 0])}
    last = len(before) + 1  # a newcomer climbs from below the last rank
    gains = [(all_time[k][0], before.get(k, last) - rank) for k, rank in now.items()
             if k in week]
    return sorted((g for g in gains if g[1] > 0), key=lambda g: (-g[1], g[0]))[:limit]
