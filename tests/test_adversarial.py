"""The adversarial suite (autograder/adversarial.py): every hostile submission gets its expected outcome.

One module fixture grades a bystander, then every case side by side through the real pipeline (sandbox,
audit, nbgrader, gradebook); each case is its own test so a failure names the trick that got through.
"""

import pytest

from autograder import adversarial


@pytest.fixture(scope="module")
def suite():
    problems, reports = adversarial.run_suite(jobs=2, log=lambda _line: None)
    return problems, reports


@pytest.mark.parametrize("case", adversarial.cases(), ids=lambda c: c.name)
def test_case_gets_its_outcome(suite, case):
    """The case's status, reason and points are what its definition says."""
    problems, reports = suite
    mine = [p for p in problems if p.startswith(f"{case.name}:")]
    assert not mine, "\n".join(mine + [f"status: {reports[case.name].status}" if case.name in reports else "not graded"])


def test_nothing_outside_the_submissions_changed(suite):
    """The bystander's grades and files, the gradebook, the repository, and zip_collect's extraction."""
    problems, _ = suite
    names = {c.name for c in adversarial.cases()}
    others = [p for p in problems if p.split(":")[0] not in names]
    assert not others, "\n".join(others)


def test_suite_is_large_enough():
    """At least 25 cases, each with a description and an expected status."""
    cases = adversarial.cases()
    assert len(cases) >= 25
    assert len({c.name for c in cases}) == len(cases)
    assert all(c.what and c.status in ("ok", "REVIEW", "NOT GRADED") for c in cases)
