"""What a student and an instructor read first: grades per graded function, and why a test failed.

`FeedbackSummary` (an nbgrader preprocessor, configured in nbgrader_config.py) puts a table at the top of
every feedback page: one row per graded function in notebook order, its points, and for each failed test
its one-line docstring and the first line of its failure message, with a link to the cell. Hidden tests
show their docstring and the error's first line only, never code. Written answers appear as graded by hand.

`function_rows` gives the same numbers from the gradebook (grades_by_function.csv, the item analysis and
the demo use it), so the page and the export cannot disagree.
"""

from __future__ import annotations

import ast
import html
import re
from dataclasses import dataclass, field

from nbgrader.preprocessors import NbGraderPreprocessor

HIDDEN = "BEGIN HIDDEN TESTS"


def owner(test_id: str, functions: list[str]) -> str | None:
    """The function a test cell belongs to: grade id `test_<function>_...`, the longest name winning."""
    for f in sorted(functions, key=len, reverse=True):
        if test_id.startswith(f"test_{f}_"):
            return f
    return None


def first_docstring_line(source: str) -> str:
    """The first line of a test cell's docstring (the property it checks), or '' if it has none."""
    try:
        doc = ast.get_docstring(ast.parse(source))
    except SyntaxError:
        found = re.match(r'\s*(?:"""|\'\'\')(.*?)(?:"""|\'\'\'|$)', source, re.DOTALL)
        doc = found.group(1) if found else None
    return (doc or "").strip().splitlines()[0] if (doc or "").strip() else ""


def failure_line(outputs: list) -> str:
    """The first line of a failed test's error ('AssertionError: ...'), or what it wrote to stderr."""
    for out in outputs:
        if out.get("output_type") == "error":
            value = str(out.get("evalue", "")).strip().splitlines()
            return f"{out.get('ename', 'Error')}: {value[0]}" if value else str(out.get("ename", "Error"))
    for out in outputs:
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            text = str(out.get("text", "")).strip().splitlines()
            return "wrote to stderr (a test cell must stay quiet): " + (text[0] if text else "")
    return "no error was recorded"


@dataclass
class TestRow:
    grade_id: str
    docstring: str
    score: float | None
    points: float
    message: str = ""  # first line of the failure, empty when passed

    @property
    def passed(self) -> bool:
        return self.score is not None and self.score >= self.points


@dataclass
class FunctionRow:
    """One graded function (or written answer) and its tests."""

    name: str
    kind: str  # "code" (autograded) or "written" (graded by hand)
    tests: list[TestRow] = field(default_factory=list)
    score: float | None = None  # written answers: the hand-given score, None until given
    points: float = 0.0

    @property
    def earned(self) -> float | None:
        if self.kind == "written":
            return self.score
        scores = [t.score for t in self.tests]
        return None if any(s is None for s in scores) else sum(scores)

    @property
    def maximum(self) -> float:
        return self.points if self.kind == "written" else sum(t.points for t in self.tests)


def rows_from_cells(cells: list) -> list[FunctionRow]:
    """Rows in notebook order from the cells of a graded notebook whose nbgrader metadata carries scores."""
    meta = [(c, c.get("metadata", {}).get("nbgrader", {})) for c in cells]
    functions = [m["grade_id"] for c, m in meta if m.get("solution") and not m.get("grade") and c["cell_type"] == "code"]
    rows: dict[str, FunctionRow] = {}
    for cell, m in meta:
        gid = m.get("grade_id")
        if not gid:
            continue
        if m.get("solution") and m.get("grade"):  # a written (or free-response) answer, graded by hand
            rows[gid] = FunctionRow(gid, "written", score=m.get("score"), points=float(m.get("points") or 0))
        elif m.get("solution") and cell["cell_type"] == "code":
            rows.setdefault(gid, FunctionRow(gid, "code"))
        elif m.get("grade"):
            name = owner(gid, functions) or "other tests"
            row = rows.setdefault(name, FunctionRow(name, "code"))
            score = m.get("score")
            test = TestRow(gid, first_docstring_line(cell["source"]), score, float(m.get("points") or 0))
            if not test.passed:
                test.message = "not graded" if score is None else failure_line(cell.get("outputs", []))
            row.tests.append(test)
    return [r for r in rows.values() if r.kind == "written" or r.tests]


def _points(value: float | None, maximum: float) -> str:
    return f"- / {maximum:g}" if value is None else f"{value:g} / {maximum:g}"


def summary_html(rows: list[FunctionRow]) -> str:
    """The summary table (HTML) that opens the feedback page."""
    esc = html.escape
    lines = [
        # nbgrader's own list ("Test cell (Score: ...)" once per cell) says nothing this table does not.
        "<style>#toc { display: none; }</style>",
        '<div id="cnn-summary" class="panel panel-default"><div class="panel-heading"><h4>Summary</h4></div>',
        '<table class="table table-condensed"><thead><tr><th>function</th><th>points</th>'
        "<th>what failed (click a test to see its cell)</th></tr></thead><tbody>",
    ]
    for r in rows:
        earned = r.earned
        attrs = f'data-function="{esc(r.name)}" data-kind="{r.kind}" data-max="{r.maximum:g}"'
        attrs += f' data-points="{"" if earned is None else f"{earned:g}"}"'
        if r.kind == "written":
            detail = "graded by hand" + ("" if r.score is not None else " (not graded yet)")
        else:
            failed = [t for t in r.tests if not t.passed]
            detail = "all tests passed" if not failed else "<br>".join(
                f'<a href="#{esc(t.grade_id)}">{esc(t.docstring or t.grade_id)}</a>: <code>{esc(t.message)}</code>'
                for t in failed
            )
        lines.append(f"<tr {attrs}><td><code>{esc(r.name)}</code></td><td>{_points(earned, r.maximum)}</td><td>{detail}</td></tr>")
    lines.append("</tbody></table></div>")
    return "\n".join(lines)


class FeedbackSummary(NbGraderPreprocessor):
    """Put the per-function summary at the top of the feedback notebook (after GetGrades, before the
    hidden tests are cleared, so that their docstrings and failures are known but their code never shown)."""

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook

        from autograder.course_dir import given_score

        # GetGrades writes nbgrader's `score`, which shows "nobody graded this yet" as 0: read the grades
        # themselves, so a written answer awaiting a person says so.
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            notebook = gb.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
            given = {g.name: given_score(g) for g in notebook.grades}
        for cell in nb.cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if meta.get("grade_id") in given:
                meta["score"] = given[meta["grade_id"]]
        rows = rows_from_cells(nb.cells)
        cell = {
            "cell_type": "markdown",
            "id": "cnn-course-summary",
            "metadata": {"cnn_course": "summary"},
            "source": summary_html(rows),
        }
        from nbformat import from_dict

        nb.cells.insert(0, from_dict(cell))
        return nb, resources


def function_rows(cells: list, scores: dict[str, tuple[float | None, float]]) -> list[FunctionRow]:
    """Rows from a released notebook's cells and a student's gradebook scores (grade_id -> (score, max))."""
    graded = []
    for c in cells:
        m = dict(c.get("metadata", {}).get("nbgrader", {}))
        if m.get("grade_id") in scores:
            m["score"], m["points"] = scores[m["grade_id"]]
        graded.append({**c, "metadata": {"nbgrader": m}, "outputs": []})
    return rows_from_cells(graded)
