"""Benchmark the reference `conv2d_fast` of unit 02 against PyTorch's `F.conv2d`: `make bench`
(then unit 10's `deform_conv2d`, see autograder/bench_deform.py).

The reference implementation lives only in the solution notebook; `solution_namespace` loads it. Each line
is the median time ratio `conv2d_fast / F.conv2d` (cnn_course.timing.time_ratio: same process, interleaved
rounds) for one layer shape, and the last line their geometric mean. On a CPU the batches are 8 times
smaller, so the run takes about a minute. On CUDA, TF32 is off and cudnn.benchmark is False, so both sides
compute exact float32 and cuDNN picks its algorithm without autotuning.

    python -m autograder.bench                      # the shapes below
    python -m autograder.bench --shape 8,16,32,32,3,1,1 --min-run-time 0.5
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import platform
from collections.abc import Callable, Sequence

import torch
import torch.nn.functional as F

from cnn_course import disable_tf32, get_device
from cnn_course.timing import time_ratio

UNIT = "02_padding_stride"
# (N, C, H = W, K, k, stride, padding): layers from VGG/ResNet-like networks on CIFAR and ImageNet
SHAPES = [
    (64, 64, 32, 128, 3, 1, 1),
    (32, 3, 224, 64, 7, 2, 3),  # ResNet's first layer
    (64, 256, 14, 256, 3, 1, 1),
    (128, 16, 28, 32, 5, 1, 2),
]
CPU_BATCH_DIVISOR = 8


def parse_shape(text: str) -> tuple[int, ...]:
    """ "N,C,H,K,k,stride,padding" -> a tuple of 7 ints."""
    values = tuple(int(v) for v in text.split(","))
    if len(values) != 7:
        raise argparse.ArgumentTypeError(f"a shape is N,C,H,K,k,stride,padding (7 numbers), got {text!r}")
    return values


def reference_function(unit: str, name: str) -> Callable:
    """Function `name` of a unit's solution notebook (with the solution functions it calls)."""
    from autograder.solution_code import solution_namespace

    threads = torch.get_num_threads()
    with contextlib.redirect_stdout(io.StringIO()):  # the setup cell prints the environment
        namespace = solution_namespace(unit)
    torch.set_num_threads(threads)  # the notebook's setup cell runs its tests on one thread; the bench does not
    return namespace[name]


def reference_conv2d_fast() -> Callable:
    """The solution notebook's conv2d_fast (with the pad2d and unfold it calls)."""
    return reference_function(UNIT, "conv2d_fast")


def describe_device(device: torch.device) -> str:
    if device.type == "cuda":
        return f"cuda ({torch.cuda.get_device_name(device)}), cudnn.benchmark False, TF32 off"
    cpu = platform.processor() or platform.machine()
    return f"cpu ({cpu}, {torch.get_num_threads()} threads; batches divided by {CPU_BATCH_DIVISOR})"


def bench(
    conv2d_fast: Callable,
    shapes: Sequence[tuple[int, ...]],
    device: torch.device,
    *,
    min_run_time: float = 0.2,
    rounds: int = 3,
    log: Callable[[str], None] = print,
) -> float:
    """Time conv2d_fast against F.conv2d for each shape; log a table; return the geometric mean ratio.

    Raises:
        AssertionError: conv2d_fast gives another result than F.conv2d for some shape.
    """
    log(f"{'N':>4} {'C':>4} {'H':>4} {'K':>4} {'k':>2} {'s':>2} {'p':>2}  {'conv2d_fast':>11}  {'F.conv2d':>9}  ratio")
    logs = []
    gen = torch.Generator().manual_seed(0)
    for n, c, h, k_out, k, stride, padding in shapes:
        if device.type == "cpu":
            n = max(1, n // CPU_BATCH_DIVISOR)
        x = torch.randn(n, c, h, h, generator=gen).to(device)
        weight = (torch.randn(k_out, c, k, k, generator=gen) / math.sqrt(c * k * k)).to(device)
        bias = torch.randn(k_out, generator=gen).to(device)
        args = (x, weight, bias, stride, padding)
        error = (conv2d_fast(*args) - F.conv2d(*args)).abs().max().item()
        assert error < 1e-3, f"conv2d_fast differs from F.conv2d by {error:.2e} for shape {(n, c, h, k_out, k)}"
        result = time_ratio(conv2d_fast, F.conv2d, args, min_run_time=min_run_time, rounds=rounds)
        logs.append(math.log(result.ratio))
        log(f"{n:>4} {c:>4} {h:>4} {k_out:>4} {k:>2} {stride:>2} {padding:>2}  "
            f"{result.time * 1e3:>8.2f} ms  {result.reference_time * 1e3:>6.2f} ms  {result.ratio:5.2f}")
    geometric_mean = math.exp(sum(logs) / len(logs))
    log(f"geometric mean of conv2d_fast / F.conv2d: {geometric_mean:.2f}")
    return geometric_mean


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--shape", type=parse_shape, action="append",
                        help="N,C,H,K,k,stride,padding (repeatable; default: the four shapes in SHAPES)")
    parser.add_argument("--device", default=None, help="cpu or cuda (default: cuda when present)")
    parser.add_argument("--min-run-time", type=float, default=0.2, help="seconds per measurement (default 0.2)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per shape (default 3)")
    args = parser.parse_args(argv)

    disable_tf32()
    torch.backends.cudnn.benchmark = False
    device = get_device(args.device)
    conv2d_fast = reference_conv2d_fast()
    print(f"conv2d_fast (reference solution of {UNIT}) / F.conv2d")
    print(f"device {describe_device(device)}; torch {torch.__version__}; float32")
    bench(conv2d_fast, args.shape or SHAPES, device, min_run_time=args.min_run_time, rounds=args.rounds)
    if args.shape is None:
        from autograder import bench_deform

        print(f"\ndeform_conv2d (reference solution of {bench_deform.UNIT}) / F.conv2d and torchvision")
        bench_deform.bench_deform(device, args.min_run_time, rounds=args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
