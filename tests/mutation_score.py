"""The mutation score per folder, from `mutmut results --all true` on standard input.

    mutmut results --all true | python -m tests.mutation_score

A mutant counts as caught when a test failed (killed) or ran past its time limit (timeout);
one with no test that runs its function counts against the score, as a survivor does.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Iterable

CAUGHT = ("killed", "timeout")


def tally(lines: Iterable[str]) -> dict[str, Counter[str]]:
    """Statuses per folder ('bot/domain'), from lines like 'bot.domain.x.y__mutmut_3: killed'."""
    folders: dict[str, Counter[str]] = defaultdict(Counter)
    for line in lines:
        name, sep, status = line.strip().rpartition(": ")
        if not sep or "__mutmut_" not in name:
            continue
        folder = "/".join(name.split(".")[:2])
        folders[folder][status] += 1
    return dict(folders)


def report(folders: dict[str, Counter[str]]) -> list[str]:
    """One line per folder and one for all of them: caught of all, the percentage, the rest."""
    lines = []
    everything: Counter[str] = Counter()
    for folder in sorted(folders):
        everything.update(folders[folder])
        lines.append(_line(folder, folders[folder]))
    lines.append(_line("all", everything))
    return lines


def _line(label: str, statuses: Counter[str]) -> str:
    total = sum(statuses.values())
    caught = sum(statuses[s] for s in CAUGHT)
    rest = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()) if s not in CAUGHT)
    share = 100 * caught / total if total else 0.0
    return f"{label}: {caught} of {total} caught ({share:.1f} %){'; ' + rest if rest else ''}"


def main() -> None:
    """Print the report for what mutmut wrote to standard input."""
    print("\n".join(report(tally(sys.stdin))))


if __name__ == "__main__":
    main()
