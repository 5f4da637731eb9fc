"""A PostgreSQL gradebook: the same grades as SQLite, from parallel jobs and from independent processes.

The suite starts its own PostgreSQL server (Debian's postgresql package: initdb + pg_ctl in a temporary
folder, listening on a Unix socket only) and stops it at the end. PostgreSQL refuses to run as root, so
as root (CI) the server runs as the `postgres` user the package creates. Select these tests with
`-k postgres`.
"""

import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from autograder.course import grade_all
from autograder.course_dir import CourseDir
from autograder.demo import demo_students
from autograder.units import BUILD, REPO

UNIT = "01_convolution"


def pg_bin(tool: str) -> str:
    found = shutil.which(tool) or next(iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{tool}"))), None)
    if found is None:
        pytest.fail(f"PostgreSQL's {tool} is not installed (Debian: apt install postgresql)")
    return str(found)


def as_server_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    """A running PostgreSQL server and the URL of an empty database `cnn_course` on it."""
    base = Path(f"/tmp/cnn-pg-{os.getpid()}")  # short: a Unix socket path has at most 107 characters
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(mode=0o755)
    data = base / "data"
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    subprocess.run(as_server_user([pg_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]),
                   check=True, capture_output=True)  # fmt: skip
    port = 5400 + os.getpid() % 500
    options = f"-k {base} -p {port} -c listen_addresses=''"
    subprocess.run(as_server_user([pg_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start"]),
                   check=True, capture_output=True)  # fmt: skip
    try:
        subprocess.run([pg_bin("createdb"), "-h", str(base), "-p", str(port), "-U", "postgres", "cnn_course"],
                       check=True, capture_output=True)  # fmt: skip
        yield f"postgresql+psycopg2://postgres@/cnn_course?host={base}&port={port}"
    finally:
        subprocess.run(as_server_user([pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def make_course(name: str, db_url: str | None) -> CourseDir:
    root = BUILD / "test-postgres" / name
    shutil.rmtree(root, ignore_errors=True)
    course = CourseDir(root, root / "release", quiet_threads=True, db_url=db_url)
    course.release(UNIT)
    for student, nb in demo_students(UNIT, course).items():
        if student != "blank":  # two students: one full marks, one in between
            course.submit(student, UNIT, nb)
    return course


@pytest.fixture(scope="module")
def sqlite_grades():
    course = make_course("sqlite", None)
    grade_all(course, [UNIT], log=lambda _line: None)
    return {s: course.scores(s, UNIT) for s in course.students(UNIT)}


def test_postgres_gradebook_gives_the_sqlite_grades(postgres, sqlite_grades):
    """Two students at once into PostgreSQL: every cell's score equals the sequential SQLite run."""
    course = make_course("postgres-jobs", postgres)
    reports = grade_all(course, [UNIT], log=lambda _line: None, jobs=2)
    assert all(r.complete for r in reports), [r.status for r in reports]
    assert {s: course.scores(s, UNIT) for s in course.students(UNIT)} == sqlite_grades


def test_postgres_two_independent_processes(postgres, sqlite_grades):
    """Two `grade --student S --db URL` processes (as two cluster jobs would run) fill one gradebook."""
    host = postgres.split("host=")[1].split("&")[0]
    port = postgres.split("port=")[1]
    subprocess.run([pg_bin("createdb"), "-h", host, "-p", port, "-U", "postgres", "cnn_course_cli"], check=True)
    course = make_course("postgres-cli", postgres.replace("/cnn_course?", "/cnn_course_cli?"))

    def job(student):
        cmd = [sys.executable, "-m", "autograder.course", "grade", UNIT, "--student", student,
               "--db", course.db_url, "--course-root", str(course.root)]  # fmt: skip
        return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(job, ["reference", "buggy"]))
    for proc in results:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    assert {s: course.scores(s, UNIT) for s in ("reference", "buggy")} == {
        s: sqlite_grades[s] for s in ("reference", "buggy")
    }
