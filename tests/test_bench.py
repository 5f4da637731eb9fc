"""`make bench` (autograder.bench) keeps working: a smoke run on tiny shapes, and its argument checks."""

import argparse
import math

import pytest

from autograder import bench


def test_bench_main_runs_on_tiny_shapes(capsys):
    """The reference conv2d_fast loads from the solution notebook, matches F.conv2d and gets timed."""
    argv = ["--device", "cpu", "--shape", "8,3,10,4,3,1,1", "--shape", "16,2,9,3,5,2,2",
            "--min-run-time", "0.01", "--rounds", "1"]
    assert bench.main(argv) == 0
    out = capsys.readouterr().out
    assert "device cpu" in out and "torch" in out and "threads" in out
    rows = [line for line in out.splitlines() if line.split()[:1] in (["1"], ["2"])]
    assert len(rows) == 2, out  # batches 8 and 16 divided by 8 on the CPU
    assert "geometric mean of conv2d_fast / F.conv2d" in out


def test_bench_geometric_mean_of_ratios():
    """bench() returns the geometric mean of the per-shape ratios, and rejects a wrong conv2d_fast."""
    import torch.nn.functional as F

    lines = []
    mean = bench.bench(F.conv2d, [(8, 2, 6, 3, 3, 1, 1)], bench.get_device("cpu"), min_run_time=0.01, rounds=1,
                       log=lines.append)
    # F.conv2d against itself: about 1 on a quiet machine, but a loaded one skews tiny timings either way,
    # so only the arithmetic is checked here; the ratios themselves are `make bench`'s job.
    assert math.isfinite(mean) and mean > 0
    assert len([line for line in lines if "/" in line or "x" in line]) >= 1
    with pytest.raises(AssertionError, match="differs from F.conv2d"):
        bench.bench(lambda *args: F.conv2d(*args) + 1, [(8, 2, 6, 3, 3, 1, 1)], bench.get_device("cpu"),
                    min_run_time=0.01, rounds=1, log=lines.append)


def test_parse_shape_wants_seven_numbers():
    assert bench.parse_shape("64,3,224,64,7,2,3") == (64, 3, 224, 64, 7, 2, 3)
    with pytest.raises(argparse.ArgumentTypeError):
        bench.parse_shape("64,3,224")


def test_bench_deform_runs_on_a_tiny_shape():
    """The deformable-convolution bench checks the reference against F.conv2d and reports a ratio."""
    from autograder import bench_deform

    rows = bench_deform.bench_deform("cpu", 0.01, log=lambda _l: None, shapes=[(8, 4, 10, 6, 3)], rounds=1)
    assert len(rows) == 1 and rows[0]["n"] == 1 and rows[0]["ratio_conv"] > 0


@pytest.mark.parametrize("ratio", [0.033, 0.5, 1.0, 14.2, 250.0])
def test_gpu_check_reads_the_ratios_that_timing_tests_print(ratio):
    """make gpu-check finds the ratio in the text of a TimingResult, as the speed tests print it."""
    from autograder.gpu_check import RATIO
    from cnn_course.timing import TimingResult

    text = f"speed on cpu for inputs (1, 3, 8, 8): {TimingResult(2e-3 * ratio, 2e-3, ratio)}; largest difference 0.001"
    (found,) = RATIO.findall(text)
    assert math.isclose(float(found), ratio, rel_tol=0.05), (text, found)
