"""Assertions for test cells whose messages teach: what was expected, what came back, where, and a hint.

Each helper returns None on success and raises ``AssertionError`` otherwise; none prints anything.
``name`` is how the message refers to the value: a call such as ``"conv2d(x, w)"`` reads
"conv2d(x, w) returned ...", a noun such as ``"output"`` reads "output is ...".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

# (atol, rtol) by expected dtype. float32's rtol is 100x torch.testing's default (1.3e-6): from-scratch
# code sums in another order than cuDNN/MKL, which moves float32 results by a few ulps per term.
_TOLERANCES: dict[torch.dtype, tuple[float, float]] = {
    torch.float64: (1e-10, 1e-7),
    torch.complex128: (1e-10, 1e-7),
    torch.float32: (1e-5, 1.3e-4),
    torch.complex64: (1e-5, 1.3e-4),
    torch.float16: (1e-3, 1e-2),
    torch.bfloat16: (1e-2, 1.6e-2),
}


def _message(*parts: str | None, hint: str | None = None) -> str:
    """Join the non-empty parts of a failure message, one per line, the hint last."""
    lines = [part for part in parts if part]
    if hint:
        lines.append(f"Hint: {hint}")
    return "\n".join(lines)


def _verb(name: str) -> str:
    """The verb for messages: "returned" after a call such as conv2d(x, w), "is" after a noun."""
    return "returned" if name.rstrip().endswith(")") else "is"


def _a(word: str) -> str:
    """The word with its indefinite article: "an int", "a tuple"."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _type_name(value: Any) -> str:
    """Type name for messages: int, numpy.int64, torch.Tensor, NoneType."""
    kind = type(value)
    package = kind.__module__.split(".")[0]
    return kind.__name__ if package == "builtins" else f"{package}.{kind.__name__}"


def default_tolerances(dtype: torch.dtype) -> tuple[float, float]:
    """The ``(atol, rtol)`` that ``assert_close`` uses for an expected tensor of this dtype.

    Args:
        dtype: dtype of the expected tensor.

    Returns:
        ``(atol, rtol)``: float64 (1e-10, 1e-7), float32 (1e-5, 1.3e-4), float16 (1e-3, 1e-2),
        bfloat16 (1e-2, 1.6e-2), complex like their real parts, and (0, 0) (exact) for integer and
        bool dtypes.
    """
    return _TOLERANCES.get(dtype, (0.0, 0.0))


def assert_shape(
    actual: Any, expected_shape: Sequence[int], name: str = "output", hint: str | None = None
) -> None:
    """Check that ``actual`` is a tensor of the expected shape.

    Args:
        actual: the value to check, e.g. what a student's function returned.
        expected_shape: the shape it should have (tuple, list or ``torch.Size``).
        name: how the message refers to ``actual``, e.g. ``"conv2d(x, w)"`` or ``"output"``.
        hint: an extra sentence appended to the failure message.

    Returns:
        None.

    Raises:
        AssertionError: ``actual`` is not a ``torch.Tensor`` or has another shape.
    """
    if not isinstance(actual, torch.Tensor):
        verb = "should return" if _verb(name) == "returned" else "should be"
        forgot = " (did you forget the `return` statement?)" if actual is None else ""
        raise AssertionError(
            _message(f"{name} {verb} a torch.Tensor, got {_type_name(actual)}{forgot}.", hint=hint)
        )
    got, want = tuple(actual.shape), tuple(int(s) for s in expected_shape)
    if got != want:
        raise AssertionError(_message(f"{name} has shape {got} but should have shape {want}.", hint=hint))


def _format(value: Any) -> str:
    """A scalar for messages, to 6 significant digits."""
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def assert_close(
    actual: Any,
    expected: torch.Tensor | np.ndarray | float,
    name: str = "output",
    atol: float | None = None,
    rtol: float | None = None,
    hint: str | None = None,
    check_dtype: bool = True,
) -> None:
    """Check that a tensor matches the expected one: type, then shape, then dtype, then values.

    Values pass where ``|actual - expected| <= atol + rtol * |expected|`` (``torch.isclose``); a NaN
    passes only where NaN is expected. Values are compared on the expected tensor's device.

    Args:
        actual: the tensor to check.
        expected: the correct tensor (arrays and numbers are turned into tensors).
        name: how the message refers to ``actual``, e.g. ``"conv2d(x, w)"``.
        atol: absolute tolerance; default from ``default_tolerances(expected.dtype)``.
        rtol: relative tolerance; default from ``default_tolerances(expected.dtype)``.
        hint: an extra sentence appended to every failure message.
        check_dtype: also require the same dtype; when False, values are compared in the promoted dtype.

    Returns:
        None.

    Raises:
        AssertionError: with how many elements differ, the largest absolute error, the index of the
            worst element and the values there.
    """
    expected = torch.as_tensor(expected).detach()
    assert_shape(actual, expected.shape, name=name, hint=hint)
    if check_dtype and actual.dtype != expected.dtype:
        raise AssertionError(
            _message(f"{name} has dtype {actual.dtype} but should have dtype {expected.dtype}.", hint=hint)
        )
    default_atol, default_rtol = default_tolerances(expected.dtype)
    atol = default_atol if atol is None else atol
    rtol = default_rtol if rtol is None else rtol
    dtype = torch.promote_types(actual.dtype, expected.dtype)
    got = actual.detach().to(device=expected.device, dtype=dtype)
    want = expected.to(dtype=dtype)
    if dtype == torch.bool:
        ok = got == want
    else:  # integers are exact with the default atol = rtol = 0
        ok = torch.isclose(got, want, rtol=rtol, atol=atol, equal_nan=True)
    if bool(ok.all()):
        return
    # Diagnose on the CPU in double precision (some devices lack float64).
    wide = torch.complex128 if dtype.is_complex else torch.float64
    got, want, bad = got.cpu(), want.cpu(), ~ok.cpu()
    error = (got.to(wide) - want.to(wide)).abs()
    error = torch.where(bad & torch.isnan(error), torch.full_like(error, math.inf), error)  # NaN counts worst
    flat = int(torch.where(bad, error, torch.full_like(error, -1.0)).flatten().argmax())
    index = tuple(int(i) for i in np.unravel_index(flat, tuple(error.shape)))
    got_at, want_at = got.flatten()[flat].item(), want.flatten()[flat].item()
    tolerance = f" (atol={atol:g}, rtol={rtol:g})" if atol or rtol else " (exact comparison)"
    raise AssertionError(
        _message(
            f"{name} has wrong values at {int(bad.sum())} of {bad.numel()} elements{tolerance}.",
            f"Largest absolute error {_format(float(error[bad].max()))} at index {index}: "
            f"got {_format(got_at)}, expected {_format(want_at)}.",
            hint=hint,
        )
    )


def _scalar(value: Any) -> Any:
    """A 0-d tensor or NumPy scalar as the Python number it holds; anything else unchanged."""
    if isinstance(value, torch.Tensor | np.ndarray) and value.ndim == 0:
        return value.item()
    if isinstance(value, np.generic):
        return value.item()
    return value


_DIFFERENT = ""  # _difference's answer when only the values differ: the first line says it all


def _difference(actual: Any, expected: Any) -> str | None:
    """None when ``actual`` equals ``expected``; otherwise a sentence on why ("" for plain values)."""
    got, want = _scalar(actual), _scalar(expected)
    if isinstance(got, bool) != isinstance(want, bool) or (
        isinstance(want, int) and isinstance(got, float)  # checked after bools: bool is an int
    ):
        division = " (integer division is //)" if isinstance(got, float) else ""
        return f"It is a {type(got).__name__}, but {_a(type(want).__name__)} is expected{division}."
    if isinstance(want, float) and isinstance(got, int | float):
        return None if math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12) else _DIFFERENT
    if isinstance(want, tuple | list):
        if type(got) is not type(want):
            return f"It is of type {_type_name(got)}, but {_a(type(want).__name__)} is expected."
        if len(got) != len(want):
            return f"It has {len(got)} element(s), but {len(want)} are expected."
        for k, (g, w) in enumerate(zip(got, want, strict=True)):
            reason = _difference(g, w)
            if reason is not None:
                return f"Element {k} is {g!r}, expected {w!r}. {reason}".rstrip()
        return None
    if type(got) is not type(want) and not (isinstance(got, int) and isinstance(want, int)):
        return f"It is of type {_type_name(actual)}, but {_a(_type_name(expected))} is expected."
    return None if got == want else _DIFFERENT


def assert_equal(actual: Any, expected: Any, name: str = "value", hint: str | None = None) -> None:
    """Check a Python value (int, float, tuple, ...) exactly, with a message that shows both.

    A 0-d tensor, 0-d array or NumPy scalar counts as the number it holds, so ``torch.tensor(28)``
    equals ``28``, but only when the values are equal. ``True`` and ``1`` are different (bool vs int),
    as are ``28.0`` and ``28`` when an int is expected and a list where a tuple is expected. An int
    passes where a float is expected; floats are equal within a relative 1e-9 (rounding order).
    Tensors and arrays with dimensions are passed to ``assert_close`` with exact tolerances.

    Args:
        actual: the value to check.
        expected: the correct value.
        name: how the message refers to ``actual``, e.g. ``"conv_output_size(32, 5)"``.
        hint: an extra sentence appended to the failure message.

    Returns:
        None.

    Raises:
        AssertionError: e.g. "conv_output_size(32, 5) returned 27, expected 28."
    """
    if isinstance(expected, torch.Tensor | np.ndarray) and expected.ndim > 0:
        assert_close(actual, expected, name=name, atol=0.0, rtol=0.0, hint=hint)
        return
    reason = _difference(actual, expected)
    if reason is None:
        return
    first = f"{name} {_verb(name)} {actual!r}, expected {expected!r}."
    raise AssertionError(_message(first, reason, hint=hint))
