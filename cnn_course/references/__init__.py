"""Ground truth measured with real torchvision and timm (see README.md here for how it was measured).

``torchvision_model(name)`` gives a model's parameter count, state_dict layout and, for some models,
its logits under a deterministic weight fill; ``fill_reference_weights`` and ``reference_input``
reproduce that fill and input, so a model written in the course can be compared with torchvision's
own outputs without importing torchvision.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib.resources import files
from typing import NamedTuple

import numpy as np
import torch
from torch import nn


class ModelReference(NamedTuple):
    """What torchvision (or timm) reports for one model."""

    name: str
    params: int
    input_size: int  # side S of the (2, 3, S, S) reference input
    state_dict: list[tuple[str, tuple[int, ...]]]  # (key, shape) in the model's own order
    logits: torch.Tensor | None  # (2, classes) float64 under the reference fill, or None


@lru_cache(maxsize=1)
def _models() -> dict:
    text = files("cnn_course.references").joinpath("torchvision_models.json").read_text()
    return json.loads(text)["models"]


def available() -> list[str]:
    """Names of the models with ground truth, e.g. "resnet18", "timm seresnet50"."""
    return list(_models())


def torchvision_model(name: str) -> ModelReference:
    """The ground truth of model `name` (see ``available()``)."""
    models = _models()
    if name not in models:
        raise KeyError(f"No ground truth for {name!r}; available: {', '.join(models)}.")
    m = models[name]
    logits = torch.tensor(m["logits"], dtype=torch.float64) if "logits" in m else None
    layout = [(key, tuple(shape)) for key, shape in m["state_dict"]]
    return ModelReference(name, int(m["params"]), int(m["input_size"]), layout, logits)


def state_dict_layout(model: nn.Module) -> list[tuple[str, tuple[int, ...]]]:
    """(key, shape) of every state_dict entry of `model`, in its own order."""
    return [(k, tuple(v.shape)) for k, v in model.state_dict().items()]


def layout_differences(model: nn.Module, reference: ModelReference, limit: int = 5) -> list[str]:
    """Human-readable differences between `model`'s state_dict layout and the reference's (empty if none)."""
    mine = dict(state_dict_layout(model))
    theirs = dict(reference.state_dict)
    problems = [f"missing key {k} {list(s)}" for k, s in theirs.items() if k not in mine]
    problems += [f"unexpected key {k} {list(s)}" for k, s in mine.items() if k not in theirs]
    problems += [
        f"{k}: shape {list(mine[k])}, torchvision has {list(s)}" for k, s in theirs.items() if k in mine and mine[k] != s
    ]
    if not problems and list(mine) != list(theirs):
        first = next(i for i, (a, b) in enumerate(zip(mine, theirs, strict=True)) if a != b)
        problems.append(f"keys in another order from entry {first}: {list(mine)[first]} vs {list(theirs)[first]}")
    if len(problems) > limit:
        problems = problems[:limit] + [f"... and {len(problems) - limit} more"]
    return problems


def fill_reference_weights(model: nn.Module) -> nn.Module:
    """Convert `model` to float64 and load the deterministic weight fill the ground truth was measured with.

    For each state_dict key in sorted order, with ``rng = numpy.random.default_rng(0)``: integer tensors
    are kept; running_var = 1 + 0.1|n|; running_mean and biases = 0.1 n; other 1-D tensors = 1 + 0.1 n;
    everything else = n / sqrt(fan_in), where n is a standard normal draw of the entry's shape.
    Returns the model (changed in place).
    """
    model.double()
    state = model.state_dict()
    rng = np.random.default_rng(0)
    filled = {}
    for key in sorted(state):
        value = state[key]
        if not value.is_floating_point():
            filled[key] = value
            continue
        shape = tuple(value.shape)
        n = rng.standard_normal(shape)
        if key.endswith("running_var"):
            new = 1 + 0.1 * np.abs(n)
        elif key.endswith("running_mean") or key.endswith("bias"):
            new = 0.1 * n
        elif len(shape) == 1:
            new = 1 + 0.1 * n
        else:
            new = n / math.sqrt(math.prod(shape[1:]))
        filled[key] = torch.from_numpy(np.asarray(new, dtype=np.float64))
    model.load_state_dict(filled)
    return model


def reference_input(size: int) -> torch.Tensor:
    """The (2, 3, size, size) float64 input the ground-truth logits were computed on."""
    return torch.from_numpy(np.random.default_rng(1).standard_normal((2, 3, size, size)))
