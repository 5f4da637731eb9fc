"""Tests for cnn_course.plots: every helper returns a labelled Figure with the right number of images."""

import logging

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from cnn_course.plots import plot_curves, show_feature_maps, show_filters, show_images


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def image_axes(fig):
    return [ax for ax in fig.axes if ax.images]


def titles(fig):
    return [ax.get_title() for ax in image_axes(fig)]


def test_show_images_batch_with_titles():
    images = torch.rand(5, 3, 12, 10)
    fig = show_images(images, titles=[f"image {k}" for k in range(5)], ncols=2, suptitle="Batch")
    assert isinstance(fig, Figure)
    assert len(image_axes(fig)) == 5 and len(fig.axes) == 5  # unused grid cells are removed
    assert titles(fig) == [f"image {k}" for k in range(5)]
    assert fig._suptitle.get_text() == "Batch"
    first = image_axes(fig)[0].images[0].get_array()
    assert first.shape == (12, 10, 3)  # channels-first tensors are transposed for imshow
    assert not image_axes(fig)[0].axison


def test_show_images_grayscale_batch_and_cmap():
    fig = show_images(torch.rand(3, 1, 8, 8), cmap="magma")
    assert len(image_axes(fig)) == 3
    assert image_axes(fig)[0].images[0].get_cmap().name == "magma"
    assert len(image_axes(show_images(torch.rand(4, 8, 8)))) == 4


def test_show_images_mixed_list():
    images = [
        torch.rand(3, 6, 7),
        torch.rand(1, 6, 7),
        torch.rand(6, 7),
        np.random.rand(6, 7, 3),  # channels-last array
        (np.random.rand(6, 7, 3) * 255).astype(np.uint8),
        np.random.rand(3, 6, 7),  # channels-first array
    ]
    fig = show_images(images)
    assert len(image_axes(fig)) == 6
    shapes = [ax.images[0].get_array().shape for ax in image_axes(fig)]
    assert shapes == [(6, 7, 3), (6, 7), (6, 7), (6, 7, 3), (6, 7, 3), (6, 7, 3)]


def test_show_images_rescales_colour_instead_of_clipping(caplog):
    with caplog.at_level(logging.WARNING):
        fig = show_images([torch.randn(3, 5, 5) * 4])
        fig.canvas.draw()
    assert caplog.records == []
    array = np.asarray(image_axes(fig)[0].images[0].get_array())
    assert array.min() >= 0.0 and array.max() <= 1.0


def test_show_images_rejects_bad_input():
    with pytest.raises(ValueError, match="titles"):
        show_images(torch.rand(2, 1, 4, 4), titles=["only one"])
    with pytest.raises(ValueError, match="shape"):
        show_images([torch.rand(2, 4, 4)])
    with pytest.raises(ValueError, match="Nothing to plot"):
        show_images([])


def test_show_filters_rgb():
    fig = show_filters(torch.randn(8, 3, 5, 5))
    assert len(image_axes(fig)) == 8
    assert titles(fig) == [f"filter {k}" for k in range(8)]
    assert fig._suptitle.get_text() == "Filters"
    rgb = np.asarray(image_axes(fig)[0].images[0].get_array())
    assert rgb.shape == (5, 5, 3) and rgb.min() == pytest.approx(0.0) and rgb.max() == pytest.approx(1.0)


def test_show_filters_single_channel_is_diverging_and_symmetric():
    weight = torch.nn.Parameter(torch.randn(40, 1, 3, 3))  # a parameter that requires grad
    fig = show_filters(weight, title="conv1", max_filters=32)
    assert len(image_axes(fig)) == 32
    assert fig._suptitle.get_text() == "conv1"
    image = image_axes(fig)[0].images[0]
    low, high = image.get_clim()
    assert image.get_cmap().name == "RdBu_r" and low == -high and high > 0
    assert len(fig.axes) == 33  # 32 filters and one shared colorbar


def test_show_filters_many_input_channels_shows_channel_0():
    fig = show_filters(torch.randn(6, 4, 3, 3))
    assert len(image_axes(fig)) == 6
    assert "channel 0" in fig._suptitle.get_text()
    with pytest.raises(ValueError, match="C_out, C_in, kh, kw"):
        show_filters(torch.randn(6, 3, 3))


def test_show_feature_maps():
    fig = show_feature_maps(torch.randn(1, 20, 9, 9), max_maps=16, ncols=4)
    assert len(image_axes(fig)) == 16
    assert titles(fig) == [f"map {k}" for k in range(16)]
    assert fig._suptitle.get_text() == "Feature maps"
    assert len(fig.axes) == 17  # one shared colorbar
    assert len({ax.images[0].get_clim() for ax in image_axes(fig)}) == 1  # one shared colour scale
    fig = show_feature_maps(torch.rand(3, 5, 5), title="relu1")
    assert len(image_axes(fig)) == 3 and fig._suptitle.get_text() == "relu1"
    with pytest.raises(ValueError, match="pick one sample"):
        show_feature_maps(torch.rand(2, 3, 5, 5))


def test_plot_curves():
    fig = plot_curves(
        {"train": [1.0, 0.5, 0.25], "test": torch.tensor([1.2, 0.8, 0.7])}, ylabel="loss", logy=True
    )
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.get_lines()] == ["train", "test"]
    assert list(ax.get_lines()[0].get_xdata()) == [1, 2, 3]
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss" and ax.get_title() == "loss per epoch"
    assert ax.get_yscale() == "log" and ax.get_legend() is not None
    assert plot_curves({"acc": [0.5, 0.9]}, title="Accuracy").axes[0].get_title() == "Accuracy"
    with pytest.raises(ValueError, match="no curves"):
        plot_curves({})
