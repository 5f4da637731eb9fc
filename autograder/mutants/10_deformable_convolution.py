"""Mutants of unit 10 (deformable convolution): realistic wrong versions and correct alternatives of each graded function.

Each `source` replaces the whole solution cell; it may use what the setup cell defines (contextlib, math, torch,
F, nn, pair) and the functions and classes of the cells before it (bilinear_sample before deform_conv2d, and so
on). Most wrong versions are one edit of the reference, written with `_edit` so that the edit is visible here and
fails loudly if the reference changes. The wrong versions of deform_conv2d include every mistake the unit's issue
names: offsets read as (dx, dy), clamping instead of zeros outside, tap-major offset channels, the mask ignored or
applied as 1 - mask, the dilation left out of the base grid, sampling rounded to the nearest pixel, and a loop over
the output positions (correct values, caught by the speed test).
"""

from autograder.mutants import Mutant


def _edit(source: str, old: str, new: str, count: int = 1) -> str:
    """`source` with `old` replaced by `new`; `old` must occur exactly `count` times."""
    found = source.count(old)
    if found != count:
        raise ValueError(f"mutant edit: {old!r} occurs {found} times, expected {count}")
    return source.replace(old, new)


BILINEAR = """
def bilinear_sample(image, y, x):
    if image.dim() != 4 or y.dim() != 2 or y.shape != x.shape or y.shape[0] != image.shape[0]:
        raise ValueError("bilinear_sample needs image (N, C, H, W) and y, x of shape (N, P)")
    n, c, h, w = image.shape
    y, x = y.to(image.dtype), x.to(image.dtype)
    framed = F.pad(image, (1, 1, 1, 1)).reshape(n, c, (h + 2) * (w + 2))
    y0, x0 = torch.floor(y), torch.floor(x)
    ly, lx = y - y0, x - x0
    rows = torch.stack([y0, y0, y0 + 1, y0 + 1], dim=1).clamp(-1, h) + 1
    cols = torch.stack([x0, x0 + 1, x0, x0 + 1], dim=1).clamp(-1, w) + 1
    weights = torch.stack([(1 - ly) * (1 - lx), (1 - ly) * lx, ly * (1 - lx), ly * lx], dim=1)
    index = (rows * (w + 2) + cols).long().reshape(n, 1, 4 * y.shape[1]).expand(n, c, -1)
    values = framed.gather(2, index).reshape(n, c, 4, -1)
    return (values * weights.unsqueeze(1)).sum(dim=2)
"""

DEFORM = """
def deform_conv2d(input, offset, weight, bias=None, stride=1, padding=0, dilation=1, mask=None):
    if input.dim() != 4 or offset.dim() != 4 or weight.dim() != 4:
        raise ValueError("deform_conv2d needs 4-D input, offset and weight")
    n, c_in, h, w = input.shape
    c_out, c_group, kh, kw = weight.shape
    if c_group == 0 or c_in % c_group or c_out % (c_in // c_group):
        raise ValueError("weight does not fit the input")
    groups, taps = c_in // c_group, kh * kw
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    h_out = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    w_out = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    offset_groups = offset.shape[1] // (2 * taps)
    if offset_groups == 0 or offset.shape[1] % (2 * taps) or c_in % offset_groups:
        raise ValueError("offset has a wrong number of channels")
    if tuple(offset.shape) != (n, 2 * offset_groups * taps, h_out, w_out):
        raise ValueError("offset has a wrong shape")
    if mask is not None and tuple(mask.shape) != (n, offset_groups * taps, h_out, w_out):
        raise ValueError("mask has a wrong shape")
    positions = h_out * w_out
    steps = lambda size, step: torch.arange(size, device=input.device, dtype=input.dtype) * step
    grid_y = steps(kh, dh).view(kh, 1, 1, 1) + steps(h_out, sh).view(1, 1, h_out, 1) - ph
    grid_x = steps(kw, dw).view(1, kw, 1, 1) + steps(w_out, sw).view(1, 1, 1, w_out) - pw
    grid_y = grid_y.expand(kh, kw, h_out, w_out).reshape(taps, positions)
    grid_x = grid_x.expand(kh, kw, h_out, w_out).reshape(taps, positions)
    offset = offset.view(n, offset_groups, taps, 2, positions)
    y = grid_y + offset[:, :, :, 0]
    x = grid_x + offset[:, :, :, 1]
    per_offset_group = c_in // offset_groups
    columns = bilinear_sample(input.reshape(n * offset_groups, per_offset_group, h, w),
                              y.reshape(n * offset_groups, taps * positions), x.reshape(n * offset_groups, taps * positions))
    columns = columns.reshape(n, offset_groups, per_offset_group, taps, positions)
    if mask is not None:
        columns = columns * mask.view(n, offset_groups, 1, taps, positions)
    columns = columns.reshape(n, groups, c_group * taps, positions)
    filters = weight.reshape(groups, c_out // groups, c_group * taps)
    out = (filters @ columns).view(n, c_out, h_out, w_out)
    if bias is not None:
        out = out + bias.view(1, c_out, 1, 1)
    return out
"""

LAYER = """
class DeformConv2d(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True):
        super().__init__()
        if in_channels % groups or out_channels % groups:
            raise ValueError("groups must divide the channels")
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size, self.stride = pair(kernel_size), pair(stride)
        self.padding, self.dilation = pair(padding), pair(dilation)
        self.weight = nn.Parameter(torch.empty(out_channels, in_channels // groups, *self.kernel_size))
        if bias:
            self.bias = nn.Parameter(torch.empty(out_channels))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.weight[0].numel())
            nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, input, offset, mask=None):
        return deform_conv2d(input, offset, self.weight, self.bias, self.stride, self.padding, self.dilation, mask)
"""

BLOCK = """
class DeformableConvBlock(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size=3, stride=1, padding=1, modulated=True):
        super().__init__()
        kh, kw = pair(kernel_size)
        self.conv = DeformConv2d(in_channels, out_channels, (kh, kw), stride, padding)
        self.offset_conv = nn.Conv2d(in_channels, 2 * kh * kw, (kh, kw), stride, padding)
        self.mask_conv = nn.Conv2d(in_channels, kh * kw, (kh, kw), stride, padding) if modulated else None
        for predictor in (self.offset_conv, self.mask_conv):
            if predictor is not None:
                nn.init.zeros_(predictor.weight)
                nn.init.zeros_(predictor.bias)

    def forward(self, x):
        offset = self.offset_conv(x)
        mask = torch.sigmoid(self.mask_conv(x)) if self.mask_conv is not None else None
        return self.conv(x, offset, mask)
"""

MUTANTS = [
    # -------------------------------------------------------------------------------------- bilinear_sample
    Mutant(
        "bilinear_sample",
        "bilinear_clamps_position",
        "wrong",
        _edit(BILINEAR, "    y, x = y.to(image.dtype), x.to(image.dtype)\n",
              "    y, x = y.to(image.dtype).clamp(0, h - 1), x.to(image.dtype).clamp(0, w - 1)  # keep the point inside\n"),
        why="clamps the position into the image, which repeats the border pixel instead of fading to zero",
    ),
    Mutant(
        "bilinear_sample",
        "bilinear_x_as_row",
        "wrong",
        _edit(BILINEAR, "    y0, x0 = torch.floor(y), torch.floor(x)\n", "    y, x = x, y  # (x, y) order, as in grid_sample\n"
              "    y0, x0 = torch.floor(y), torch.floor(x)\n"),
        why="reads the first coordinate as the column and the second as the row (grid_sample's (x, y) order)",
    ),
    Mutant(
        "bilinear_sample",
        "bilinear_nearest_pixel",
        "wrong",
        _edit(BILINEAR, "    ly, lx = y - y0, x - x0\n", "    y0, x0 = torch.round(y), torch.round(x)  # nearest pixel\n"
              "    ly, lx = torch.zeros_like(y), torch.zeros_like(x)\n"),
        why="rounds the point to the nearest pixel instead of interpolating",
    ),
    Mutant(
        "bilinear_sample",
        "bilinear_near_weights",
        "wrong",
        _edit(BILINEAR, "[(1 - ly) * (1 - lx), (1 - ly) * lx, ly * (1 - lx), ly * lx]",
              "[ly * lx, ly * (1 - lx), (1 - ly) * lx, (1 - ly) * (1 - lx)]"),
        why="gives each neighbour the area of its own rectangle instead of the opposite one",
    ),
    Mutant(
        "bilinear_sample",
        "bilinear_zero_unless_all_inside",
        "wrong",
        _edit(BILINEAR, "    return (values * weights.unsqueeze(1)).sum(dim=2)\n",
              "    inside = (y >= 0) & (y <= h - 1) & (x >= 0) & (x <= w - 1)  # only points inside the image\n"
              "    return (values * weights.unsqueeze(1)).sum(dim=2) * inside.unsqueeze(1)\n"),
        why="returns 0 for every point outside [0, H - 1] x [0, W - 1], dropping the share of the border pixels",
    ),
    Mutant(
        "bilinear_sample",
        "bilinear_valid_masks",
        "correct",
        """
def bilinear_sample(image, y, x):
    if image.dim() != 4 or y.dim() != 2 or y.shape != x.shape or y.shape[0] != image.shape[0]:
        raise ValueError("bilinear_sample needs image (N, C, H, W) and y, x of shape (N, P)")
    n, c, h, w = image.shape
    y, x = y.to(image.dtype), x.to(image.dtype)
    flat = image.reshape(n, c, h * w)
    y0, x0 = y.floor(), x.floor()
    out = image.new_zeros(n, c, y.shape[1])
    for row, wy in ((y0, 1 - (y - y0)), (y0 + 1, y - y0)):
        for col, wx in ((x0, 1 - (x - x0)), (x0 + 1, x - x0)):
            valid = (row >= 0) & (row <= h - 1) & (col >= 0) & (col <= w - 1)
            index = (row.clamp(0, h - 1) * w + col.clamp(0, w - 1)).long()
            values = torch.gather(flat, 2, index.unsqueeze(1).expand(n, c, -1))
            out = out + values * torch.where(valid, wy * wx, torch.zeros_like(wy)).unsqueeze(1)
    return out
""",
        why="a validity mask per neighbour and four gathers into the unpadded image",
    ),
    Mutant(
        "bilinear_sample",
        "bilinear_advanced_indexing",
        "correct",
        """
def bilinear_sample(image, y, x):
    if image.dim() != 4 or y.dim() != 2 or y.shape != x.shape or y.shape[0] != image.shape[0]:
        raise ValueError("bilinear_sample needs image (N, C, H, W) and y, x of shape (N, P)")
    n, c, h, w = image.shape
    y, x = y.to(image.dtype), x.to(image.dtype)
    inside = (y > -1) & (y < h) & (x > -1) & (x < w)
    y_low, x_low = torch.floor(y).long(), torch.floor(x).long()
    batch = torch.arange(n, device=image.device).view(n, 1)
    out = 0
    for dy in (0, 1):
        for dx in (0, 1):
            r, q = y_low + dy, x_low + dx
            weight = (1 - (y - r).abs()) * (1 - (x - q).abs())
            ok = inside & (r >= 0) & (r < h) & (q >= 0) & (q < w)
            v = image[batch, :, r.clamp(0, h - 1), q.clamp(0, w - 1)]  # (N, P, C)
            out = out + (v * (weight * ok).unsqueeze(-1)).permute(0, 2, 1)
    return out
""",
        why="advanced indexing that returns (N, P, C), weights written as 1 - |y - row|, torchvision's point test",
    ),
    # ---------------------------------------------------------------------------------------- deform_conv2d
    Mutant(
        "deform_conv2d",
        "deform_offsets_dx_dy",
        "wrong",
        _edit(DEFORM, """    y = grid_y + offset[:, :, :, 0]
    x = grid_x + offset[:, :, :, 1]""", """    y = grid_y + offset[:, :, :, 1]  # (dx, dy) pairs
    x = grid_x + offset[:, :, :, 0]"""),
        why="reads every offset pair as (dx, dy) instead of torchvision's (dy, dx)",
    ),
    Mutant(
        "deform_conv2d",
        "deform_clamps_outside",
        "wrong",
        _edit(DEFORM, "    per_offset_group = c_in // offset_groups\n",
              "    y, x = y.clamp(0, h - 1), x.clamp(0, w - 1)  # keep the sampling points inside the image\n"
              "    per_offset_group = c_in // offset_groups\n"),
        why="clamps the sampling points into the image instead of reading zeros outside it",
    ),
    Mutant(
        "deform_conv2d",
        "deform_tap_major_offsets",
        "wrong",
        _edit(DEFORM, "    offset = offset.view(n, offset_groups, taps, 2, positions)\n",
              "    offset = offset.view(n, taps, offset_groups, 2, positions).transpose(1, 2)  # tap-major channels\n"),
        why="reads the offset channels tap-major (2 (k G + g)) instead of group-major (2 (g K + k))",
    ),
    Mutant(
        "deform_conv2d",
        "deform_mask_ignored",
        "wrong",
        _edit(DEFORM, "    if mask is not None:\n        columns = columns", "    if False:  # the mask is never used\n        columns = columns"),
        why="accepts a mask and never applies it (DCNv1 whatever the arguments)",
    ),
    Mutant(
        "deform_conv2d",
        "deform_one_minus_mask",
        "wrong",
        _edit(DEFORM, "columns * mask.view(n, offset_groups, 1, taps, positions)",
              "columns * (1 - mask.view(n, offset_groups, 1, taps, positions))"),
        why="applies the mask as 1 - mask, a 'keep probability' read the wrong way round",
    ),
    Mutant(
        "deform_conv2d",
        "deform_grid_without_dilation",
        "wrong",
        _edit(_edit(DEFORM, "steps(kh, dh).view(kh, 1, 1, 1)", "steps(kh, 1).view(kh, 1, 1, 1)"),
              "steps(kw, dw).view(1, kw, 1, 1)", "steps(kw, 1).view(1, kw, 1, 1)"),
        why="places the taps of the base grid one pixel apart whatever the dilation",
    ),
    Mutant(
        "deform_conv2d",
        "deform_rounds_to_nearest_pixel",
        "wrong",
        _edit(DEFORM, "    per_offset_group = c_in // offset_groups\n",
              "    y, x = torch.round(y), torch.round(x)  # sample the nearest pixel\n"
              "    per_offset_group = c_in // offset_groups\n"),
        why="rounds every sampling point to the nearest pixel instead of interpolating",
    ),
    Mutant(
        "deform_conv2d",
        "deform_channel_groups_interleaved",
        "wrong",
        _edit(DEFORM, """    columns = bilinear_sample(input.reshape(n * offset_groups, per_offset_group, h, w),""",
              """    images = input.view(n, per_offset_group, offset_groups, h, w).transpose(1, 2)  # channel c in group c % G
    columns = bilinear_sample(images.reshape(n * offset_groups, per_offset_group, h, w),"""),
        why="puts channel c in offset group c % G instead of the consecutive blocks c // (C_in / G)",
    ),
    Mutant(
        "deform_conv2d",
        "deform_weight_groups_ignored",
        "wrong",
        _edit(_edit(DEFORM, "    columns = columns.reshape(n, groups, c_group * taps, positions)\n",
                    "    columns = columns.view(n, 1, c_in * taps, positions)\n"),
              "    filters = weight.reshape(groups, c_out // groups, c_group * taps)\n",
              "    filters = weight.reshape(1, c_out, c_group * taps).repeat(1, 1, groups)  # one group assumed\n"),
        why="assumes groups = 1: every filter sees every input channel",
    ),
    Mutant(
        "deform_conv2d",
        "deform_loop_over_positions",
        "wrong",
        """
def deform_conv2d(input, offset, weight, bias=None, stride=1, padding=0, dilation=1, mask=None):
    if input.dim() != 4 or offset.dim() != 4 or weight.dim() != 4:
        raise ValueError("deform_conv2d needs 4-D input, offset and weight")
    n, c_in, h, w = input.shape
    c_out, c_group, kh, kw = weight.shape
    if c_group == 0 or c_in % c_group or c_out % (c_in // c_group):
        raise ValueError("weight does not fit the input")
    groups, taps = c_in // c_group, kh * kw
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    h_out = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    w_out = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    g = offset.shape[1] // (2 * taps)
    if g == 0 or offset.shape[1] % (2 * taps) or c_in % g or tuple(offset.shape) != (n, 2 * g * taps, h_out, w_out):
        raise ValueError("offset has a wrong shape")
    if mask is not None and tuple(mask.shape) != (n, g * taps, h_out, w_out):
        raise ValueError("mask has a wrong shape")
    a = torch.arange(kh, device=input.device, dtype=input.dtype).repeat_interleave(kw) * dh  # (K,) tap rows
    b = torch.arange(kw, device=input.device, dtype=input.dtype).repeat(kh) * dw  # (K,) tap columns
    images = input.reshape(n * g, c_in // g, h, w)
    filters = weight.reshape(groups, c_out // groups, c_group * taps)
    out = []
    for i in range(h_out):  # one output position at a time, all taps at once
        row = []
        for j in range(w_out):
            off = offset[:, :, i, j].reshape(n * g, taps, 2)
            s = bilinear_sample(images, i * sh - ph + a + off[..., 0], j * sw - pw + b + off[..., 1])
            s = s.reshape(n, g, c_in // g, taps)
            if mask is not None:
                s = s * mask[:, :, i, j].reshape(n, g, 1, taps)
            row.append(torch.einsum("gok,ngk->ngo", filters, s.reshape(n, groups, c_group * taps)).reshape(n, c_out))
        out.append(torch.stack(row, dim=-1))
    out = torch.stack(out, dim=-2)  # (N, C_out, H_out, W_out)
    return out if bias is None else out + bias.view(1, c_out, 1, 1)
""",
        why="correct values, but a Python loop over the output positions (taps vectorised): the speed test must catch it",
    ),
    Mutant(
        "deform_conv2d",
        "deform_loop_over_taps",
        "correct",
        """
def deform_conv2d(input, offset, weight, bias=None, stride=1, padding=0, dilation=1, mask=None):
    if input.dim() != 4 or offset.dim() != 4 or weight.dim() != 4:
        raise ValueError("deform_conv2d needs 4-D input, offset and weight")
    n, c_in, h, w = input.shape
    c_out, c_group, kh, kw = weight.shape
    if c_group == 0 or c_in % c_group or c_out % (c_in // c_group):
        raise ValueError("weight does not fit the input")
    groups, taps = c_in // c_group, kh * kw
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    h_out = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    w_out = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    g = offset.shape[1] // (2 * taps)
    if g == 0 or offset.shape[1] % (2 * taps) or c_in % g or tuple(offset.shape) != (n, 2 * g * taps, h_out, w_out):
        raise ValueError("offset has a wrong shape")
    if mask is not None and tuple(mask.shape) != (n, g * taps, h_out, w_out):
        raise ValueError("mask has a wrong shape")
    rows = (torch.arange(h_out, device=input.device, dtype=input.dtype) * sh - ph).view(h_out, 1)
    cols = (torch.arange(w_out, device=input.device, dtype=input.dtype) * sw - pw).view(1, w_out)
    off = offset.view(n, g, taps, 2, h_out, w_out)
    images = input.reshape(n * g, c_in // g, h, w)
    w_taps = weight.reshape(groups, c_out // groups, c_group, taps)
    out = 0
    for k in range(taps):
        a, b = divmod(k, kw)
        y = (rows + a * dh) + off[:, :, k, 0]  # (N, G, H_out, W_out)
        x = (cols + b * dw) + off[:, :, k, 1]
        s = bilinear_sample(images, y.reshape(n * g, -1), x.reshape(n * g, -1)).view(n, g, c_in // g, -1)
        if mask is not None:
            s = s * mask[:, k::taps].reshape(n, g, 1, -1)
        s = s.reshape(n, groups, c_group, h_out * w_out)
        out = out + torch.einsum("goc,ngcl->ngol", w_taps[..., k], s)
    out = out.reshape(n, c_out, h_out, w_out)
    return out if bias is None else out + bias.view(1, c_out, 1, 1)
""",
        why="a loop over the K kernel taps, one bilinear_sample and one einsum per tap, accumulated",
    ),
    Mutant(
        "deform_conv2d",
        "deform_columns_einsum",
        "correct",
        _edit(_edit(DEFORM, "    filters = weight.reshape(groups, c_out // groups, c_group * taps)\n"
                    "    out = (filters @ columns).view(n, c_out, h_out, w_out)\n",
                    "    filters = weight.reshape(groups, c_out // groups, c_group * taps)\n"
                    "    out = torch.einsum('gok,ngkl->ngol', filters, columns).reshape(n, c_out, h_out, w_out)\n"),
              "    if bias is not None:\n        out = out + bias.view(1, c_out, 1, 1)\n",
              "    if bias is not None:\n        out += bias[None, :, None, None]\n"),
        why="the matrix product written as an einsum, the bias added in place",
    ),
    # ----------------------------------------------------------------------------------------- DeformConv2d
    Mutant(
        "DeformConv2d",
        "layer_kaiming_normal",
        "wrong",
        _edit(LAYER, "nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))", "nn.init.kaiming_normal_(self.weight)"),
        why="He normal initialisation instead of nn.Conv2d's (and torchvision's) kaiming_uniform_(a=sqrt(5))",
    ),
    Mutant(
        "DeformConv2d",
        "layer_bias_zero",
        "wrong",
        _edit(LAYER, "            nn.init.uniform_(self.bias, -bound, bound)", "            nn.init.zeros_(self.bias)"),
        why="initialises the bias to zero instead of uniform in +-1 / sqrt(fan_in)",
    ),
    Mutant(
        "DeformConv2d",
        "layer_bias_bound_ignores_groups",
        "wrong",
        _edit(LAYER, "bound = 1 / math.sqrt(self.weight[0].numel())",
              "bound = 1 / math.sqrt(self.in_channels * self.weight[0, 0].numel())"),
        why="computes the bias bound from all in_channels, forgetting that each filter sees C_in / groups",
    ),
    Mutant(
        "DeformConv2d",
        "layer_forward_forgets_stride",
        "wrong",
        _edit(LAYER, "self.weight, self.bias, self.stride, self.padding, self.dilation, mask)",
              "self.weight, self.bias, padding=self.padding, mask=mask)"),
        why="passes the padding and the mask on, but not the stride and the dilation",
    ),
    Mutant(
        "DeformConv2d",
        "layer_weight_ignores_groups",
        "wrong",
        _edit(LAYER, "torch.empty(out_channels, in_channels // groups, *self.kernel_size)",
              "torch.empty(out_channels, in_channels, *self.kernel_size)"),
        why="a weight of shape (C_out, C_in, kh, kw) whatever the groups",
    ),
    Mutant(
        "DeformConv2d",
        "layer_zero_bias_when_false",
        "wrong",
        _edit(LAYER, '            self.register_parameter("bias", None)', "            self.bias = nn.Parameter(torch.zeros(out_channels))"),
        why="keeps a zero bias parameter for bias=False, so the state_dict has an extra entry",
    ),
    Mutant(
        "DeformConv2d",
        "layer_drops_mask",
        "wrong",
        _edit(LAYER, "self.padding, self.dilation, mask)", "self.padding, self.dilation)"),
        why="forward accepts a mask and never passes it on",
    ),
    Mutant(
        "DeformConv2d",
        "layer_manual_uniform",
        "correct",
        """
class DeformConv2d(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True):
        super().__init__()
        if in_channels % groups != 0 or out_channels % groups != 0:
            raise ValueError("groups must divide in_channels and out_channels")
        kh, kw = pair(kernel_size)
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size, self.stride, self.padding, self.dilation = (kh, kw), pair(stride), pair(padding), pair(dilation)
        bound = 1 / math.sqrt(in_channels // groups * kh * kw)
        self.weight = nn.Parameter(torch.empty(out_channels, in_channels // groups, kh, kw).uniform_(-bound, bound))
        self.bias = nn.Parameter(torch.empty(out_channels).uniform_(-bound, bound)) if bias else None

    def forward(self, input, offset, mask=None):
        return deform_conv2d(input, offset, self.weight, self.bias, stride=self.stride, padding=self.padding,
                             dilation=self.dilation, mask=mask)
""",
        why="draws the uniform bounds by hand (what kaiming_uniform_ with a = sqrt(5) computes) and assigns bias = None",
    ),
    # ----------------------------------------------------------------------------------- DeformableConvBlock
    Mutant(
        "DeformableConvBlock",
        "block_mask_without_sigmoid",
        "wrong",
        _edit(BLOCK, "torch.sigmoid(self.mask_conv(x))", "self.mask_conv(x)"),
        why="uses the mask predictor's raw output, which is 0 at initialisation: the block starts by outputting its bias",
    ),
    Mutant(
        "DeformableConvBlock",
        "block_random_offsets",
        "wrong",
        _edit(BLOCK, "        for predictor in (self.offset_conv, self.mask_conv):", "        for predictor in (self.mask_conv,):"),
        why="keeps nn.Conv2d's random initialisation for the offset predictor",
    ),
    Mutant(
        "DeformableConvBlock",
        "block_offsets_without_stride",
        "wrong",
        _edit(BLOCK, "self.offset_conv = nn.Conv2d(in_channels, 2 * kh * kw, (kh, kw), stride, padding)",
              "self.offset_conv = nn.Conv2d(in_channels, 2 * kh * kw, (kh, kw), padding=padding)"),
        why="the offset predictor ignores the stride, so its map does not match the output",
    ),
    Mutant(
        "DeformableConvBlock",
        "block_detached_offsets",
        "wrong",
        _edit(BLOCK, "        offset = self.offset_conv(x)\n", "        offset = self.offset_conv(x).detach()\n"),
        why="detaches the predicted offsets, so the offset predictor never learns",
    ),
    Mutant(
        "DeformableConvBlock",
        "block_mask_always",
        "wrong",
        _edit(_edit(BLOCK, "(kh, kw), stride, padding) if modulated else None", "(kh, kw), stride, padding)"),
              "if self.mask_conv is not None else None", ""),
        why="ignores modulated=False: always builds and applies the DCNv2 mask",
    ),
    Mutant(
        "DeformableConvBlock",
        "block_zero_in_place",
        "correct",
        """
class DeformableConvBlock(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size=3, stride=1, padding=1, modulated=True):
        super().__init__()
        k = pair(kernel_size)
        self.conv = DeformConv2d(in_channels, out_channels, k, stride=stride, padding=padding)
        self.offset_conv = nn.Conv2d(in_channels, 2 * k[0] * k[1], k, stride=stride, padding=padding)
        self.mask_conv = nn.Conv2d(in_channels, k[0] * k[1], k, stride=stride, padding=padding) if modulated else None
        with torch.no_grad():
            for p in self.offset_conv.parameters():
                p.zero_()
            if self.mask_conv is not None:
                for p in self.mask_conv.parameters():
                    p.zero_()

    def forward(self, x):
        mask = None if self.mask_conv is None else 1 / (1 + torch.exp(-self.mask_conv(x)))
        c = self.conv
        return deform_conv2d(x, self.offset_conv(x), c.weight, c.bias, c.stride, c.padding, c.dilation, mask)
""",
        why="zeroes the predictors in place under no_grad, writes the sigmoid out, calls deform_conv2d directly",
    ),
]

BUGGY = ["deform_offsets_dx_dy", "layer_bias_zero", "block_mask_without_sigmoid"]
