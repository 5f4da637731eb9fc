"""One nbgrader course folder, driven through nbgrader's own command line.

The course's real folder is autograder/ (release into ../assignments). The demo and the mutation tests
use throwaway folders under build/, each with its own gradebook and release, so nothing they do touches
the committed release or the instructor's gradebook.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.precheck import CellIds, Verdict, check_submission
from autograder.units import ASSIGNMENTS, AUTOGRADER, SOLUTIONS

# Generous per-student ceiling: nbgrader's own per-cell timeout (60 s) normally stops runaway code first.
STUDENT_TIMEOUT_S = 900


class NbgraderError(RuntimeError):
    """nbgrader failed; the message carries the end of its log."""


@dataclass
class GradeReport:
    """What happened when one student's assignment was graded."""

    student: str
    assignment: str
    verdict: Verdict
    tests: list[str]  # grade ids of the autograded test cells (written answers are graded by hand)
    scores: dict[str, tuple[float | None, float]] | None = None  # grade_id -> (auto score, max)
    seconds: float = 0.0
    failure: str | None = None  # nbgrader or the kernel died

    @property
    def autograded(self) -> tuple[float, float]:
        """(score, max) over the autograded test cells; (0, 0) when not graded."""
        if not self.scores:
            return (0.0, 0.0)
        tests = [self.scores[t] for t in self.tests if t in self.scores]
        return (sum(s or 0.0 for s, _ in tests), sum(m for _, m in tests))

    @property
    def score_text(self) -> str:
        """'31.0 / 38.0', or '-' for a submission that has no grades."""
        if not self.scores:
            return f"{'-':^13}"
        score, top = self.autograded
        return f"{score:>5.1f} / {top:<5.1f}"

    @property
    def status(self) -> str:
        if self.verdict.errors:
            return "NOT GRADED: " + " ".join(self.verdict.errors)
        if self.failure:
            return "FAILED: " + self.failure
        return "ok" + ("; " + " ".join(self.verdict.warnings) if self.verdict.warnings else "")


class CourseDir:
    """An nbgrader course folder (its root holds submitted/, autograded/, feedback/, gradebook.db)."""

    def __init__(
        self,
        root: Path = AUTOGRADER,
        release: Path = ASSIGNMENTS,
        quiet_threads: bool = False,
        options: tuple[str, ...] = (),
    ):
        self.root = Path(root).resolve()
        self.release_dir = Path(release).resolve()
        self.quiet_threads = quiet_threads  # one torch thread per kernel when several grade side by side
        self.options = options  # extra nbgrader options, e.g. ("--Execute.timeout=5",)

    # -- running nbgrader ---------------------------------------------------------------------------
    def nbgrader(self, *args: str, timeout: float | None = None) -> subprocess.CompletedProcess:
        """Run `nbgrader ARGS` for this course folder; raise NbgraderError with its log on failure."""
        env = dict(os.environ)
        # nbgrader runs alembic as a subprocess: the environment's bin/ must be on PATH.
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
        env.setdefault("PYTHONHASHSEED", "0")
        env["MPLBACKEND"] = "Agg"
        if self.quiet_threads:
            env["OMP_NUM_THREADS"] = "1"
        cmd = [
            sys.executable, "-m", "nbgrader", *args,
            f"--CourseDirectory.root={self.root}",
            f"--CourseDirectory.source_directory={SOLUTIONS}",
            f"--CourseDirectory.release_directory={self.release_dir}",
            *self.options,
        ]  # fmt: skip
        proc = subprocess.run(cmd, cwd=AUTOGRADER, env=env, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
            raise NbgraderError(f"nbgrader {' '.join(args)} failed (exit {proc.returncode}):\n{tail}")
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
        return sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir())

    # -- grading --------------------------------------------------------------------------------------
    def autograde(self, student: str, assignment: str, expected: CellIds | None = None) -> GradeReport:
        """Check, then autograde one student in a process of its own, then read the gradebook."""
        start = time.perf_counter()
        expected = expected or self.released_cells(assignment)
        verdict = check_submission(self.submission_path(student, assignment), expected)
        report = GradeReport(student, assignment, verdict, expected.tests)
        if not verdict.gradable:
            return report
        try:
            self.nbgrader("autograde", assignment, "--student", student, "--force", timeout=STUDENT_TIMEOUT_S)
        except NbgraderError as err:
            report.failure = str(err)
        except subprocess.TimeoutExpired:
            report.failure = f"grading took longer than {STUDENT_TIMEOUT_S} s and was stopped."
        report.scores = self.scores(student, assignment)
        if report.failure is None and not report.scores:
            report.failure = "nbgrader recorded no grades (did the kernel die?): see autograded/ for the log."
        report.seconds = time.perf_counter() - start
        return report

    def scores(self, student: str, assignment: str) -> dict[str, tuple[float | None, float]] | None:
        """grade_id -> (auto_score, max_score) from the gradebook; None if never graded."""
        from nbgrader.api import Gradebook, MissingEntry

        db = self.root / "gradebook.db"
        if not db.exists():
            return None
        with Gradebook(f"sqlite:///{db}") as gb:
            try:
                submission = gb.find_submission_notebook(assignment, assignment, student)
            except MissingEntry:
                return None
            return {g.name: (g.auto_score, g.max_score) for g in submission.grades}

    def feedback(self, student: str | None, assignment: str) -> Path:
        """Feedback HTML for one student, or for every graded student of `assignment` when student is None."""
        self.nbgrader("generate_feedback", assignment, "--force", *(("--student", student) if student else ()))
        return self.root / "feedback" / (student or "*") / assignment / f"{assignment}.html"

    def export(self, to: Path) -> Path:
        self.nbgrader("export", f"--to={to}")
        return to
