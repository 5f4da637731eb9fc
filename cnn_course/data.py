"""Offline data: scikit-learn's handwritten digits and bundled sample photos.

Nothing here touches the network: the digits ship with scikit-learn and every name in
``SAMPLE_IMAGES`` is a file bundled with scikit-image or scikit-learn.
"""

from __future__ import annotations

from functools import lru_cache
from numbers import Integral
from typing import NamedTuple

import numpy as np
import torch
import torch.nn.functional as F

# Photos bundled inside the scikit-image and scikit-learn wheels (no pooch download needed).
_SKIMAGE_IMAGES = ("astronaut", "camera", "coffee", "chelsea", "rocket", "coins", "brick")
_SKLEARN_IMAGES = ("china", "flower")
SAMPLE_IMAGES: tuple[str, ...] = _SKIMAGE_IMAGES + _SKLEARN_IMAGES

# ITU-R BT.601 luma weights, the same as PIL's "L" mode.
_LUMA = torch.tensor([0.299, 0.587, 0.114])


class Digits(NamedTuple):
    """Train/test split of the digits: images (N, 1, size, size) float32 in [0, 1], labels (N,) int64."""

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor


@lru_cache(maxsize=1)
def _load_digits() -> tuple[np.ndarray, np.ndarray]:
    """Load the 1797 8x8 digits once: images float32 in [0, 1] (N, 8, 8), labels int64 (N,)."""
    from sklearn.datasets import load_digits

    bunch = load_digits()
    images = (bunch.images / 16.0).astype(np.float32)  # pixel values are 0..16
    labels = bunch.target.astype(np.int64)
    images.setflags(write=False)  # the cache is shared: nobody may change it in place
    labels.setflags(write=False)
    return images, labels


def digits(size: int = 28, test_fraction: float = 0.25, seed: int = 0) -> Digits:
    """Scikit-learn's bundled handwritten digits (1797 images of 8x8 pixels), split for training.

    Args:
        size: side length of the returned images; 8 keeps the originals, larger values upsample
            with bilinear interpolation (``align_corners=False``), e.g. 28 for LeNet-style inputs.
        test_fraction: fraction of the images in the test split, strictly between 0 and 1.
        seed: seed of the stratified split; the same seed always gives the same split.

    Returns:
        A ``Digits`` tuple ``(x_train, y_train, x_test, y_test)``: images float32 of shape
        (N, 1, size, size) with values in [0, 1], labels int64 of shape (N,) with values 0..9.

    Raises:
        ValueError: ``size`` is below 8 or ``test_fraction`` is not strictly between 0 and 1.
    """
    from sklearn.model_selection import train_test_split

    if isinstance(size, bool) or not isinstance(size, Integral) or size < 8:
        raise ValueError(f"digits(size={size!r}) needs an integer size >= 8 (the originals are 8x8).")
    size = int(size)
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"digits(test_fraction={test_fraction!r}) needs a value strictly between 0 and 1.")
    images, labels = _load_digits()
    train_idx, test_idx = train_test_split(
        np.arange(len(labels)), test_size=test_fraction, random_state=seed, stratify=labels
    )
    x = torch.tensor(images).unsqueeze(1)  # (N, 8, 8) -> (N, 1, 8, 8), a copy of the cache
    if size != 8:
        x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
    y = torch.tensor(labels)
    train_idx, test_idx = torch.from_numpy(train_idx), torch.from_numpy(test_idx)
    return Digits(x[train_idx], y[train_idx], x[test_idx], y[test_idx])


@lru_cache(maxsize=len(SAMPLE_IMAGES))
def _load_sample(name: str) -> np.ndarray:
    """Load a bundled photo once as uint8, (H, W) for grayscale or (H, W, 3) for colour."""
    if name in _SKLEARN_IMAGES:
        from sklearn.datasets import load_sample_image

        image = load_sample_image(f"{name}.jpg")
    else:
        import skimage.data

        image = getattr(skimage.data, name)()
    image = np.asarray(image)
    if image.ndim == 3 and image.shape[-1] == 4:
        image = image[..., :3]  # drop an alpha channel
    image.setflags(write=False)
    return image


def _pair(size: int | tuple[int, int]) -> tuple[int, int]:
    """Turn an int or (h, w) into a validated (h, w) pair of positive ints."""
    pair = (size, size) if isinstance(size, int) else tuple(size) if isinstance(size, tuple | list) else ()
    if len(pair) != 2 or not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in pair):
        raise ValueError(f"sample_image got size={size!r}; use a positive int or a pair (height, width).")
    return pair  # type: ignore[return-value]


def sample_image(
    name: str = "astronaut", size: int | tuple[int, int] | None = None, gray: bool = False
) -> torch.Tensor:
    """A bundled sample photo as a float tensor, ready to convolve.

    Args:
        name: one of ``SAMPLE_IMAGES``.
        size: ``None`` keeps the original size; an int gives a square image, ``(h, w)`` any shape.
            Resizing uses bilinear interpolation with antialiasing.
        gray: return one luminance channel (0.299 R + 0.587 G + 0.114 B) instead of three.

    Returns:
        A float32 tensor of shape (C, H, W) with values in [0, 1]; C is 1 when ``gray`` and 3
        otherwise (grayscale originals are repeated to three channels).

    Raises:
        ValueError: ``name`` is not in ``SAMPLE_IMAGES`` or ``size`` is not a positive int or pair.
    """
    if name not in SAMPLE_IMAGES:
        raise ValueError(f"Unknown sample image {name!r}; choose one of: {', '.join(SAMPLE_IMAGES)}.")
    image = torch.tensor(_load_sample(name), dtype=torch.float32) / 255.0
    if image.ndim == 2:
        image = image.unsqueeze(0)  # (H, W) -> (1, H, W)
    else:
        image = image.permute(2, 0, 1).contiguous()  # (H, W, 3) -> (3, H, W)
    if gray and image.shape[0] == 3:
        image = (image * _LUMA.view(3, 1, 1)).sum(dim=0, keepdim=True)  # (3, H, W) -> (1, H, W)
    elif not gray and image.shape[0] == 1:
        image = image.repeat(3, 1, 1)  # (1, H, W) -> (3, H, W)
    if size is not None:
        image = F.interpolate(
            image.unsqueeze(0), size=_pair(size), mode="bilinear", align_corners=False, antialias=True
        ).squeeze(0)
    return image.clamp_(0.0, 1.0)  # interpolation and rounding may step a hair outside [0, 1]
