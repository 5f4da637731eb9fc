"""How grading copes with broken and tricky submissions (tested on the first unit; it is unit-independent).

A small class is graded exactly as `make grade` grades one: a student who deleted a test cell, one whose
correct code warns on stderr, two who tried to skip or edit the tests, and three broken submissions that
must be reported with their reason without stopping the class.
"""

import copy
import shutil

import nbformat
import pytest

from autograder.course import grade_all
from autograder.course_dir import CourseDir
from autograder.units import BUILD, solution_notebook, units


def first_solution_cell(nb):
    return next(
        c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")
    )


@pytest.fixture(scope="module")
def graded():
    """(unit, course, reports by student, id of the deleted test cell, the grading log)."""
    unit = units()[0]
    root = BUILD / "test-grading" / "robustness"
    shutil.rmtree(root, ignore_errors=True)
    course = CourseDir(root, root / "release")
    course.release(unit)
    source = nbformat.read(solution_notebook(unit), as_version=4)
    release = course.release_dir / unit / f"{unit}.ipynb"
    course.submit("reference", unit, source)

    deleted = nbformat.read(release, as_version=4)
    first_test = next(i for i, c in enumerate(deleted.cells) if c.metadata.get("nbgrader", {}).get("grade"))
    deleted_id = deleted.cells[first_test].metadata["nbgrader"]["grade_id"]
    del deleted.cells[first_test]
    course.submit("deleted-test", unit, deleted)

    # A correct solution whose function warns on every call: stderr must not cost it points.
    warns = copy.deepcopy(source)
    cell = first_solution_cell(warns)
    name = cell.metadata["nbgrader"]["grade_id"]
    cell.source += (
        f"\n\nimport warnings\n_{name} = {name}\n\n\ndef {name}(*args, **kwargs):\n"
        f"    warnings.warn('a harmless warning', UserWarning, stacklevel=2)\n    return _{name}(*args, **kwargs)\n"
    )
    course.submit("warns", unit, warns)

    # Tricks that must not earn points: tests tagged to be skipped, tests edited into no-ops.
    skipping = nbformat.read(release, as_version=4)
    for c in skipping.cells:
        c.metadata["tags"] = ["skip-execution"]
    course.submit("skip-tags", unit, skipping)
    edited = nbformat.read(release, as_version=4)
    for c in edited.cells:
        if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code":
            c.source = "pass"
    course.submit("edited-tests", unit, edited)

    course.submit("not-json", unit, release)
    course.submission_path("not-json", unit).write_text('{"cells": [ truncated by a bad upload')

    duplicated = copy.deepcopy(source)
    solution_idx = duplicated.cells.index(first_solution_cell(duplicated))
    duplicated.cells.insert(solution_idx + 1, copy.deepcopy(duplicated.cells[solution_idx]))
    duplicated.cells[solution_idx + 1].id = "pasted-copy"
    course.submit("copy-pasted", unit, duplicated)

    stripped = nbformat.read(release, as_version=4)
    for c in stripped.cells:
        c.metadata.pop("nbgrader", None)
    course.submit("stripped", unit, stripped)

    log = []
    reports = {r.student: r for r in grade_all(course, [unit], log=log.append)}
    return unit, course, reports, deleted_id, "\n".join(log)


def test_warnings_do_not_cost_points(graded):
    """A correct function that writes a warning to stderr keeps full marks (nbgrader would zero the cell)."""
    _, _, reports, *_ = graded
    assert reports["warns"].complete, reports["warns"].status
    score, top = reports["warns"].autograded
    assert top > 0 and score == top, f"warns scored {score}/{top}"


@pytest.mark.parametrize("student", ["skip-tags", "edited-tests"])
def test_tricks_earn_nothing(graded, student):
    """Tagging test cells skip-execution or editing them does not turn a blank notebook into points."""
    _, _, reports, *_ = graded
    assert reports[student].complete, reports[student].status
    score, top = reports[student].autograded
    assert top > 0 and score == 0, f"{student} scored {score}/{top}"


def test_deleted_test_cell_is_restored_and_graded(graded):
    """A student who deletes a test cell is still graded on it (nbgrader puts it back)."""
    _, _, reports, deleted_id, log = graded
    r = reports["deleted-test"]
    assert r.verdict.gradable and r.scores and deleted_id in r.scores
    assert deleted_id in log and "restores them" in log


@pytest.mark.parametrize(
    "student, reason",
    [
        ("not-json", "not valid JSON"),
        ("copy-pasted", "more than once"),
        ("stripped", "no nbgrader cell metadata"),
    ],
)
def test_broken_submission_is_reported_and_class_graded(graded, student, reason):
    """A broken submission is reported with its reason; the others still get grades."""
    _, _, reports, _, log = graded
    r = reports[student]
    assert not r.verdict.gradable and reason in r.status and r.scores is None
    assert f"{student}" in log and reason in log
    assert reports["reference"].scores and reports["deleted-test"].scores


def test_a_hanging_cell_times_out_and_grading_goes_on():
    """A function that hangs on its first call costs that one test cell; the others are still graded."""
    unit = units()[0]
    root = BUILD / "test-grading" / "timeout"
    shutil.rmtree(root, ignore_errors=True)
    course = CourseDir(root, root / "release", options=("--Execute.timeout=15",))  # no test cell is near 15 s
    course.release(unit)
    hangs = nbformat.read(solution_notebook(unit), as_version=4)
    cell = first_solution_cell(hangs)
    name = cell.metadata["nbgrader"]["grade_id"]
    cell.source += (
        f"\n\nimport time\n_{name} = {name}\n_calls = []\n\n\ndef {name}(*args, **kwargs):\n"
        f"    _calls.append(1)\n    if len(_calls) == 1:\n        time.sleep(3600)  # hangs once\n"
        f"    return _{name}(*args, **kwargs)\n"
    )
    course.submit("hangs", unit, hangs)
    report = course.autograde("hangs", unit)
    assert report.complete, report.status
    score, top = report.autograded
    lost = [g for g in report.tests if report.scores[g][0] < report.scores[g][1]]
    assert len(lost) == 1 and lost[0].startswith(f"test_{name}_"), f"lost {lost}"
    assert 0 < score < top and report.seconds < 180


KILLER = "\n\nimport os\n\n\ndef {name}(*args, **kwargs):\n    os._exit(3)  # the kernel dies in the first test that calls it\n"


def test_a_dead_kernel_is_not_graded_never_passed():
    """A submission whose code kills the kernel is reported NOT GRADED with the reason, after one retry;
    its cells count neither as passed nor as 0, and grades.csv gives it no score."""
    unit = units()[0]
    root = BUILD / "test-grading" / "dead-kernel"
    shutil.rmtree(root, ignore_errors=True)
    course = CourseDir(root, root / "release")
    course.release(unit)
    killer = nbformat.read(solution_notebook(unit), as_version=4)
    cell = first_solution_cell(killer)
    cell.source += KILLER.format(name=cell.metadata["nbgrader"]["grade_id"])
    course.submit("kills-kernel", unit, killer)
    course.submit("reference", unit, solution_notebook(unit))
    reports = {r.student: r for r in grade_all(course, [unit], log=lambda _line: None)}

    r = reports["kills-kernel"]
    assert r.autograded is None and not r.complete and r.ungraded, r.scores
    assert r.status.startswith("NOT GRADED") and "kernel" in r.status.lower(), r.status
    assert r.retried is not None, "a failed student is graded once more in a fresh process"
    assert course.log_path("kills-kernel", unit).is_file()
    assert reports["reference"].complete and reports["reference"].autograded[0] == reports["reference"].autograded[1]
    assert not course.graded("kills-kernel", unit)

    import csv

    rows = {row["student_id"]: row for row in csv.DictReader(open(course.export(root / "grades.csv")))}
    assert rows["kills-kernel"]["score"] == "" and rows["kills-kernel"]["status"].startswith("NOT GRADED")
    assert rows["reference"]["status"] == "graded" and float(rows["reference"]["score"]) > 0


def test_the_mutation_harness_never_counts_a_dead_kernel_as_full_marks():
    """A mutant that kills the kernel is neither 'full marks' nor 'killed': its outcome is NOT GRADED."""
    from autograder import mutation
    from autograder.mutants import Mutant

    unit = units()[0]
    source = nbformat.read(solution_notebook(unit), as_version=4)
    cell = first_solution_cell(source)
    name = cell.metadata["nbgrader"]["grade_id"]
    killers = [
        Mutant(name, "kills_kernel", "wrong", cell.source + KILLER.format(name=name)),
        Mutant(name, "kills_kernel_too", "correct", cell.source + KILLER.format(name=name)),
    ]
    workdir = BUILD / "test-grading" / "dead-kernel-mutants"  # never the folder the mutant tests use
    outcomes = mutation.run_unit(unit, jobs=1, log=lambda _line: None, mutants=killers, workdir=workdir)
    reference, *graded = outcomes
    assert reference.ok, reference.describe()
    for o in graded:
        assert not o.ok and o.describe().startswith("NOT GRADED"), o.describe()
        assert "not graded in the batch run" in (o.report.retried or "")
    lines = []
    assert not mutation.summarize(unit, outcomes, log=lines.append)
    rows = [line for line in lines if "kills_kernel" in line]
    assert len(rows) == 2 and all("FAIL NOT GRADED" in row for row in rows), rows


def test_export_by_function_and_item_analysis(graded):
    """grades_by_function.csv sums to each graded student's gradebook score and leaves out the ungraded;
    the item analysis gives the share of the class per function and per test, lowest first."""
    import csv

    from autograder import analysis

    unit, course, reports, *_ = graded
    path, left_out = analysis.write_by_function(course, [unit], course.root / "grades_by_function.csv")
    rows = list(csv.DictReader(open(path)))
    for student, r in reports.items():
        mine = [row for row in rows if row["student"] == student and row["kind"] == "code"]
        if r.autograded is None:
            assert not mine and f"{student} ({unit})" in left_out
        else:
            assert (sum(float(x["points"]) for x in mine), sum(float(x["max"]) for x in mine)) == r.autograded
    written = [row for row in rows if row["kind"] == "written"]
    # nobody graded them by hand yet; nbgrader itself gives 0 to an answer left as released
    assert written and all(row["points"] in ("", "0") for row in written), written

    graded_count, functions, tests = analysis.item_analysis(course, unit)
    assert graded_count == sum(r.autograded is not None for r in reports.values())
    shares = [share for _, share in functions]
    assert shares == sorted(shares) and all(0 <= s <= 1 for s in shares)
    assert [s for _, s in tests] == sorted(s for _, s in tests)
    # reference and warns (solutions) pass every test; deleted-test, skip-tags and edited-tests (blank) none
    assert all(abs(share - 2 / 5) < 1e-9 for _, share in tests), tests[:3]
    lines = []
    analysis.print_item_analysis(course, [unit], log=lines.append)
    assert "item analysis over 5 graded student(s)" in "\n".join(lines)


def test_grading_backs_up_the_gradebook_first(graded):
    """A grading run starts by copying the gradebook (with every grade so far) to backups/."""
    from nbgrader.api import Gradebook

    unit, course, reports, *_ = graded
    grade_all(course, [], log=lambda _line: None)
    backup = sorted((course.root / "backups").glob("gradebook-*.db"))[-1]
    with Gradebook(f"sqlite:///{backup}") as gb:
        kept = gb.find_submission_notebook(unit, unit, "reference")
        assert len(kept.grades) == len(reports["reference"].scores)
