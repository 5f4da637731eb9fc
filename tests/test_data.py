"""Tests for cnn_course.data: the embedded digits and the bundled sample photos."""

import socket

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnn_course import data
from cnn_course.data import SAMPLE_IMAGES, Digits, digits, sample_image


def test_digits_shapes_dtypes_and_ranges():
    d = digits()
    assert isinstance(d, Digits)
    assert len(d.x_train) + len(d.x_test) == 1797
    assert len(d.x_test) == 450  # ceil(0.25 * 1797)
    assert d.x_train.shape[1:] == (1, 28, 28) and d.x_test.shape[1:] == (1, 28, 28)
    assert d.x_train.dtype == torch.float32 and d.y_train.dtype == torch.int64
    assert d.y_train.shape == (len(d.x_train),) and d.y_test.shape == (len(d.x_test),)
    for x in (d.x_train, d.x_test):
        assert x.min() >= 0.0 and x.max() <= 1.0 and x.max() > 0.9
    assert set(d.y_train.tolist()) == set(d.y_test.tolist()) == set(range(10))


def test_digits_size_8_keeps_the_original_sixteenths():
    x = digits(size=8).x_train
    assert x.shape[1:] == (1, 8, 8)
    assert torch.equal(x * 16, (x * 16).round())


def test_digits_upsampling_is_bilinear_without_aligned_corners():
    small, big = digits(size=8, seed=3), digits(size=20, seed=3)
    expected = F.interpolate(small.x_test, size=(20, 20), mode="bilinear", align_corners=False)
    assert torch.allclose(big.x_test, expected)
    assert torch.equal(big.y_test, small.y_test)


def test_digits_split_is_deterministic_per_seed():
    a, b, c = digits(seed=1), digits(seed=1), digits(seed=2)
    assert all(torch.equal(u, v) for u, v in zip(a, b, strict=True))
    assert not torch.equal(a.y_test, c.y_test)


def test_digits_split_is_stratified():
    d = digits(size=8, test_fraction=0.3)
    total = torch.bincount(torch.cat([d.y_train, d.y_test]), minlength=10).double()
    test = torch.bincount(d.y_test, minlength=10).double()
    assert torch.all((test - 0.3 * total).abs() <= 1.0)


def test_digits_returns_fresh_tensors_not_the_cache():
    digits(size=8).x_train.fill_(-1.0)
    assert digits(size=8).x_train.min() >= 0.0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"size": 7},
        {"size": 0},
        {"size": 8.5},
        {"test_fraction": 0.0},
        {"test_fraction": 1.0},
        {"test_fraction": -0.1},
    ],
)
def test_digits_validates_arguments(kwargs):
    with pytest.raises(ValueError, match="digits"):
        digits(**kwargs)


@pytest.mark.parametrize("name", SAMPLE_IMAGES)
def test_every_sample_image_loads(name):
    image = sample_image(name)
    assert image.dtype == torch.float32 and image.ndim == 3 and image.shape[0] == 3
    assert min(image.shape[1:]) >= 200
    assert image.min() >= 0.0 and image.max() <= 1.0 and image.max() - image.min() > 0.3
    gray = sample_image(name, size=32, gray=True)
    assert gray.shape == (1, 32, 32) and gray.dtype == torch.float32
    assert gray.min() >= 0.0 and gray.max() <= 1.0


def test_sample_images_need_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("sample_image tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    data._load_sample.cache_clear()
    for name in SAMPLE_IMAGES:
        sample_image(name)


def test_gray_uses_luminance_weights():
    rgb, gray = sample_image("astronaut"), sample_image("astronaut", gray=True)
    expected = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]
    assert torch.allclose(gray[0], expected, atol=1e-6)


def test_grayscale_originals_repeat_to_three_channels():
    rgb, gray = sample_image("camera"), sample_image("camera", gray=True)
    assert torch.equal(rgb[0], rgb[1]) and torch.equal(rgb[1], rgb[2])
    assert torch.equal(rgb[:1], gray)


def test_sample_image_resizes():
    assert sample_image("coffee", size=64).shape == (3, 64, 64)
    assert sample_image("coffee", size=(40, 60)).shape == (3, 40, 60)
    small = sample_image("coins", size=(30, 40), gray=True)
    assert small.shape == (1, 30, 40)
    # Antialiasing averages: the small image keeps the original's mean brightness.
    assert abs(float(small.mean()) - float(sample_image("coins", gray=True).mean())) < 0.02


def test_sample_image_unknown_name_lists_choices():
    with pytest.raises(ValueError, match="astronaut") as info:
        sample_image("lena")
    assert "lena" in str(info.value)


@pytest.mark.parametrize("size", [0, -3, (10,), (10, 0), 2.5])
def test_sample_image_rejects_bad_sizes(size):
    with pytest.raises(ValueError, match="size"):
        sample_image("camera", size=size)


def test_sample_image_returns_fresh_tensors():
    sample_image("brick").zero_()
    assert sample_image("brick").max() > 0.5
    assert np.asarray(data._load_sample("brick")).max() > 100
