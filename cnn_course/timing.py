"""Compare the speed of a function with a reference, in the same process.

Timing tests assert a ratio, never an absolute time: both functions run on the same machine, under
the same load, interleaved (fn, reference, fn, reference, ...), and the ratio is the median of the
per-round ratios, so a busy 2-core machine slows both sides alike.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import torch
from torch.utils import benchmark


def _format_seconds(seconds: float) -> str:
    """Readable duration with three significant digits: 3.20 ms, 41.0 us, 125 ns."""
    units = (("s", 1.0), ("ms", 1e-3), ("us", 1e-6))
    unit, scale = next(((u, s) for u, s in units if seconds >= s), ("ns", 1e-9))
    value = seconds / scale
    decimals = 2 if value < 10 else 1 if value < 100 else 0
    return f"{value:.{decimals}f} {unit}"


class TimingResult(NamedTuple):
    """Result of ``time_ratio``: median seconds per call of ``fn`` and of the reference, and their ratio.

    ``ratio`` is the median over rounds of ``fn time / reference time``; it is close to
    ``time / reference_time`` and more robust when the machine is busy. Above 1 means fn is slower.
    """

    time: float
    reference_time: float
    ratio: float

    def __str__(self) -> str:
        ratio = f"{self.ratio:.1f}x" if self.ratio >= 1 else f"{self.ratio:.2g}x"
        return f"fn {_format_seconds(self.time)} vs reference {_format_seconds(self.reference_time)}: {ratio}"


def _on_cuda(value: Any) -> bool:
    """True if ``value`` is, or contains (in lists, tuples, dicts), a tensor on a CUDA device."""
    if isinstance(value, torch.Tensor):
        return value.is_cuda
    if isinstance(value, list | tuple):
        return any(_on_cuda(item) for item in value)
    if isinstance(value, Mapping):
        return any(_on_cuda(item) for item in value.values())
    return False


def _median_time(fn: Callable, args: tuple, kwargs: dict, min_run_time: float) -> float:
    """Median seconds per call of ``fn(*args, **kwargs)`` measured by torch.utils.benchmark."""
    timer = benchmark.Timer(
        stmt="fn(*args, **kwargs)",
        globals={"fn": fn, "args": args, "kwargs": kwargs},
        num_threads=torch.get_num_threads(),  # Timer's default is 1 thread, unlike normal PyTorch code
    )
    # Timer's default clock calls torch.cuda.synchronize() (torch.accelerator.synchronize() in recent
    # PyTorch) before reading the time, so each timed block includes the CUDA kernels it launched.
    return timer.blocked_autorange(min_run_time=min_run_time).median


def time_ratio(
    fn: Callable,
    reference: Callable,
    args: tuple = (),
    kwargs: Mapping[str, Any] | None = None,
    *,
    min_run_time: float = 0.1,
    rounds: int = 3,
    warmup: int = 2,
) -> TimingResult:
    """Time ``fn(*args, **kwargs)`` against ``reference(*args, **kwargs)`` in this process.

    Both functions are first called ``warmup`` times (caches, lazy initialisation, cuDNN algorithm
    choice), then measured in ``rounds`` interleaved rounds with ``Timer.blocked_autorange``.

    Args:
        fn: the function under test, e.g. a student's ``conv2d``.
        reference: the function to compare with, e.g. ``torch.nn.functional.conv2d``.
        args: positional arguments for both functions.
        kwargs: keyword arguments for both functions.
        min_run_time: seconds each single measurement runs at least.
        rounds: number of (fn, reference) measurement pairs.
        warmup: untimed calls of each function before measuring.

    Returns:
        A ``TimingResult(time, reference_time, ratio)``: median seconds per call and the median of
        the per-round ratios; ``print`` it for a one-line summary.

    Raises:
        ValueError: ``rounds`` < 1, ``warmup`` < 0 or ``min_run_time`` <= 0.
    """
    if rounds < 1 or warmup < 0 or min_run_time <= 0:
        raise ValueError(
            f"time_ratio got rounds={rounds}, warmup={warmup}, min_run_time={min_run_time}; "
            "use rounds >= 1, warmup >= 0 and min_run_time > 0."
        )
    args, kwargs = tuple(args), dict(kwargs or {})
    for _ in range(warmup):
        fn(*args, **kwargs)
        reference(*args, **kwargs)
    if _on_cuda(args) or _on_cuda(kwargs):
        torch.cuda.synchronize()  # let warm-up kernels finish before the first measurement
    times, reference_times, ratios = [], [], []
    for _ in range(rounds):
        times.append(_median_time(fn, args, kwargs, min_run_time))
        reference_times.append(_median_time(reference, args, kwargs, min_run_time))
        ratios.append(times[-1] / reference_times[-1])
    return TimingResult(
        time=statistics.median(times),
        reference_time=statistics.median(reference_times),
        ratio=statistics.median(ratios),
    )
