"""Tests for cnn_course.train: the loop learns, is reproducible, respects its limits, and plots."""

import math

import pytest
import torch
from torch import nn

from cnn_course.data import digits
from cnn_course.train import History, evaluate, fit, plot_history


def small_model(seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Flatten(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))


@pytest.fixture(scope="module")
def data():
    d = digits(8)
    return (d.x_train, d.y_train), (d.x_test, d.y_test)


def test_fit_learns_digits(data):
    """Three epochs of a small MLP on 8x8 digits reach well above chance, with one entry per epoch."""
    train, test = data
    h = fit(small_model(), train, test, epochs=3, lr=1e-2, progress=False, device="cpu")
    assert len(h.train_loss) == len(h.test_accuracy) == 3
    assert h.final_test_accuracy > 0.85, h.test_accuracy
    assert h.train_loss[-1] < h.train_loss[0]
    assert h.seconds > 0


def test_fit_is_reproducible(data):
    """The same seed and initialisation give the same curves; another shuffling seed gives others."""
    train, test = data
    a = fit(small_model(), train, test, epochs=2, progress=False, device="cpu", seed=1)
    b = fit(small_model(), train, test, epochs=2, progress=False, device="cpu", seed=1)
    c = fit(small_model(), train, test, epochs=2, progress=False, device="cpu", seed=2)
    assert a.train_loss == b.train_loss and a.test_accuracy == b.test_accuracy
    assert a.train_loss != c.train_loss


def test_max_steps_stops_early(data):
    """max_steps stops training after that many optimiser steps (in the first epoch here)."""
    train, _ = data
    model = small_model()
    steps = []
    model.register_forward_hook(lambda m, i, o: steps.append(1) if m.training else None)
    h = fit(model, train, None, epochs=10, batch_size=100, max_steps=3, progress=False, device="cpu")
    assert len(steps) == 3 and len(h.train_loss) == 1 and h.test_accuracy == []
    with pytest.raises(ValueError, match="without a test set"):
        _ = h.final_test_accuracy


def test_sgd_and_bad_optimizer(data):
    """SGD with momentum also learns; an unknown optimiser name is refused with the choices."""
    train, test = data
    h = fit(small_model(), train, test, epochs=2, lr=0.05, optimizer="sgd", progress=False, device="cpu")
    assert h.final_test_accuracy > 0.7
    with pytest.raises(ValueError, match="'adam' or 'sgd'"):
        fit(small_model(), train, epochs=1, optimizer="lbfgs", progress=False)


def test_evaluate_matches_a_direct_computation(data):
    """evaluate returns the mean cross-entropy and the accuracy, and restores the training mode."""
    _, (x, y) = data
    model = small_model().train()
    loss, acc = evaluate(model, x, y, batch_size=7)
    with torch.no_grad():
        logits = model(x)
    assert math.isclose(loss, nn.functional.cross_entropy(logits, y).item(), rel_tol=1e-5)
    assert acc == (logits.argmax(1) == y).sum().item() / len(y)
    assert model.training


def test_plot_history_draws_train_and_test():
    """One History or several: two axes (loss, accuracy), dashed train and solid test lines, labelled."""
    h = History([1.0, 0.5], [0.5, 0.8], [1.1, 0.7], [0.4, 0.7])
    fig = plot_history({"a": h, "b": h})
    loss_ax, acc_ax = fig.axes
    assert len(loss_ax.lines) == 4 and loss_ax.get_ylabel() and acc_ax.get_xlabel() == "epoch"
    assert {line.get_linestyle() for line in acc_ax.lines} == {"--", "-"}
    assert len(plot_history(History([1.0], [0.5])).axes[0].lines) == 1
    with pytest.raises(ValueError):
        plot_history({})
