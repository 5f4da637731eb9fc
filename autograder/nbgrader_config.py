"""nbgrader configuration for the course (nbgrader 0.9.6).

The course root is this folder: submitted/, autograded/, feedback/ and gradebook.db land here and are
git-ignored. Sources are ../solutions, the release is ../assignments (committed). The course CLI
(`python -m autograder.course`) passes `--CourseDirectory.root=...` to grade a throwaway course instead
(the demo in build/demo, the mutation tests in build/mutants).
"""

import json
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
from autograder import sandbox  # noqa: E402
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


class SandboxKernelManager(IpcKernelManager):
    """IpcKernelManager whose kernel starts inside the sandbox (autograder/sandbox.py).

    The kernel sees its socket folder and connection file and a copy of its own folder, nothing else of
    the course. Interrupts (a cell past its timeout) go as a message on the control channel: a signal
    would stop at bubblewrap, which does not pass it on.
    """

    _group = None

    async def _async_pre_start_kernel(self, **kw):
        kernel_cmd, kw = await super()._async_pre_start_kernel(**kw)
        setting = sandbox.mode()
        if setting == "off":
            return kernel_cmd, kw
        reason = sandbox.unavailable_reason()
        if reason:
            if setting == "require":
                raise sandbox.SandboxUnavailable(f"CNN_SANDBOX=require, but the sandbox cannot start: {reason}")
            self.log.warning("cnn-sandbox: the kernel runs UNSANDBOXED: %s", reason)
            return kernel_cmd, kw
        limits = sandbox.Limits.from_env()
        self._group = sandbox.ProcessGroup(limits.processes)
        self.kernel_spec.interrupt_mode = "message"
        cwd = str(kw.get("cwd") or os.getcwd())
        cmd = sandbox.command(kernel_cmd, cwd, [self._socket_dir], [self.connection_file], limits, self._group)
        return cmd, kw

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart and self._group is not None:
            self._group.close()

    cleanup_resources = _async_cleanup_resources


class IpcExecute(Execute):
    """nbgrader's Execute with SandboxKernelManager (nbgrader passes its kernel manager class as an
    argument, which would override a configured one)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxKernelManager)
        super().__init__(*args, **kwargs)

    def preprocess(self, nb, resources, *args, **kwargs):
        self._notes = []
        self._stop_index, self._run = None, None
        plans = os.environ.get("CNN_COURSE_RUN_PLANS")  # set by the mutation harness only, never by a student
        plan = json.loads(Path(plans).read_text()).get(resources.get("nbgrader", {}).get("student")) if plans else None
        if plan:
            ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
            self._stop_index = ids.index(plan["stop_after"]) if plan["stop_after"] in ids else None
            self._run = set(plan["run"])
        try:
            return super().preprocess(nb, resources, *args, **kwargs)
        finally:
            folder = os.environ.get("CNN_COURSE_REVIEW_DIR")
            info = resources.get("nbgrader", {})
            if folder and self._notes and info.get("student"):
                path = Path(folder) / info["assignment"] / f"{info['student']}.execution.txt"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text("\n".join(dict.fromkeys(self._notes)) + "\n", encoding="utf-8")

    def preprocess_cell(self, cell, resources, index):
        # A wrong mutant is judged on its own tests: the other test cells cannot change its verdict.
        if self._stop_index is not None and index > self._stop_index:
            return cell, resources
        meta = cell.metadata.get("nbgrader", {})
        if self._run is not None and meta.get("grade") and cell.cell_type == "code" and meta.get("grade_id") not in self._run:
            return cell, resources
        return super().preprocess_cell(cell, resources, index)

    def on_cell_executed(self, **kwargs):
        # The kernel said a cell failed, yet the cell shows no such error: something in the kernel (a
        # custom exception handler, a patched display) hid it. nbgrader adds the error back (the cell
        # scores 0); the note makes a person look at the code.
        cell, reply = kwargs["cell"], kwargs["execute_reply"]["content"]
        meta = cell.metadata.get("nbgrader", {})
        if reply.get("status") == "error" and meta.get("grade"):
            shown = any(o.output_type == "error" and o.get("ename") == reply.get("ename") for o in cell.outputs)
            if not shown and reply.get("ename") != "CellTimeoutError":
                self._notes.append(f"{meta.get('grade_id')}: the kernel hid the error of this test cell ({reply.get('ename')})")
        super().on_cell_executed(**kwargs)


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
