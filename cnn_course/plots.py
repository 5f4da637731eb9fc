"""Figures for the notebooks: image grids, filters, feature maps and learning curves.

Every function returns the ``matplotlib.figure.Figure`` and never calls ``plt.show()``. In Jupyter,
pyplot shows a new figure at the end of the cell by itself, so assign the result
(``fig = show_images(...)``) or end the line with ``;`` to see it once rather than twice.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure


def _to_numpy(array: Any) -> np.ndarray:
    """Detach a tensor (any device) or wrap an array-like as a NumPy array."""
    if isinstance(array, torch.Tensor):
        return array.detach().cpu().float().numpy()
    return np.asarray(array)


def _grid(n: int, ncols: int | None, figsize: tuple[float, float] | None, cell: float = 2.0):
    """A figure with ``n`` axes in rows of ``ncols``; unused grid cells are removed."""
    if n == 0:
        raise ValueError("Nothing to plot: pass at least one image.")
    ncols = min(n, 8) if ncols is None else max(1, min(int(ncols), n))
    nrows = math.ceil(n / ncols)
    figsize = figsize or (cell * ncols, cell * nrows + 0.4)
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize, squeeze=False, layout="constrained")
    axes = list(axes.ravel())
    for ax in axes[n:]:
        ax.remove()
    return fig, axes[:n]


def _as_hwc(image: Any, channels_first: bool) -> np.ndarray:
    """Turn one image into (H, W) or (H, W, 3) for imshow; RGB values are brought into [0, 1]."""
    is_tensor = isinstance(image, torch.Tensor)
    array = _to_numpy(image)
    if array.ndim == 3:
        if channels_first or (array.shape[0] in (1, 3) and array.shape[-1] not in (1, 3)):
            array = np.moveaxis(array, 0, -1)  # (C, H, W) -> (H, W, C)
        if array.shape[-1] == 1:
            array = array[..., 0]  # (H, W, 1) -> (H, W)
    if array.ndim != 2 and not (array.ndim == 3 and array.shape[-1] == 3):
        kind = "tensor" if is_tensor else "array"
        raise ValueError(
            f"Cannot show an image {kind} of shape {tuple(_to_numpy(image).shape)}; "
            "pass (H, W), (1, H, W) or (3, H, W)."
        )
    if array.ndim == 3:
        if np.issubdtype(array.dtype, np.integer):
            array = array / 255.0
        lo, hi = float(array.min()), float(array.max())
        if lo < 0.0 or hi > 1.0:  # imshow would clip (and log a warning): rescale instead
            array = (array - lo) / (hi - lo if hi > lo else 1.0)
    return array


def show_images(
    images: torch.Tensor | np.ndarray | Sequence[Any],
    titles: Sequence[str] | None = None,
    ncols: int | None = None,
    cmap: str = "gray",
    suptitle: str | None = None,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Show images in a grid.

    Args:
        images: a batch (N, C, H, W) or (N, H, W), or a list of (C, H, W) / (H, W) tensors or arrays
            (NumPy arrays may also be (H, W, C)); C is 1 or 3. Colour images outside [0, 1] are
            min-max rescaled; grayscale images use ``cmap`` scaled to their own range.
        titles: one title per image.
        ncols: images per row (default: up to 8).
        cmap: colormap for single-channel images.
        suptitle: title of the whole figure.
        figsize: figure size in inches (default: 2 inches per image).

    Returns:
        The figure.

    Raises:
        ValueError: an image has an unsupported shape or ``titles`` has the wrong length.
    """
    if isinstance(images, torch.Tensor | np.ndarray):
        channels_first = isinstance(images, torch.Tensor) or images.ndim == 4
        items = [(image, channels_first) for image in images]  # iterate over the batch dimension
    else:
        items = [(image, isinstance(image, torch.Tensor)) for image in images]
    if titles is not None and len(titles) != len(items):
        raise ValueError(f"show_images got {len(items)} images but {len(titles)} titles; pass one per image.")
    fig, axes = _grid(len(items), ncols, figsize)
    for k, (ax, (image, channels_first)) in enumerate(zip(axes, items, strict=True)):
        array = _as_hwc(image, channels_first)
        ax.imshow(array, cmap=cmap if array.ndim == 2 else None)
        ax.set_axis_off()
        if titles is not None:
            ax.set_title(str(titles[k]), fontsize=9)
    if suptitle is not None:
        fig.suptitle(suptitle)
    return fig


def show_filters(weight: torch.Tensor | np.ndarray, title: str = "Filters", max_filters: int = 32) -> Figure:
    """Show convolution filters, one small image per output channel.

    Args:
        weight: filters of shape (C_out, C_in, kh, kw), e.g. ``conv.weight``.
        title: title of the figure.
        max_filters: show at most this many filters (the first ones).

    Returns:
        The figure. With C_in == 3 each filter is one RGB image, min-max normalised on its own;
        otherwise input channel 0 of each filter is drawn in a diverging colormap centred on 0 with
        one shared scale (red positive, blue negative).

    Raises:
        ValueError: ``weight`` is not 4-dimensional.
    """
    w = _to_numpy(weight)
    if w.ndim != 4:
        raise ValueError(f"show_filters needs weights of shape (C_out, C_in, kh, kw), got shape {w.shape}.")
    w = w[:max_filters]
    fig, axes = _grid(len(w), None, None, cell=1.2)
    image = None
    if w.shape[1] == 3:
        for ax, f in zip(axes, w, strict=True):
            f = np.moveaxis(f, 0, -1)  # (3, kh, kw) -> (kh, kw, 3)
            lo, hi = f.min(), f.max()
            ax.imshow((f - lo) / (hi - lo) if hi > lo else np.full_like(f, 0.5), interpolation="nearest")
    else:
        limit = float(np.abs(w[:, 0]).max()) or 1.0  # one symmetric scale for all filters
        for ax, f in zip(axes, w, strict=True):
            image = ax.imshow(f[0], cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
        if w.shape[1] > 1:
            title = f"{title} (input channel 0 of {w.shape[1]})"
    for k, ax in enumerate(axes):
        ax.set_axis_off()
        ax.set_title(f"filter {k}", fontsize=8)
    if image is not None:
        fig.colorbar(image, ax=axes, shrink=0.8, label="weight")
    fig.suptitle(title)
    return fig


def show_feature_maps(
    maps: torch.Tensor | np.ndarray,
    title: str = "Feature maps",
    max_maps: int = 16,
    ncols: int | None = None,
    cmap: str = "viridis",
) -> Figure:
    """Show the channels of one feature map tensor on a shared colour scale.

    Args:
        maps: activations of shape (C, H, W) or (1, C, H, W).
        title: title of the figure.
        max_maps: show at most this many channels (the first ones).
        ncols: maps per row (default: up to 8).
        cmap: colormap.

    Returns:
        The figure, with one shared colorbar.

    Raises:
        ValueError: ``maps`` is not (C, H, W) or (1, C, H, W).
    """
    m = _to_numpy(maps)
    if m.ndim == 4 and m.shape[0] == 1:
        m = m[0]  # (1, C, H, W) -> (C, H, W)
    if m.ndim != 3:
        raise ValueError(
            f"show_feature_maps needs shape (C, H, W) or (1, C, H, W), got {m.shape}; pick one sample."
        )
    m = m[:max_maps]
    fig, axes = _grid(len(m), ncols, None)
    lo, hi = float(m.min()), float(m.max())
    for k, (ax, channel) in enumerate(zip(axes, m, strict=True)):
        image = ax.imshow(channel, cmap=cmap, vmin=lo, vmax=hi if hi > lo else lo + 1.0)
        ax.set_axis_off()
        ax.set_title(f"map {k}", fontsize=9)
    fig.colorbar(image, ax=axes, shrink=0.8, label="activation")
    fig.suptitle(title)
    return fig


def plot_curves(
    curves: Mapping[str, Sequence[float]],
    xlabel: str = "epoch",
    ylabel: str = "value",
    title: str | None = None,
    logy: bool = False,
) -> Figure:
    """Plot learning curves (or any series), one line per entry.

    Args:
        curves: name -> values, e.g. ``{"train loss": [...], "test loss": [...]}``; the x axis runs
            1, 2, ..., len(values).
        xlabel: label of the x axis.
        ylabel: label of the y axis.
        title: title of the axes (default: "<ylabel> per <xlabel>").
        logy: use a logarithmic y axis.

    Returns:
        The figure, with a legend and a grid.

    Raises:
        ValueError: ``curves`` is empty.
    """
    if not curves:
        raise ValueError("plot_curves got no curves; pass a dict such as {'train loss': losses}.")
    fig, ax = plt.subplots(figsize=(6, 4), layout="constrained")
    for name, values in curves.items():
        ys = [float(v) for v in values]
        ax.plot(range(1, len(ys) + 1), ys, marker="o" if len(ys) <= 20 else None, label=str(name))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title if title is not None else f"{ylabel} per {xlabel}")
    if logy:
        ax.set_yscale("log")
    ax.grid(True, alpha=0.3)
    ax.legend()
    return fig
