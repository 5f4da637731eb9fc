"""The solution notebooks' code can be loaded outside Jupyter and agrees with PyTorch."""

import torch
import torch.nn.functional as F

from autograder.solution_code import solution_namespace


def test_solution_namespace_loads_unit_01():
    """Unit 01's conv2d, run from the notebook's source, matches F.conv2d; the test cells are not run."""
    ns = solution_namespace("01_convolution")
    x, w = torch.randn(2, 3, 7, 6, dtype=torch.float64), torch.randn(4, 3, 3, 2, dtype=torch.float64)
    torch.testing.assert_close(ns["conv2d"](x, w, None, 2, 1, 1), F.conv2d(x, w, None, 2, 1, 1))
    assert not any(name.startswith("test_") for name in ns)
