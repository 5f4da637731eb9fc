"""Mutants of unit 02 (padding, stride, fast convolution): realistic wrong versions and correct alternatives.

Each `source` replaces the whole solution cell; it may use what the setup cell defines (contextlib, math, torch,
F, nn, pair) and the functions of the cells before it (pad2d, unfold, conv2d_fast, conv2d_backward, ...).
"""

from autograder.mutants import Mutant

MUTANTS = [
    # ------------------------------------------------------------------------------------------------ pad2d
    Mutant(
        "pad2d",
        "pad2d_reflect_repeats_edge",
        "wrong",
        """
def pad2d(x, padding, mode="zeros"):
    if mode not in ("zeros", "reflect", "replicate", "circular"):
        raise ValueError(f"unknown mode {mode!r}")
    if x.dim() != 4:
        raise ValueError("x must be 4-D")
    left, right, top, bottom = (padding,) * 4 if isinstance(padding, int) else padding
    n, c, h, w = x.shape
    if mode == "zeros":
        out = x.new_zeros(n, c, top + h + bottom, left + w + right)
        out[:, :, top : top + h, left : left + w] = x
        return out

    def source(size, before, after):
        if mode == "reflect" and max(before, after) >= size:
            raise ValueError("reflect padding too large")
        if mode == "circular" and max(before, after) > size:
            raise ValueError("circular padding too large")
        i = torch.arange(-before, size + after)
        if mode == "reflect":  # mirrors like numpy's "symmetric": the edge pixel is repeated
            i = torch.where(i < 0, -i - 1, i)
            return torch.where(i > size - 1, 2 * size - 1 - i, i)
        if mode == "replicate":
            return i.clamp(0, size - 1)
        return i % size

    return x[:, :, source(h, top, bottom)[:, None], source(w, left, right)]
""",
        why="reflects around the border between pixels (numpy's 'symmetric'), repeating the edge pixel",
    ),
    Mutant(
        "pad2d",
        "pad2d_height_first",
        "wrong",
        """
def pad2d(x, padding, mode="zeros"):
    if mode not in ("zeros", "reflect", "replicate", "circular"):
        raise ValueError(f"unknown mode {mode!r}")
    if x.dim() != 4:
        raise ValueError("x must be 4-D")
    top, bottom, left, right = (padding,) * 4 if isinstance(padding, int) else padding  # height first
    n, c, h, w = x.shape
    if mode == "zeros":
        out = x.new_zeros(n, c, top + h + bottom, left + w + right)
        out[:, :, top : top + h, left : left + w] = x
        return out

    def source(size, before, after):
        if mode == "reflect" and max(before, after) >= size:
            raise ValueError("reflect padding too large")
        if mode == "circular" and max(before, after) > size:
            raise ValueError("circular padding too large")
        i = torch.arange(-before, size + after)
        if mode == "reflect":
            i = i.abs()
            return torch.where(i > size - 1, 2 * (size - 1) - i, i)
        if mode == "replicate":
            return i.clamp(0, size - 1)
        return i % size

    return x[:, :, source(h, top, bottom)[:, None], source(w, left, right)]
""",
        why="reads the tuple as (top, bottom, left, right) instead of F.pad's (left, right, top, bottom)",
    ),
    Mutant(
        "pad2d",
        "pad2d_circular_minus_zero",
        "wrong",
        """
def pad2d(x, padding, mode="zeros"):
    if mode not in ("zeros", "reflect", "replicate", "circular"):
        raise ValueError(f"unknown mode {mode!r}")
    if x.dim() != 4:
        raise ValueError("x must be 4-D")
    left, right, top, bottom = (padding,) * 4 if isinstance(padding, int) else padding
    if mode == "zeros":
        n, c, h, w = x.shape
        out = x.new_zeros(n, c, top + h + bottom, left + w + right)
        out[:, :, top : top + h, left : left + w] = x
        return out
    if mode in ("reflect", "circular") and (max(left, right) > x.shape[3] or max(top, bottom) > x.shape[2]):
        raise ValueError("padding too large")
    if mode == "reflect" and (max(left, right) == x.shape[3] or max(top, bottom) == x.shape[2]):
        raise ValueError("padding too large")

    def pad_last(t, before, after):
        if mode == "reflect":
            return torch.cat([t[..., 1 : before + 1].flip(-1), t, t[..., -after - 1 : -1].flip(-1)], dim=-1)
        if mode == "replicate":
            return torch.cat([t[..., :1].expand(*t.shape[:-1], before), t, t[..., -1:].expand(*t.shape[:-1], after)], dim=-1)
        return torch.cat([t[..., -before:], t, t[..., :after]], dim=-1)  # t[..., -0:] is all of t, not nothing

    out = pad_last(x, left, right)
    return pad_last(out.transpose(2, 3), top, bottom).transpose(2, 3)
""",
        why="slices with t[..., -before:], which is the whole tensor when before is 0 (circular mode)",
    ),
    Mutant(
        "pad2d",
        "pad2d_zeros_float32",
        "wrong",
        """
def pad2d(x, padding, mode="zeros"):
    if mode not in ("zeros", "reflect", "replicate", "circular"):
        raise ValueError(f"unknown mode {mode!r}")
    if x.dim() != 4:
        raise ValueError("x must be 4-D")
    left, right, top, bottom = (padding,) * 4 if isinstance(padding, int) else padding
    n, c, h, w = x.shape
    if mode == "zeros":
        out = torch.zeros(n, c, top + h + bottom, left + w + right)  # default dtype: float32
        out[:, :, top : top + h, left : left + w] = x
        return out

    def source(size, before, after):
        if mode == "reflect" and max(before, after) >= size:
            raise ValueError("reflect padding too large")
        if mode == "circular" and max(before, after) > size:
            raise ValueError("circular padding too large")
        i = torch.arange(-before, size + after)
        if mode == "reflect":
            i = i.abs()
            return torch.where(i > size - 1, 2 * (size - 1) - i, i)
        if mode == "replicate":
            return i.clamp(0, size - 1)
        return i % size

    return x[:, :, source(h, top, bottom)[:, None], source(w, left, right)]
""",
        why="allocates the zero-padded output with torch.zeros: float64 inputs come back as float32",
    ),
    Mutant(
        "pad2d",
        "pad2d_cat_slices",
        "correct",
        """
def pad2d(x, padding, mode="zeros"):
    if mode not in ("zeros", "reflect", "replicate", "circular"):
        raise ValueError(f"unknown mode {mode!r}")
    if x.dim() != 4:
        raise ValueError("x must be 4-D")
    left, right, top, bottom = (padding,) * 4 if isinstance(padding, int) else padding

    def pad_last(t, before, after):
        size = t.shape[-1]
        if mode == "reflect" and max(before, after) >= size:
            raise ValueError("reflect padding must be smaller than the size")
        if mode == "circular" and max(before, after) > size:
            raise ValueError("circular padding may not exceed the size")
        if mode == "zeros":
            head = t.new_zeros(*t.shape[:-1], before)
            tail = t.new_zeros(*t.shape[:-1], after)
        elif mode == "reflect":
            head = t[..., 1 : before + 1].flip(-1)
            tail = t[..., size - 1 - after : size - 1].flip(-1)
        elif mode == "replicate":
            head = t[..., :1].expand(*t.shape[:-1], before)
            tail = t[..., -1:].expand(*t.shape[:-1], after)
        else:
            head = t[..., size - before :]
            tail = t[..., :after]
        return torch.cat([head, t, tail], dim=-1)

    out = pad_last(x, left, right)  # the width first
    return pad_last(out.transpose(2, 3), top, bottom).transpose(2, 3)  # then the height, as a last dimension
""",
        why="pads one dimension at a time with torch.cat of flipped, expanded or wrapped slices",
    ),
    # ----------------------------------------------------------------------------------------------- unfold
    Mutant(
        "unfold",
        "unfold_taps_outer",
        "wrong",
        """
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    if x.dim() != 4:
        raise ValueError("x must be 4-D")
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = (pair(v) for v in (kernel_size, dilation, padding, stride))
    padded = pad2d(x, (pw, pw, ph, ph))
    n, c, hp, wp = padded.shape
    h_out = (hp - dh * (kh - 1) - 1) // sh + 1
    w_out = (wp - dw * (kw - 1) - 1) // sw + 1
    taps = []
    for a in range(kh):
        for b in range(kw):
            taps.append(padded[:, :, a * dh : a * dh + sh * (h_out - 1) + 1 : sh, b * dw : b * dw + sw * (w_out - 1) + 1 : sw])
    return torch.stack(taps, dim=1).reshape(n, kh * kw * c, h_out * w_out)  # rows (a, b, c): the tap slowest
""",
        why="orders the rows (tap, channel) instead of (channel, tap): right only for one channel",
    ),
    Mutant(
        "unfold",
        "unfold_no_dilation",
        "wrong",
        """
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    if x.dim() != 4:
        raise ValueError("x must be 4-D")
    (kh, kw), (ph, pw), (sh, sw) = (pair(v) for v in (kernel_size, padding, stride))  # dilation forgotten
    padded = pad2d(x, (pw, pw, ph, ph))
    n, c, hp, wp = padded.shape
    h_out, w_out = (hp - kh) // sh + 1, (wp - kw) // sw + 1
    s_n, s_c, s_y, s_x = padded.stride()
    windows = padded.as_strided((n, c, kh, kw, h_out, w_out), (s_n, s_c, s_y, s_x, sh * s_y, sw * s_x))
    return windows.reshape(n, c * kh * kw, h_out * w_out)
""",
        why="ignores dilation",
    ),
    Mutant(
        "unfold",
        "unfold_windows_as_rows",
        "wrong",
        """
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    if x.dim() != 4:
        raise ValueError("x must be 4-D")
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = (pair(v) for v in (kernel_size, dilation, padding, stride))
    padded = pad2d(x, (pw, pw, ph, ph))
    n, c, hp, wp = padded.shape
    h_out = (hp - dh * (kh - 1) - 1) // sh + 1
    w_out = (wp - dw * (kw - 1) - 1) // sw + 1
    s_n, s_c, s_y, s_x = padded.stride()
    windows = padded.as_strided((n, h_out, w_out, c, kh, kw), (s_n, sh * s_y, sw * s_x, s_c, dh * s_y, dw * s_x))
    return windows.reshape(n, h_out * w_out, c * kh * kw)  # one ROW per window: (N, L, C * kh * kw)
""",
        why="returns (N, L, C * kh * kw): one row per window instead of one column",
    ),
    Mutant(
        "unfold",
        "unfold_calls_builtin",
        "wrong",
        """
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    if x.dim() != 4:
        raise ValueError("x must be 4-D")
    return F.unfold(x, kernel_size, dilation=dilation, padding=padding, stride=stride)
""",
        why="calls F.unfold, the reference, instead of building the matrix",
    ),
    Mutant(
        "unfold",
        "unfold_tap_loop",
        "correct",
        """
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    if x.dim() != 4:
        raise ValueError("x must be 4-D")
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = (pair(v) for v in (kernel_size, dilation, padding, stride))
    padded = pad2d(x, (pw, pw, ph, ph))
    n, c, hp, wp = padded.shape
    h_out = (hp - dh * (kh - 1) - 1) // sh + 1
    w_out = (wp - dw * (kw - 1) - 1) // sw + 1
    taps = []
    for a in range(kh):  # one strided slice per kernel tap holds that tap of every window
        for b in range(kw):
            taps.append(padded[:, :, a * dh : a * dh + sh * (h_out - 1) + 1 : sh, b * dw : b * dw + sw * (w_out - 1) + 1 : sw])
    return torch.stack(taps, dim=2).reshape(n, c * kh * kw, h_out * w_out)  # (N, C, kh*kw, H_out, W_out)
""",
        why="a loop over the kernel taps, stacking one strided slice per tap",
    ),
    Mutant(
        "unfold",
        "unfold_tensor_unfold",
        "correct",
        """
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    if x.dim() != 4:
        raise ValueError("x must be 4-D")
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = (pair(v) for v in (kernel_size, dilation, padding, stride))
    padded = pad2d(x, (pw, pw, ph, ph))
    n, c = padded.shape[:2]
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    windows = padded.unfold(2, span_h, sh).unfold(3, span_w, sw)  # (N, C, H_out, W_out, span_h, span_w)
    windows = windows[..., ::dh, ::dw]  # keep the dilated taps: (N, C, H_out, W_out, kh, kw)
    h_out, w_out = windows.shape[2:4]
    return windows.permute(0, 1, 4, 5, 2, 3).reshape(n, c * kh * kw, h_out * w_out)
""",
        why="Tensor.unfold along height and width, then a permute",
    ),
    # ------------------------------------------------------------------------------------------ conv2d_fast
    Mutant(
        "conv2d_fast",
        "conv2d_fast_position_loop",
        "wrong",
        """
def conv2d_fast(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    if x.dim() != 4 or weight.dim() != 4:
        raise ValueError("x and weight must be 4-D")
    n, c_in, h, w = x.shape
    c_out, c_group, kh, kw = weight.shape
    if c_in != groups * c_group or c_out % groups != 0:
        raise ValueError("channels and groups do not match")
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    padded = pad2d(x, (pw, pw, ph, ph))
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    h_out, w_out = (h + 2 * ph - span_h) // sh + 1, (w + 2 * pw - span_w) // sw + 1
    filters = weight.reshape(groups, c_out // groups, -1)
    out = x.new_zeros(n, c_out, h_out, w_out)
    for i in range(h_out):  # correct, but one small matrix product per output position
        for j in range(w_out):
            patch = padded[:, :, i * sh : i * sh + span_h : dh, j * sw : j * sw + span_w : dw]
            patch = patch.reshape(n, groups, -1, 1)  # (N, G, C_in/G * kh * kw, 1)
            out[:, :, i, j] = (filters @ patch).reshape(n, c_out)
    if bias is not None:
        out += bias.view(1, c_out, 1, 1)
    return out
""",
        why="right values, but a Python loop over the output positions: too slow for the speed tests",
    ),
    Mutant(
        "conv2d_fast",
        "conv2d_fast_groups_interleaved",
        "wrong",
        """
def conv2d_fast(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    if x.dim() != 4 or weight.dim() != 4:
        raise ValueError("x and weight must be 4-D")
    n, c_in, h, w = x.shape
    c_out, c_group, kh, kw = weight.shape
    if c_in != groups * c_group or c_out % groups != 0:
        raise ValueError("channels and groups do not match")
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    h_out = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    w_out = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    cols = unfold(x, (kh, kw), dilation, padding, stride).view(n, c_group, groups, kh * kw, -1)
    cols = cols.transpose(1, 2).reshape(n, groups, c_group * kh * kw, -1)  # group g gets channels g, g + G, ...
    out = weight.reshape(groups, c_out // groups, -1) @ cols
    out = out.view(n, c_out, h_out, w_out)
    if bias is not None:
        out += bias.view(1, c_out, 1, 1)
    return out
""",
        why="splits the channels into groups by channel % groups instead of in consecutive blocks",
    ),
    Mutant(
        "conv2d_fast",
        "conv2d_fast_hw_swapped",
        "wrong",
        """
def conv2d_fast(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    if x.dim() != 4 or weight.dim() != 4:
        raise ValueError("x and weight must be 4-D")
    n, c_in, h, w = x.shape
    c_out, c_group, kh, kw = weight.shape
    if c_in != groups * c_group or c_out % groups != 0:
        raise ValueError("channels and groups do not match")
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    h_out = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    w_out = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    cols = unfold(x, (kh, kw), dilation, padding, stride).view(n, groups, c_group * kh * kw, -1)
    out = weight.reshape(groups, c_out // groups, -1) @ cols
    out = out.view(n, c_out, w_out, h_out).transpose(2, 3)  # reshaped as (W_out, H_out), then "fixed"
    if bias is not None:
        out = out + bias.view(1, c_out, 1, 1)
    return out
""",
        why="reshapes the L columns as (W_out, H_out) and transposes: right only for square outputs",
    ),
    Mutant(
        "conv2d_fast",
        "conv2d_fast_calls_builtin",
        "wrong",
        """
def conv2d_fast(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    if x.dim() != 4 or weight.dim() != 4:
        raise ValueError("x and weight must be 4-D")
    if x.shape[1] != groups * weight.shape[1] or weight.shape[0] % groups != 0:
        raise ValueError("channels and groups do not match")
    return F.conv2d(x, weight, bias, stride, padding, dilation, groups)
""",
        why="calls F.conv2d, the reference, instead of im2col and a matrix product",
    ),
    Mutant(
        "conv2d_fast",
        "conv2d_fast_tap_loop_einsum",
        "correct",
        """
def conv2d_fast(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    if x.dim() != 4 or weight.dim() != 4:
        raise ValueError("x and weight must be 4-D")
    n, c_in, h, w = x.shape
    c_out, c_group, kh, kw = weight.shape
    if c_in != groups * c_group or c_out % groups != 0:
        raise ValueError("channels and groups do not match")
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    padded = torch.zeros(n, c_in, h + 2 * ph, w + 2 * pw, dtype=x.dtype, device=x.device)
    padded[:, :, ph : ph + h, pw : pw + w] = x
    h_out = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    w_out = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    taps = [padded[:, :, a * dh : a * dh + sh * (h_out - 1) + 1 : sh, b * dw : b * dw + sw * (w_out - 1) + 1 : sw]
            for a in range(kh) for b in range(kw)]
    cols = torch.stack(taps, dim=2)  # (N, C_in, kh * kw, H_out, W_out)
    cols = cols.reshape(n, groups, c_group, kh * kw, h_out, w_out)
    filters = weight.reshape(groups, c_out // groups, c_group, kh * kw)
    out = torch.einsum("goct,ngcthw->ngohw", filters, cols).reshape(n, c_out, h_out, w_out)
    return out if bias is None else out + bias[None, :, None, None]
""",
        why="its own loop over the kernel taps (not unfold) and one einsum over groups",
    ),
    Mutant(
        "conv2d_fast",
        "conv2d_fast_channels_last",
        "correct",
        """
def conv2d_fast(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    if x.dim() != 4 or weight.dim() != 4:
        raise ValueError("x and weight must be 4-D")
    n, c_in, h, w = x.shape
    c_out, c_group, kh, kw = weight.shape
    if c_in != groups * c_group or c_out % groups != 0:
        raise ValueError("channels and groups do not match")
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    h_out = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    w_out = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    padded = x.new_zeros(n, h + 2 * ph, w + 2 * pw, c_in)  # channels last
    padded[:, ph : ph + h, pw : pw + w] = x.permute(0, 2, 3, 1)
    s_n, s_y, s_x, s_c = padded.stride()
    windows = padded.as_strided((groups, n, h_out, w_out, kh, kw, c_group),
                                (c_group * s_c, s_n, sh * s_y, sw * s_x, dh * s_y, dw * s_x, s_c))
    rows = windows.reshape(groups, n * h_out * w_out, kh * kw * c_group)  # one row per window and group
    filters = weight.reshape(groups, c_out // groups, c_group, kh, kw).permute(0, 3, 4, 2, 1)
    out = torch.bmm(rows, filters.reshape(groups, kh * kw * c_group, c_out // groups))  # (G, N*L, C_out/G)
    out = out.view(groups, n, h_out, w_out, c_out // groups).permute(1, 0, 4, 2, 3).reshape(n, c_out, h_out, w_out)
    return out if bias is None else out + bias.view(1, c_out, 1, 1)
""",
        why="channels-last windows as rows, one batched matrix product over the groups",
    ),
    # -------------------------------------------------------------------------------------- conv2d_backward
    Mutant(
        "conv2d_backward",
        "conv2d_backward_no_flip",
        "wrong",
        """
def conv2d_backward(grad_output, x, weight, stride=1, padding=0, dilation=1):
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    n, c_in, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    h_out, w_out = grad_output.shape[2:]
    grad_bias = grad_output.sum(dim=(0, 2, 3))
    cols = unfold(x, (kh, kw), dilation, padding, stride)
    grad_weight = torch.einsum("nol,nkl->ok", grad_output.reshape(n, c_out, -1), cols).reshape(weight.shape)
    spread = grad_output.new_zeros(n, c_out, sh * (h_out - 1) + 1, sw * (w_out - 1) + 1)
    spread[:, :, ::sh, ::sw] = grad_output
    kernel = weight.transpose(0, 1)  # channels swapped, but the kernel not flipped
    grad_used = conv2d_fast(spread, kernel, padding=(dh * (kh - 1), dw * (kw - 1)), dilation=(dh, dw))
    grad_padded = x.new_zeros(n, c_in, h + 2 * ph, w + 2 * pw)
    grad_padded[:, :, : grad_used.shape[2], : grad_used.shape[3]] = grad_used
    return grad_padded[:, :, ph : ph + h, pw : pw + w], grad_weight, grad_bias
""",
        why="correlates grad_output with the kernel as is: grad_x needs the flipped kernel",
    ),
    Mutant(
        "conv2d_backward",
        "conv2d_backward_weight_mean",
        "wrong",
        """
def conv2d_backward(grad_output, x, weight, stride=1, padding=0, dilation=1):
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    n, c_in, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    h_out, w_out = grad_output.shape[2:]
    grad_bias = grad_output.sum(dim=(0, 2, 3))
    cols = unfold(x, (kh, kw), dilation, padding, stride)
    per_image = torch.einsum("nol,nkl->nok", grad_output.reshape(n, c_out, -1), cols)
    grad_weight = per_image.mean(dim=0).reshape(weight.shape)  # averaged over the batch instead of summed
    spread = grad_output.new_zeros(n, c_out, sh * (h_out - 1) + 1, sw * (w_out - 1) + 1)
    spread[:, :, ::sh, ::sw] = grad_output
    flipped = weight.flip(2, 3).transpose(0, 1)
    grad_used = conv2d_fast(spread, flipped, padding=(dh * (kh - 1), dw * (kw - 1)), dilation=(dh, dw))
    grad_padded = x.new_zeros(n, c_in, h + 2 * ph, w + 2 * pw)
    grad_padded[:, :, : grad_used.shape[2], : grad_used.shape[3]] = grad_used
    return grad_padded[:, :, ph : ph + h, pw : pw + w], grad_weight, grad_bias
""",
        why="averages the weight gradient over the batch: the loss sums over images, so must the gradient",
    ),
    Mutant(
        "conv2d_backward",
        "conv2d_backward_stride_ignored",
        "wrong",
        """
def conv2d_backward(grad_output, x, weight, stride=1, padding=0, dilation=1):
    (ph, pw), (dh, dw) = pair(padding), pair(dilation)
    n, c_in, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    grad_bias = grad_output.sum(dim=(0, 2, 3))
    cols = unfold(x, (kh, kw), dilation, padding, stride)
    grad_weight = torch.einsum("nol,nkl->ok", grad_output.reshape(n, c_out, -1), cols).reshape(weight.shape)
    flipped = weight.flip(2, 3).transpose(0, 1)  # grad_output used as is: no zeros between its pixels
    grad_used = conv2d_fast(grad_output, flipped, padding=(dh * (kh - 1), dw * (kw - 1)), dilation=(dh, dw))
    grad_padded = x.new_zeros(n, c_in, h + 2 * ph, w + 2 * pw)
    grad_padded[:, :, : grad_used.shape[2], : grad_used.shape[3]] = grad_used
    return grad_padded[:, :, ph : ph + h, pw : pw + w], grad_weight, grad_bias
""",
        why="forgets the stride in grad_x: grad_output needs stride - 1 zeros between its pixels",
    ),
    Mutant(
        "conv2d_backward",
        "conv2d_backward_drops_remainder",
        "wrong",
        """
def conv2d_backward(grad_output, x, weight, stride=1, padding=0, dilation=1):
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    n, c_in, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    h_out, w_out = grad_output.shape[2:]
    grad_bias = grad_output.sum(dim=(0, 2, 3))
    cols = unfold(x, (kh, kw), dilation, padding, stride)
    grad_weight = torch.einsum("nol,nkl->ok", grad_output.reshape(n, c_out, -1), cols).reshape(weight.shape)
    spread = grad_output.new_zeros(n, c_out, sh * (h_out - 1) + 1, sw * (w_out - 1) + 1)
    spread[:, :, ::sh, ::sw] = grad_output
    flipped = weight.flip(2, 3).transpose(0, 1)
    grad_padded = conv2d_fast(spread, flipped, padding=(dh * (kh - 1), dw * (kw - 1)), dilation=(dh, dw))
    # assumes the windows reach the end of the padded input, which is false when the stride does not divide
    return grad_padded[:, :, ph : grad_padded.shape[2] - ph, pw : grad_padded.shape[3] - pw], grad_weight, grad_bias
""",
        why="crops the padding from a gradient that is too short when the stride does not divide evenly",
    ),
    Mutant(
        "conv2d_backward",
        "conv2d_backward_col2im",
        "correct",
        """
def conv2d_backward(grad_output, x, weight, stride=1, padding=0, dilation=1):
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    n, c_in, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    h_out, w_out = grad_output.shape[2:]
    g = grad_output.reshape(n, c_out, h_out * w_out)
    grad_bias = g.sum(dim=(0, 2))
    grad_weight = (g @ unfold(x, (kh, kw), dilation, padding, stride).transpose(1, 2)).sum(0).reshape(weight.shape)
    grad_cols = (weight.reshape(c_out, -1).T @ g).reshape(n, c_in, kh, kw, h_out, w_out)  # W^T g
    grad_padded = x.new_zeros(n, c_in, h + 2 * ph, w + 2 * pw)
    for a in range(kh):  # col2im: add each tap's gradient back where the tap read the input
        for b in range(kw):
            rows = slice(a * dh, a * dh + sh * (h_out - 1) + 1, sh)
            cols = slice(b * dw, b * dw + sw * (w_out - 1) + 1, sw)
            grad_padded[:, :, rows, cols] += grad_cols[:, :, a, b]
    return grad_padded[:, :, ph : ph + h, pw : pw + w], grad_weight, grad_bias
""",
        why="col2im: W^T times grad_output, each column added back onto its window (a loop over the taps)",
    ),
    Mutant(
        "conv2d_backward",
        "conv2d_backward_fold",
        "correct",
        """
def conv2d_backward(grad_output, x, weight, stride=1, padding=0, dilation=1):
    n, c_in, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    g = grad_output.flatten(2)  # (N, C_out, L)
    grad_bias = g.sum(dim=(0, 2))
    cols = unfold(x, (kh, kw), dilation, padding, stride)
    grad_weight = torch.einsum("nol,nkl->ok", g, cols).reshape(weight.shape)
    grad_cols = torch.einsum("ok,nol->nkl", weight.reshape(c_out, -1), g)  # (N, C_in * kh * kw, L)
    grad_x = F.fold(grad_cols, (h, w), (kh, kw), dilation=dilation, padding=padding, stride=stride)  # col2im
    return grad_x, grad_weight, grad_bias
""",
        why="col2im with F.fold, the adjoint of unfold",
    ),
    # ------------------------------------------------------------------------------------------- Conv2dFunction
    Mutant(
        "Conv2dFunction",
        "Conv2dFunction_backward_default_args",
        "wrong",
        """
class Conv2dFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, stride, padding, dilation):
        ctx.save_for_backward(x, weight)
        ctx.has_bias = bias is not None
        return conv2d_fast(x, weight, bias, stride, padding, dilation)

    @staticmethod
    def backward(ctx, grad_output):
        x, weight = ctx.saved_tensors
        grad_x, grad_weight, grad_bias = conv2d_backward(grad_output, x, weight)  # stride etc. not kept
        return grad_x, grad_weight, grad_bias if ctx.has_bias else None, None, None, None
""",
        why="does not keep stride, padding and dilation for the backward pass",
    ),
    Mutant(
        "Conv2dFunction",
        "Conv2dFunction_grad_for_missing_bias",
        "wrong",
        """
class Conv2dFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, stride, padding, dilation):
        ctx.save_for_backward(x, weight)
        ctx.args = (stride, padding, dilation)
        return conv2d_fast(x, weight, bias, stride, padding, dilation)

    @staticmethod
    def backward(ctx, grad_output):
        x, weight = ctx.saved_tensors
        grad_x, grad_weight, grad_bias = conv2d_backward(grad_output, x, weight, *ctx.args)
        return grad_x, grad_weight, grad_bias, None, None, None  # a bias gradient even when bias is None
""",
        why="returns a bias gradient when bias is None, which autograd rejects",
    ),
    Mutant(
        "Conv2dFunction",
        "Conv2dFunction_three_gradients",
        "wrong",
        """
class Conv2dFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, stride, padding, dilation):
        ctx.save_for_backward(x, weight)
        ctx.args = (stride, padding, dilation)
        ctx.has_bias = bias is not None
        return conv2d_fast(x, weight, bias, stride, padding, dilation)

    @staticmethod
    def backward(ctx, grad_output):
        x, weight = ctx.saved_tensors
        grad_x, grad_weight, grad_bias = conv2d_backward(grad_output, x, weight, *ctx.args)
        return grad_x, grad_weight, grad_bias if ctx.has_bias else None  # no None for stride, padding, dilation
""",
        why="returns three gradients, not one per forward argument (six)",
    ),
    Mutant(
        "Conv2dFunction",
        "Conv2dFunction_swapped_gradients",
        "wrong",
        """
class Conv2dFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, stride, padding, dilation):
        ctx.save_for_backward(x, weight)
        ctx.args = (stride, padding, dilation)
        ctx.has_bias = bias is not None
        return conv2d_fast(x, weight, bias, stride, padding, dilation)

    @staticmethod
    def backward(ctx, grad_output):
        weight, x = ctx.saved_tensors  # unpacked in the wrong order: saved as (x, weight)
        grad_x, grad_weight, grad_bias = conv2d_backward(grad_output, x, weight, *ctx.args)
        return grad_x, grad_weight, grad_bias if ctx.has_bias else None, None, None, None
""",
        why="unpacks ctx.saved_tensors in another order than it saved them",
    ),
    Mutant(
        "Conv2dFunction",
        "Conv2dFunction_needs_input_grad",
        "correct",
        """
class Conv2dFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, stride, padding, dilation):
        ctx.save_for_backward(x, weight, bias)  # None is allowed in save_for_backward
        ctx.conv_args = {"stride": stride, "padding": padding, "dilation": dilation}
        return conv2d_fast(x, weight, bias, **ctx.conv_args)

    @staticmethod
    def backward(ctx, grad_output):
        x, weight, bias = ctx.saved_tensors
        grads = conv2d_backward(grad_output, x, weight, **ctx.conv_args)
        needed = ctx.needs_input_grad[:3]  # only what autograd asks for
        grad_x, grad_weight, grad_bias = (g if need else None for g, need in zip(grads, needed))
        return grad_x, grad_weight, grad_bias, None, None, None
""",
        why="saves bias too and returns only the gradients autograd asks for (ctx.needs_input_grad)",
    ),
    # --------------------------------------------------------------------------------------------------- Conv2d
    Mutant(
        "Conv2d",
        "Conv2d_weight_in_out",
        "wrong",
        """
class Conv2d(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, bias=True):
        super().__init__()
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride = pair(kernel_size), pair(stride)
        self.padding, self.dilation = pair(padding), pair(dilation)
        self.weight = nn.Parameter(torch.empty(in_channels, out_channels, *self.kernel_size))  # (C_in, C_out, ...)
        self.bias = nn.Parameter(torch.empty(out_channels)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        bound = 1 / math.sqrt(self.in_channels * self.kernel_size[0] * self.kernel_size[1])
        nn.init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        return Conv2dFunction.apply(x, self.weight.transpose(0, 1), self.bias, self.stride, self.padding, self.dilation)
""",
        why="stores the weight as (C_in, C_out, kh, kw), so nn.Conv2d's state_dict does not load",
    ),
    Mutant(
        "Conv2d",
        "Conv2d_he_init",
        "wrong",
        """
class Conv2d(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, bias=True):
        super().__init__()
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride = pair(kernel_size), pair(stride)
        self.padding, self.dilation = pair(padding), pair(dilation)
        self.weight = nn.Parameter(torch.empty(out_channels, in_channels, *self.kernel_size))
        self.bias = nn.Parameter(torch.empty(out_channels)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        nn.init.kaiming_uniform_(self.weight)  # He init (a=0): bound sqrt(6 / fan_in), not nn.Conv2d's default
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_channels * self.kernel_size[0] * self.kernel_size[1])
            nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        return Conv2dFunction.apply(x, self.weight, self.bias, self.stride, self.padding, self.dilation)
""",
        why="kaiming_uniform_ without a=sqrt(5): the weights are sqrt(6) times too large for nn.Conv2d's default",
    ),
    Mutant(
        "Conv2d",
        "Conv2d_bias_false_still_has_bias",
        "wrong",
        """
class Conv2d(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, bias=True):
        super().__init__()
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride = pair(kernel_size), pair(stride)
        self.padding, self.dilation = pair(padding), pair(dilation)
        self.weight = nn.Parameter(torch.empty(out_channels, in_channels, *self.kernel_size))
        self.bias = nn.Parameter(torch.zeros(out_channels), requires_grad=bias)  # a zero bias instead of None
        self.use_bias = bias
        self.reset_parameters()

    def reset_parameters(self):
        bound = 1 / math.sqrt(self.in_channels * self.kernel_size[0] * self.kernel_size[1])
        nn.init.uniform_(self.weight, -bound, bound)
        if self.use_bias:
            nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        return Conv2dFunction.apply(x, self.weight, self.bias, self.stride, self.padding, self.dilation)
""",
        why="bias=False gives a frozen zero bias, which still appears in the state_dict",
    ),
    Mutant(
        "Conv2d",
        "Conv2d_bypasses_function",
        "wrong",
        """
class Conv2d(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, bias=True):
        super().__init__()
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride = pair(kernel_size), pair(stride)
        self.padding, self.dilation = pair(padding), pair(dilation)
        self.weight = nn.Parameter(torch.empty(out_channels, in_channels, *self.kernel_size))
        self.bias = nn.Parameter(torch.empty(out_channels)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        bound = 1 / math.sqrt(self.in_channels * self.kernel_size[0] * self.kernel_size[1])
        nn.init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, x):  # autograd differentiates conv2d_fast itself: the hand-written backward is never used
        return conv2d_fast(x, self.weight, self.bias, self.stride, self.padding, self.dilation)
""",
        why="calls conv2d_fast directly, so its own backward (Conv2dFunction) is never used",
    ),
    Mutant(
        "Conv2d",
        "Conv2d_bias_zero_init",
        "wrong",
        """
class Conv2d(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, bias=True):
        super().__init__()
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride = pair(kernel_size), pair(stride)
        self.padding, self.dilation = pair(padding), pair(dilation)
        self.weight = nn.Parameter(torch.empty(out_channels, in_channels, *self.kernel_size))
        self.bias = nn.Parameter(torch.zeros(out_channels)) if bias else None  # zero bias, unlike nn.Conv2d
        self.reset_parameters()

    def reset_parameters(self):
        bound = 1 / math.sqrt(self.in_channels * self.kernel_size[0] * self.kernel_size[1])
        nn.init.uniform_(self.weight, -bound, bound)

    def forward(self, x):
        return Conv2dFunction.apply(x, self.weight, self.bias, self.stride, self.padding, self.dilation)
""",
        why="initialises the bias to zero; nn.Conv2d draws it uniformly like the weights",
    ),
    Mutant(
        "Conv2d",
        "Conv2d_torch_init_code",
        "correct",
        """
class Conv2d(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, bias=True):
        super().__init__()
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = pair(kernel_size)
        self.stride = pair(stride)
        self.padding = pair(padding)
        self.dilation = pair(dilation)
        self.weight = nn.Parameter(torch.empty((out_channels, in_channels) + self.kernel_size))
        if bias:
            self.bias = nn.Parameter(torch.empty(out_channels))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))  # nn.Conv2d's own lines
        if self.bias is not None:
            fan_in, _ = nn.init._calculate_fan_in_and_fan_out(self.weight)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        return Conv2dFunction.apply(x, self.weight, self.bias, self.stride, self.padding, self.dilation)
""",
        why="nn.Conv2d's own initialisation code and register_parameter('bias', None)",
    ),
]

# The demo's buggy student: realistic slips in three functions, each costing some points but not all.
BUGGY = ["pad2d_reflect_repeats_edge", "conv2d_backward_weight_mean", "Conv2d_bias_zero_init"]
