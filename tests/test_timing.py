"""Tests for cnn_course.timing: ratios of a function against a reference, measured in this process."""

import time

import pytest
import torch

from cnn_course import timing
from cnn_course.timing import TimingResult, _on_cuda, time_ratio

FAST = {"min_run_time": 0.02, "rounds": 3, "warmup": 1}


def work(n):
    return sum(range(n))  # pure Python: one thread, so no thread-pool stalls on a busy machine


def test_slower_function_has_ratio_above_one():
    def slow(n):
        time.sleep(0.002)  # sleeping never takes less than asked, however busy the machine is
        return work(n)

    result = time_ratio(slow, work, (100,), **FAST)
    assert isinstance(result, TimingResult)
    assert result.ratio > 1.5
    assert result.time >= 0.002 and 0 < result.reference_time < result.time


def test_same_function_has_ratio_near_one():
    # Measured on a shared 2-core machine under load: 0.78..4.1 over 10 runs, so the bounds are wide.
    result = time_ratio(work, work, (5000,), min_run_time=0.03, rounds=5, warmup=1)
    assert 0.1 < result.ratio < 10.0


def test_rounds_are_interleaved_and_summarised_by_medians(monkeypatch):
    fn, reference = (lambda: None), (lambda: None)
    script = {fn: [4.0, 1.0, 9.0], reference: [2.0, 1.0, 1.0]}  # per-round ratios 2, 1, 9
    order = []

    def fake_median_time(f, args, kwargs, min_run_time):
        order.append("fn" if f is fn else "reference")
        return script[f].pop(0)

    monkeypatch.setattr(timing, "_median_time", fake_median_time)
    result = time_ratio(fn, reference, rounds=3, warmup=0)
    assert order == ["fn", "reference"] * 3
    assert result == TimingResult(time=4.0, reference_time=1.0, ratio=2.0)


def test_kwargs_and_warmup_reach_both_functions():
    calls = {"fn": 0, "reference": 0}

    def counted(key):
        def call(x, *, scale):
            calls[key] += 1
            return x * scale

        return call

    time_ratio(
        counted("fn"),
        counted("reference"),
        (torch.ones(3),),
        {"scale": 2.0},
        min_run_time=0.01,
        rounds=1,
        warmup=3,
    )
    assert calls["fn"] > 3 and calls["reference"] > 3


@pytest.mark.parametrize("kwargs", [{"rounds": 0}, {"warmup": -1}, {"min_run_time": 0.0}])
def test_time_ratio_rejects_bad_settings(kwargs):
    with pytest.raises(ValueError, match="time_ratio"):
        time_ratio(torch.sum, torch.sum, (torch.ones(2),), **kwargs)


def test_timing_result_reads_well():
    result = TimingResult(time=3.2e-3, reference_time=1.1e-3, ratio=3.2 / 1.1)
    assert str(result) == "fn 3.20 ms vs reference 1.10 ms: 2.9x"
    assert str(TimingResult(4.1e-5, 1.25, 4.1e-5 / 1.25)) == "fn 41.0 us vs reference 1.25 s: 3.3e-05x"
    assert str(TimingResult(250e-9, 500e-9, 0.5)) == "fn 250 ns vs reference 500 ns: 0.5x"
    assert str(TimingResult(2.5, 0.25, 10.0)) == "fn 2.50 s vs reference 250 ms: 10.0x"
    time_, reference_time, ratio = result  # still a plain tuple
    assert ratio == pytest.approx(time_ / reference_time)


def test_on_cuda_finds_tensors_in_containers():
    assert not _on_cuda((torch.ones(1), [torch.zeros(2)], {"w": torch.ones(1)}, 3))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_time_ratio_on_cuda():
    x = torch.randn(256, 256, device="cuda")
    assert _on_cuda({"x": [x]})
    result = time_ratio(lambda x: x @ x @ x, lambda x: x @ x, (x,), **FAST)
    assert result.ratio > 1.0
