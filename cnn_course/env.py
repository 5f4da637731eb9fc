"""Environment helpers: seeding, device choice, TF32 and a quick environment check.

Every notebook's setup cell calls ``seed_everything`` once, ``get_device`` for the device and
``check_environment`` for versions and advice. Output goes to stdout only: nbgrader gives 0 points
to a graded cell that writes to stderr.
"""

from __future__ import annotations

import platform
import random
import re
import sys

import numpy as np
import torch

_MIN_TORCH = (2, 1)


def seed_everything(seed: int = 0) -> None:
    """Seed Python's ``random``, NumPy and PyTorch (CPU and every CUDA device).

    This is the one seeding helper every notebook uses, once, in its setup cell.

    Args:
        seed: the seed for all generators.

    Returns:
        None.
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device in current PyTorch
    torch.cuda.manual_seed_all(seed)  # explicit, and a no-op without CUDA


def disable_tf32() -> None:
    """Make CUDA matrix products and convolutions use exact float32 instead of TF32.

    On Ampere and newer GPUs, PyTorch may run float32 convolutions (cuDNN) and matrix products in
    TF32, which keeps only 10 mantissa bits: results then differ from a from-scratch float32
    implementation by about 1e-3, far more than the tolerances of the course tests. Turning TF32
    off makes CUDA results comparable with from-scratch code. It has no effect on the CPU. Only the
    long-standing ``allow_tf32`` flags are used: do not mix them with the newer ``fp32_precision``
    settings, which makes PyTorch warn.

    Returns:
        None.
    """
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False


def get_device(prefer: str | None = None) -> torch.device:
    """Choose the device the notebook runs on.

    Args:
        prefer: ``None`` for CUDA when available and the CPU otherwise, ``"cpu"`` to force the CPU,
            ``"cuda"`` to require a GPU.

    Returns:
        The chosen ``torch.device``.

    Raises:
        RuntimeError: ``prefer="cuda"`` but no CUDA GPU is available.
        ValueError: ``prefer`` is not ``None``, ``"cpu"`` or ``"cuda"``.
    """
    if prefer is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if prefer == "cpu":
        return torch.device("cpu")
    if prefer == "cuda":
        if not torch.cuda.is_available():
            raise RuntimeError(
                "A CUDA GPU was requested but none is available: on Colab choose Runtime > Change "
                "runtime type > GPU, or call get_device() to fall back to the CPU."
            )
        return torch.device("cuda")
    raise ValueError(f"get_device got prefer={prefer!r}; use None, 'cpu' or 'cuda'.")


def on_colab() -> bool:
    """Tell whether the code runs inside Google Colab.

    Returns:
        True when the ``google.colab`` module has been imported (it always is on Colab).
    """
    return "google.colab" in sys.modules


def _version_tuple(text: str) -> tuple[int, int]:
    """Turn "2.13.0+cpu" into (2, 13); (0, 0) when the text does not start with "major.minor"."""
    match = re.match(r"(\d+)\.(\d+)", text)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def check_environment(verbose: bool = True) -> dict:
    """Report versions, device and advice, so a student sees at once whether the setup works.

    Args:
        verbose: print a compact table to stdout (never stderr).

    Returns:
        A dict with keys ``python``, ``torch``, ``numpy``, ``matplotlib`` (version strings),
        ``device`` (``"cuda"`` or ``"cpu"``), ``cuda`` (GPU name or None), ``colab`` (bool) and
        ``advice`` (list of sentences, possibly empty).
    """
    import matplotlib

    has_cuda = torch.cuda.is_available()
    colab = on_colab()
    info: dict = {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "numpy": np.__version__,
        "matplotlib": matplotlib.__version__,
        "device": "cuda" if has_cuda else "cpu",
        "cuda": torch.cuda.get_device_name(0) if has_cuda else None,
        "colab": colab,
        "advice": [],
    }
    advice: list[str] = info["advice"]
    if _version_tuple(torch.__version__) < _MIN_TORCH:
        advice.append(
            f"PyTorch {torch.__version__} is older than 2.1: upgrade it (pip install -U torch) "
            "before running the notebooks."
        )
    if not has_cuda:
        advice.append("No GPU found: everything runs on the CPU; timing tests compare on the CPU.")
        if colab:
            advice.append("On Colab, choose Runtime > Change runtime type > GPU (e.g. T4) to get a GPU.")
    if verbose:
        rows = [(key, str(info[key])) for key in ("python", "torch", "numpy", "matplotlib", "device")]
        rows += [("gpu", info["cuda"] or "none"), ("colab", "yes" if colab else "no")]
        width = max(len(key) for key, _ in rows)
        lines = [f"{key:<{width}}  {value}" for key, value in rows]
        lines += [f"advice: {sentence}" for sentence in advice]
        print("\n".join(lines))  # stdout only: a graded cell writing to stderr scores 0
    return info
