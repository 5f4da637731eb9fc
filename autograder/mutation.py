"""Tests of the tests: grade every mutant of a unit through real nbgrader.

A wrong version must lose points on the tests of its own function; a correct alternative must keep
full marks on every test. The reference solution must score full marks, or nothing else means anything.
"""

from __future__ import annotations

import ast
import copy
import importlib
import json
import re
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.course_dir import STUDENT_TIMEOUT_S, CourseDir, GradeReport, NbgraderError
from autograder.feedback import owner
from autograder.mutants import Mutant
from autograder.precheck import CellIds, Verdict
from autograder.units import BUILD, solution_notebook


def load_mutants(unit: str) -> tuple[list[Mutant], list[str]]:
    """(MUTANTS, BUGGY) of a unit's mutants module."""
    module = importlib.import_module(f"autograder.mutants.{unit}")
    mutants = list(module.MUTANTS)
    names = [m.name for m in mutants]
    duplicated = {n for n in names if names.count(n) > 1}
    if duplicated:
        raise ValueError(f"autograder/mutants/{unit}.py: mutant names must be unique, repeated: {duplicated}")
    return mutants, list(getattr(module, "BUGGY", []))


def ci_sample(unit: str) -> list[Mutant]:
    """The mutants CI grades on every run: every correct alternative, the demo's buggy versions, and one
    wrong version of every graded function not already among them. `make mutants` grades all of them."""
    mutants, buggy = load_mutants(unit)
    chosen = [m for m in mutants if m.kind == "correct" or m.name in buggy]
    covered = {m.function for m in chosen if m.kind == "wrong"}
    for m in mutants:
        if m.kind == "wrong" and m.function not in covered:
            chosen.append(m)
            covered.add(m.function)
    return [m for m in mutants if m in chosen]


def with_mutants(notebook: nbformat.NotebookNode, mutants: list[Mutant]) -> nbformat.NotebookNode:
    """A copy of `notebook` whose solution cells are replaced by the mutants' sources."""
    nb = copy.deepcopy(notebook)
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    for m in mutants:
        cell = cells.get(m.function)
        if cell is None or not cell.metadata["nbgrader"].get("solution"):
            raise ValueError(f"mutant {m.name!r}: no solution cell with grade_id {m.function!r}")
        cell.source = m.source.strip("\n")
    return nb


def tests_of(function: str, test_ids: list[str], functions: list[str]) -> list[str]:
    """Test cells of `function`: grade ids `test_<function>_...`, the longest function name winning."""
    return [tid for tid in test_ids if owner(tid, functions) == function]


def _names(source: str) -> tuple[set[str], set[str]]:
    """(names a cell binds at top level, names it reads without binding them itself)."""
    try:
        tree = ast.parse("\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))))
    except SyntaxError:
        return set(), set()
    bound, loaded = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.alias):
            bound.add(node.asname or node.name.split(".")[0])
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return bound, loaded - bound


def run_plan(notebook: nbformat.NotebookNode, m: Mutant) -> dict:
    """The test cells a wrong mutant's run needs: its own, plus earlier test cells that bind a name one of
    those reads (transitively); and the last cell worth running (its last own test)."""
    cells = [(c.metadata.get("nbgrader", {}), c) for c in notebook.cells if c.cell_type == "code"]
    tests = [meta["grade_id"] for meta, _ in cells if meta.get("grade") and meta.get("grade_id")]
    functions = [meta["grade_id"] for meta, _ in cells if meta.get("solution") and meta.get("grade_id")]
    own = set(tests_of(m.function, tests, functions))
    info = {meta.get("grade_id"): _names(c.source) for meta, c in cells if meta.get("grade")}
    keep = set(own)
    changed = True
    while changed:  # pull in every earlier test cell that binds what a kept cell reads
        changed = False
        needed = set().union(*(info[t][1] for t in keep))
        for t in tests:
            if t not in keep and info[t][0] & needed and tests.index(t) < max(tests.index(k) for k in keep):
                keep.add(t)
                changed = True
    last = max(own, key=tests.index)
    return {"run": sorted(keep, key=tests.index), "stop_after": last}


def student_id(m: Mutant) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", f"{m.kind}-{m.function}-{m.name}".lower())


@dataclass
class Outcome:
    mutant: Mutant | None  # None for the reference solution
    report: GradeReport
    lost: dict[str, tuple[float, float]]  # grade_id -> (score, max) for every test below full marks
    own_tests: list[str]

    @property
    def ok(self) -> bool:
        if not self.report.complete or self.report.failure:
            return False
        if self.mutant is None or self.mutant.kind == "correct":
            return not self.lost
        return any(t in self.lost for t in self.own_tests)

    def describe(self) -> str:
        if not self.report.complete or self.report.failure:
            return self.report.status
        retried = " (graded on a second try)" if self.report.retried else ""
        if not self.lost:
            return "full marks" + retried
        own = [t for t in self.lost if t in self.own_tests]
        other = len(self.lost) - len(own)
        return f"loses {', '.join(own) or 'nothing on its own tests'}" + (
            f" (+{other} other)" if other else ""
        ) + retried


def run_unit(
    unit: str, jobs: int = 2, log=print, mutants: list[Mutant] | None = None, workdir: Path | None = None
) -> list[Outcome]:
    """Grade the reference and every mutant of `unit` (or only `mutants`); one Outcome each, reference first.

    Work happens in `workdir` (default build/mutants/UNIT), which is emptied first: two runs at once need
    two folders.
    """
    if mutants is None:
        mutants, _ = load_mutants(unit)
    source = nbformat.read(solution_notebook(unit), as_version=4)
    subs: list[tuple[str, Mutant | None, nbformat.NotebookNode]] = [("reference", None, source)]
    subs += [(student_id(m), m, with_mutants(source, [m])) for m in mutants]

    base = workdir or BUILD / "mutants" / unit
    shutil.rmtree(base, ignore_errors=True)
    jobs = max(1, min(jobs, len(subs)))
    # A wrong version is judged on its own function's tests only: its run skips the other functions' test
    # cells (unless an own test needs a name one of them binds) and stops after its last own test.
    plans = {student: run_plan(source, m) for student, m, _ in subs if m and m.kind == "wrong"}
    base.mkdir(parents=True)
    (base / "run_plans.json").write_text(json.dumps(plans, indent=1))
    workers = [
        CourseDir(base / f"w{i}", base / f"w{i}" / "release", quiet_threads=jobs > 1,
                  env={"CNN_COURSE_RUN_PLANS": str(base / "run_plans.json")})
        for i in range(jobs)
    ]  # fmt: skip
    shares = [subs[i::jobs] for i in range(jobs)]

    def work(i: int) -> list[tuple[Mutant | None, GradeReport]]:
        # Mutants are well-formed notebooks written here, so one nbgrader run grades a worker's whole
        # share: it saves nbgrader's start-up per student (about a third of the time).
        course = workers[i]
        course.release(unit)
        expected = course.released_cells(unit)
        for student, _, nb in shares[i]:
            course.submit(student, unit, nb)
        start = time.perf_counter()
        failure = None
        try:
            course.nbgrader(
                "autograde", unit, "--force", timeout=STUDENT_TIMEOUT_S * len(shares[i]), log=course.root / "logs" / "batch.log"
            )
        except (NbgraderError, subprocess.TimeoutExpired) as err:
            failure = str(err).splitlines()[0]
        log(f"  worker {i}: graded {len(shares[i])} submissions in {time.perf_counter() - start:.0f} s")
        done = []
        for student, m, _ in shares[i]:
            report = GradeReport(student, unit, Verdict(), expected.tests, course.scores(student, unit))
            if not report.complete:
                # nbgrader skips a notebook it cannot run and goes on with the batch: grade that student
                # alone in a fresh process (and once more if that fails), never count its cells as passed.
                why = failure or "nbgrader went on without it"
                log(f"  worker {i}: {student} not graded in the batch ({why}); grading it alone")
                course.regrade(report, first_failure=f"not graded in the batch run: {why}")
            done.append((m, report))
        return done

    with ThreadPoolExecutor(jobs) as pool:
        results = [r for rs in pool.map(work, range(jobs)) for r in rs]

    expected = workers[0].released_cells(unit)
    outcomes = []
    for m, report in sorted(results, key=lambda r: (r[0] is not None, r[0] and (r[0].function, r[0].kind))):
        # Only graded cells can have lost points; an ungraded one makes the outcome "not graded" (never ok).
        lost = {g: (s, mx) for g, (s, mx) in (report.scores or {}).items() if s is not None and s < mx}
        own = tests_of(m.function, expected.tests, expected.solutions) if m else expected.tests
        outcomes.append(Outcome(m, report, lost, own))
    return outcomes


def summarize(unit: str, outcomes: list[Outcome], log=print) -> bool:
    """Print the mutant matrix and kill rate; True when every expectation holds."""
    reference = outcomes[0]
    log(f"\n{unit}: reference {'full marks' if reference.ok else 'NOT full marks: ' + reference.describe()}")
    log(f"  {'function':<18} {'kind':<8} {'mutant':<28} result")
    for o in outcomes[1:]:
        m = o.mutant
        mark = "ok  " if o.ok else "FAIL"
        log(f"  {m.function:<18} {m.kind:<8} {m.name:<28} {mark} {o.describe()}")
    wrong = [o for o in outcomes if o.mutant and o.mutant.kind == "wrong"]
    correct = [o for o in outcomes if o.mutant and o.mutant.kind == "correct"]
    killed = sum(o.ok for o in wrong)
    kept = sum(o.ok for o in correct)
    rate = 100.0 * killed / len(wrong) if wrong else 0.0
    log(
        f"  kill rate {killed}/{len(wrong)} ({rate:.0f}%); "
        f"correct alternatives at full marks {kept}/{len(correct)}"
    )
    return reference.ok and killed == len(wrong) and kept == len(correct)


def coverage_problems(unit: str) -> list[str]:
    """Graded functions with fewer than 3 wrong versions or no correct alternative."""
    mutants, buggy = load_mutants(unit)
    cells = CellIds.of(solution_notebook(unit))
    functions = [f for f in cells.solutions if not f.startswith("answer_")]
    problems = []
    for f in functions:
        wrong = sum(1 for m in mutants if m.function == f and m.kind == "wrong")
        correct = sum(1 for m in mutants if m.function == f and m.kind == "correct")
        if wrong < 3 or correct < 1:
            problems.append(f"{unit}: {f} has {wrong} wrong versions and {correct} correct alternatives "
                            "(at least 3 and 1 needed)")  # fmt: skip
    names = {m.name for m in mutants if m.kind == "wrong"}
    problems += [f"{unit}: BUGGY names unknown wrong mutant {b!r}" for b in buggy if b not in names]
    return problems
