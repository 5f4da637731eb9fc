"""Similarity report: every submission's answer cells against every other's and against the solutions.

The course is open, so `solutions/` is public: copying from it, or from a classmate, is the cheating that
actually happens. copydetect (a maintained winnowing detector in the style of MOSS) tokenises the code,
replaces names by placeholders and ignores whitespace, so renaming variables and reformatting do not hide
a copy; the release's own code (signatures, docstrings, stubs) is boilerplate and never counts.
"""

from __future__ import annotations

import json
import re
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

from autograder.course_dir import CourseDir
from autograder.units import solution_notebook

REFERENCE = "reference-solution"


def answer_code(notebook: Path) -> str:
    """The code of a notebook's answer (solution) cells, in order; '' if it cannot be read."""
    try:
        nb = json.loads(Path(notebook).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return ""
    parts = []
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") == "code" and meta.get("solution"):
            source = cell.get("source", "")
            parts.append("".join(source) if isinstance(source, list) else str(source))
    return "\n\n".join(parts) + "\n"


@dataclass
class Pair:
    a: str  # student (or the reference solution)
    b: str
    similarity: float  # the larger of the two overlap shares, 0..1


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", name)[:40] or "student"


def similarity_report(course: CourseDir, unit: str, out: Path, threshold: float = 0.5) -> tuple[Path, list[Pair]]:
    """Compare every submission of `unit` with every other and with the solutions; write out/report.html.

    Returns the report's path and every pair at or above `threshold`, most similar first.
    """
    from copydetect import CopyDetector

    shutil.rmtree(out, ignore_errors=True)
    subs, ref, boiler = out / "submissions", out / "reference", out / "boilerplate"
    for d in (subs, ref, boiler):
        d.mkdir(parents=True)
    names: dict[str, str] = {}
    for i, student in enumerate(course.students(unit)):
        file = subs / f"{i:04d}_{_safe(student)}.py"
        file.write_text(answer_code(course.submission_path(student, unit)))
        names[str(file)] = student
    ref_file = ref / f"{REFERENCE}.py"
    ref_file.write_text(answer_code(solution_notebook(unit)))
    names[str(ref_file)] = REFERENCE
    (boiler / "release.py").write_text(answer_code(course.release_dir / unit / f"{unit}.ipynb"))

    report = out / "report.html"
    detector = CopyDetector(
        test_dirs=[str(subs)], ref_dirs=[str(subs), str(ref)], boilerplate_dirs=[str(boiler)],
        extensions=["py"], display_t=threshold, autoopen=False, silent=True, out_file=str(report),
    )  # fmt: skip
    detector.run()
    with warnings.catch_warnings():  # copydetect 0.5 reads its template with a deprecated importlib call
        warnings.simplefilter("ignore", DeprecationWarning)
        detector.generate_html_report()
    pairs: dict[frozenset, Pair] = {}
    for test_sim, ref_sim, test_file, ref_file_, *_ in detector.get_copied_code_list():
        a, b = names.get(str(Path(test_file)), test_file), names.get(str(Path(ref_file_)), ref_file_)
        if a == b:
            continue
        key = frozenset((a, b))
        sim = max(float(test_sim), float(ref_sim))
        if key not in pairs or pairs[key].similarity < sim:
            pairs[key] = Pair(*sorted((a, b), key=lambda n: (n != REFERENCE, n)), sim)
    ranked = sorted(pairs.values(), key=lambda p: -p.similarity)
    return report, ranked


def scores_against_reference(course: CourseDir, unit: str, out: Path) -> dict[str, float]:
    """Each student's similarity to the reference solution (0 when below copydetect's display floor)."""
    _, pairs = similarity_report(course, unit, out, threshold=0.0)
    found = {p.b: p.similarity for p in pairs if p.a == REFERENCE}
    return {s: found.get(s, 0.0) for s in course.students(unit)}
