"""A small, explicit training loop: ``fit`` trains a classifier and returns its learning curves.

It hides nothing a student must write: mini-batches, cross-entropy, an optimiser step, and an
evaluation pass per epoch, with a tqdm bar over the epochs. ``plot_history`` draws the curves.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn
from tqdm.auto import tqdm

from cnn_course.env import get_device


@dataclass
class History:
    """Per-epoch learning curves of one ``fit`` run (test entries are NaN-free only when a test set was given)."""

    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    seconds: float = 0.0  # wall-clock time of the whole run

    @property
    def final_test_accuracy(self) -> float:
        if not self.test_accuracy:
            raise ValueError("This history has no test accuracy: fit was called without a test set.")
        return self.test_accuracy[-1]


def _batches(x: torch.Tensor, y: torch.Tensor, batch_size: int, generator: torch.Generator | None):
    order = torch.randperm(len(x), generator=generator) if generator is not None else torch.arange(len(x))
    for start in range(0, len(x), batch_size):
        idx = order[start : start + batch_size]
        yield x[idx], y[idx]


@torch.no_grad()
def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch_size: int = 512) -> tuple[float, float]:
    """(mean cross-entropy, accuracy) of `model` in eval mode on images `x` (N, ...) and labels `y` (N,)."""
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    total_loss, correct = 0.0, 0
    for xb, yb in _batches(x, y, batch_size, None):
        xb, yb = xb.to(device), yb.to(device)
        logits = model(xb)
        total_loss += F.cross_entropy(logits, yb, reduction="sum").item()
        correct += (logits.argmax(1) == yb).sum().item()
    model.train(was_training)
    return total_loss / len(x), correct / len(x)


def fit(
    model: nn.Module,
    train: tuple[torch.Tensor, torch.Tensor],
    test: tuple[torch.Tensor, torch.Tensor] | None = None,
    epochs: int = 5,
    lr: float = 1e-3,
    batch_size: int = 64,
    optimizer: str = "adam",
    weight_decay: float = 0.0,
    max_steps: int | None = None,
    seed: int = 0,
    device: torch.device | str | None = None,
    progress: bool = True,
) -> History:
    """Train `model` to classify with cross-entropy; return per-epoch loss and accuracy.

    Args:
        model: a classifier returning logits (N, classes); moved to `device` and left in eval mode.
        train: (images (N, ...), labels (N,) int64).
        test: optional (images, labels) evaluated after every epoch.
        epochs: passes over the training set.
        lr: learning rate.
        batch_size: mini-batch size; the order is reshuffled every epoch from `seed`.
        optimizer: "adam" or "sgd" (momentum 0.9).
        weight_decay: L2 penalty passed to the optimiser.
        max_steps: stop after this many optimiser steps (the epoch in progress is then evaluated).
        seed: seeds the shuffling (the model's initialisation is the caller's business).
        device: where to train; default ``get_device()`` (CUDA when present).
        progress: show a tqdm bar over the epochs.

    Returns:
        A ``History`` with one entry per epoch in each list, and the run's seconds.
    """
    if optimizer not in ("adam", "sgd"):
        raise ValueError(f"optimizer must be 'adam' or 'sgd', got {optimizer!r}.")
    device = torch.device(device) if device is not None else get_device()
    model.to(device)
    params = [p for p in model.parameters() if p.requires_grad]
    if optimizer == "adam":
        opt = torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)
    else:
        opt = torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=weight_decay)
    generator = torch.Generator().manual_seed(seed)
    x_train, y_train = train
    history = History()
    start = time.perf_counter()
    steps = 0
    bar = tqdm(range(epochs), desc="training", unit="epoch", disable=not progress, leave=False)
    for _ in bar:
        model.train()
        for xb, yb in _batches(x_train, y_train, batch_size, generator):
            xb, yb = xb.to(device), yb.to(device)
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            steps += 1
            if max_steps is not None and steps >= max_steps:
                break
        loss, acc = evaluate(model, x_train, y_train)
        history.train_loss.append(loss)
        history.train_accuracy.append(acc)
        postfix = {"train_acc": f"{acc:.3f}"}
        if test is not None:
            loss, acc = evaluate(model, *test)
            history.test_loss.append(loss)
            history.test_accuracy.append(acc)
            postfix["test_acc"] = f"{acc:.3f}"
        bar.set_postfix(postfix)
        if max_steps is not None and steps >= max_steps:
            break
    bar.close()
    model.eval()
    history.seconds = time.perf_counter() - start
    return history


def plot_history(histories: History | dict[str, History], title: str = "Learning curves") -> Figure:
    """Loss and accuracy per epoch, side by side; several runs (name -> History) share the axes.

    Train curves are dashed, test curves solid, one colour per run.
    """
    import matplotlib.pyplot as plt

    runs = {"model": histories} if isinstance(histories, History) else dict(histories)
    if not runs:
        raise ValueError("plot_history got no histories; pass a History or {'name': history}.")
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
    for i, (name, h) in enumerate(runs.items()):
        colour = f"C{i}"
        for ax, train, test in ((ax_loss, h.train_loss, h.test_loss), (ax_acc, h.train_accuracy, h.test_accuracy)):
            epochs = range(1, len(train) + 1)
            ax.plot(epochs, train, linestyle="--", color=colour, label=f"{name} train")
            if test:
                ax.plot(range(1, len(test) + 1), test, color=colour, label=f"{name} test")
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy", title="loss")
    ax_acc.set(xlabel="epoch", ylabel="accuracy", title="accuracy")
    for ax in (ax_loss, ax_acc):
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(title)
    return fig
