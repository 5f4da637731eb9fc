"""Grades per graded function, and an item analysis: what the class got wrong, so it can be re-taught.

Both read the gradebook through `CourseDir.scores` and group cells with `feedback.function_rows`, the
same grouping the feedback summary uses, so the CSV, the analysis and the students' pages agree.
"""

from __future__ import annotations

import csv
from pathlib import Path

import nbformat

from autograder.course_dir import CourseDir
from autograder.feedback import FunctionRow, function_rows

FIELDS = ["student", "unit", "function", "kind", "points", "max"]


def student_rows(course: CourseDir, student: str, unit: str) -> list[FunctionRow] | None:
    """The student's rows for `unit`, or None when the submission was not (completely) graded."""
    scores = course.scores(student, unit)
    if not scores or not course.graded(student, unit):
        return None
    release = nbformat.read(course.release_dir / unit / f"{unit}.ipynb", as_version=4)
    return function_rows(release.cells, scores)


def write_by_function(course: CourseDir, units: list[str], to: Path) -> tuple[Path, list[str]]:
    """grades_by_function.csv (student, unit, function, kind, points, max); returns it and who was left out.

    Written answers have kind "written" and an empty score until a person grades them.
    """
    left_out = []
    with open(to, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        for unit in units:
            for student in course.students(unit):
                rows = student_rows(course, student, unit)
                if rows is None:
                    left_out.append(f"{student} ({unit})")
                    continue
                for r in rows:
                    earned = r.earned
                    writer.writerow({"student": student, "unit": unit, "function": r.name, "kind": r.kind,
                                     "points": "" if earned is None else f"{earned:g}", "max": f"{r.maximum:g}"})  # fmt: skip
    return to, left_out


def item_analysis(course: CourseDir, unit: str) -> tuple[int, list[tuple[str, float]], list[tuple[str, float]]]:
    """(graded students, [(function, share of points earned)], [(test, share passed)]), lowest first."""
    per_function: dict[str, list[float]] = {}
    per_test: dict[str, list[bool]] = {}
    graded = 0
    for student in course.students(unit):
        rows = student_rows(course, student, unit)
        if rows is None:
            continue
        graded += 1
        for r in rows:
            if r.kind != "code" or r.maximum == 0:
                continue
            per_function.setdefault(r.name, []).append(r.earned / r.maximum)
            for t in r.tests:
                per_test.setdefault(f"{r.name}: {t.grade_id}", []).append(t.passed)
    functions = sorted(((f, sum(v) / len(v)) for f, v in per_function.items()), key=lambda x: (x[1], x[0]))
    tests = sorted(((t, sum(v) / len(v)) for t, v in per_test.items()), key=lambda x: (x[1], x[0]))
    return graded, functions, tests


def print_item_analysis(course: CourseDir, units: list[str], log=print, top: int = 10) -> None:
    """Per unit: the share of the class that earned each function's points and passed each test, lowest first."""
    for unit in units:
        graded, functions, tests = item_analysis(course, unit)
        if not graded:
            continue
        log(f"\n{unit}: item analysis over {graded} graded student(s), lowest first")
        log("  function                      share of points")
        for name, share in functions:
            log(f"  {name:<28} {share:>6.0%}  {'#' * round(20 * share)}")
        log(f"  tests passed by the fewest students (of {len(tests)}):")
        for name, share in tests[:top]:
            log(f"  {share:>6.0%}  {name}")


def print_student_summary(rows: list[FunctionRow], log=print) -> None:
    """The feedback summary of one student as text: points per function and the first failure of each."""
    for r in rows:
        earned = r.earned
        points = "-" if earned is None else f"{earned:g}"
        failed = [t for t in r.tests if not t.passed]
        note = "graded by hand" if r.kind == "written" else (
            "all tests passed" if not failed else f"{len(failed)} failed, e.g. {failed[0].docstring or failed[0].grade_id}"
        )  # fmt: skip
        log(f"    {r.name:<26} {points:>5} / {r.maximum:<4g} {note}")
