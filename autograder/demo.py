"""The demo class: three students per unit, graded end to end in a throwaway course (build/demo).

`reference` submits the solutions, `blank` the untouched release, `buggy` the solutions with realistic
mistakes taken from the unit's mutants. Expected: reference full marks, blank 0, buggy in between.
"""

from __future__ import annotations

import shutil
import time

import nbformat

from autograder import analysis, similarity
from autograder.course_dir import CourseDir, GradeReport
from autograder.mutation import load_mutants, with_mutants
from autograder.units import BUILD, REPO, solution_notebook

DEMO = BUILD / "demo"


def demo_students(unit: str, course: CourseDir) -> dict[str, nbformat.NotebookNode]:
    source = nbformat.read(solution_notebook(unit), as_version=4)
    blank = nbformat.read(course.release_dir / unit / f"{unit}.ipynb", as_version=4)
    mutants, buggy_names = load_mutants(unit)
    buggy = with_mutants(source, [m for m in mutants if m.name in buggy_names])
    return {"reference": source, "blank": blank, "buggy": buggy}


def expectation_problems(unit: str, reports: dict[str, GradeReport]) -> list[str]:
    problems = [f"{unit}: {s}: {r.status}" for s, r in reports.items() if r.autograded is None]
    if problems:
        return problems  # a student that was not graded has no score to compare
    (ref, top), (blank, _), (buggy, _) = (reports[s].autograded for s in ("reference", "blank", "buggy"))
    if top == 0 or ref != top:
        problems.append(f"{unit}: reference scored {ref}/{top}, expected full marks")
    if blank != 0:
        problems.append(f"{unit}: blank scored {blank}, expected 0")
    if not 0 < buggy < top:
        problems.append(f"{unit}: buggy scored {buggy}/{top}, expected strictly between 0 and full marks")
    problems += [f"{unit}: {s}: {r.status}" for s, r in reports.items() if r.failure or r.verdict.errors]
    return problems


def similarity_problems(unit: str, near: dict[str, float]) -> list[str]:
    """The buggy student (the solutions with a few mutations) must look copied; the blank release must not."""
    problems = []
    if near.get("buggy", 0.0) < 0.5:
        problems.append(f"{unit}: buggy is only {near.get('buggy', 0.0):.0%} similar to the reference (a copy)")
    if near.get("blank", 0.0) > 0.1:
        problems.append(f"{unit}: blank is {near['blank']:.0%} similar to the reference (it holds no answer)")
    return problems


def run(units: list[str], log=print) -> int:
    """Release, submit, autograde, give feedback and export grades; print one table per unit."""
    start = time.perf_counter()
    shutil.rmtree(DEMO, ignore_errors=True)
    course = CourseDir(DEMO, DEMO / "release")
    problems = []
    for i, unit in enumerate(units, 1):
        log(f"[{i}/{len(units)}] {unit}: releasing")
        course.release(unit)
        expected = course.released_cells(unit)
        reports = {}
        for student, nb in demo_students(unit, course).items():
            course.submit(student, unit, nb)
            log(f"[{i}/{len(units)}] {unit}: autograding {student}")
            reports[student] = course.autograde(student, unit, expected)
        log(f"[{i}/{len(units)}] {unit}: writing feedback")
        course.feedback(None, unit)
        log(f"\n{unit}")
        log(f"  {'student':<10} {'autograded':>12} {'time':>7}  status")
        for student, r in reports.items():
            log(f"  {student:<10} {r.score_text} {r.seconds:>6.1f}s  {r.status}")
        rows = analysis.student_rows(course, "buggy", unit)
        if rows:
            log("  buggy, per graded function (what its feedback opens with):")
            analysis.print_student_summary(rows, log=log)
        near = similarity.scores_against_reference(course, unit, DEMO / "similarity" / unit)
        log("  similarity to the reference solution: " + ", ".join(f"{s} {v:.0%}" for s, v in near.items()))
        log("")
        problems += expectation_problems(unit, reports)
        problems += similarity_problems(unit, near)
    grades = course.export(DEMO / "grades.csv")
    by_function, _ = analysis.write_by_function(course, units, DEMO / "grades_by_function.csv")
    where = DEMO.relative_to(REPO)
    log(f"gradebook: {where}/gradebook.db\nfeedback:  {where}/feedback/<student>/<unit>/<unit>.html")
    log(f"grades:    {grades.relative_to(REPO)}, {by_function.relative_to(REPO)}")
    log(f"copies:    {where}/similarity/<unit>/report.html\ntook {time.perf_counter() - start:.0f} s")
    for p in problems:
        log(f"PROBLEM: {p}")
    return 1 if problems else 0
