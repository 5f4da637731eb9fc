"""The course command line: `python -m autograder.course COMMAND` (the Makefile's targets call it).

  release [UNIT...]      regenerate assignments/ from solutions/ (and register them in the gradebook)
  grade [UNIT...]        autograde every student in autograder/submitted/, one student per process
  feedback [UNIT...]     write feedback HTML (hidden tests removed) to autograder/feedback/
  export                 write autograder/grades.csv and grades_by_function.csv; print the item analysis
  similarity UNIT        compare every submission with every other and with the solutions (copydetect)
  check UNIT NOTEBOOK... check submissions without grading (what `grade` checks first)
  demo [UNIT...]         a demo class graded end to end in build/demo
  mutants [UNIT...]      grade every mutant through nbgrader; fail if a wrong one keeps full marks
  badges [--check]       write the repository URL from pyproject.toml into badges and install cells

UNIT is a unit's name or number ("01" or "01_convolution"); none means every unit.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from autograder import analysis, demo, mutation, sandbox, similarity
from autograder.course_dir import CourseDir, GradeReport, NbgraderError
from autograder.precheck import check_submission
from autograder.units import AUTOGRADER, REPO, lectures, select_units, solution_notebook


def cmd_release(args) -> int:
    course = CourseDir()
    for unit in select_units(args.units):
        print(f"releasing {unit} -> assignments/{unit}/")
        course.release(unit)
    return 0


def grade_all(course: CourseDir, units: list[str], log=print, jobs: int = 1,
              only: list[str] | None = None) -> list[GradeReport]:  # fmt: skip
    """Autograde every submission of `units`, each student in a process (and sandbox) of its own, `jobs`
    at a time; one line per student as each finishes; a bad submission never stops the rest.

    The gradebook is copied to backups/ first, so that no run (or crash) can lose a grade given before it.
    """
    reports = []
    warning = sandbox.status_line()
    if warning:
        log(warning)
    backup = course.backup_gradebook()
    if backup:
        log(f"gradebook backed up to {backup.relative_to(course.root)}")
    if jobs > 1:
        course.prepare_parallel()
    for unit in units:
        students = [s for s in course.students(unit) if only is None or s in only]
        log(f"\n{unit}: {len(students)} submission(s) in {course.root.name}/submitted/")
        if not students:
            continue
        expected = course.released_cells(unit)
        with ThreadPoolExecutor(max(1, jobs)) as pool:
            futures = [pool.submit(course.autograde, student, unit, expected) for student in students]
            for future in as_completed(futures):
                r = future.result()
                log(f"  {r.student:<20} {r.score_text} {r.seconds:>6.1f}s  {r.status}")
                reports.append(r)
    reports.sort(key=lambda r: (units.index(r.assignment), r.student))
    trouble = sum(r.autograded is None for r in reports)
    if trouble:
        log(f"\n{trouble} submission(s) need attention (reasons above); everyone else was graded.")
    review = [r for r in reports if r.status.startswith("REVIEW")]
    if review:
        log(f"\n{len(review)} submission(s) to review by hand (graded, but their code does what answers should not):")
        for r in review:
            log(f"  {r.assignment} {r.student}: {r.status}")
    if warning:
        log(warning)
    return reports


def cmd_grade(args) -> int:
    root = Path(args.course_root) if args.course_root else AUTOGRADER
    course = CourseDir(root, quiet_threads=args.jobs > 1, db_url=args.db or None)
    grade_all(course, select_units(args.units), log=lambda line: print(line, flush=True), jobs=args.jobs,
              only=args.student or None)  # fmt: skip
    return 0


def cmd_feedback(args) -> int:
    course = CourseDir()
    for unit in select_units(args.units):
        for student in course.students(unit):
            if not course.graded(student, unit):
                print(f"  {unit} {student}: not graded (see `make grade`), no feedback")
                continue
            print(f"  {unit} {student}: {course.feedback(student, unit).relative_to(REPO)}")
    return 0


def cmd_export(args) -> int:
    course = CourseDir()
    path = course.export(AUTOGRADER / "grades.csv")
    print(f"grades written to {path.relative_to(REPO)}")
    missing = [f"{s} ({u})" for u in select_units(None) for s in course.students(u) if not course.graded(s, u)]
    if missing:
        print(f"not in it (submitted but not graded: see `make grade`): {', '.join(missing)}")
    by_function, _ = analysis.write_by_function(course, select_units(None), AUTOGRADER / "grades_by_function.csv")
    print(f"points per graded function written to {by_function.relative_to(REPO)}")
    analysis.print_item_analysis(course, select_units(None))
    return 0


def cmd_similarity(args) -> int:
    course = CourseDir()
    for unit in select_units(args.units):
        out = AUTOGRADER / "similarity" / unit
        report, pairs = similarity.similarity_report(course, unit, out, threshold=args.threshold)
        print(f"{unit}: {len(course.students(unit))} submission(s); report {report.relative_to(REPO)}")
        print(f"  pairs at or above {args.threshold:.0%} similarity: {len(pairs)}")
        for pair in pairs[: args.top]:
            print(f"  {pair.similarity:>5.0%}  {pair.a}  <->  {pair.b}")
    return 0


def cmd_check(args) -> int:
    [unit] = select_units([args.unit])
    expected = CourseDir().released_cells(unit)
    bad = 0
    for path in args.notebooks:
        verdict = check_submission(path, expected)
        status = "ok" if verdict.gradable else "NOT GRADABLE"
        print(f"{path}: {status}")
        for line in verdict.errors + verdict.warnings:
            print(f"  - {line}")
        bad += not verdict.gradable
    return 1 if bad else 0


def cmd_demo(args) -> int:
    return demo.run(select_units(args.units))


def cmd_mutants(args) -> int:
    units = select_units(args.units)
    problems = [p for u in units for p in mutation.coverage_problems(u)]
    ok = True
    for unit in units:
        print(f"{unit}: grading the reference and every mutant through nbgrader ({args.jobs} at a time)")
        ok &= mutation.summarize(unit, mutation.run_unit(unit, jobs=args.jobs))
    for p in problems:
        print(f"PROBLEM: {p}")
    return 0 if ok and not problems else 1


# -- badges -----------------------------------------------------------------------------------------------
COLAB = re.compile(r"https://colab\.research\.google\.com/github/[\w.-]+/[\w.-]+/blob/main/")
INSTALL = re.compile(r"git\+https://github\.com/[\w.-]+/[\w.-]+?(?=[\"'\s\\])")


def repository_url() -> str:
    # A regular expression rather than tomllib, which Python 3.10 lacks.
    found = re.search(r'^Repository\s*=\s*"([^"]+)"', (REPO / "pyproject.toml").read_text(), re.MULTILINE)
    url = found.group(1).rstrip("/") if found else ""
    if not re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url):
        raise SystemExit(
            f"pyproject.toml [project.urls] Repository must be https://github.com/OWNER/REPO, got {url}"
        )
    return url


def badge_files() -> list:
    return [REPO / "README.md", *lectures(), *(solution_notebook(u) for u in select_units(None))]


def cmd_badges(args) -> int:
    url = repository_url()
    colab = url.replace("https://github.com/", "https://colab.research.google.com/github/") + "/blob/main/"
    stale = []
    for path in badge_files():
        text = path.read_text(encoding="utf-8")
        new = INSTALL.sub(f"git+{url}", COLAB.sub(colab, text))
        if new != text:
            stale.append(path.relative_to(REPO))
            if not args.check:
                path.write_text(new, encoding="utf-8")
    if args.check and stale:
        print(
            "Badges or install cells do not match pyproject.toml; run `make badges`: "
            + ", ".join(map(str, stale))
        )
        return 1
    print(f"{'would update' if args.check else 'updated'}: {', '.join(map(str, stale)) or 'nothing'}")
    if stale and not args.check:
        print("Solutions changed: run `make release` to carry the badges into assignments/.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.course", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    sub = parser.add_subparsers(dest="command", required=True)
    for name, fn in [("release", cmd_release), ("grade", cmd_grade), ("feedback", cmd_feedback),
                     ("demo", cmd_demo), ("mutants", cmd_mutants)]:  # fmt: skip
        p = sub.add_parser(name)
        p.add_argument("units", nargs="*", help="unit names or numbers (default: all)")
        p.set_defaults(fn=fn)
        if name in ("mutants", "grade"):
            p.add_argument("--jobs", type=int, default=2 if name == "mutants" else 1, help="students graded side by side")
        if name == "grade":
            p.add_argument("--student", action="append", help="grade only this student (repeatable)")
            p.add_argument("--db", default=os.environ.get("DB"), help="gradebook URL (default: SQLite in the course root)")
            p.add_argument("--course-root", help="the nbgrader course folder (default: autograder/)")
    sub.add_parser("export").set_defaults(fn=cmd_export)
    p = sub.add_parser("similarity")
    p.add_argument("units", nargs="*", help="unit names or numbers (default: all)")
    p.add_argument("--threshold", type=float, default=0.5, help="smallest similarity reported (0..1)")
    p.add_argument("--top", type=int, default=10, help="pairs listed on the terminal")
    p.set_defaults(fn=cmd_similarity)
    p = sub.add_parser("check")
    p.add_argument("unit")
    p.add_argument("notebooks", nargs="+", type=Path)
    p.set_defaults(fn=cmd_check)
    p = sub.add_parser("badges")
    p.add_argument("--check", action="store_true", help="only report files that are out of date")
    p.set_defaults(fn=cmd_badges)
    args = parser.parse_args(argv)
    try:
        return args.fn(args)
    except NbgraderError as err:
        print(err, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
