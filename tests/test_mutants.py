"""Tests of the tests: every wrong version loses points through real nbgrader, every alternative keeps them.

One test class per unit, so that `pytest -n 2 --dist loadscope` spreads the units over the workers.
To keep CI within its time, each run grades every correct alternative, the demo's buggy versions and one
wrong version per graded function (`mutation.ci_sample`); CNN_COURSE_ALL_MUTANTS=1 grades every mutant,
as `make mutants` does. The matrix and kill rate are printed at the end of the run.
"""

import os

from autograder import mutation
from autograder.units import BUILD, units


class _UnitMutants:
    unit: str

    def test_mutants_have_enough_versions(self):
        """At least 3 wrong versions and 1 correct alternative per graded function; BUGGY names real mutants."""
        assert mutation.coverage_problems(self.unit) == []

    def test_mutants_are_killed_and_alternatives_kept(self):
        """Through nbgrader: reference full marks, wrong versions lose points on their own tests, alternatives full."""
        lines = []
        sample = None if os.environ.get("CNN_COURSE_ALL_MUTANTS") == "1" else mutation.ci_sample(self.unit)
        outcomes = mutation.run_unit(self.unit, jobs=2, log=lambda _line: None, mutants=sample)
        ok = mutation.summarize(self.unit, outcomes, log=lines.append)
        (BUILD / "mutants" / self.unit / "report.txt").write_text("\n".join(lines) + "\n")  # shown in the summary
        assert ok, "\n".join(lines)


for _unit in units():
    globals()[f"TestMutants_{_unit}"] = type(f"TestMutants_{_unit}", (_UnitMutants,), {"unit": _unit})
