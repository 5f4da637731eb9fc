"""Every unit through real nbgrader: release in sync, solutions full marks, release 0, feedback hides tests.

Each unit is released into a throwaway course folder (build/test-grading/UNIT) and two students are
graded as `make grade` grades them: reference (the solution) and blank (the untouched release).
How the grader copes with broken or tricky submissions is tested once, in test_grading_robustness.py.
"""

import filecmp
import html
import re
import shutil

import nbformat
import pytest

from autograder.course import grade_all
from autograder.course_dir import CourseDir
from autograder.units import ASSIGNMENTS, BUILD, solution_notebook, units


@pytest.fixture(scope="class")
def graded(request):
    """(unit, course, reports by student) for the reference and the blank release of one unit."""
    unit = request.cls.unit
    root = BUILD / "test-grading" / unit
    shutil.rmtree(root, ignore_errors=True)
    course = CourseDir(root, root / "release")
    course.release(unit)
    course.submit("reference", unit, solution_notebook(unit))
    course.submit("blank", unit, course.release_dir / unit / f"{unit}.ipynb")
    reports = {r.student: r for r in grade_all(course, [unit], log=lambda _line: None)}
    return unit, course, reports


def hidden_test_lines(unit):
    """Code lines that appear only in the hidden regions of the solution notebook, not in the release."""
    release = nbformat.read(ASSIGNMENTS / unit / f"{unit}.ipynb", as_version=4)
    released = {line.strip() for cell in release.cells for line in cell.source.splitlines()}
    lines = []
    for cell in nbformat.read(solution_notebook(unit), as_version=4).cells:
        inside = False
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line or "END HIDDEN TESTS" in line:
                inside = "BEGIN" in line
            elif inside and len(line.strip()) > 25 and line.strip() not in released:
                lines.append(line.strip())
    return lines


class _UnitGrading:
    unit: str

    def test_release_is_in_sync(self, graded):
        """assignments/ equals a fresh release of solutions/ byte for byte (run `make release` if not)."""
        unit, course, *_ = graded
        fresh, committed = course.release_dir / unit, ASSIGNMENTS / unit
        assert committed.is_dir(), f"assignments/{unit} is missing: run `make release`"
        cmp = filecmp.dircmp(fresh, committed, ignore=[".ipynb_checkpoints"])
        assert not (cmp.left_only or cmp.right_only), f"files differ: {cmp.left_only} vs {cmp.right_only}"
        for name in cmp.common_files:
            assert (fresh / name).read_bytes() == (committed / name).read_bytes(), (
                f"{name} is stale: run `make release`"
            )

    def test_release_hides_solutions(self, graded):
        """The release keeps no solution code and no hidden tests."""
        unit, course, *_ = graded
        text = (ASSIGNMENTS / unit / f"{unit}.ipynb").read_text()
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
            assert marker not in text

    def test_reference_scores_full_marks_on_every_cell(self, graded):
        """The solution earns every autograded point, cell by cell."""
        _, _, reports, *_ = graded
        report = reports["reference"]
        assert report.complete, report.status
        short = {g: report.scores[g][0] for g in report.tests if report.scores[g][0] != report.scores[g][1]}
        assert not short, f"cells below full marks: {short}"

    def test_blank_release_scores_zero(self, graded):
        """The untouched release earns no autograded point."""
        _, _, reports, *_ = graded
        assert reports["blank"].autograded is not None, reports["blank"].status
        score, top = reports["blank"].autograded
        assert top > 0 and score == 0, f"blank scored {score}/{top}"

    def test_feedback_hides_hidden_tests(self, graded):
        """Feedback HTML shows neither hidden test code nor tracebacks quoting it."""
        unit, course, *_ = graded
        page = html.unescape(re.sub(r"<[^>]+>", "", course.feedback("blank", unit).read_text()))
        hidden = hidden_test_lines(unit)
        assert hidden, "the unit has no hidden tests"
        # A traceback quotes code as "---> 11     out = f(x)": drop the arrow and line number before comparing.
        shown = {re.sub(r"^(-*>|\d+)\s+", "", line.strip()) for line in page.splitlines()}
        leaked = [line for line in hidden if line in shown]
        assert not leaked, f"feedback shows hidden test code: {leaked[:3]}"
        assert "Hidden tests" in page  # the docstrings, and the failures' messages, remain


for _unit in units():
    globals()[f"TestGrading_{_unit}"] = type(f"TestGrading_{_unit}", (_UnitGrading,), {"unit": _unit})
