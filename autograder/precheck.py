"""Checks a submitted notebook before nbgrader sees it.

nbgrader misbehaves on some submissions: a duplicated grade id (a copy-pasted answer or test cell)
aborts the whole autograde run, and a notebook whose metadata was stripped gets empty grades or crashes
when missing cells are restored. Each check returns a reason a person can act on.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat


@dataclass
class CellIds:
    """The nbgrader cells of a released notebook, by role."""

    solutions: list[str]  # answer cells the student edits (code or written)
    tests: list[str]  # autograded test cells (restored by nbgrader when deleted)

    @classmethod
    def of(cls, notebook: Path) -> CellIds:
        nb = nbformat.read(notebook, as_version=4)
        solutions, tests = [], []
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if "grade_id" not in meta:
                continue
            if meta.get("solution"):
                solutions.append(meta["grade_id"])
            elif meta.get("grade"):
                tests.append(meta["grade_id"])
        return cls(solutions, tests)


@dataclass
class Verdict:
    """Whether a submission can be graded, and what a person should know about it."""

    errors: list[str] = field(default_factory=list)  # grading it would be wrong or impossible
    warnings: list[str] = field(default_factory=list)  # graded, but worth a look
    review: list[str] = field(default_factory=list)  # graded, but a person must read the code (audit)

    @property
    def gradable(self) -> bool:
        return not self.errors


BOM = b"\xef\xbb\xbf"


def prepare_submission(path: Path) -> Verdict:
    """Put a submitted folder in the shape nbgrader expects, or say why it cannot be graded.

    `path` is where the notebook should be (submitted/STUDENT/UNIT/UNIT.ipynb). An LMS that renamed the
    only notebook (`jdoe_123_UNIT.ipynb`) gets it renamed back; a byte-order mark (Windows editors) is
    removed; symbolic links are refused (an archive can carry one that points at the solutions); two
    notebooks of which none has the expected name are refused with both names.
    """
    verdict = Verdict()
    folder = path.parent
    links = [p for p in (folder.parent, folder, *folder.glob("**/*")) if p.is_symlink()]
    if links:
        verdict.errors.append(
            f"the submission contains symbolic links ({', '.join(p.name for p in links)}), which are never "
            "followed: ask for the notebook file itself."
        )
        return verdict
    notebooks = sorted(p for p in folder.glob("*.ipynb") if p.is_file())
    if not path.exists() and len(notebooks) == 1:
        notebooks[0].rename(path)
        verdict.warnings.append(f"{notebooks[0].name} was renamed to {path.name}.")
    elif not path.exists() and len(notebooks) > 1:
        verdict.errors.append(
            f"{len(notebooks)} notebooks ({', '.join(p.name for p in notebooks)}) and none named {path.name}: "
            "keep the one to grade, named so, and resubmit."
        )
        return verdict
    elif len(notebooks) > 1:
        others = [p.name for p in notebooks if p != path]
        verdict.warnings.append(f"other notebooks in the folder were not graded: {', '.join(others)}.")
    if path.is_file():
        data = path.read_bytes()
        if data.startswith(BOM):
            path.write_bytes(data[len(BOM):])
            verdict.warnings.append("a byte-order mark at the start of the file was removed.")
    return verdict


def check_submission(path: Path, expected: CellIds) -> Verdict:
    """Check one submitted notebook against the cells of its release."""
    verdict = Verdict()
    if not path.is_file():
        verdict.errors.append(f"{path.name} is missing from the submission (renamed or not uploaded?).")
        return verdict
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        verdict.errors.append(f"{path.name} is not a notebook (not valid JSON: {err}).")
        return verdict
    try:
        nb = nbformat.from_dict(raw)
        nbformat.validate(nb)
    except Exception as err:  # nbformat raises several kinds of validation errors
        verdict.errors.append(f"{path.name} is not a valid notebook ({str(err).splitlines()[0]}).")
        return verdict

    ids = [
        cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        for cell in nb.cells
        if "grade_id" in cell.get("metadata", {}).get("nbgrader", {})
    ]
    if not ids:
        verdict.errors.append(
            "the notebook has no nbgrader cell metadata (re-saved by an editor that drops it?): "
            "copy the answers into a fresh copy of the released notebook and resubmit."
        )
        return verdict
    duplicated = sorted(i for i, n in Counter(ids).items() if n > 1)
    if duplicated:
        verdict.errors.append(
            f"graded cells appear more than once ({', '.join(duplicated)}), probably copy-pasted: "
            "keep one copy of each and resubmit."
        )
    missing_answers = [i for i in expected.solutions if i not in ids]
    if missing_answers:
        verdict.errors.append(
            f"answer cells are missing ({', '.join(missing_answers)}), deleted or stripped of metadata: "
            "restore them from the released notebook and resubmit."
        )
    missing_tests = [i for i in expected.tests if i not in ids]
    if missing_tests:
        verdict.warnings.append(
            f"test cells were deleted ({', '.join(missing_tests)}); "
            "nbgrader restores them from the gradebook."
        )
    return verdict
