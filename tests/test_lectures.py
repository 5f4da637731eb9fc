"""Every lecture runs top to bottom, offline, without errors or warnings."""

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.units import REPO, lectures


@pytest.mark.parametrize("path", lectures(), ids=lambda p: p.name)
def test_lecture_executes(path, tmp_path):
    """The lecture executes in a fresh kernel and writes nothing to stderr."""
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    stderr = [
        (i, out.text)
        for i, cell in enumerate(nb.cells)
        for out in cell.get("outputs", [])
        if out.output_type == "stream" and out.name == "stderr"
    ]
    assert not stderr, f"{path.relative_to(REPO)} wrote to stderr: {stderr[:2]}"
