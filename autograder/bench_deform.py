"""Benchmark the reference `deform_conv2d` of unit 10 against `F.conv2d` (and torchvision's own kernel on CUDA).

The reference implementation lives only in the solution notebook; `solution_namespace` loads it. Each line is a
median time ratio (cnn_course.timing.time_ratio: same process, interleaved rounds) for one layer shape: a 3x3
DCNv2 layer (random offsets and a mask, padding 1) against the regular convolution of the same shape, and, on
CUDA when torchvision imports, against `torchvision.ops.deform_conv2d` on the same arguments. On a CPU the
batches are 8 times smaller. On CUDA, TF32 is off and cudnn.benchmark is False, so every side computes exact
float32.

    python -m autograder.bench_deform                 # CUDA when present, else the CPU
    python -m autograder.bench_deform --device cpu --min-run-time 0.5
"""

from __future__ import annotations

import argparse
import importlib.util
import math
from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F

from cnn_course import disable_tf32, get_device
from cnn_course.timing import time_ratio

UNIT = "10_deformable_convolution"
# (N, C, H = W, K, k): a ResNet stage-2 and a stage-3 3x3 layer, where deformable layers are used
SHAPES = [(16, 64, 56, 64, 3), (8, 256, 28, 256, 3)]
CPU_BATCH_DIVISOR = 8


def reference_deform_conv2d() -> Callable:
    """The solution notebook's deform_conv2d (with the bilinear_sample it calls)."""
    from autograder.bench import reference_function

    return reference_function(UNIT, "deform_conv2d")


def torchvision_deform_conv2d() -> Callable | None:
    """torchvision.ops.deform_conv2d where torchvision imports with its compiled ops, else None."""
    if importlib.util.find_spec("torchvision") is None:
        return None
    try:
        from torchvision.ops import deform_conv2d
    except Exception:  # a torchvision built for another torch
        return None
    return deform_conv2d


def bench_deform(
    device: torch.device | str,
    min_run_time: float = 0.2,
    log: Callable[[str], None] = print,
    *,
    shapes: Sequence[tuple[int, int, int, int, int]] = SHAPES,
    rounds: int = 3,
) -> list[dict]:
    """Time the reference deform_conv2d against F.conv2d (and torchvision's kernel on CUDA); log a table.

    Args:
        device: where to run; on a CPU the batch sizes are divided by 8.
        min_run_time: seconds each single measurement runs at least.
        log: where the table goes, one line per call.
        shapes: (N, C, H = W, K, k) layer shapes, stride 1, padding k // 2, one offset group, with a mask.
        rounds: interleaved rounds per ratio.

    Returns:
        One dict per shape: n, c, h, k_out, k, deform_ms, conv_ms, ratio_conv (deform / F.conv2d) and, when
        torchvision's kernel was timed, torchvision_ms and ratio_torchvision (deform / torchvision).

    Raises:
        AssertionError: the reference differs from torchvision (or, at zero offsets, from F.conv2d) for a shape.
    """
    device = torch.device(device)
    deform = reference_deform_conv2d()
    theirs = torchvision_deform_conv2d() if device.type == "cuda" else None
    log(f"{'N':>4} {'C':>4} {'H':>4} {'K':>4} {'k':>2}  {'deform':>9}  {'F.conv2d':>9}  {'/ conv':>6}"
        + (f"  {'torchvision':>11}  {'/ tv':>5}" if theirs else ""))
    gen = torch.Generator().manual_seed(0)
    results = []
    for n, c, h, k_out, k in shapes:
        if device.type == "cpu":
            n = max(1, n // CPU_BATCH_DIVISOR)
        x = torch.randn(n, c, h, h, generator=gen).to(device)
        weight = (torch.randn(k_out, c, k, k, generator=gen) / math.sqrt(c * k * k)).to(device)
        bias = torch.randn(k_out, generator=gen).to(device)
        offset = torch.randn(n, 2 * k * k, h, h, generator=gen).to(device)
        mask = torch.rand(n, k * k, h, h, generator=gen).to(device)
        padding = k // 2
        zero = deform(x, torch.zeros_like(offset), weight, bias, 1, padding, 1)
        error = (zero - F.conv2d(x, weight, bias, 1, padding)).abs().max().item()
        assert error < 1e-3, f"deform_conv2d at zero offsets differs from F.conv2d by {error:.2e} for {(n, c, h, k_out, k)}"
        args = (x, offset, weight, bias, (1, 1), (padding, padding), (1, 1), mask)
        conv = lambda x, offset, weight, bias, stride, padding, dilation, mask: F.conv2d(x, weight, bias, stride, padding, dilation)
        versus_conv = time_ratio(deform, conv, args, min_run_time=min_run_time, rounds=rounds)
        row = {"n": n, "c": c, "h": h, "k_out": k_out, "k": k, "deform_ms": versus_conv.time * 1e3,
               "conv_ms": versus_conv.reference_time * 1e3, "ratio_conv": versus_conv.ratio}
        line = (f"{n:>4} {c:>4} {h:>4} {k_out:>4} {k:>2}  {row['deform_ms']:>6.2f} ms  {row['conv_ms']:>6.2f} ms  "
                f"{row['ratio_conv']:>6.2f}")
        if theirs is not None:
            error = (deform(*args) - theirs(*args)).abs().max().item()
            assert error < 1e-3, f"deform_conv2d differs from torchvision's by {error:.2e} for {(n, c, h, k_out, k)}"
            versus_tv = time_ratio(deform, theirs, args, min_run_time=min_run_time, rounds=rounds)
            row |= {"torchvision_ms": versus_tv.reference_time * 1e3, "ratio_torchvision": versus_tv.ratio}
            line += f"  {row['torchvision_ms']:>8.2f} ms  {row['ratio_torchvision']:>5.2f}"
        log(line)
        results.append(row)
    if device.type == "cuda" and theirs is None:
        log("torchvision.ops.deform_conv2d is not importable here: no comparison with its CUDA kernel.")
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.bench_deform", description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", default=None, help="cpu or cuda (default: cuda when present)")
    parser.add_argument("--min-run-time", type=float, default=0.2, help="seconds per measurement (default 0.2)")
    args = parser.parse_args(argv)
    disable_tf32()
    torch.backends.cudnn.benchmark = False
    device = get_device(args.device)
    print(f"deform_conv2d (reference solution of {UNIT}) / F.conv2d; torch {torch.__version__}; float32; {device}")
    bench_deform(device, args.min_run_time)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
