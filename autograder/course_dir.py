"""One nbgrader course folder, driven through nbgrader's own command line.

The course's real folder is autograder/ (release into ../assignments). The demo and the mutation tests
use throwaway folders under build/, each with its own gradebook and release, so nothing they do touches
the committed release or the instructor's gradebook.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder import audit
from autograder.precheck import CellIds, Verdict, check_submission, prepare_submission
from autograder.units import ASSIGNMENTS, AUTOGRADER, SOLUTIONS


def _text(data: str | bytes | None) -> str:
    return data.decode(errors="replace") if isinstance(data, bytes) else (data or "")

# Generous per-student ceiling: nbgrader's own per-cell timeout (60 s) normally stops runaway code first.
STUDENT_TIMEOUT_S = 900


def given_score(grade) -> float | None:
    """The score a grade holds: manual (plus extra credit) if given, else automatic; None if neither."""
    extra = grade.extra_credit or 0.0
    if grade.manual_score is not None:
        return grade.manual_score + extra
    return None if grade.auto_score is None else grade.auto_score + extra


class NbgraderError(RuntimeError):
    """nbgrader failed; the message carries the end of its log."""


@dataclass
class GradeReport:
    """What happened when one student's assignment was graded.

    A test cell whose score is missing or None was NOT graded (nbgrader could not run the notebook, or the
    kernel died): it counts neither as passed nor as 0, and the report says so with the reason.
    """

    student: str
    assignment: str
    verdict: Verdict
    tests: list[str]  # grade ids of the autograded test cells (written answers are graded by hand)
    scores: dict[str, tuple[float | None, float]] | None = None  # grade_id -> (auto score, max)
    seconds: float = 0.0
    failure: str | None = None  # why grading failed (nbgrader or the kernel died), with where its log is
    retried: str | None = None  # why the first attempt failed, when a second attempt was made

    @property
    def ungraded(self) -> list[str]:
        """Test cells without a score (all of them when nothing was graded)."""
        if not self.scores:
            return list(self.tests)
        return [t for t in self.tests if self.scores.get(t, (None, 0.0))[0] is None]

    @property
    def complete(self) -> bool:
        """Every autograded test cell has a score."""
        return bool(self.tests) and not self.ungraded

    @property
    def autograded(self) -> tuple[float, float] | None:
        """(score, max) over the autograded test cells, or None unless every one of them was graded."""
        if not self.complete:
            return None
        tests = [self.scores[t] for t in self.tests]
        return (sum(s for s, _ in tests), sum(m for _, m in tests))

    @property
    def score_text(self) -> str:
        """'31.0 / 38.0', or '-' for a submission that was not (completely) graded."""
        if self.autograded is None:
            return f"{'-':^13}"
        score, top = self.autograded
        return f"{score:>5.1f} / {top:<5.1f}"

    @property
    def status(self) -> str:
        if self.verdict.errors:
            return "NOT GRADED: " + " ".join(self.verdict.errors)
        if self.failure:
            return "NOT GRADED: " + self.failure
        if not self.complete:
            missing = self.ungraded
            return f"NOT GRADED: {len(missing)} of {len(self.tests)} test cells have no score ({', '.join(missing[:3])}...)"
        notes = list(self.verdict.warnings)
        if self.retried:
            notes.append(f"graded on a second try (the first failed: {self.retried})")
        if self.verdict.review:
            shown = "; ".join(self.verdict.review[:3])
            more = f" (and {len(self.verdict.review) - 3} more)" if len(self.verdict.review) > 3 else ""
            return "REVIEW: " + shown + more + ("; " + " ".join(notes) if notes else "")
        return "ok" + ("; " + " ".join(notes) if notes else "")


def failure_reason(log: str) -> str:
    """The line of an nbgrader log that says why it failed (the last exception), in one line."""
    lines = [line.strip() for line in log.strip().splitlines() if line.strip()]
    for line in reversed(lines):
        if re.search(r"\b\w+(Error|Exception|Timeout\w*)\b:?", line) and "Traceback" not in line:
            return line[:300]
    return lines[-1][:300] if lines else "nbgrader failed without a message"


class CourseDir:
    """An nbgrader course folder (its root holds submitted/, autograded/, feedback/, gradebook.db)."""

    def __init__(
        self,
        root: Path = AUTOGRADER,
        release: Path = ASSIGNMENTS,
        quiet_threads: bool = False,
        options: tuple[str, ...] = (),
        env: dict[str, str] | None = None,
        student_timeout: float = STUDENT_TIMEOUT_S,
        db_url: str | None = None,
    ):
        self.root = Path(root).resolve()
        self.release_dir = Path(release).resolve()
        self.quiet_threads = quiet_threads  # one torch thread per kernel when several grade side by side
        self.options = options  # extra nbgrader options, e.g. ("--Execute.timeout=5",)
        self.env = env or {}  # extra environment for nbgrader (the mutation harness's stop points)
        self.student_timeout = student_timeout  # wall-clock limit of one student's grading, in seconds
        self.db_url = db_url  # None: SQLite in root/gradebook.db; else any nbgrader db_url (PostgreSQL)

    @property
    def sqlite(self) -> bool:
        return self.db_url is None

    @property
    def gradebook_url(self) -> str:
        return self.db_url or f"sqlite:///{self.root / 'gradebook.db'}"

    # -- running nbgrader ---------------------------------------------------------------------------
    def nbgrader(self, *args: str, timeout: float | None = None, log: Path | None = None) -> subprocess.CompletedProcess:
        """Run `nbgrader ARGS` for this course folder; raise NbgraderError with its log on failure.

        With `log`, nbgrader's whole output is also written to that file (kept for failed students).
        """
        env = dict(os.environ)
        # nbgrader runs alembic as a subprocess: the environment's bin/ must be on PATH.
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
        env.setdefault("PYTHONHASHSEED", "0")
        env["MPLBACKEND"] = "Agg"
        env["CNN_COURSE_REVIEW_DIR"] = str(self.root / "reviews")  # where the executor notes hidden errors
        if self.quiet_threads:
            env["OMP_NUM_THREADS"] = "1"
        env.update(self.env)
        cmd = [
            sys.executable, "-m", "nbgrader", *args,
            f"--CourseDirectory.root={self.root}",
            f"--CourseDirectory.source_directory={SOLUTIONS}",
            f"--CourseDirectory.release_directory={self.release_dir}",
            *((f"--CourseDirectory.db_url={self.db_url}",) if self.db_url else ()),
            *self.options,
        ]  # fmt: skip
        try:
            proc = subprocess.run(cmd, cwd=AUTOGRADER, env=env, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as err:
            if log is not None:
                log.parent.mkdir(parents=True, exist_ok=True)
                log.write_text(_text(err.stdout) + _text(err.stderr) + f"\nstopped after {timeout} s\n")
            raise
        if log is not None:
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text(proc.stdout + proc.stderr)
        if "Exception while loading config file" in proc.stdout + proc.stderr:
            # nbgrader logs a broken config file and goes on with its defaults (no timeouts, no skip-tag
            # guard, hidden tests in feedback): never grade like that.
            raise NbgraderError(f"nbgrader could not load its configuration:\n{proc.stdout + proc.stderr}"[-3000:])
        if proc.returncode != 0:
            output = proc.stdout + proc.stderr
            tail = "\n".join(output.strip().splitlines()[-15:])
            raise NbgraderError(
                f"nbgrader {' '.join(args)} failed (exit {proc.returncode}): {failure_reason(output)}\n{tail}"
            )
        return proc

    def release(self, assignment: str) -> Path:
        """Generate the student version of `assignment` and register it in the gradebook."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.nbgrader("generate_assignment", assignment, "--force")
        return self.release_dir / assignment

    def released_cells(self, assignment: str) -> CellIds:
        return CellIds.of(self.release_dir / assignment / f"{assignment}.ipynb")

    # -- submissions ----------------------------------------------------------------------------------
    def submission_path(self, student: str, assignment: str) -> Path:
        return self.root / "submitted" / student / assignment / f"{assignment}.ipynb"

    def submit(self, student: str, assignment: str, notebook: Path | nbformat.NotebookNode) -> Path:
        """Place a notebook where nbgrader collects it (submitted/STUDENT/ASSIGNMENT/)."""
        dest = self.submission_path(student, assignment)
        if dest.parent.exists():
            shutil.rmtree(dest.parent)
        dest.parent.mkdir(parents=True)
        if isinstance(notebook, Path):
            shutil.copyfile(notebook, dest)
        else:
            nbformat.write(notebook, dest)
        return dest

    def students(self, assignment: str) -> list[str]:
        submitted = self.root / "submitted"
        if not submitted.is_dir():
            return []
        return sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir() or (p / assignment).is_symlink())

    # -- grading --------------------------------------------------------------------------------------
    def prepare_parallel(self) -> None:
        """Put the gradebook in SQLite's WAL mode, so that graders running side by side never block a
        reader and wait for each other's short writes instead of failing."""
        import sqlite3

        db = self.root / "gradebook.db"
        if self.sqlite and db.exists():
            with sqlite3.connect(db) as conn:
                conn.execute("PRAGMA journal_mode=WAL")

    def backup_gradebook(self, keep: int = 20) -> Path | None:
        """Copy gradebook.db to backups/gradebook-<time>.db (SQLite's online backup, safe while in use);
        keep the newest `keep` copies. None when there is no gradebook yet, or it is a database server's
        (back that up with the server's own tools, e.g. pg_dump)."""
        import sqlite3

        db = self.root / "gradebook.db"
        if not self.sqlite or not db.exists():
            return None
        folder = self.root / "backups"
        folder.mkdir(exist_ok=True)
        dest = folder / f"gradebook-{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**9:09d}.db"
        with sqlite3.connect(db) as source, sqlite3.connect(dest) as target:
            source.backup(target)
        for old in sorted(folder.glob("gradebook-*.db"))[:-keep]:
            old.unlink()
        return dest

    def log_path(self, student: str, assignment: str) -> Path:
        """Where nbgrader's log of a student's last grading attempt is kept."""
        return self.root / "logs" / assignment / f"{student}.log"

    def grade_once(self, student: str, assignment: str, report: GradeReport) -> str | None:
        """One nbgrader process for one student; fill report.scores; return why it failed, or None."""
        log = self.log_path(student, assignment)
        reason = None
        try:
            self.nbgrader("autograde", assignment, f"--student={student}", "--force", timeout=self.student_timeout, log=log)
        except NbgraderError as err:
            reason = str(err).splitlines()[0].split(": ", 1)[-1]
        except subprocess.TimeoutExpired:
            reason = f"TIMED OUT: grading took longer than {self.student_timeout:.0f} s and was stopped"
        report.scores = self.scores(student, assignment)
        if reason is None and report.ungraded:
            reason = f"{len(report.ungraded)} of {len(report.tests)} test cells have no score"
        return reason and f"{reason} (log: {log.relative_to(self.root)})"

    def autograde(self, student: str, assignment: str, expected: CellIds | None = None) -> GradeReport:
        """Check, then autograde one student in a process of its own, then read the gradebook.

        A student whose grading fails (nbgrader errors, the kernel dies, a test cell has no score) is
        graded once more in a fresh process: a kernel that failed to start on a loaded machine is not the
        student's fault. If the second attempt fails too, the report says NOT GRADED with the reason.
        """
        start = time.perf_counter()
        expected = expected or self.released_cells(assignment)
        prepared = prepare_submission(self.submission_path(student, assignment))
        verdict = prepared if prepared.errors else check_submission(self.submission_path(student, assignment), expected)
        verdict.warnings[:0] = prepared.warnings if verdict is not prepared else []
        report = GradeReport(student, assignment, verdict, expected.tests)
        if not verdict.gradable:
            return report
        verdict.review = [str(f) for f in audit.audit(self.submission_path(student, assignment), self.release_facts(assignment))]
        self.execution_notes(student, assignment).unlink(missing_ok=True)
        self.regrade(report)
        verdict.review += self.execution_notes_read(student, assignment)
        self.write_review(report)
        report.seconds = time.perf_counter() - start
        return report

    def release_facts(self, assignment: str) -> audit.Release:
        """What the audit compares a submission with (the release, and the names its hidden tests use)."""
        cache = self.__dict__.setdefault("_release_facts", {})
        if assignment not in cache:
            cache[assignment] = audit.Release.of(self.release_dir / assignment / f"{assignment}.ipynb",
                                                 SOLUTIONS / assignment / f"{assignment}.ipynb")  # fmt: skip
        return cache[assignment]

    def execution_notes(self, student: str, assignment: str) -> Path:
        """Where the executor writes what it saw during the run (a test cell whose error the kernel hid)."""
        return self.root / "reviews" / assignment / f"{student}.execution.txt"

    def execution_notes_read(self, student: str, assignment: str) -> list[str]:
        path = self.execution_notes(student, assignment)
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []

    def review_path(self, student: str, assignment: str) -> Path:
        return self.root / "reviews" / assignment / f"{student}.txt"

    def write_review(self, report: GradeReport) -> None:
        """Keep the audit's findings next to the gradebook (make export puts them in grades.csv)."""
        path = self.review_path(report.student, report.assignment)
        if report.verdict.review:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(report.verdict.review) + "\n", encoding="utf-8")
        else:
            path.unlink(missing_ok=True)

    def review(self, student: str, assignment: str) -> list[str]:
        path = self.review_path(student, assignment)
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []

    def regrade(self, report: GradeReport, first_failure: str | None = None) -> GradeReport:
        """Grade `report`'s student (again, after `first_failure`), with one retry; update the report."""
        reason = first_failure or self.grade_once(report.student, report.assignment, report)
        if reason is not None and reason.startswith("TIMED OUT"):
            report.failure = reason  # the student's code ran past the limit: a second try would too
        elif reason is not None:
            report.retried = reason
            report.failure = self.grade_once(report.student, report.assignment, report)
        return report

    def scores(self, student: str, assignment: str) -> dict[str, tuple[float | None, float]] | None:
        """grade_id -> (score, max_score) from the gradebook (None where nobody graded it); None if never graded."""
        from nbgrader.api import Gradebook, MissingEntry

        if self.sqlite and not (self.root / "gradebook.db").exists():
            return None
        with Gradebook(self.gradebook_url) as gb:
            try:
                submission = gb.find_submission_notebook(assignment, assignment, student)
            except MissingEntry:
                return None
            # A person's grade where one was given (written answers, overrides), else the autograder's, else
            # None. Not nbgrader's `score`, which turns "nobody graded this" into a silent 0.
            return {g.name: (given_score(g), g.max_score) for g in submission.grades}

    def feedback(self, student: str | None, assignment: str) -> Path:
        """Feedback HTML for one student, or for every graded student of `assignment` when student is None."""
        self.nbgrader("generate_feedback", assignment, "--force", *(("--student", student) if student else ()))
        return self.root / "feedback" / (student or "*") / assignment / f"{assignment}.html"

    def graded(self, student: str, assignment: str) -> bool:
        """Every autograded test cell of the student's submission has a score."""
        scores = self.scores(student, assignment)
        tests = self.released_cells(assignment).tests
        return bool(scores) and all(scores.get(t, (None, 0))[0] is not None for t in tests)

    def export(self, to: Path) -> Path:
        """nbgrader's grades.csv, with a `status` column; a submission not completely graded has no score.

        nbgrader adds up whatever scores exist, so a notebook it could not run would appear with a
        silent 0 (or a partial sum): its score columns are emptied and its status says why.
        """
        self.nbgrader("export", f"--to={to}")
        with open(to, newline="") as f:
            rows = list(csv.DictReader(f))
            fields = list(rows[0].keys()) if rows else []
        for row in rows:
            assignment, student = row.get("assignment"), row.get("student_id")
            if not row.get("timestamp") and not self.scores(student, assignment):
                row["status"] = "no submission"
            elif self.graded(student, assignment):
                row["status"] = "graded"
                flags = self.review(student, assignment)
                row["review"] = "; ".join(flags)
                if flags:
                    row["status"] = "REVIEW: graded, read the code (see review)"
            else:
                row["status"] = "NOT GRADED: test cells without a score (see make grade)"
                for key in ("raw_score", "score"):
                    if key in row:
                        row[key] = ""
        if rows:
            with open(to, "w", newline="") as f:
                writer = csv.DictWriter(f, fieldnames=fields + ["status", "review"], restval="")
                writer.writeheader()
                writer.writerows(rows)
        return to
