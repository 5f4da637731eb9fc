"""Mutants of unit 04 (pooling): realistic wrong versions and correct alternatives of each graded function.

Each `source` replaces the whole solution cell; it may use what the setup cell imports (math, torch, F).
"""

from autograder.mutants import Mutant

_MAX_POOL_REFERENCE = '''
def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, return_indices=False):
    def pair(value):
        return (value, value) if isinstance(value, int) else tuple(value)

    (kh, kw), (ph, pw), (dh, dw) = pair(kernel_size), pair(padding), pair(dilation)
    sh, sw = pair(kernel_size if stride is None else stride)
    if 2 * ph > kh or 2 * pw > kw:
        raise ValueError("padding is more than half of kernel_size")
    n, c, h, w = x.shape
    padded = x.new_full((n, c, h + 2 * ph, w + 2 * pw), float("-inf"))
    padded[:, :, ph : ph + h, pw : pw + w] = x
    rows = torch.arange(-ph, h + ph).view(-1, 1)
    cols = torch.arange(-pw, w + pw).view(1, -1)
    flat = rows * w + cols
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    h_out = (h + 2 * ph - span_h) // sh + 1
    w_out = (w + 2 * pw - span_w) // sw + 1
    out = x.new_empty(n, c, h_out, w_out)
    indices = torch.empty(n, c, h_out, w_out, dtype=torch.int64)
    for i in range(h_out):
        for j in range(w_out):
            window_rows = slice(i * sh, i * sh + span_h, dh)
            window_cols = slice(j * sw, j * sw + span_w, dw)
            window = padded[:, :, window_rows, window_cols].reshape(n, c, kh * kw)
            best, where = window.max(dim=-1)
            out[:, :, i, j] = best
            indices[:, :, i, j] = flat[window_rows, window_cols].reshape(-1)[where]
    return (out, indices) if return_indices else out
'''


def _max_pool(old: str, new: str) -> str:
    """The reference max_pool2d with one line changed (the mutant's single mistake)."""
    assert old in _MAX_POOL_REFERENCE, old
    return _MAX_POOL_REFERENCE.replace(old, new)


_BACKWARD_REFERENCE = '''
def max_pool2d_backward(grad_output, x, kernel_size, stride=None, padding=0):
    def pair(value):
        return (value, value) if isinstance(value, int) else tuple(value)

    (kh, kw), (ph, pw) = pair(kernel_size), pair(padding)
    sh, sw = pair(kernel_size if stride is None else stride)
    n, c, h, w = x.shape
    padded = x.new_full((n, c, h + 2 * ph, w + 2 * pw), float("-inf"))
    padded[:, :, ph : ph + h, pw : pw + w] = x
    grad_padded = torch.zeros_like(padded)
    batch = torch.arange(n).view(n, 1)
    channel = torch.arange(c).view(1, c)
    for i in range(grad_output.shape[2]):
        for j in range(grad_output.shape[3]):
            top, left = i * sh, j * sw
            window = padded[:, :, top : top + kh, left : left + kw].reshape(n, c, kh * kw)
            where = window.argmax(dim=-1)
            rows, cols = top + where // kw, left + where % kw
            grad_padded[batch, channel, rows, cols] += grad_output[:, :, i, j]
    return grad_padded[:, :, ph : ph + h, pw : pw + w]
'''


def _backward(old: str, new: str) -> str:
    """The reference max_pool2d_backward with one line changed."""
    assert old in _BACKWARD_REFERENCE, old
    return _BACKWARD_REFERENCE.replace(old, new)


MUTANTS = [
    # -------------------------------------------------------------------------------------------- max_pool2d
    Mutant(
        "max_pool2d",
        "max_pool2d_zero_padding",
        "wrong",
        _max_pool(
            'padded = x.new_full((n, c, h + 2 * ph, w + 2 * pw), float("-inf"))',
            "padded = x.new_zeros(n, c, h + 2 * ph, w + 2 * pw)  # zeros, as for a convolution",
        ),
        why="pads with zeros like a convolution, so a padded 0 beats negative values at the border",
    ),
    Mutant(
        "max_pool2d",
        "max_pool2d_stride_default_one",
        "wrong",
        _max_pool(
            "sh, sw = pair(kernel_size if stride is None else stride)",
            "sh, sw = pair(1 if stride is None else stride)  # like conv2d's default",
        ),
        why="takes stride=None as stride 1 (conv2d's default) instead of the kernel size",
    ),
    Mutant(
        "max_pool2d",
        "max_pool2d_window_indices",
        "wrong",
        _max_pool(
            "indices[:, :, i, j] = flat[window_rows, window_cols].reshape(-1)[where]",
            "indices[:, :, i, j] = where  # the position inside the window",
        ),
        why="returns the argmax inside each window instead of the flat index into the input plane",
    ),
    Mutant(
        "max_pool2d",
        "max_pool2d_padded_indices",
        "wrong",
        _max_pool("flat = rows * w + cols", "flat = (rows + ph) * (w + 2 * pw) + (cols + pw)  # padded plane"),
        why="counts the indices in the padded input instead of the original one",
    ),
    Mutant(
        "max_pool2d",
        "max_pool2d_no_padding_check",
        "wrong",
        _max_pool(
            'raise ValueError("padding is more than half of kernel_size")',
            "pass  # no check: any padding accepted",
        ),
        why="accepts padding larger than half the kernel, which PyTorch rejects",
    ),
    Mutant(
        "max_pool2d",
        "max_pool2d_unfold_gather",
        "correct",
        '''
def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, return_indices=False):
    def pair(value):
        return (value, value) if isinstance(value, int) else tuple(value)

    kh, kw = pair(kernel_size)
    sh, sw = pair(kernel_size if stride is None else stride)
    ph, pw = pair(padding)
    dh, dw = pair(dilation)
    if ph > kh / 2 or pw > kw / 2:
        raise ValueError("pad should be at most half of kernel size")
    n, c, h, w = x.shape
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    padded = F.pad(x, (pw, pw, ph, ph), value=float("-inf"))
    windows = padded.unfold(2, span_h, sh).unfold(3, span_w, sw)[..., ::dh, ::dw]  # (N, C, Ho, Wo, kh, kw)
    out, where = windows.flatten(-2).max(dim=-1)
    if not return_indices:
        return out
    position = torch.arange(h * w, dtype=torch.float64).view(1, 1, h, w)
    position = F.pad(position, (pw, pw, ph, ph), value=-1.0)
    position = position.unfold(2, span_h, sh).unfold(3, span_w, sw)[..., ::dh, ::dw].flatten(-2)
    indices = position.expand(n, c, -1, -1, -1).gather(-1, where.unsqueeze(-1)).squeeze(-1)
    return out, indices.long()
''',
        why="Tensor.unfold views every (dilated) window at once; gather picks the flat position of each maximum",
    ),
    # -------------------------------------------------------------------------------------------- avg_pool2d
    Mutant(
        "avg_pool2d",
        "avg_pool2d_always_full_window",
        "wrong",
        """
def avg_pool2d(x, kernel_size, stride=None, padding=0, count_include_pad=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    stride = kernel_size if stride is None else stride
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    if 2 * ph > kh or 2 * pw > kw:
        raise ValueError("padding is more than half of kernel_size")
    padded = F.pad(x, (pw, pw, ph, ph))
    h_out = (padded.shape[2] - kh) // sh + 1
    w_out = (padded.shape[3] - kw) // sw + 1
    out = x.new_empty(x.shape[0], x.shape[1], h_out, w_out)
    for i in range(h_out):
        for j in range(w_out):
            out[:, :, i, j] = padded[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw].mean(dim=(-2, -1))
    return out
""",
        why="ignores count_include_pad: always divides by the whole window, padded zeros included",
    ),
    Mutant(
        "avg_pool2d",
        "avg_pool2d_never_counts_pad",
        "wrong",
        """
def avg_pool2d(x, kernel_size, stride=None, padding=0, count_include_pad=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    stride = kernel_size if stride is None else stride
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    if 2 * ph > kh or 2 * pw > kw:
        raise ValueError("padding is more than half of kernel_size")
    n, c, h, w = x.shape
    h_out = (h + 2 * ph - kh) // sh + 1
    w_out = (w + 2 * pw - kw) // sw + 1
    out = x.new_empty(n, c, h_out, w_out)
    for i in range(h_out):
        for j in range(w_out):
            top, left = max(i * sh - ph, 0), max(j * sw - pw, 0)  # clip the window to the input
            bottom, right = min(i * sh - ph + kh, h), min(j * sw - pw + kw, w)
            out[:, :, i, j] = x[:, :, top:bottom, left:right].mean(dim=(-2, -1))
    return out
""",
        why="clips each window to the input and takes its mean: right only for count_include_pad=False",
    ),
    Mutant(
        "avg_pool2d",
        "avg_pool2d_padding_one_side",
        "wrong",
        """
def avg_pool2d(x, kernel_size, stride=None, padding=0, count_include_pad=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    stride = kernel_size if stride is None else stride
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    if 2 * ph > kh or 2 * pw > kw:
        raise ValueError("padding is more than half of kernel_size")
    n, c, h, w = x.shape
    padded = F.pad(x, (pw, 0, ph, 0))  # only on the left and the top
    inside = F.pad(torch.ones(h, w, dtype=x.dtype), (pw, 0, ph, 0))
    h_out = (padded.shape[2] - kh) // sh + 1
    w_out = (padded.shape[3] - kw) // sw + 1
    out = x.new_empty(n, c, h_out, w_out)
    for i in range(h_out):
        for j in range(w_out):
            rows, cols = slice(i * sh, i * sh + kh), slice(j * sw, j * sw + kw)
            count = kh * kw if count_include_pad else inside[rows, cols].sum()
            out[:, :, i, j] = padded[:, :, rows, cols].sum(dim=(-2, -1)) / count
    return out
""",
        why="pads only the top and the left (F.pad's tuple read as (left, right, top, bottom) = (p, 0, p, 0))",
    ),
    Mutant(
        "avg_pool2d",
        "avg_pool2d_swapped_pairs",
        "wrong",
        """
def avg_pool2d(x, kernel_size, stride=None, padding=0, count_include_pad=True):
    kw, kh = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size  # (w, h) order
    stride = kernel_size if stride is None else stride
    sw, sh = (stride, stride) if isinstance(stride, int) else stride
    pw, ph = (padding, padding) if isinstance(padding, int) else padding
    if 2 * ph > kh or 2 * pw > kw:
        raise ValueError("padding is more than half of kernel_size")
    n, c, h, w = x.shape
    padded = F.pad(x, (pw, pw, ph, ph))
    inside = F.pad(torch.ones(h, w, dtype=x.dtype), (pw, pw, ph, ph))
    h_out = (h + 2 * ph - kh) // sh + 1
    w_out = (w + 2 * pw - kw) // sw + 1
    out = x.new_empty(n, c, h_out, w_out)
    for i in range(h_out):
        for j in range(w_out):
            rows, cols = slice(i * sh, i * sh + kh), slice(j * sw, j * sw + kw)
            count = kh * kw if count_include_pad else inside[rows, cols].sum()
            out[:, :, i, j] = padded[:, :, rows, cols].sum(dim=(-2, -1)) / count
    return out
""",
        why="reads (h, w) pairs as (width, height): right only for square kernels, strides and paddings",
    ),
    Mutant(
        "avg_pool2d",
        "avg_pool2d_kernel_offsets",
        "correct",
        """
def avg_pool2d(x, kernel_size, stride=None, padding=0, count_include_pad=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    stride = kernel_size if stride is None else stride
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    if ph > kh / 2 or pw > kw / 2:
        raise ValueError("pad should be at most half of kernel size")
    n, c, h, w = x.shape
    h_out = (h + 2 * ph - kh) // sh + 1
    w_out = (w + 2 * pw - kw) // sw + 1
    padded = F.pad(x, (pw, pw, ph, ph))
    inside = F.pad(torch.ones(1, 1, h, w, dtype=x.dtype), (pw, pw, ph, ph))
    total, count = 0.0, 0.0
    for a in range(kh):  # add up one strided slice per kernel offset
        for b in range(kw):
            rows = slice(a, a + sh * (h_out - 1) + 1, sh)
            cols = slice(b, b + sw * (w_out - 1) + 1, sw)
            total = total + padded[:, :, rows, cols]
            count = count + inside[:, :, rows, cols]
    return total / (kh * kw) if count_include_pad else total / count
""",
        why="loops over the kh * kw kernel offsets (strided slices of the padded input) and counts pixels the same way",
    ),
    # ----------------------------------------------------------------------------------- max_pool2d_backward
    Mutant(
        "max_pool2d_backward",
        "max_pool2d_backward_assign_not_accumulate",
        "wrong",
        _backward(
            "grad_padded[batch, channel, rows, cols] += grad_output[:, :, i, j]",
            "grad_padded[batch, channel, rows, cols] = grad_output[:, :, i, j]  # overwrites",
        ),
        why="assigns instead of adding, so a maximum shared by overlapping windows keeps only the last gradient",
    ),
    Mutant(
        "max_pool2d_backward",
        "max_pool2d_backward_spread_evenly",
        "wrong",
        """
def max_pool2d_backward(grad_output, x, kernel_size, stride=None, padding=0):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    stride = kernel_size if stride is None else stride
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    n, c, h, w = x.shape
    grad_padded = x.new_zeros(n, c, h + 2 * ph, w + 2 * pw)
    for i in range(grad_output.shape[2]):
        for j in range(grad_output.shape[3]):
            share = grad_output[:, :, i, j, None, None] / (kh * kw)  # average pooling's gradient
            grad_padded[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw] += share
    return grad_padded[:, :, ph : ph + h, pw : pw + w]
""",
        why="spreads each gradient evenly over the window: the gradient of average pooling, not of max pooling",
    ),
    Mutant(
        "max_pool2d_backward",
        "max_pool2d_backward_ones",
        "wrong",
        _backward(
            "grad_padded[batch, channel, rows, cols] += grad_output[:, :, i, j]",
            "grad_padded[batch, channel, rows, cols] += 1.0  # marks the maxima, forgets grad_output",
        ),
        why="marks the maxima with 1 instead of passing on grad_output (the local derivative without the chain rule)",
    ),
    Mutant(
        "max_pool2d_backward",
        "max_pool2d_backward_zero_padding",
        "wrong",
        _backward(
            'padded = x.new_full((n, c, h + 2 * ph, w + 2 * pw), float("-inf"))',
            "padded = x.new_zeros(n, c, h + 2 * ph, w + 2 * pw)",
        ),
        why="finds the maxima in a zero-padded input, so windows of negative values send their gradient into the padding",
    ),
    Mutant(
        "max_pool2d_backward",
        "max_pool2d_backward_fold",
        "correct",
        """
def max_pool2d_backward(grad_output, x, kernel_size, stride=None, padding=0):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
    stride = (kh, kw) if stride is None else stride
    sh, sw = (stride, stride) if isinstance(stride, int) else tuple(stride)
    ph, pw = (padding, padding) if isinstance(padding, int) else tuple(padding)
    n, c, h, w = x.shape
    padded = F.pad(x, (pw, pw, ph, ph), value=float("-inf"))
    windows = F.unfold(padded, (kh, kw), stride=(sh, sw)).view(n, c, kh * kw, -1)  # (N, C, kh * kw, L)
    one_hot = torch.zeros_like(windows).scatter_(2, windows.argmax(dim=2, keepdim=True), 1.0)
    grads = one_hot * grad_output.reshape(n, c, 1, -1)
    grad_padded = F.fold(grads.view(n, c * kh * kw, -1), (h + 2 * ph, w + 2 * pw), (kh, kw), stride=(sh, sw))
    return grad_padded[:, :, ph : ph + h, pw : pw + w]
""",
        why="one-hot masks of the maxima times grad_output, put back with F.fold, which adds overlapping windows",
    ),
    # ----------------------------------------------------------------------------------- adaptive_avg_pool2d
    Mutant(
        "adaptive_avg_pool2d",
        "adaptive_avg_pool2d_uniform_windows",
        "wrong",
        """
def adaptive_avg_pool2d(x, output_size):
    n, c, h, w = x.shape
    out_h, out_w = (output_size, output_size) if isinstance(output_size, int) else output_size
    out_h = h if out_h is None else out_h
    out_w = w if out_w is None else out_w
    sh, sw = h // out_h, w // out_w  # one stride and one kernel size for all windows
    kh, kw = h - (out_h - 1) * sh, w - (out_w - 1) * sw
    out = x.new_empty(n, c, out_h, out_w)
    for i in range(out_h):
        for j in range(out_w):
            out[:, :, i, j] = x[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw].mean(dim=(-2, -1))
    return out
""",
        why="uses one kernel size and stride derived from the sizes: right only when the output divides the input",
    ),
    Mutant(
        "adaptive_avg_pool2d",
        "adaptive_avg_pool2d_floor_end",
        "wrong",
        """
def adaptive_avg_pool2d(x, output_size):
    n, c, h, w = x.shape
    out_h, out_w = (output_size, output_size) if isinstance(output_size, int) else output_size
    out_h = h if out_h is None else out_h
    out_w = w if out_w is None else out_w
    out = x.new_empty(n, c, out_h, out_w)
    for i in range(out_h):
        top, bottom = (i * h) // out_h, max((i + 1) * h // out_h, (i * h) // out_h + 1)  # end rounded down
        for j in range(out_w):
            left, right = (j * w) // out_w, max((j + 1) * w // out_w, (j * w) // out_w + 1)
            out[:, :, i, j] = x[:, :, top:bottom, left:right].mean(dim=(-2, -1))
    return out
""",
        why="rounds the end of each window down instead of up: windows never overlap, some are too short",
    ),
    Mutant(
        "adaptive_avg_pool2d",
        "adaptive_avg_pool2d_swapped_size",
        "wrong",
        """
def adaptive_avg_pool2d(x, output_size):
    n, c, h, w = x.shape
    out_w, out_h = (output_size, output_size) if isinstance(output_size, int) else output_size  # (W, H)
    out_h = h if out_h is None else out_h
    out_w = w if out_w is None else out_w
    out = x.new_empty(n, c, out_h, out_w)
    for i in range(out_h):
        top, bottom = (i * h) // out_h, -(-((i + 1) * h) // out_h)
        for j in range(out_w):
            left, right = (j * w) // out_w, -(-((j + 1) * w) // out_w)
            out[:, :, i, j] = x[:, :, top:bottom, left:right].mean(dim=(-2, -1))
    return out
""",
        why="reads output_size as (W_out, H_out)",
    ),
    Mutant(
        "adaptive_avg_pool2d",
        "adaptive_avg_pool2d_no_none",
        "wrong",
        """
def adaptive_avg_pool2d(x, output_size):
    n, c, h, w = x.shape
    out_h, out_w = (output_size, output_size) if isinstance(output_size, int) else output_size
    out = x.new_empty(n, c, out_h, out_w)  # None is not handled
    for i in range(out_h):
        top, bottom = (i * h) // out_h, -(-((i + 1) * h) // out_h)
        for j in range(out_w):
            left, right = (j * w) // out_w, -(-((j + 1) * w) // out_w)
            out[:, :, i, j] = x[:, :, top:bottom, left:right].mean(dim=(-2, -1))
    return out
""",
        why="ignores the docstring's None entries (keep the input's size)",
    ),
    Mutant(
        "adaptive_avg_pool2d",
        "adaptive_avg_pool2d_matrices",
        "correct",
        """
def adaptive_avg_pool2d(x, output_size):
    n, c, h, w = x.shape
    sizes = tuple(output_size) if isinstance(output_size, tuple | list) else (output_size, output_size)
    out_h = h if sizes[0] is None else sizes[0]
    out_w = w if sizes[1] is None else sizes[1]

    def averaging_matrix(size, out_size):  # (out_size, size): row i averages window i
        matrix = x.new_zeros(out_size, size)
        for i in range(out_size):
            start, end = math.floor(i * size / out_size), math.ceil((i + 1) * size / out_size)
            matrix[i, start:end] = 1.0 / (end - start)
        return matrix

    return averaging_matrix(h, out_h) @ x @ averaging_matrix(w, out_w).T  # separable: rows, then columns
""",
        why="pools rows and columns separately with two averaging matrices (math.floor/ceil on floats)",
    ),
    # ------------------------------------------------------------------------------------- global_avg_pool2d
    Mutant(
        "global_avg_pool2d",
        "global_avg_pool2d_keepdim",
        "wrong",
        """
def global_avg_pool2d(x):
    return x.mean(dim=(2, 3), keepdim=True)  # (N, C, 1, 1)
""",
        why="keeps the two spatial dimensions: (N, C, 1, 1) instead of (N, C)",
    ),
    Mutant(
        "global_avg_pool2d",
        "global_avg_pool2d_sum",
        "wrong",
        """
def global_avg_pool2d(x):
    return x.sum(dim=(2, 3))
""",
        why="sums instead of averaging (forgets to divide by H * W)",
    ),
    Mutant(
        "global_avg_pool2d",
        "global_avg_pool2d_max",
        "wrong",
        """
def global_avg_pool2d(x):
    return x.amax(dim=(2, 3))
""",
        why="global max pooling instead of average pooling",
    ),
    Mutant(
        "global_avg_pool2d",
        "global_avg_pool2d_flatten",
        "correct",
        """
def global_avg_pool2d(x):
    n, c, h, w = x.shape
    return x.reshape(n, c, h * w).sum(dim=-1) / (h * w)
""",
        why="flattens each map and divides its sum by the number of positions",
    ),
]

# The demo's buggy student: one mistake in each of four functions, so it lands between 0 and full marks.
BUGGY = [
    "max_pool2d_zero_padding",
    "avg_pool2d_always_full_window",
    "max_pool2d_backward_assign_not_accumulate",
    "global_avg_pool2d_keepdim",
]
