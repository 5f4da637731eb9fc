"""Shared pytest setup: figures off-screen, and the mutant matrices printed at the end of the run."""

import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # plot tests run on machines without a display

REPO = Path(__file__).resolve().parent.parent
_SESSION_START = time.time()


def pytest_terminal_summary(terminalreporter):
    """Print the mutant matrix and kill rate of every unit whose mutants were graded in this run."""
    reports = sorted(REPO.glob("build/mutants/*/report.txt"))
    fresh = [p for p in reports if p.stat().st_mtime >= _SESSION_START]
    if fresh:
        terminalreporter.section("mutants")
        for path in fresh:
            terminalreporter.write(path.read_text())
