"""nbgrader configuration for the course (nbgrader 0.9.6).

The course root is this folder: submitted/, autograded/, feedback/ and gradebook.db land here and are
git-ignored. Sources are ../solutions, the release is ../assignments (committed). The course CLI
(`python -m autograder.course`) passes `--CourseDirectory.root=...` to grade a throwaway course instead
(the demo in build/demo, the mutation tests in build/mutants).
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    Execute,
    IgnorePattern,
    LimitOutput,
    NbGraderPreprocessor,
    SaveAutoGrades,
)
from traitlets import default

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the course's own preprocessors (autograder/feedback.py)
from autograder.feedback import FeedbackSummary  # noqa: E402

c.CourseDirectory.course_id = "cnn-course"
c.CourseDirectory.root = str(HERE)
c.CourseDirectory.source_directory = str(HERE.parent / "solutions")
c.CourseDirectory.release_directory = str(HERE.parent / "assignments")
# Data files next to a notebook (none yet) travel with the release; checkpoints never do.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# The release stub of every solution region: an error that says what to do.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Submissions run in the grading environment's own Python kernel, whatever the student's metadata says.
c.Execute.kernel_name = "python3"
# Kernels talk over Unix sockets in a fresh folder each (see IpcKernelManager below), and a kernel that is
# slow to start on a loaded machine gets two minutes instead of one.
c.Execute.startup_timeout = 120
# Per-cell limit: a test cell that loops forever scores 0 and grading goes on with the next cell.
c.Execute.timeout = 60
# The nbclient default tag "skip-execution" would let a student skip test cells (and score them full):
# only a tag nobody can guess skips a cell.
c.Execute.skip_cells_with_tag = "cnn-course-instructor-skip-7f3a"

# A test cell that writes to stderr scores 0: drop harmless warning lines before scoring.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"\w*Warning: "

# A deleted test cell is put back from the gradebook instead of leaving its grade empty.
c.OverwriteCells.add_missing_cells = True



class IpcKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel listens on Unix sockets in a private folder, not on TCP ports.

    With TCP, jupyter_client picks "free" ports by probing, closes them and lets the kernel bind them: two
    kernels started at the same moment by different grading processes can pick the same port, and one of
    them dies at start-up. jupyter_client's own ipc default is the relative path "kernel-ipc" with ports
    counted from 1, which collides the same way and breaks when the kernel runs in another folder; an
    absolute path in a folder of the kernel's own cannot collide.
    """

    @default("transport")
    def _transport_default(self):
        return "ipc"

    @default("ip")
    def _ip_default(self):
        self._socket_dir = tempfile.mkdtemp(prefix="cnn-kernel-")
        return os.path.join(self._socket_dir, "k")

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart and getattr(self, "_socket_dir", None):
            shutil.rmtree(self._socket_dir, ignore_errors=True)

    cleanup_resources = _async_cleanup_resources


class IpcExecute(Execute):
    """nbgrader's Execute with IpcKernelManager (nbgrader passes its kernel manager class as an argument,
    which would override a configured one)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", IpcKernelManager)
        super().__init__(*args, **kwargs)


# nbgrader's own autograde steps, in nbgrader's order, with the executor swapped.
c.Autograde.autograde_preprocessors = [
    IpcExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]


class HideHiddenTracebacks(NbGraderPreprocessor):
    """Cut the traceback of a failed hidden test to its last line (the error and its message).

    A traceback quotes the lines around the failure, which would show hidden test code in the feedback;
    the assertion message says what went wrong without them.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and "BEGIN HIDDEN TESTS" in cell.source:
            for out in cell.get("outputs", []):
                if out.output_type == "error":
                    out.traceback = [f"{out.ename}: {out.evalue}", "(the traceback of a hidden test is not shown)"]
        return cell, resources


# Feedback opens with a summary per graded function, and never shows hidden tests, neither their code nor
# the code quoted by their tracebacks.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    HideHiddenTracebacks,
    FeedbackSummary,
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
