"""Tests of the tests: every wrong version loses points through real nbgrader, every alternative keeps them.

The full matrix and kill rate are printed by `make mutants`; here a failure lists the offenders.
"""

import pytest

from autograder import mutation
from autograder.units import BUILD, units


@pytest.mark.parametrize("unit", units())
def test_mutants_have_enough_versions(unit):
    """At least 3 wrong versions and 1 correct alternative per graded function; BUGGY names real mutants."""
    assert mutation.coverage_problems(unit) == []


@pytest.mark.parametrize("unit", units())
def test_mutants_are_killed_and_alternatives_kept(unit):
    """Through nbgrader: reference full marks, wrong versions lose points on their own tests, alternatives full."""
    lines = []
    outcomes = mutation.run_unit(unit, jobs=2, log=lambda _line: None)
    ok = mutation.summarize(unit, outcomes, log=lines.append)
    (BUILD / "mutants" / unit / "report.txt").write_text("\n".join(lines) + "\n")  # shown in the summary
    assert ok, "\n".join(lines)
