"""Every lecture runs top to bottom, offline, without errors or warnings (one test class per lecture,
so that `pytest -n 2 --dist loadscope` spreads them over the workers)."""

import nbformat
from nbclient import NotebookClient

from autograder.units import REPO, lectures


class _Lecture:
    path = None

    def test_lecture_executes(self, tmp_path):
        """The lecture executes in a fresh kernel and writes nothing to stderr."""
        nb = nbformat.read(self.path, as_version=4)
        client = NotebookClient(
            nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
        )
        client.execute()
        stderr = [
            (i, out.text)
            for i, cell in enumerate(nb.cells)
            for out in cell.get("outputs", [])
            if out.output_type == "stream" and out.name == "stderr"
        ]
        assert not stderr, f"{self.path.relative_to(REPO)} wrote to stderr: {stderr[:2]}"


for _path in lectures():
    globals()[f"TestLecture_{_path.stem}"] = type(f"TestLecture_{_path.stem}", (_Lecture,), {"path": _path})
