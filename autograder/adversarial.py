"""Submissions that try to cheat, break the grader or harm the machine, each with the outcome it must get.

Each case is a small edit of unit 01's release (a cheater who wrote nothing) or of its solutions (a
student whose answers are right but who also tried something), graded through the real pipeline
(`grade_all`: checks, audit, sandboxed nbgrader, gradebook). `run_suite` grades a bystander first, then
every case side by side, then checks each expectation and that nothing outside the submissions changed:
the bystander's grades, its files, the gradebook, the repository.

    python -m autograder.adversarial            # the whole suite, one line per case
"""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.course import grade_all
from autograder.course_dir import CourseDir, GradeReport
from autograder.units import BUILD, REPO, SOLUTIONS, solution_notebook

UNIT = "01_convolution"
BYSTANDER = "bystander"
CELL_TIMEOUT_S = 10  # far above what unit 01's cells take, short enough to keep the suite quick
STUDENT_TIMEOUT_S = 60  # unit 01 grades in 10-20 s on a loaded machine


@dataclass
class Case:
    name: str
    what: str  # what the student tried
    build: Callable[[Context], None]  # places the submission of student `name`
    status: str  # the status must start with this: "ok", "REVIEW", "NOT GRADED"
    reason: str = ""  # ...and contain this
    score: str | float | None = None  # "full", "zero", a number, or "like:<student>" (same as another)
    check: Callable[[Context, GradeReport], str | None] | None = None  # extra check: None or what is wrong


class Context:
    """The course folder of the suite, the notebooks cases start from, and helpers to submit."""

    def __init__(self, course: CourseDir):
        self.course = course
        self.solution = nbformat.read(solution_notebook(UNIT), as_version=4)
        self.release = nbformat.read(course.release_dir / UNIT / f"{UNIT}.ipynb", as_version=4)

    def folder(self, student: str) -> Path:
        return self.course.root / "submitted" / student / UNIT

    def submit(self, student: str, nb: nbformat.NotebookNode) -> Path:
        return self.course.submit(student, UNIT, nb)

    def edited(self, base: str, function: str, code: str, where: str = "after") -> nbformat.NotebookNode:
        """`base` ("release" or "solution") with `code` added to the answer cell of `function`.

        where: "after" (top level, after the function), "body" (first lines of the function's body).
        """
        nb = copy.deepcopy(self.release if base == "release" else self.solution)
        cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == function)
        if where == "after":
            cell.source = cell.source.rstrip() + "\n\n" + code.strip() + "\n"
            return nb
        lines = cell.source.splitlines()
        at = next(i for i, line in enumerate(lines) if "### BEGIN SOLUTION" in line)
        indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
        lines[at + 1 : at + 1] = [indent + line for line in code.strip().splitlines()]
        cell.source = "\n".join(lines) + "\n"
        return nb


def _stub(ctx: Context, function: str) -> nbformat.NotebookNode:
    nb = copy.deepcopy(ctx.solution)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == function)
    head = cell.source.split("### BEGIN SOLUTION")[0]
    cell.source = head + "raise NotImplementedError()\n"
    return nb


def submit(base: str, function: str, code: str, where: str = "after"):
    return lambda ctx, name: ctx.submit(name, ctx.edited(base, function, code, where))


def _no_file(path_of: Callable[[Context], Path]):
    def check(ctx: Context, report: GradeReport) -> str | None:
        return f"{path_of(ctx)} was created" if path_of(ctx).exists() else None

    return check


TRANSFORMER = 'get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])'
AST_TRANSFORMER = """
import ast
class Erase(ast.NodeTransformer):
    def visit_Module(self, node):
        return ast.Module(body=[ast.Pass()], type_ignores=[])
get_ipython().ast_transformers.append(Erase())
"""
FORK_BOMB = """
import os, time
try:
    while True:
        if os.fork() == 0:
            time.sleep(3)
            os._exit(0)
except OSError as err:
    print("fork refused:", err)
"""
DISK_FILL = """
try:
    with open("/tmp/fill.bin", "wb") as f:
        while True:
            f.write(b"0" * 2**24)
except OSError as err:
    print("disk refused:", err)
"""
FLOOD = """
for i in range(200_000):
    print("flood line", i)
print("x" * 10_000_000)
"""


def _colab(ctx: Context, name: str) -> None:
    nb = copy.deepcopy(ctx.solution)
    nb.metadata["colab"] = {"provenance": [], "toc_visible": True}
    nb.metadata["accelerator"] = "GPU"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    for i, cell in enumerate(nb.cells):
        cell.metadata["id"] = f"colab{i:04d}"
        if cell.cell_type == "code":
            cell.metadata["colab"] = {"base_uri": "https://localhost:8080/"}
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="old output\n")]
            cell.execution_count = i
    ctx.submit(name, nb)


def _old_minor(ctx: Context, name: str) -> None:
    nb = copy.deepcopy(ctx.solution)
    for cell in nb.cells:
        cell.pop("id", None)
    nb.nbformat_minor = 2
    path = ctx.folder(name) / f"{UNIT}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1))


def _crlf_bom(ctx: Context, name: str) -> None:
    path = ctx.submit(name, ctx.solution)
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


def _renamed(ctx: Context, name: str) -> None:
    path = ctx.submit(name, ctx.solution)
    path.rename(path.with_name(f"jdoe_12345_late_{UNIT}.ipynb"))


def _two_notebooks(ctx: Context, name: str) -> None:
    path = ctx.submit(name, ctx.solution)
    shutil.copyfile(path, path.with_name(f"{UNIT} (1).ipynb"))
    path.rename(path.with_name(f"{UNIT} (2).ipynb"))


def _symlink(ctx: Context, name: str) -> None:
    folder = ctx.folder(name)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{UNIT}.ipynb").symlink_to(solution_notebook(UNIT))


def _bystander_file(ctx: Context) -> Path:
    return ctx.folder(BYSTANDER) / f"{UNIT}.ipynb"


def _flood_small(ctx: Context, report: GradeReport) -> str | None:
    graded = ctx.course.root / "autograded" / report.student / UNIT / f"{UNIT}.ipynb"
    size = graded.stat().st_size if graded.exists() else 0
    return f"the graded notebook is {size / 1e6:.1f} MB: the flood was kept" if size > 5e6 else None


def _output_says(text: str):
    def check(ctx: Context, report: GradeReport) -> str | None:
        graded = ctx.course.root / "autograded" / report.student / UNIT / f"{UNIT}.ipynb"
        return None if graded.exists() and text in graded.read_text() else f"no {text!r} in the graded notebook"

    return check


def cases() -> list[Case]:
    planted = lambda ctx: ctx.course.root / "planted.txt"  # noqa: E731
    gradebook = lambda ctx: ctx.course.root / "gradebook.db"  # noqa: E731
    solutions = SOLUTIONS / UNIT / f"{UNIT}.ipynb"
    return [
        # faking the tests
        Case("input-transformer", "an IPython input transformer turns every later cell into `pass`",
             submit("release", "corr2d", TRANSFORMER), "REVIEW", "get_ipython"),
        Case("ast-transformer", "an AST transformer empties every later cell",
             submit("release", "corr2d", AST_TRANSFORMER), "REVIEW", "get_ipython"),
        Case("ipython-via-globals", "get_ipython reached through globals() and a built string",
             submit("release", "corr2d", 'globals()["get_" + "ipython"]().input_transformers_cleanup.append(lambda l: ["pass\\n"])'),
             "REVIEW", "globals"),
        Case("ipython-via-sys", "IPython reached through the sys module that the Colab cell imported",
             submit("release", "corr2d", 'sys.modules["IPython"].get_ipython().input_transformers_cleanup.append(lambda l: ["pass\\n"])'),
             "REVIEW", "sys"),
        Case("exception-handler", "a custom exception handler swallows every failing test",
             submit("release", "corr2d", "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)"),
             "REVIEW", "get_ipython", score="zero"),
        Case("shadowed-helpers", "the tests' assert helpers replaced by no-ops",
             submit("release", "corr2d", "assert_close = assert_equal = assert_shape = lambda *a, **k: None"),
             "REVIEW", "rebinds assert_close"),
        Case("patched-torch", "torch's comparisons patched to always agree",
             submit("release", "corr2d", "torch.allclose = lambda *a, **k: True\ntorch.testing.assert_close = lambda *a, **k: None"),
             "REVIEW", "changes torch.allclose"),
        Case("patched-dunder", "Tensor.__eq__ patched through a dunder",
             submit("release", "corr2d", "torch.Tensor.__eq__ = lambda a, b: True"), "REVIEW", "__eq__"),
        Case("builtins-exec", "exec of a string built at run time",
             submit("release", "corr2d", 'getattr(__builtins__, "ex" + "ec")("x = 1")'), "REVIEW", "__builtins__"),
        # reaching outside the notebook
        Case("read-solutions", "corr2d copies its answer from the solutions notebook",
             submit("solution", "corr2d", f"open({str(solutions)!r}).read()", where="body"),
             "REVIEW", "opens a file", score="like:stub-corr2d"),
        Case("read-gradebook", "conv2d reads the gradebook with sqlite3",
             submit("solution", "conv2d", f"import sqlite3\nsqlite3.connect('file:{REPO / 'autograder' / 'gradebook.db'}?mode=ro', uri=True).execute('select * from grade').fetchall()", where="body"),
             "REVIEW", "sqlite3", score="like:stub-conv2d"),
        Case("write-course", "writes a file into the course folder",
             lambda ctx, name: ctx.submit(name, ctx.edited("solution", "corr2d", f"open({str(planted(ctx))!r}, 'w').write('x')")),
             "REVIEW", "opens a file", check=_no_file(planted)),
        Case("overwrite-bystander", "overwrites another student's submission",
             lambda ctx, name: ctx.submit(name, ctx.edited("solution", "corr2d", f"open({str(_bystander_file(ctx))!r}, 'w').write('{{}}')")),
             "REVIEW", "opens a file"),
        Case("delete-gradebook", "deletes the gradebook",
             lambda ctx, name: ctx.submit(name, ctx.edited("solution", "corr2d", f"import os\nos.remove({str(gradebook(ctx))!r})")),
             "REVIEW", "imports os"),
        # the kernel and the machine
        Case("os-exit", "os._exit in an answer cell kills the kernel",
             submit("solution", "conv_num_params", "import os\nos._exit(0)"), "NOT GRADED"),
        # the sandbox's init process cannot be killed from inside, and nothing else is visible
        Case("kill-parent", "kills its parent process",
             submit("solution", "conv_num_params", "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"),
             "REVIEW", "imports os", score="full"),
        Case("kill-everything", "kills every process it can see",
             submit("solution", "conv_num_params", "import os, signal\nos.kill(-1, signal.SIGKILL)"),
             "REVIEW", "imports os", score="full"),
        Case("memory-bomb", "corr2d allocates 8 GiB first",
             submit("solution", "corr2d", "_ = bytearray(8 * 2**30)", where="body"), "ok", score="like:stub-corr2d"),
        Case("fork-bomb", "forks until the system refuses", submit("solution", "conv_num_params", FORK_BOMB),
             "REVIEW", "imports os", score="full", check=_output_says("fork refused")),
        Case("disk-fill", "writes until the disk is full", submit("solution", "conv_num_params", DISK_FILL),
             "REVIEW", "opens a file", score="full", check=_output_says("disk refused")),
        Case("output-flood", "prints 200,000 lines and a 10 MB line", submit("solution", "conv_num_params", FLOOD),
             "ok", score="full", check=_flood_small),
        Case("infinite-loop", "conv2d, which every conv2d test calls, never returns",
             submit("solution", "conv2d", "while True:\n    pass", where="body"), "NOT GRADED", "TIMED OUT"),
        Case("sleep-under-timeout", "every conv2d call sleeps just under the cell timeout",
             submit("solution", "conv2d", f"import time\ntime.sleep({CELL_TIMEOUT_S - 2})", where="body"),
             "NOT GRADED", "TIMED OUT"),
        Case("chdir", "changes the working folder", submit("solution", "corr2d", "import os\nos.chdir('/')"),
             "REVIEW", "imports os", score="full"),
        Case("default-dtype", "changes torch's default dtype for every later test",
             submit("solution", "corr2d", "torch.set_default_dtype(torch.float64)"), "REVIEW", "default dtype"),
        Case("network", "opens a connection to the internet",
             submit("solution", "corr2d", "import socket\ntry:\n    socket.create_connection(('pypi.org', 443), timeout=3)\nexcept OSError:\n    pass"),
             "REVIEW", "imports socket", score="full"),
        # files as they arrive
        Case("colab-resave", "the notebook re-saved by Colab (ids, metadata, old outputs)", _colab, "ok", score="full"),
        Case("old-nbformat", "saved as nbformat 4.2 (no cell ids)", _old_minor, "ok", score="full"),
        Case("crlf-bom", "Windows line endings and a byte-order mark", _crlf_bom, "ok", "byte-order mark", score="full"),
        Case("lms-renamed", "renamed by the LMS on upload", _renamed, "ok", "renamed", score="full"),
        Case("two-notebooks", "two notebooks, neither with the expected name", _two_notebooks, "NOT GRADED", "2 notebooks"),
        Case("symlink", "the submission is a symbolic link to the solutions", _symlink, "NOT GRADED", "symbolic link"),
        Case("odd id: Zoë Ñ", "a student id with a space and accents", lambda ctx, name: ctx.submit(name, ctx.solution),
             "ok", score="full"),
        Case("--student=evil", "a student id that looks like an option", lambda ctx, name: ctx.submit(name, ctx.solution),
             "ok", score="full"),
    ]  # fmt: skip


TWINS = ["stub-corr2d", "stub-conv2d"]  # correct except one function: what a case that breaks it must score


def _score(report: GradeReport) -> float | None:
    return report.autograded[0] if report.autograded else None


def zip_slip(course: CourseDir) -> str | None:
    """nbgrader zip_collect on an archive whose entries climb out (../) or are links: None when harmless."""
    downloaded = course.root / "downloaded" / UNIT / "archive"
    downloaded.mkdir(parents=True, exist_ok=True)
    escape = course.root.parent / "zip-slip-escaped.txt"
    escape.unlink(missing_ok=True)
    with zipfile.ZipFile(downloaded / "submissions.zip", "w") as z:
        z.writestr(f"../../{escape.name}", "escaped")
        z.writestr(f"mallory_{UNIT}.ipynb", nbformat.writes(nbformat.v4.new_notebook()))
        link = zipfile.ZipInfo("link.ipynb")
        link.external_attr = 0o120777 << 16  # a symbolic link entry
        z.writestr(link, str(SOLUTIONS / UNIT / f"{UNIT}.ipynb"))
    try:
        course.nbgrader("zip_collect", UNIT, "--force")
    except Exception as err:  # nbgrader refusing the archive is a fine outcome too
        return None if not escape.exists() else f"zip_collect failed ({err}) and left {escape}"
    leaked = [p for p in (course.root / "downloaded").rglob("*") if p.is_symlink()]
    if escape.exists() or any(p.exists() for p in course.root.parent.glob(escape.name)):
        return f"an archive entry escaped to {escape}"
    if leaked:
        return f"zip_collect extracted symbolic links: {leaked}"
    return None


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "missing"


def run_suite(root: Path | None = None, jobs: int = 2, log=print, only: list[str] | None = None):
    """Grade the bystander, then every case; return (problems, reports by student)."""
    root = root or BUILD / "adversarial"
    shutil.rmtree(root, ignore_errors=True)
    course = CourseDir(root, root / "release", quiet_threads=True, options=(f"--Execute.timeout={CELL_TIMEOUT_S}",),
                       student_timeout=STUDENT_TIMEOUT_S)  # fmt: skip
    course.release(UNIT)
    ctx = Context(course)
    ctx.submit(BYSTANDER, ctx.solution)
    [before] = grade_all(course, [UNIT], log=lambda _: None)
    bystander_scores, bystander_file = course.scores(BYSTANDER, UNIT), _digest(_bystander_file(ctx))
    repo_files = {p: _digest(p) for p in (REPO / "autograder" / "nbgrader_config.py", solution_notebook(UNIT))}

    selected = [c for c in cases() if only is None or c.name in only]
    for twin in TWINS:
        ctx.submit(twin, _stub(ctx, twin.removeprefix("stub-")))
    for case in selected:
        case.build(ctx, case.name)
    reports = {r.student: r for r in grade_all(course, [UNIT], log=log, jobs=jobs,
                                               only=[c.name for c in selected] + TWINS)}  # fmt: skip

    problems = []
    if _score(before) is None or before.autograded[0] != before.autograded[1]:
        problems.append(f"the bystander did not get full marks before the cases: {before.status}")
    full = before.autograded[1] if before.autograded else None
    for case in selected:
        r = reports.get(case.name)
        if r is None:
            problems.append(f"{case.name}: not graded at all")
            continue
        got = f"{r.status} [{r.score_text.strip()}]"
        if not r.status.startswith(case.status) or case.reason not in r.status:
            problems.append(f"{case.name}: expected {case.status} ({case.reason}), got {got}")
        expected = {"full": full, "zero": 0.0}.get(case.score, case.score)
        if isinstance(case.score, str) and case.score.startswith("like:"):
            expected = _score(reports[case.score.removeprefix("like:")])
        if case.score is not None and _score(r) != expected:
            problems.append(f"{case.name}: expected {expected} points, got {got}")
        if case.check:
            trouble = case.check(ctx, r)
            problems += [f"{case.name}: {trouble}"] if trouble else []
    # nothing outside the submissions changed
    if course.scores(BYSTANDER, UNIT) != bystander_scores:
        problems.append("the bystander's grades changed while the cases were graded")
    if _digest(_bystander_file(ctx)) != bystander_file:
        problems.append("the bystander's submitted notebook changed")
    problems += [f"{p} changed" for p, d in repo_files.items() if _digest(p) != d]
    trouble = zip_slip(course)
    problems += [f"zip_collect: {trouble}"] if trouble else []
    return problems, reports


def main() -> int:
    problems, reports = run_suite(log=lambda line: print(line, flush=True))
    print("\n".join(["", *(f"PROBLEM: {p}" for p in problems)]) if problems else "\nevery case got its expected outcome")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
