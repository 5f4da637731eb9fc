"""Where things live: units, their notebooks, and the course folders."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
AUTOGRADER = REPO / "autograder"
SOLUTIONS = REPO / "solutions"
ASSIGNMENTS = REPO / "assignments"
LECTURES = REPO / "lectures"
MUTANTS = AUTOGRADER / "mutants"
BUILD = REPO / "build"

UNIT_NAME = re.compile(r"^\d\d_[a-z0-9_]+$")


def units() -> list[str]:
    """Every unit that has a solution notebook, in course order (e.g. ["01_convolution"])."""
    found = [p.name for p in sorted(SOLUTIONS.iterdir()) if p.is_dir() and UNIT_NAME.match(p.name)]
    return [u for u in found if (SOLUTIONS / u / f"{u}.ipynb").is_file()]


def select_units(requested: list[str] | None) -> list[str]:
    """Resolve unit names or numbers ("01", "01_convolution") to unit names; None means all."""
    available = units()
    if not requested:
        return available
    chosen = []
    for r in requested:
        matches = [u for u in available if u == r or u.split("_", 1)[0] == r]
        if not matches:
            raise SystemExit(f"Unknown unit {r!r}: choose from {', '.join(available) or '(none)'}.")
        chosen.extend(m for m in matches if m not in chosen)
    return chosen


def solution_notebook(unit: str) -> Path:
    return SOLUTIONS / unit / f"{unit}.ipynb"


def lectures() -> list[Path]:
    return sorted(LECTURES.glob("[0-9][0-9]_*.ipynb"))
