"""Every timing test of the course, many times, and the benchmarks: `make gpu-check`.

The timing tests (test cells whose grade id contains `_speed`) must never fail correct code. For each unit
that has some, the solution notebook runs once in a kernel, with every timing cell repeated RUNS times
right after itself; the script prints how many repetitions failed (false fails of the reference), then
runs `make bench`. Meant for a machine with a GPU (the tests and the bench then time CUDA); on a CPU it
measures the CPU path and says so.

    python -m autograder.gpu_check              # 20 runs per timing test
    python -m autograder.gpu_check --runs 5
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
import time

import nbformat
import torch
from nbclient import NotebookClient

from autograder.units import solution_notebook, units


def timing_cells(nb: nbformat.NotebookNode) -> list[str]:
    return [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade") and "_speed" in c.metadata["nbgrader"].get("grade_id", "")]  # fmt: skip


RATIO = re.compile(r"vs reference [^:]+: (\d+(?:\.\d+)?(?:e-?\d+)?)x")  # cnn_course.timing.TimingResult's text


def check_unit(unit: str, runs: int) -> dict[str, tuple[int, list[float]]]:
    """grade id -> (failed repetitions of `runs`, ratios printed) for every timing cell of the unit's reference."""
    nb = nbformat.read(solution_notebook(unit), as_version=4)
    ids = timing_cells(nb)
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        if cell.metadata.get("nbgrader", {}).get("grade_id") in ids:
            cells += [copy.deepcopy(cell) for _ in range(runs - 1)]
    nb.cells = cells
    NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(solution_notebook(unit).parent)}}).execute()  # fmt: skip
    found = {grade_id: (0, []) for grade_id in ids}
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id not in found:
            continue
        failed, ratios = found[grade_id]
        outputs = cell.get("outputs", [])
        text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
        ratios += [float(r) for r in RATIO.findall(text)]
        found[grade_id] = (failed + any(o.get("output_type") == "error" for o in outputs), ratios)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.gpu_check", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(argv)
    device = f"cuda ({torch.cuda.get_device_name()})" if torch.cuda.is_available() else "cpu (no CUDA here: CPU path only)"
    print(f"timing tests of the reference solutions, {args.runs} runs each, on {device}")
    bad = 0
    for unit in units():
        if not timing_cells(nbformat.read(solution_notebook(unit), as_version=4)):
            continue
        start = time.perf_counter()
        for grade_id, (failed, ratios) in check_unit(unit, args.runs).items():
            spread = ""
            if ratios:
                median = sorted(ratios)[len(ratios) // 2]
                spread = f"  ratios {min(ratios):.3g}-{max(ratios):.3g} (median {median:.3g})"
            print(f"  {unit:<28} {grade_id:<40} false fails {failed}/{args.runs}{spread}", flush=True)
            bad += failed
        print(f"  ({unit}: {time.perf_counter() - start:.0f} s)")
    print()
    from autograder import bench

    bench.main([])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
