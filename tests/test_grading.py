"""Every unit through real nbgrader: release in sync, solutions full marks, release 0, feedback hides tests.

Each unit is released into a throwaway course folder (build/test-grading/UNIT) and the demo's three
students are graded as `make grade` grades them: reference (the solution), blank (the untouched release)
and buggy (the solutions with a few of the unit's mutants). Their feedback opens with a summary whose
numbers must be the gradebook's, and the similarity report must find buggy's copy of the solutions.
How the grader copes with broken or tricky submissions is tested once, in test_grading_robustness.py.
"""

import filecmp
import html
import re
import shutil

import nbformat
import pytest

from autograder import analysis, similarity
from autograder.course import grade_all
from autograder.course_dir import CourseDir
from autograder.demo import demo_students
from autograder.units import ASSIGNMENTS, BUILD, solution_notebook, units


@pytest.fixture(scope="class")
def graded(request):
    """(unit, course, reports by student) for the reference and the blank release of one unit."""
    unit = request.cls.unit
    root = BUILD / "test-grading" / unit
    shutil.rmtree(root, ignore_errors=True)
    course = CourseDir(root, root / "release")
    course.release(unit)
    students = demo_students(unit, course)
    students["buggy-again"] = students["buggy"]  # the same answers, graded in a run of their own
    for student, nb in students.items():
        course.submit(student, unit, nb)
    reports = {r.student: r for r in grade_all(course, [unit], log=lambda _line: None)}
    course.feedback(None, unit)
    return unit, course, reports


def feedback_page(course, student, unit):
    return (course.root / "feedback" / student / unit / f"{unit}.html").read_text()


def summary_rows(page):
    """(function, kind, points or None, max) of every row of the feedback summary table."""
    rows = re.findall(r'<tr data-function="([^"]+)" data-kind="(\w+)" data-max="([^"]*)" data-points="([^"]*)"', page)
    return [(html.unescape(f), k, float(p) if p else None, float(mx)) for f, k, mx, p in rows]


def hidden_test_lines(unit):
    """Code lines that appear only in the hidden regions of the solution notebook: not in the release, and
    not elsewhere in the solutions (a student who hands in the solutions shows those lines as their own)."""
    release = nbformat.read(ASSIGNMENTS / unit / f"{unit}.ipynb", as_version=4)
    visible = {line.strip() for cell in release.cells for line in cell.source.splitlines()}
    hidden = []
    for cell in nbformat.read(solution_notebook(unit), as_version=4).cells:
        inside = False
        for line in cell.source.splitlines():
            if "BEGIN HIDDEN TESTS" in line or "END HIDDEN TESTS" in line:
                inside = "BEGIN" in line
            elif inside:
                hidden.append(line.strip())
            else:
                visible.add(line.strip())
    return [line for line in hidden if len(line) > 25 and line not in visible]


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
        hidden = hidden_test_lines(unit)
        for student in ("blank", "buggy"):
            # A line the student wrote themselves (buggy hands in mutated solutions) is not a leak.
            submitted = nbformat.read(course.submission_path(student, unit), as_version=4)
            answers = [c for c in submitted.cells if c.metadata.get("nbgrader", {}).get("solution")]
            own = {line.strip() for cell in answers for line in cell.source.splitlines()}
            self.assert_no_leak(feedback_page(course, student, unit), [h for h in hidden if h not in own])

    @staticmethod
    def assert_no_leak(raw, hidden):
        page = html.unescape(re.sub(r"<[^>]+>", "", raw))
        assert hidden, "the unit has no hidden tests"
        # A traceback quotes code as "---> 11     out = f(x)": drop the arrow and line number before comparing.
        shown = {re.sub(r"^(-*>|\d+)\s+", "", line.strip()) for line in page.splitlines()}
        leaked = [line for line in hidden if line in shown]
        assert not leaked, f"feedback shows hidden test code: {leaked[:3]}"
        assert "Hidden tests" in page  # the docstrings, and the failures' messages, remain
        summary = raw[raw.index('id="cnn-summary"') : raw.index("</table>", raw.index('id="cnn-summary"'))]
        assert not [line for line in hidden if line in html.unescape(summary)], "the summary quotes hidden code"

    def test_buggy_scores_between(self, graded):
        """The demo's buggy student (a few of the unit's mutants) loses some points and keeps others."""
        _, _, reports = graded
        assert reports["buggy"].autograded is not None, reports["buggy"].status
        score, top = reports["buggy"].autograded
        assert 0 < score < top, f"buggy scored {score}/{top}"

    def test_feedback_opens_with_a_summary_equal_to_the_gradebook(self, graded):
        """Each student's feedback starts with one row per graded function whose points are the gradebook's."""
        unit, course, reports = graded
        for student, report in reports.items():
            page = feedback_page(course, student, unit)
            start = page.index('id="cnn-summary"')
            assert start < page.index('class="cell border-box-sizing code_cell'), "the summary must come first"
            shown = summary_rows(page)
            expected = [(r.name, r.kind, r.earned, r.maximum) for r in analysis.student_rows(course, student, unit)]
            assert shown == expected
            code = [(p, mx) for _, kind, p, mx in shown if kind == "code"]
            assert (sum(p for p, _ in code), sum(mx for _, mx in code)) == report.autograded
            if student == "buggy":
                assert "all tests passed" in page and 'href="#test_' in page

    def test_same_answers_get_the_same_grades(self, graded):
        """Two separate gradings of the same (partly wrong) submission give every test cell the same score."""
        unit, course, _ = graded
        first, second = course.scores("buggy", unit), course.scores("buggy-again", unit)
        differ = {k: (first[k], second.get(k)) for k in first if first[k] != second.get(k)}
        assert first and not differ, f"{unit}: the same submission was graded differently: {differ}"

    def test_similarity_finds_the_copy(self, graded):
        """buggy (the solutions, mutated) comes out near the reference; the blank release does not."""
        unit, course, _ = graded
        near = similarity.scores_against_reference(course, unit, course.root / "similarity")
        assert near["buggy"] >= 0.5 and near["blank"] <= 0.1, near


for _unit in units():
    globals()[f"TestGrading_{_unit}"] = type(f"TestGrading_{_unit}", (_UnitGrading,), {"unit": _unit})
