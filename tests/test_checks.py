"""Tests for cnn_course.checks: pass cases and the content of every failure message."""

import numpy as np
import pytest
import torch

from cnn_course.checks import assert_close, assert_equal, assert_shape, default_tolerances


def failure(check, *args, **kwargs) -> str:
    """Run a check that must fail and return its message."""
    with pytest.raises(AssertionError) as info:
        check(*args, **kwargs)
    return str(info.value)


# assert_shape


def test_assert_shape_passes():
    assert assert_shape(torch.zeros(1, 4, 6, 6), (1, 4, 6, 6)) is None
    assert_shape(torch.zeros(2, 3), torch.Size([2, 3]))
    assert_shape(torch.zeros(2, 3), [2, 3])
    assert_shape(torch.tensor(1.0), ())


def test_assert_shape_message():
    message = failure(assert_shape, torch.zeros(1, 4, 5, 5), (1, 4, 6, 6), hint="Did you pad?")
    assert message.splitlines() == [
        "output has shape (1, 4, 5, 5) but should have shape (1, 4, 6, 6).",
        "Hint: Did you pad?",
    ]


def test_assert_shape_rejects_non_tensors():
    message = failure(assert_shape, None, (1,), name="conv2d(x, w)")
    assert message.startswith("conv2d(x, w) should return a torch.Tensor, got NoneType")
    assert "return" in message
    assert "got numpy.ndarray" in failure(assert_shape, np.zeros(3), (3,))
    assert "got list" in failure(assert_shape, [1, 2, 3], (3,))


# assert_close


def test_assert_close_passes_within_tolerance():
    x = torch.randn(3, 4, dtype=torch.float64)
    assert assert_close(x + 1e-11, x) is None
    assert_close(x.float() * (1 + 1e-5), x.float())
    assert_close(torch.tensor([1, 2, 3]), torch.tensor([1, 2, 3]))
    assert_close(torch.tensor([float("nan"), 1.0]), torch.tensor([float("nan"), 1.0]))
    assert_close(torch.tensor([float("inf")]), torch.tensor([float("inf")]))
    assert_close(x.float(), x, check_dtype=False, atol=1e-6, rtol=1e-6)
    assert_close(x + 0.5, x, atol=1.0)


def test_assert_close_checks_type_then_shape_then_dtype():
    expected = torch.zeros(2, 3)
    assert "should return a torch.Tensor, got NoneType" in failure(assert_close, None, expected, name="f(x)")
    # Wrong shape and wrong dtype: the shape is reported first.
    message = failure(assert_close, torch.zeros(3, 2, dtype=torch.float64), expected)
    assert message == "output has shape (3, 2) but should have shape (2, 3)."
    message = failure(assert_close, torch.zeros(2, 3, dtype=torch.float64), expected, hint="Keep float32.")
    assert message.splitlines() == [
        "output has dtype torch.float64 but should have dtype torch.float32.",
        "Hint: Keep float32.",
    ]


def test_assert_close_reports_count_worst_index_and_values():
    expected = torch.zeros(2, 3, 4, 4)
    actual = expected.clone()
    actual[1, 2, 3, 0] = 0.5
    actual[0, 0, 0, 0] = 0.01
    message = failure(assert_close, actual, expected, name="conv2d(x, w)", hint="Did you flip the kernel?")
    lines = message.splitlines()
    assert lines[0].startswith("conv2d(x, w) has wrong values at 2 of 96 elements")
    assert "atol=1e-05" in lines[0] and "rtol=0.00013" in lines[0]
    assert lines[1] == "Largest absolute error 0.5 at index (1, 2, 3, 0): got 0.5, expected 0."
    assert lines[2] == "Hint: Did you flip the kernel?"


def test_assert_close_nan_where_finite_expected_is_a_mismatch():
    expected = torch.ones(4)
    actual = expected.clone()
    actual[2] = float("nan")
    actual[0] = 1.5
    message = failure(assert_close, actual, expected)
    assert "at 2 of 4 elements" in message
    assert "at index (2,): got nan, expected 1" in message  # NaN counts as the worst error


def test_assert_close_integers_and_bools_are_exact():
    message = failure(assert_close, torch.tensor([1, 2, 3]), torch.tensor([1, 2, 4]))
    assert "at 1 of 3 elements (exact comparison)" in message
    assert "at index (2,): got 3, expected 4" in message
    message = failure(assert_close, torch.tensor([True, False]), torch.tensor([True, True]))
    assert "got False, expected True" in message


def test_assert_close_accepts_arrays_as_expected():
    assert_close(torch.arange(3.0, dtype=torch.float64), np.arange(3.0))
    assert "torch.Tensor" in failure(assert_close, np.arange(3.0), np.arange(3.0))


def test_assert_close_does_not_truncate_floats_against_integers():
    message = failure(assert_close, torch.tensor([2.7]), torch.tensor([2]), check_dtype=False)
    assert "got 2.7, expected 2" in message


@pytest.mark.parametrize(
    ("dtype", "atol", "rtol"),
    [
        (torch.float64, 1e-10, 1e-7),
        (torch.float32, 1e-5, 1.3e-4),
        (torch.float16, 1e-3, 1e-2),
        (torch.bfloat16, 1e-2, 1.6e-2),
        (torch.int64, 0.0, 0.0),
        (torch.bool, 0.0, 0.0),
    ],
)
def test_default_tolerances_per_dtype(dtype, atol, rtol):
    assert default_tolerances(dtype) == (atol, rtol)


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.float16, torch.bfloat16])
def test_default_tolerances_are_applied(dtype):
    atol, rtol = default_tolerances(dtype)
    expected = torch.full((3,), 100.0, dtype=dtype)
    assert_close(expected + 0.5 * rtol * 100, expected)  # inside the relative tolerance
    assert "wrong values at 3 of 3" in failure(assert_close, expected + 3 * rtol * 100, expected)
    zero = torch.zeros(3, dtype=dtype)
    assert_close(zero + 0.5 * atol, zero)  # inside the absolute tolerance near 0
    assert "wrong values" in failure(assert_close, zero + 3 * atol, zero)


def test_assert_close_float32_is_looser_than_float64():
    x = torch.ones(3, dtype=torch.float64)
    assert_close((x + 1e-6).float(), x.float())
    assert "wrong values" in failure(assert_close, x + 1e-6, x)


# assert_equal


def test_assert_equal_passes():
    assert assert_equal(28, 28) is None
    assert_equal((28, 28), (28, 28))
    assert_equal([1, (2, 3)], [1, (2, 3)])
    assert_equal(torch.tensor(28), 28)
    assert_equal(np.int64(28), 28)
    assert_equal((np.int64(3), torch.tensor(4)), (3, 4))
    assert_equal(0.1 + 0.2, 0.3)  # floats within rounding
    assert_equal(2, 2.0)  # an int where a float is expected
    assert_equal("same", "same")
    assert_equal(None, None)
    assert_equal(torch.tensor([1, 2]), torch.tensor([1, 2]))


def test_assert_equal_message():
    message = failure(assert_equal, 27, 28, name="conv_output_size(32, 5)", hint="Use (n - k) // s + 1.")
    assert message.splitlines() == [
        "conv_output_size(32, 5) returned 27, expected 28.",
        "Hint: Use (n - k) // s + 1.",
    ]
    assert failure(assert_equal, 27, 28) == "value is 27, expected 28."
    assert "expected 28" in failure(assert_equal, torch.tensor(27), 28)


def test_assert_equal_is_type_aware():
    message = failure(assert_equal, 28.0, 28, name="conv_output_size(32, 5)")
    assert "returned 28.0, expected 28" in message and "float" in message and "//" in message
    assert "bool" in failure(assert_equal, True, 1)
    assert "bool" in failure(assert_equal, 1, True)
    assert "bool" in failure(assert_equal, torch.tensor(True), 1)
    assert "It is of type list, but a tuple is expected." in failure(assert_equal, [28, 28], (28, 28))
    assert "It is of type str, but an int is expected." in failure(assert_equal, "28", 28)
    assert "NoneType" in failure(assert_equal, None, 28, name="f()")


def test_assert_equal_names_the_differing_element():
    assert "Element 1 is 27, expected 28." in failure(assert_equal, (28, 27), (28, 28))
    assert "float" in failure(assert_equal, (28, 28.0), (28, 28))
    assert "1 element(s), but 2 are expected" in failure(assert_equal, (28,), (28, 28))


def test_assert_equal_with_tensors_compares_exactly():
    message = failure(assert_equal, torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0 + 1e-6]))
    assert "exact comparison" in message
