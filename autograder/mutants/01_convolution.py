"""Mutants of unit 01 (convolution): realistic wrong versions and correct alternatives of each graded function.

Each `source` replaces the whole solution cell; it may use what the setup cell imports (math, torch, F).
"""

from autograder.mutants import Mutant

MUTANTS = [
    # ---------------------------------------------------------------------------------------------- corr2d
    Mutant(
        "corr2d",
        "corr2d_flipped_kernel",
        "wrong",
        """
def corr2d(x, k):
    kh, kw = k.shape
    out = x.new_zeros(x.shape[0] - kh + 1, x.shape[1] - kw + 1)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = (x[i : i + kh, j : j + kw] * torch.flip(k, dims=(0, 1))).sum()  # true convolution
    return out
""",
        why="computes a true convolution (kernel flipped) instead of the cross-correlation",
    ),
    Mutant(
        "corr2d",
        "corr2d_off_by_one_size",
        "wrong",
        """
def corr2d(x, k):
    kh, kw = k.shape
    out = x.new_zeros(x.shape[0] - kh, x.shape[1] - kw)  # forgets the + 1
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = (x[i : i + kh, j : j + kw] * k).sum()
    return out
""",
        why="output size H - kh instead of H - kh + 1",
    ),
    Mutant(
        "corr2d",
        "corr2d_swapped_kernel_dims",
        "wrong",
        """
def corr2d(x, k):
    kw, kh = k.shape  # height and width unpacked in the wrong order
    out = x.new_zeros(x.shape[0] - kh + 1, x.shape[1] - kw + 1)
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = (x[i : i + kh, j : j + kw] * k).sum()
    return out
""",
        why="mixes up the kernel's height and width: right only for square kernels",
    ),
    Mutant(
        "corr2d",
        "corr2d_float32_output",
        "wrong",
        """
def corr2d(x, k):
    kh, kw = k.shape
    out = torch.zeros(x.shape[0] - kh + 1, x.shape[1] - kw + 1)  # default dtype: float32
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = (x[i : i + kh, j : j + kw] * k).sum()
    return out
""",
        why="allocates the output with torch.zeros, so float64 inputs give a float32 result",
    ),
    Mutant(
        "corr2d",
        "corr2d_kernel_offsets",
        "correct",
        """
def corr2d(x, k):
    kh, kw = k.shape
    h_out, w_out = x.shape[0] - kh + 1, x.shape[1] - kw + 1
    out = x.new_zeros(h_out, w_out)
    for a in range(kh):  # loop over the kernel's taps, shift the whole image
        for b in range(kw):
            out += k[a, b] * x[a : a + h_out, b : b + w_out]
    return out
""",
        why="loops over the kernel offsets (kh * kw shifted images) instead of the output positions",
    ),
    Mutant(
        "corr2d",
        "corr2d_unfold_einsum",
        "correct",
        """
def corr2d(x, k):
    kh, kw = k.shape
    patches = x.unfold(0, kh, 1).unfold(1, kw, 1)  # (H_out, W_out, kh, kw)
    return torch.einsum("ijab,ab->ij", patches, k)
""",
        why="Tensor.unfold views every patch at once, einsum does the products and sums",
    ),
    # ---------------------------------------------------------------------------------------- conv_output_size
    Mutant(
        "conv_output_size",
        "conv_output_size_ceil",
        "wrong",
        """
def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    out = math.ceil((size + 2 * padding - dilation * (kernel_size - 1) - 1) / stride) + 1  # rounds up
    if out < 1:
        raise ValueError("the kernel does not fit")
    return out
""",
        why="rounds up instead of down when the stride does not divide evenly",
    ),
    Mutant(
        "conv_output_size",
        "conv_output_size_no_dilation",
        "wrong",
        """
def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    out = (size + 2 * padding - kernel_size) // stride + 1  # the lecture's formula, dilation ignored
    if out < 1:
        raise ValueError("the kernel does not fit")
    return out
""",
        why="ignores dilation (the lecture's (W - K + 2P)/S + 1)",
    ),
    Mutant(
        "conv_output_size",
        "conv_output_size_padding_once",
        "wrong",
        """
def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    out = (size + padding - dilation * (kernel_size - 1) - 1) // stride + 1  # padding on one side only
    if out < 1:
        raise ValueError("the kernel does not fit")
    return out
""",
        why="counts the padding once instead of on both sides",
    ),
    Mutant(
        "conv_output_size",
        "conv_output_size_truncate",
        "wrong",
        """
def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    out = int((size + 2 * padding - dilation * (kernel_size - 1) - 1) / stride) + 1  # int() rounds toward 0
    if out < 1:
        raise ValueError("the kernel does not fit")
    return out
""",
        why="int() rounds a negative numerator toward zero, so some kernels that do not fit give size 1",
    ),
    Mutant(
        "conv_output_size",
        "conv_output_size_no_error",
        "wrong",
        """
def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    return (size + 2 * padding - dilation * (kernel_size - 1) - 1) // stride + 1  # no ValueError
""",
        why="returns 0 or a negative size instead of raising ValueError",
    ),
    Mutant(
        "conv_output_size",
        "conv_output_size_effective_kernel",
        "correct",
        """
def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    span = dilation * (kernel_size - 1) + 1  # pixels covered by the dilated kernel
    room = size + 2 * padding - span  # how far the kernel can move
    if room < 0:
        raise ValueError(f"a kernel spanning {span} pixels does not fit in {size} + 2 * {padding}")
    return room // stride + 1
""",
        why="checks that the effective kernel fits before dividing",
    ),
    Mutant(
        "conv_output_size",
        "conv_output_size_math_floor",
        "correct",
        """
def conv_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    out = math.floor((size + 2 * padding - dilation * (kernel_size - 1) - 1) / stride) + 1
    if out <= 0:
        raise ValueError("the kernel does not fit")
    return out
""",
        why="true division and math.floor instead of //",
    ),
    # ------------------------------------------------------------------------------------------------- conv2d
    Mutant(
        "conv2d",
        "conv2d_flipped_kernel",
        "wrong",
        """
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 4 or weight.dim() != 4:
        raise ValueError("x and weight must be 4-D")
    if x.shape[1] != weight.shape[1]:
        raise ValueError("channel mismatch")
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    n, c_in, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    padded = x.new_zeros(n, c_in, h + 2 * ph, w + 2 * pw)
    padded[:, :, ph : ph + h, pw : pw + w] = x
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    h_out, w_out = (h + 2 * ph - span_h) // sh + 1, (w + 2 * pw - span_w) // sw + 1
    flat_weight = torch.flip(weight, dims=(2, 3)).reshape(c_out, -1)  # true convolution
    out = x.new_zeros(n, c_out, h_out, w_out)
    for i in range(h_out):
        for j in range(w_out):
            patch = padded[:, :, i * sh : i * sh + span_h : dh, j * sw : j * sw + span_w : dw]
            out[:, :, i, j] = patch.reshape(n, -1) @ flat_weight.T
    if bias is not None:
        out += bias.reshape(1, c_out, 1, 1)
    return out
""",
        why="flips the kernel (a true convolution instead of PyTorch's cross-correlation)",
    ),
    Mutant(
        "conv2d",
        "conv2d_missing_bias",
        "wrong",
        """
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 4 or weight.dim() != 4:
        raise ValueError("x and weight must be 4-D")
    if x.shape[1] != weight.shape[1]:
        raise ValueError("channel mismatch")
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    n, c_in, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    padded = x.new_zeros(n, c_in, h + 2 * ph, w + 2 * pw)
    padded[:, :, ph : ph + h, pw : pw + w] = x
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    h_out, w_out = (h + 2 * ph - span_h) // sh + 1, (w + 2 * pw - span_w) // sw + 1
    flat_weight = weight.reshape(c_out, -1)
    out = x.new_zeros(n, c_out, h_out, w_out)
    for i in range(h_out):
        for j in range(w_out):
            patch = padded[:, :, i * sh : i * sh + span_h : dh, j * sw : j * sw + span_w : dw]
            out[:, :, i, j] = patch.reshape(n, -1) @ flat_weight.T
    return out  # the bias is never added
""",
        why="ignores the bias argument",
    ),
    Mutant(
        "conv2d",
        "conv2d_pad_order_swapped",
        "wrong",
        """
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 4 or weight.dim() != 4:
        raise ValueError("x and weight must be 4-D")
    if x.shape[1] != weight.shape[1]:
        raise ValueError("channel mismatch")
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    n, c_in, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    padded = F.pad(x, (ph, ph, pw, pw))  # F.pad starts with the LAST dimension: this pads W by ph, H by pw
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    h_out = (padded.shape[2] - span_h) // sh + 1
    w_out = (padded.shape[3] - span_w) // sw + 1
    flat_weight = weight.reshape(c_out, -1)
    out = x.new_zeros(n, c_out, h_out, w_out)
    for i in range(h_out):
        for j in range(w_out):
            patch = padded[:, :, i * sh : i * sh + span_h : dh, j * sw : j * sw + span_w : dw]
            out[:, :, i, j] = patch.reshape(n, -1) @ flat_weight.T
    if bias is not None:
        out += bias.reshape(1, c_out, 1, 1)
    return out
""",
        why="F.pad's order is (left, right, top, bottom): (h, w) paddings land on the wrong dimensions",
    ),
    Mutant(
        "conv2d",
        "conv2d_pad_one_side",
        "wrong",
        """
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 4 or weight.dim() != 4:
        raise ValueError("x and weight must be 4-D")
    if x.shape[1] != weight.shape[1]:
        raise ValueError("channel mismatch")
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    n, c_in, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    padded = x.new_zeros(n, c_in, h + ph, w + pw)  # zeros only at the top and the left
    padded[:, :, ph:, pw:] = x
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    h_out = (padded.shape[2] - span_h) // sh + 1
    w_out = (padded.shape[3] - span_w) // sw + 1
    flat_weight = weight.reshape(c_out, -1)
    out = x.new_zeros(n, c_out, h_out, w_out)
    for i in range(h_out):
        for j in range(w_out):
            patch = padded[:, :, i * sh : i * sh + span_h : dh, j * sw : j * sw + span_w : dw]
            out[:, :, i, j] = patch.reshape(n, -1) @ flat_weight.T
    if bias is not None:
        out += bias.reshape(1, c_out, 1, 1)
    return out
""",
        why="pads only one side (top and left)",
    ),
    Mutant(
        "conv2d",
        "conv2d_no_dilation",
        "wrong",
        """
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 4 or weight.dim() != 4:
        raise ValueError("x and weight must be 4-D")
    if x.shape[1] != weight.shape[1]:
        raise ValueError("channel mismatch")
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)
    (sh, sw), (ph, pw) = pair(stride), pair(padding)  # dilation ignored
    n, c_in, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    padded = x.new_zeros(n, c_in, h + 2 * ph, w + 2 * pw)
    padded[:, :, ph : ph + h, pw : pw + w] = x
    h_out, w_out = (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1
    flat_weight = weight.reshape(c_out, -1)
    out = x.new_zeros(n, c_out, h_out, w_out)
    for i in range(h_out):
        for j in range(w_out):
            patch = padded[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw]
            out[:, :, i, j] = patch.reshape(n, -1) @ flat_weight.T
    if bias is not None:
        out += bias.reshape(1, c_out, 1, 1)
    return out
""",
        why="ignores dilation",
    ),
    Mutant(
        "conv2d",
        "conv2d_stride_swapped",
        "wrong",
        """
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 4 or weight.dim() != 4:
        raise ValueError("x and weight must be 4-D")
    if x.shape[1] != weight.shape[1]:
        raise ValueError("channel mismatch")
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)
    (sw, sh), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)  # stride read as (w, h)
    n, c_in, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    padded = x.new_zeros(n, c_in, h + 2 * ph, w + 2 * pw)
    padded[:, :, ph : ph + h, pw : pw + w] = x
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    h_out, w_out = (h + 2 * ph - span_h) // sh + 1, (w + 2 * pw - span_w) // sw + 1
    flat_weight = weight.reshape(c_out, -1)
    out = x.new_zeros(n, c_out, h_out, w_out)
    for i in range(h_out):
        for j in range(w_out):
            patch = padded[:, :, i * sh : i * sh + span_h : dh, j * sw : j * sw + span_w : dw]
            out[:, :, i, j] = patch.reshape(n, -1) @ flat_weight.T
    if bias is not None:
        out += bias.reshape(1, c_out, 1, 1)
    return out
""",
        why="reads an (h, w) stride as (w, h): right only for equal strides",
    ),
    Mutant(
        "conv2d",
        "conv2d_float32_output",
        "wrong",
        """
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 4 or weight.dim() != 4:
        raise ValueError("x and weight must be 4-D")
    if x.shape[1] != weight.shape[1]:
        raise ValueError("channel mismatch")
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    n, c_in, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    padded = x.new_zeros(n, c_in, h + 2 * ph, w + 2 * pw)
    padded[:, :, ph : ph + h, pw : pw + w] = x
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    h_out, w_out = (h + 2 * ph - span_h) // sh + 1, (w + 2 * pw - span_w) // sw + 1
    flat_weight = weight.reshape(c_out, -1)
    out = torch.zeros(n, c_out, h_out, w_out)  # default dtype: float32
    for i in range(h_out):
        for j in range(w_out):
            patch = padded[:, :, i * sh : i * sh + span_h : dh, j * sw : j * sw + span_w : dw]
            out[:, :, i, j] = patch.reshape(n, -1) @ flat_weight.T
    if bias is not None:
        out += bias.reshape(1, c_out, 1, 1)
    return out
""",
        why="allocates the output with torch.zeros: float64 inputs give a float32 result",
    ),
    Mutant(
        "conv2d",
        "conv2d_no_channel_check",
        "wrong",
        """
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    n, c_in, h, w = x.shape  # no check of the ranks and channels: PyTorch's error (or none) leaks out
    c_out, _, kh, kw = weight.shape
    padded = x.new_zeros(n, c_in, h + 2 * ph, w + 2 * pw)
    padded[:, :, ph : ph + h, pw : pw + w] = x
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    h_out, w_out = (h + 2 * ph - span_h) // sh + 1, (w + 2 * pw - span_w) // sw + 1
    out = x.new_zeros(n, c_out, h_out, w_out)
    for i in range(h_out):
        for j in range(w_out):
            patch = padded[:, :, i * sh : i * sh + span_h : dh, j * sw : j * sw + span_w : dw]
            out[:, :, i, j] = torch.einsum("ncab,ocab->no", patch, weight)
    if bias is not None:
        out += bias.reshape(1, c_out, 1, 1)
    return out
""",
        why="does not validate its arguments: a channel mismatch raises RuntimeError, not ValueError",
    ),
    Mutant(
        "conv2d",
        "conv2d_kernel_offsets",
        "correct",
        """
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 4:
        raise ValueError(f"x must be (N, C_in, H, W), got {tuple(x.shape)}")
    if weight.dim() != 4:
        raise ValueError(f"weight must be (C_out, C_in, kh, kw), got {tuple(weight.shape)}")
    if x.shape[1] != weight.shape[1]:
        raise ValueError("x's channels differ from weight's C_in")
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    dh, dw = (dilation, dilation) if isinstance(dilation, int) else dilation
    kh, kw = weight.shape[2:]
    xp = F.pad(x, (pw, pw, ph, ph))  # (left, right, top, bottom)
    h_out = (xp.shape[2] - dh * (kh - 1) - 1) // sh + 1
    w_out = (xp.shape[3] - dw * (kw - 1) - 1) // sw + 1
    out = x.new_zeros(x.shape[0], weight.shape[0], h_out, w_out)
    for a in range(kh):  # one strided view of the input per kernel tap
        for b in range(kw):
            top, left = a * dh, b * dw
            view = xp[:, :, top : top + sh * (h_out - 1) + 1 : sh, left : left + sw * (w_out - 1) + 1 : sw]
            out += torch.einsum("nchw,oc->nohw", view, weight[:, :, a, b])
    if bias is not None:
        out = out + bias[None, :, None, None]
    return out
""",
        why="loops over the kh * kw kernel taps, each a strided view of the whole padded input",
    ),
    Mutant(
        "conv2d",
        "conv2d_unfold_matmul",
        "correct",
        """
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 4 or weight.dim() != 4 or x.shape[1] != weight.shape[1]:
        raise ValueError(f"bad shapes: x {tuple(x.shape)}, weight {tuple(weight.shape)}")
    n, _, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    h_out = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    w_out = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    cols = F.unfold(x, (kh, kw), dilation=(dh, dw), padding=(ph, pw), stride=(sh, sw))  # (N, C_in*kh*kw, L)
    out = weight.reshape(c_out, -1) @ cols  # (N, C_out, L)
    if bias is not None:
        out = out + bias[:, None]
    return out.reshape(n, c_out, h_out, w_out)
""",
        why="im2col with F.unfold and one matrix product",
    ),
    Mutant(
        "conv2d",
        "conv2d_scalar_loops",
        "correct",
        """
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 4 or weight.dim() != 4:
        raise ValueError("x and weight must be 4-D")
    if x.shape[1] != weight.shape[1]:
        raise ValueError("channel mismatch")
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    dh, dw = (dilation, dilation) if isinstance(dilation, int) else dilation
    n, c_in, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    h_out = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    w_out = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    out = torch.zeros(n, c_out, h_out, w_out, dtype=x.dtype)
    for b in range(n):
        for o in range(c_out):
            for i in range(h_out):
                for j in range(w_out):
                    total = 0.0 if bias is None else bias[o]
                    for c in range(c_in):
                        for a in range(kh):
                            for e in range(kw):
                                r, s = i * sh + a * dh - ph, j * sw + e * dw - pw  # index into unpadded x
                                if 0 <= r < h and 0 <= s < w:
                                    total = total + x[b, c, r, s] * weight[o, c, a, e]
                    out[b, o, i, j] = total
    return out
""",
        why="the slowest straightforward version: seven loops over scalars, padding by bounds checks",
    ),
    # ------------------------------------------------------------------------------------------------- conv1d
    Mutant(
        "conv1d",
        "conv1d_flipped_kernel",
        "wrong",
        """
def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 3 or weight.dim() != 3 or x.shape[1] != weight.shape[1]:
        raise ValueError("bad shapes")
    n, c_in, length = x.shape
    c_out, _, k = weight.shape
    padded = F.pad(x, (padding, padding))
    span = dilation * (k - 1) + 1
    l_out = (length + 2 * padding - span) // stride + 1
    w = torch.flip(weight, dims=(2,)).reshape(c_out, -1)  # true convolution
    out = x.new_zeros(n, c_out, l_out)
    for t in range(l_out):
        out[:, :, t] = padded[:, :, t * stride : t * stride + span : dilation].reshape(n, -1) @ w.T
    if bias is not None:
        out += bias.reshape(1, c_out, 1)
    return out
""",
        why="flips the kernel (a true convolution)",
    ),
    Mutant(
        "conv1d",
        "conv1d_missing_bias",
        "wrong",
        """
def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 3 or weight.dim() != 3 or x.shape[1] != weight.shape[1]:
        raise ValueError("bad shapes")
    n, c_in, length = x.shape
    c_out, _, k = weight.shape
    padded = F.pad(x, (padding, padding))
    span = dilation * (k - 1) + 1
    l_out = (length + 2 * padding - span) // stride + 1
    w = weight.reshape(c_out, -1)
    out = x.new_zeros(n, c_out, l_out)
    for t in range(l_out):
        out[:, :, t] = padded[:, :, t * stride : t * stride + span : dilation].reshape(n, -1) @ w.T
    return out  # the bias is never added
""",
        why="ignores the bias argument",
    ),
    Mutant(
        "conv1d",
        "conv1d_no_dilation",
        "wrong",
        """
def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 3 or weight.dim() != 3 or x.shape[1] != weight.shape[1]:
        raise ValueError("bad shapes")
    n, c_in, length = x.shape
    c_out, _, k = weight.shape
    padded = F.pad(x, (padding, padding))
    l_out = (length + 2 * padding - k) // stride + 1  # dilation ignored
    w = weight.reshape(c_out, -1)
    out = x.new_zeros(n, c_out, l_out)
    for t in range(l_out):
        out[:, :, t] = padded[:, :, t * stride : t * stride + k].reshape(n, -1) @ w.T
    if bias is not None:
        out += bias.reshape(1, c_out, 1)
    return out
""",
        why="ignores dilation",
    ),
    Mutant(
        "conv1d",
        "conv1d_causal_padding",
        "wrong",
        """
def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 3 or weight.dim() != 3 or x.shape[1] != weight.shape[1]:
        raise ValueError("bad shapes")
    n, c_in, length = x.shape
    c_out, _, k = weight.shape
    padded = F.pad(x, (2 * padding, 0))  # all the padding at the start, as in a causal convolution
    span = dilation * (k - 1) + 1
    l_out = (length + 2 * padding - span) // stride + 1
    w = weight.reshape(c_out, -1)
    out = x.new_zeros(n, c_out, l_out)
    for t in range(l_out):
        out[:, :, t] = padded[:, :, t * stride : t * stride + span : dilation].reshape(n, -1) @ w.T
    if bias is not None:
        out += bias.reshape(1, c_out, 1)
    return out
""",
        why="puts all the padding before the sequence (causal padding) instead of p at each end",
    ),
    Mutant(
        "conv1d",
        "conv1d_stride_ignored",
        "wrong",
        """
def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 3 or weight.dim() != 3 or x.shape[1] != weight.shape[1]:
        raise ValueError("bad shapes")
    n, c_in, length = x.shape
    c_out, _, k = weight.shape
    padded = F.pad(x, (padding, padding))
    span = dilation * (k - 1) + 1
    l_out = (length + 2 * padding - span) // stride + 1
    w = weight.reshape(c_out, -1)
    out = x.new_zeros(n, c_out, l_out)
    for t in range(l_out):
        out[:, :, t] = padded[:, :, t : t + span : dilation].reshape(n, -1) @ w.T  # window moves by 1
    if bias is not None:
        out += bias.reshape(1, c_out, 1)
    return out
""",
        why="gets the output size right but moves the window one step at a time",
    ),
    Mutant(
        "conv1d",
        "conv1d_kernel_offsets",
        "correct",
        """
def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 3:
        raise ValueError(f"x must be (N, C_in, L), got {tuple(x.shape)}")
    if weight.dim() != 3:
        raise ValueError(f"weight must be (C_out, C_in, k), got {tuple(weight.shape)}")
    if x.shape[1] != weight.shape[1]:
        raise ValueError("x's channels differ from weight's C_in")
    k = weight.shape[2]
    xp = torch.cat([x.new_zeros(*x.shape[:2], padding), x, x.new_zeros(*x.shape[:2], padding)], dim=2)
    l_out = (xp.shape[2] - dilation * (k - 1) - 1) // stride + 1
    out = x.new_zeros(x.shape[0], weight.shape[0], l_out)
    for a in range(k):  # one strided view per kernel tap
        view = xp[:, :, a * dilation : a * dilation + stride * (l_out - 1) + 1 : stride]  # (N, C_in, L_out)
        out += torch.einsum("ncl,oc->nol", view, weight[:, :, a])
    return out if bias is None else out + bias[None, :, None]
""",
        why="loops over the kernel taps; pads with torch.cat",
    ),
    Mutant(
        "conv1d",
        "conv1d_unfold_einsum",
        "correct",
        """
def conv1d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 3 or weight.dim() != 3 or x.shape[1] != weight.shape[1]:
        raise ValueError(f"bad shapes: x {tuple(x.shape)}, weight {tuple(weight.shape)}")
    k = weight.shape[2]
    span = dilation * (k - 1) + 1
    windows = F.pad(x, (padding, padding)).unfold(2, span, stride)  # (N, C_in, L_out, span)
    out = torch.einsum("nclk,ock->nol", windows[..., ::dilation], weight)
    return out if bias is None else out + bias[:, None]
""",
        why="Tensor.unfold gives every (dilated) window at once",
    ),
    # ------------------------------------------------------------------------------------------------- conv3d
    Mutant(
        "conv3d",
        "conv3d_missing_bias",
        "wrong",
        """
def conv3d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 5 or weight.dim() != 5 or x.shape[1] != weight.shape[1]:
        raise ValueError("bad shapes")
    triple = lambda v: (v, v, v) if isinstance(v, int) else tuple(v)
    (sd, sh, sw), (pd, ph, pw), (dd, dh, dw) = triple(stride), triple(padding), triple(dilation)
    n, c_out = x.shape[0], weight.shape[0]
    kd, kh, kw = weight.shape[2:]
    xp = F.pad(x, (pw, pw, ph, ph, pd, pd))
    spans = dd * (kd - 1) + 1, dh * (kh - 1) + 1, dw * (kw - 1) + 1
    sizes = [(xp.shape[2 + i] - spans[i]) // s + 1 for i, s in enumerate((sd, sh, sw))]
    out = x.new_zeros(n, c_out, *sizes)
    for u in range(sizes[0]):
        for i in range(sizes[1]):
            for j in range(sizes[2]):
                patch = xp[:, :, u * sd : u * sd + spans[0] : dd, i * sh : i * sh + spans[1] : dh,
                           j * sw : j * sw + spans[2] : dw]
                out[:, :, u, i, j] = torch.einsum("ncdhw,ocdhw->no", patch, weight)
    return out  # the bias is never added
""",
        why="ignores the bias argument",
    ),
    Mutant(
        "conv3d",
        "conv3d_flipped_kernel",
        "wrong",
        """
def conv3d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 5 or weight.dim() != 5 or x.shape[1] != weight.shape[1]:
        raise ValueError("bad shapes")
    triple = lambda v: (v, v, v) if isinstance(v, int) else tuple(v)
    (sd, sh, sw), (pd, ph, pw), (dd, dh, dw) = triple(stride), triple(padding), triple(dilation)
    n, c_out = x.shape[0], weight.shape[0]
    kd, kh, kw = weight.shape[2:]
    xp = F.pad(x, (pw, pw, ph, ph, pd, pd))
    spans = dd * (kd - 1) + 1, dh * (kh - 1) + 1, dw * (kw - 1) + 1
    sizes = [(xp.shape[2 + i] - spans[i]) // s + 1 for i, s in enumerate((sd, sh, sw))]
    flipped = torch.flip(weight, dims=(2, 3, 4))  # true convolution
    out = x.new_zeros(n, c_out, *sizes)
    for u in range(sizes[0]):
        for i in range(sizes[1]):
            for j in range(sizes[2]):
                patch = xp[:, :, u * sd : u * sd + spans[0] : dd, i * sh : i * sh + spans[1] : dh,
                           j * sw : j * sw + spans[2] : dw]
                out[:, :, u, i, j] = torch.einsum("ncdhw,ocdhw->no", patch, flipped)
    if bias is not None:
        out += bias.reshape(1, c_out, 1, 1, 1)
    return out
""",
        why="flips the kernel (a true convolution)",
    ),
    Mutant(
        "conv3d",
        "conv3d_pad_order_reversed",
        "wrong",
        """
def conv3d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 5 or weight.dim() != 5 or x.shape[1] != weight.shape[1]:
        raise ValueError("bad shapes")
    triple = lambda v: (v, v, v) if isinstance(v, int) else tuple(v)
    (sd, sh, sw), (pd, ph, pw), (dd, dh, dw) = triple(stride), triple(padding), triple(dilation)
    n, c_out = x.shape[0], weight.shape[0]
    kd, kh, kw = weight.shape[2:]
    xp = F.pad(x, (pd, pd, ph, ph, pw, pw))  # F.pad starts with the LAST dimension: depth and width swapped
    spans = dd * (kd - 1) + 1, dh * (kh - 1) + 1, dw * (kw - 1) + 1
    sizes = [(xp.shape[2 + i] - spans[i]) // s + 1 for i, s in enumerate((sd, sh, sw))]
    out = x.new_zeros(n, c_out, *sizes)
    for u in range(sizes[0]):
        for i in range(sizes[1]):
            for j in range(sizes[2]):
                patch = xp[:, :, u * sd : u * sd + spans[0] : dd, i * sh : i * sh + spans[1] : dh,
                           j * sw : j * sw + spans[2] : dw]
                out[:, :, u, i, j] = torch.einsum("ncdhw,ocdhw->no", patch, weight)
    if bias is not None:
        out += bias.reshape(1, c_out, 1, 1, 1)
    return out
""",
        why="passes the (d, h, w) padding to F.pad in reading order, which pads width by pd and depth by pw",
    ),
    Mutant(
        "conv3d",
        "conv3d_no_dilation",
        "wrong",
        """
def conv3d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 5 or weight.dim() != 5 or x.shape[1] != weight.shape[1]:
        raise ValueError("bad shapes")
    triple = lambda v: (v, v, v) if isinstance(v, int) else tuple(v)
    (sd, sh, sw), (pd, ph, pw) = triple(stride), triple(padding)  # dilation ignored
    n, c_out = x.shape[0], weight.shape[0]
    kd, kh, kw = weight.shape[2:]
    xp = F.pad(x, (pw, pw, ph, ph, pd, pd))
    sizes = [(xp.shape[2 + i] - k) // s + 1 for i, (k, s) in enumerate(((kd, sd), (kh, sh), (kw, sw)))]
    out = x.new_zeros(n, c_out, *sizes)
    for u in range(sizes[0]):
        for i in range(sizes[1]):
            for j in range(sizes[2]):
                patch = xp[:, :, u * sd : u * sd + kd, i * sh : i * sh + kh, j * sw : j * sw + kw]
                out[:, :, u, i, j] = torch.einsum("ncdhw,ocdhw->no", patch, weight)
    if bias is not None:
        out += bias.reshape(1, c_out, 1, 1, 1)
    return out
""",
        why="ignores dilation",
    ),
    Mutant(
        "conv3d",
        "conv3d_first_entry_only",
        "wrong",
        """
def conv3d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 5 or weight.dim() != 5 or x.shape[1] != weight.shape[1]:
        raise ValueError("bad shapes")
    first = lambda v: v if isinstance(v, int) else v[0]  # a triple collapsed to its first entry
    s, p, d = first(stride), first(padding), first(dilation)
    n, c_out = x.shape[0], weight.shape[0]
    ks = weight.shape[2:]
    xp = F.pad(x, (p, p, p, p, p, p))
    spans = [d * (k - 1) + 1 for k in ks]
    sizes = [(xp.shape[2 + i] - spans[i]) // s + 1 for i in range(3)]
    out = x.new_zeros(n, c_out, *sizes)
    for u in range(sizes[0]):
        for i in range(sizes[1]):
            for j in range(sizes[2]):
                patch = xp[:, :, u * s : u * s + spans[0] : d, i * s : i * s + spans[1] : d,
                           j * s : j * s + spans[2] : d]
                out[:, :, u, i, j] = torch.einsum("ncdhw,ocdhw->no", patch, weight)
    if bias is not None:
        out += bias.reshape(1, c_out, 1, 1, 1)
    return out
""",
        why="uses the first entry of each triple for all three dimensions",
    ),
    Mutant(
        "conv3d",
        "conv3d_unfold_einsum",
        "correct",
        """
def conv3d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 5:
        raise ValueError(f"x must be (N, C_in, D, H, W), got {tuple(x.shape)}")
    if weight.dim() != 5:
        raise ValueError(f"weight must be (C_out, C_in, kd, kh, kw), got {tuple(weight.shape)}")
    if x.shape[1] != weight.shape[1]:
        raise ValueError("x's channels differ from weight's C_in")
    triple = lambda v: (v, v, v) if isinstance(v, int) else tuple(v)
    strides, pads, dils = triple(stride), triple(padding), triple(dilation)
    windows = F.pad(x, (pads[2], pads[2], pads[1], pads[1], pads[0], pads[0]))
    for dim in range(3):  # after this, windows is (N, C_in, D_out, H_out, W_out, span_d, span_h, span_w)
        span = dils[dim] * (weight.shape[2 + dim] - 1) + 1
        windows = windows.unfold(2 + dim, span, strides[dim])
    taps = windows[..., :: dils[0], :: dils[1], :: dils[2]]  # (N, C_in, D_out, H_out, W_out, kd, kh, kw)
    out = torch.einsum("ncuvwabe,ocabe->nouvw", taps, weight)
    return out if bias is None else out + bias[:, None, None, None]
""",
        why="three Tensor.unfold calls give every 3D window, one einsum does the rest",
    ),
    Mutant(
        "conv3d",
        "conv3d_kernel_offsets",
        "correct",
        """
def conv3d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 5 or weight.dim() != 5:
        raise ValueError("x and weight must be 5-D")
    if x.shape[1] != weight.shape[1]:
        raise ValueError("channel mismatch")
    sd, sh, sw = (stride,) * 3 if isinstance(stride, int) else stride
    pd, ph, pw = (padding,) * 3 if isinstance(padding, int) else padding
    dd, dh, dw = (dilation,) * 3 if isinstance(dilation, int) else dilation
    n, c_in, depth, h, w = x.shape
    c_out, _, kd, kh, kw = weight.shape
    xp = x.new_zeros(n, c_in, depth + 2 * pd, h + 2 * ph, w + 2 * pw)
    xp[:, :, pd : pd + depth, ph : ph + h, pw : pw + w] = x
    d_out = (depth + 2 * pd - dd * (kd - 1) - 1) // sd + 1
    h_out = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    w_out = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    out = x.new_zeros(n, c_out, d_out, h_out, w_out)
    for a in range(kd):  # one strided view of the input per kernel tap
        for b in range(kh):
            for c in range(kw):
                view = xp[:, :, a * dd : a * dd + sd * (d_out - 1) + 1 : sd,
                          b * dh : b * dh + sh * (h_out - 1) + 1 : sh,
                          c * dw : c * dw + sw * (w_out - 1) + 1 : sw]  # (N, C_in, D_out, H_out, W_out)
                out += torch.einsum("ncdhw,oc->nodhw", view, weight[:, :, a, b, c])
    if bias is not None:
        out += bias.reshape(1, c_out, 1, 1, 1)
    return out
""",
        why="loops over the kd * kh * kw kernel taps",
    ),
    Mutant(
        "conv3d",
        "conv3d_scalar_loops",
        "correct",
        """
def conv3d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 5 or weight.dim() != 5:
        raise ValueError("x and weight must be 5-D")
    if x.shape[1] != weight.shape[1]:
        raise ValueError("channel mismatch")
    s = (stride,) * 3 if isinstance(stride, int) else stride
    p = (padding,) * 3 if isinstance(padding, int) else padding
    d = (dilation,) * 3 if isinstance(dilation, int) else dilation
    n, c_in = x.shape[:2]
    c_out = weight.shape[0]
    ins, ks = x.shape[2:], weight.shape[2:]
    outs = [(ins[i] + 2 * p[i] - d[i] * (ks[i] - 1) - 1) // s[i] + 1 for i in range(3)]
    out = torch.zeros(n, c_out, *outs, dtype=x.dtype)
    for b in range(n):
        for o in range(c_out):
            for u in range(outs[0]):
                for i in range(outs[1]):
                    for j in range(outs[2]):
                        total = 0.0 if bias is None else bias[o]
                        for c in range(c_in):
                            for a in range(ks[0]):
                                for e in range(ks[1]):
                                    for f in range(ks[2]):
                                        z = u * s[0] + a * d[0] - p[0]  # indices into the unpadded x
                                        y = i * s[1] + e * d[1] - p[1]
                                        q = j * s[2] + f * d[2] - p[2]
                                        if 0 <= z < ins[0] and 0 <= y < ins[1] and 0 <= q < ins[2]:
                                            total = total + x[b, c, z, y, q] * weight[o, c, a, e, f]
                        out[b, o, u, i, j] = total
    return out
""",
        why="the slowest straightforward version: ten loops over scalars, padding by bounds checks",
    ),
    # ---------------------------------------------------------------------------------------- conv_num_params
    Mutant(
        "conv_num_params",
        "conv_num_params_no_bias_term",
        "wrong",
        """
def conv_num_params(in_channels, out_channels, kernel_size, bias=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return out_channels * in_channels * kh * kw  # the biases are forgotten
""",
        why="forgets the biases",
    ),
    Mutant(
        "conv_num_params",
        "conv_num_params_square_only",
        "wrong",
        """
def conv_num_params(in_channels, out_channels, kernel_size, bias=True):
    k = kernel_size if isinstance(kernel_size, int) else kernel_size[0]
    return out_channels * in_channels * k * k + (out_channels if bias else 0)  # kh used twice
""",
        why="uses kernel_size[0] for both height and width",
    ),
    Mutant(
        "conv_num_params",
        "conv_num_params_no_in_channels",
        "wrong",
        """
def conv_num_params(in_channels, out_channels, kernel_size, bias=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return out_channels * kh * kw + (out_channels if bias else 0)  # a filter is only kh x kw
""",
        why="forgets that each filter spans all input channels",
    ),
    Mutant(
        "conv_num_params",
        "conv_num_params_bias_always",
        "wrong",
        """
def conv_num_params(in_channels, out_channels, kernel_size, bias=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return out_channels * (in_channels * kh * kw + 1)  # bias=False is ignored
""",
        why="always counts the biases, also for bias=False",
    ),
    Mutant(
        "conv_num_params",
        "conv_num_params_bias_per_input",
        "wrong",
        """
def conv_num_params(in_channels, out_channels, kernel_size, bias=True):
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    return out_channels * in_channels * kh * kw + (in_channels if bias else 0)  # one bias per input channel
""",
        why="counts one bias per input channel instead of per output channel",
    ),
    Mutant(
        "conv_num_params",
        "conv_num_params_math_prod",
        "correct",
        """
def conv_num_params(in_channels, out_channels, kernel_size, bias=True):
    kernel = (kernel_size,) * 2 if isinstance(kernel_size, int) else tuple(kernel_size)
    return math.prod((out_channels, in_channels, *kernel)) + out_channels * int(bias)
""",
        why="math.prod over the weight shape, int(bias) for the bias",
    ),
    Mutant(
        "conv_num_params",
        "conv_num_params_per_filter",
        "correct",
        """
def conv_num_params(in_channels, out_channels, kernel_size, bias=True):
    if isinstance(kernel_size, int):
        kernel_size = (kernel_size, kernel_size)
    per_filter = in_channels * kernel_size[0] * kernel_size[1] + (1 if bias else 0)
    return out_channels * per_filter
""",
        why="counts one filter with its bias, times the number of filters",
    ),
]

# The demo's buggy student: one mistake in each of four functions, so it lands between 0 and full marks.
BUGGY = [
    "corr2d_flipped_kernel",
    "conv2d_pad_order_swapped",
    "conv_output_size_ceil",
    "conv_num_params_no_bias_term",
]
