"""Mutants of unit 06 (efficient convolutions): realistic wrong versions and correct alternatives of each graded function.

Each `source` replaces the whole solution cell; it may use what the setup cell defines (torch, F, nn, pair,
FlopCounterMode, ...) and the functions and classes of the cells before it (conv2d_cost before
separable_cost_ratio, conv_bn_relu6 and InvertedResidual before mobilenet_v2). A mutant of the InvertedResidual
cell redefines conv_bn_relu6 too, since that cell holds both; a mutant of the mobilenet_v2 cell redefines
INVERTED_RESIDUAL_SETTING.
"""

from autograder.mutants import Mutant

# The correct cells that several mutants reuse unchanged, around the one part they change.
_CONV_BN_RELU6 = """
def conv_bn_relu6(in_channels, out_channels, kernel_size=3, stride=1, groups=1):
    padding = (kernel_size - 1) // 2
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, groups=groups, bias=False),
        nn.BatchNorm2d(out_channels),
        nn.ReLU6(inplace=True),
    )
"""

_INVERTED_RESIDUAL = """
class InvertedResidual(nn.Module):
    def __init__(self, in_channels, out_channels, stride, expand_ratio):
        super().__init__()
        if stride not in (1, 2):
            raise ValueError("stride must be 1 or 2")
        hidden = int(round(in_channels * expand_ratio))
        self.use_res_connect = stride == 1 and in_channels == out_channels
        layers = [conv_bn_relu6(in_channels, hidden, kernel_size=1)] if expand_ratio != 1 else []
        layers += [
            conv_bn_relu6(hidden, hidden, stride=stride, groups=hidden),
            nn.Conv2d(hidden, out_channels, 1, bias=False),
            nn.BatchNorm2d(out_channels),
        ]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        if self.use_res_connect:
            return x + self.conv(x)
        return self.conv(x)
"""

_SETTING = """
INVERTED_RESIDUAL_SETTING = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]
"""


def _mobilenet(features="", classifier="", forward="", init=True, factory="MobileNetV2(num_classes=num_classes)"):
    """The reference mobilenet_v2 cell with one part replaced."""
    features = features or """
        layers = [conv_bn_relu6(3, 32, stride=2)]
        in_channels = 32
        for t, c, n, s in INVERTED_RESIDUAL_SETTING:
            for i in range(n):
                layers.append(InvertedResidual(in_channels, c, s if i == 0 else 1, expand_ratio=t))
                in_channels = c
        layers.append(conv_bn_relu6(in_channels, 1280, kernel_size=1))
        self.features = nn.Sequential(*layers)"""
    classifier = classifier or """
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(1280, num_classes))"""
    forward = forward or """
        x = self.features(x)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.classifier(x)"""
    reset = "        self.reset_parameters()" if init else ""
    return (
        _SETTING
        + """

class MobileNetV2(nn.Module):
    def __init__(self, num_classes=1000):
        super().__init__()"""
        + features
        + classifier
        + "\n"
        + reset
        + """

    def reset_parameters(self):
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)
                nn.init.zeros_(m.bias)

    def forward(self, x):"""
        + forward
        + f"""


def mobilenet_v2(num_classes=1000):
    return {factory}
"""
    )


MUTANTS = [
    # ---------------------------------------------------------------------------------------- pointwise_conv
    Mutant(
        "pointwise_conv",
        "pointwise_conv_reshape_not_permute",
        "wrong",
        """
def pointwise_conv(x, weight, bias=None):
    if x.dim() != 4 or weight.shape[2:] != (1, 1) or weight.shape[1] != x.shape[1]:
        raise ValueError("bad shapes")
    n, c_in, h, w = x.shape
    c_out = weight.shape[0]
    pixels = x.reshape(n, h * w, c_in)  # reinterprets the memory: channels and positions get mixed
    out = pixels @ weight.reshape(c_out, c_in).T  # (N, HW, C_out)
    if bias is not None:
        out = out + bias
    return out.reshape(n, c_out, h, w)
""",
        why="flattens (N, C, H, W) to (N, HW, C) with reshape instead of permuting the channels last",
    ),
    Mutant(
        "pointwise_conv",
        "pointwise_conv_transposed_weight",
        "wrong",
        """
def pointwise_conv(x, weight, bias=None):
    if x.dim() != 4 or weight.shape[2:] != (1, 1) or weight.shape[1] != x.shape[1]:
        raise ValueError("bad shapes")
    out = torch.einsum("nihw,io->nohw", x, weight[:, :, 0, 0])  # treats weight as (C_in, C_out)
    if bias is not None:
        out = out + bias.reshape(1, -1, 1, 1)
    return out
""",
        why="uses the weight matrix transposed (only runs when C_in == C_out, and then gives W^T x)",
    ),
    Mutant(
        "pointwise_conv",
        "pointwise_conv_no_bias",
        "wrong",
        """
def pointwise_conv(x, weight, bias=None):
    if x.dim() != 4 or weight.shape[2:] != (1, 1) or weight.shape[1] != x.shape[1]:
        raise ValueError("bad shapes")
    n, c_in, h, w = x.shape
    c_out = weight.shape[0]
    return (weight.reshape(c_out, c_in) @ x.reshape(n, c_in, h * w)).reshape(n, c_out, h, w)  # bias forgotten
""",
        why="forgets to add the bias",
    ),
    Mutant(
        "pointwise_conv",
        "pointwise_conv_view_needs_contiguous",
        "wrong",
        """
def pointwise_conv(x, weight, bias=None):
    if x.dim() != 4 or weight.shape[2:] != (1, 1) or weight.shape[1] != x.shape[1]:
        raise ValueError("bad shapes")
    n, c_in, h, w = x.shape
    c_out = weight.shape[0]
    out = weight.view(c_out, c_in) @ x.view(n, c_in, h * w)  # view fails on a non-contiguous x
    if bias is not None:
        out = out + bias.view(c_out, 1)
    return out.view(n, c_out, h, w)
""",
        why="uses view, which fails on a non-contiguous (transposed) input",
    ),
    Mutant(
        "pointwise_conv",
        "pointwise_conv_no_checks",
        "wrong",
        """
def pointwise_conv(x, weight, bias=None):
    n, c_in, h, w = x.shape
    c_out = weight.shape[0]
    out = weight.reshape(c_out, -1) @ x.reshape(n, c_in, h * w)
    if bias is not None:
        out = out + bias.reshape(c_out, 1)
    return out.reshape(n, c_out, h, w)
""",
        why="checks no argument: a 3x3 kernel or a channel mismatch gives a RuntimeError instead of ValueError",
    ),
    Mutant(
        "pointwise_conv",
        "pointwise_conv_einsum",
        "correct",
        """
def pointwise_conv(x, weight, bias=None):
    if x.ndim != 4:
        raise ValueError("x must be (N, C_in, H, W)")
    if weight.ndim != 4 or tuple(weight.shape[2:]) != (1, 1) or weight.shape[1] != x.shape[1]:
        raise ValueError("weight must be (C_out, C_in, 1, 1)")
    out = torch.einsum("oc,nchw->nohw", weight[:, :, 0, 0], x)
    return out if bias is None else out + bias[None, :, None, None]
""",
        why="one einsum over the channels, the bias broadcast with None indexing",
    ),
    # -------------------------------------------------------------------------------------- depthwise_conv2d
    Mutant(
        "depthwise_conv2d",
        "depthwise_conv2d_repeat_not_interleave",
        "wrong",
        """
def depthwise_conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 4 or weight.shape[1] != 1 or weight.shape[0] % x.shape[1]:
        raise ValueError("bad shapes")
    n, c, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    h_out = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    w_out = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    padded = F.pad(x, (pw, pw, ph, ph)).repeat(1, c_out // c, 1, 1)  # channel order 0 1 2 0 1 2: wrong
    out = x.new_zeros(n, c_out, h_out, w_out)
    for a in range(kh):
        for b in range(kw):
            window = padded[:, :, a * dh : a * dh + sh * (h_out - 1) + 1 : sh, b * dw : b * dw + sw * (w_out - 1) + 1 : sw]
            out = out + window * weight[:, 0, a, b].reshape(1, -1, 1, 1)
    if bias is not None:
        out = out + bias.reshape(1, -1, 1, 1)
    return out
""",
        why="ignores the multiplier order: output channel o reads input channel o % C instead of o // m",
    ),
    Mutant(
        "depthwise_conv2d",
        "depthwise_conv2d_flipped_kernel",
        "wrong",
        """
def depthwise_conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 4 or weight.shape[1] != 1 or weight.shape[0] % x.shape[1]:
        raise ValueError("bad shapes")
    n, c, h, w = x.shape
    weight = weight.flip(-2, -1)  # a true convolution, not PyTorch's cross-correlation
    c_out, _, kh, kw = weight.shape
    (sh, sw), (ph, pw), (dh, dw) = pair(stride), pair(padding), pair(dilation)
    h_out = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    w_out = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    padded = F.pad(x, (pw, pw, ph, ph)).repeat_interleave(c_out // c, dim=1)
    out = x.new_zeros(n, c_out, h_out, w_out)
    for a in range(kh):
        for b in range(kw):
            window = padded[:, :, a * dh : a * dh + sh * (h_out - 1) + 1 : sh, b * dw : b * dw + sw * (w_out - 1) + 1 : sw]
            out = out + window * weight[:, 0, a, b].reshape(1, -1, 1, 1)
    if bias is not None:
        out = out + bias.reshape(1, -1, 1, 1)
    return out
""",
        why="flips the kernel (true convolution) where F.conv2d cross-correlates",
    ),
    Mutant(
        "depthwise_conv2d",
        "depthwise_conv2d_ignores_dilation",
        "wrong",
        """
def depthwise_conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 4 or weight.shape[1] != 1 or weight.shape[0] % x.shape[1]:
        raise ValueError("bad shapes")
    n, c, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    (sh, sw), (ph, pw) = pair(stride), pair(padding)
    h_out = (h + 2 * ph - kh) // sh + 1  # dilation forgotten, here and in the taps
    w_out = (w + 2 * pw - kw) // sw + 1
    padded = F.pad(x, (pw, pw, ph, ph)).repeat_interleave(c_out // c, dim=1)
    out = x.new_zeros(n, c_out, h_out, w_out)
    for a in range(kh):
        for b in range(kw):
            window = padded[:, :, a : a + sh * (h_out - 1) + 1 : sh, b : b + sw * (w_out - 1) + 1 : sw]
            out = out + window * weight[:, 0, a, b].reshape(1, -1, 1, 1)
    if bias is not None:
        out = out + bias.reshape(1, -1, 1, 1)
    return out
""",
        why="ignores the dilation",
    ),
    Mutant(
        "depthwise_conv2d",
        "depthwise_conv2d_tuple_first_only",
        "wrong",
        """
def depthwise_conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 4 or weight.shape[1] != 1 or weight.shape[0] % x.shape[1]:
        raise ValueError("bad shapes")
    first = lambda v: v if isinstance(v, int) else v[0]  # uses the height's value for both dimensions
    s, p, d = first(stride), first(padding), first(dilation)
    n, c, h, w = x.shape
    c_out, _, kh, kw = weight.shape
    h_out = (h + 2 * p - d * (kh - 1) - 1) // s + 1
    w_out = (w + 2 * p - d * (kw - 1) - 1) // s + 1
    padded = F.pad(x, (p, p, p, p)).repeat_interleave(c_out // c, dim=1)
    out = x.new_zeros(n, c_out, h_out, w_out)
    for a in range(kh):
        for b in range(kw):
            window = padded[:, :, a * d : a * d + s * (h_out - 1) + 1 : s, b * d : b * d + s * (w_out - 1) + 1 : s]
            out = out + window * weight[:, 0, a, b].reshape(1, -1, 1, 1)
    if bias is not None:
        out = out + bias.reshape(1, -1, 1, 1)
    return out
""",
        why="takes only the first element of (h, w) pairs, so a different stride, padding or dilation along W is lost",
    ),
    Mutant(
        "depthwise_conv2d",
        "depthwise_conv2d_calls_conv2d",
        "wrong",
        """
def depthwise_conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.dim() != 4 or weight.shape[1] != 1 or weight.shape[0] % x.shape[1]:
        raise ValueError("bad shapes")
    return F.conv2d(x, weight, bias, stride, padding, dilation, groups=x.shape[1])  # the reference itself
""",
        why="calls F.conv2d(groups=C), which the assignment asks to replace",
    ),
    Mutant(
        "depthwise_conv2d",
        "depthwise_conv2d_unfold_einsum",
        "correct",
        """
def depthwise_conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1):
    if x.ndim != 4:
        raise ValueError("x must be (N, C, H, W)")
    n, c, h, w = x.shape
    if weight.shape[1] != 1 or weight.shape[0] % c != 0:
        raise ValueError("weight must be (C * m, 1, kh, kw)")
    m, (kh, kw) = weight.shape[0] // c, weight.shape[2:]
    stride, padding, dilation = pair(stride), pair(padding), pair(dilation)
    h_out = (h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    w_out = (w + 2 * padding[1] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    cols = F.unfold(x, (kh, kw), dilation=dilation, padding=padding, stride=stride)  # (N, C * kh * kw, L)
    cols = cols.reshape(n, c, kh * kw, h_out * w_out)
    out = torch.einsum("nckl,cmk->ncml", cols, weight.reshape(c, m, kh * kw))  # (N, C, m, L)
    out = out.reshape(n, c * m, h_out, w_out)
    return out if bias is None else out + bias.reshape(1, -1, 1, 1)
""",
        why="im2col with F.unfold, then one einsum per (channel, multiplier)",
    ),
    # --------------------------------------------------------------------------------------- channel_shuffle
    Mutant(
        "channel_shuffle",
        "channel_shuffle_wrong_way",
        "wrong",
        """
def channel_shuffle(x, groups):
    n, c = x.shape[:2]
    if c % groups:
        raise ValueError("groups must divide C")
    grid = x.reshape(n, c // groups, groups, *x.shape[2:])  # the (C / g, g) grid: the inverse permutation
    return grid.transpose(1, 2).reshape(x.shape)
""",
        why="transposes the (C / g, g) grid instead of the (g, C / g) one, which gives the inverse shuffle",
    ),
    Mutant(
        "channel_shuffle",
        "channel_shuffle_no_transpose",
        "wrong",
        """
def channel_shuffle(x, groups):
    n, c = x.shape[:2]
    if c % groups:
        raise ValueError("groups must divide C")
    return x.reshape(n, groups, c // groups, *x.shape[2:]).reshape(x.shape)  # reshaping alone moves nothing
""",
        why="reshapes to (g, C / g) and back without transposing, which is the identity",
    ),
    Mutant(
        "channel_shuffle",
        "channel_shuffle_4d_only",
        "wrong",
        """
def channel_shuffle(x, groups):
    n, c, h, w = x.shape  # assumes (N, C, H, W)
    if c % groups:
        raise ValueError("groups must divide C")
    return x.reshape(n, groups, c // groups, h, w).transpose(1, 2).reshape(n, c, h, w)
""",
        why="only works for 4-D inputs, while nn.ChannelShuffle accepts (N, C, *)",
    ),
    Mutant(
        "channel_shuffle",
        "channel_shuffle_no_check",
        "wrong",
        """
def channel_shuffle(x, groups):
    n, c = x.shape[:2]
    return x.reshape(n, groups, c // groups, *x.shape[2:]).transpose(1, 2).reshape(x.shape)
""",
        why="does not raise ValueError when groups does not divide C",
    ),
    Mutant(
        "channel_shuffle",
        "channel_shuffle_strided_slices",
        "correct",
        """
def channel_shuffle(x, groups):
    c = x.shape[1]
    if groups <= 0 or c % groups != 0:
        raise ValueError(f"{groups} groups do not divide {c} channels")
    per_group = c // groups
    # output position i * g + k holds input channel k * per_group + i: slice i::per_group, in order of i
    return torch.cat([x[:, i::per_group] for i in range(per_group)], dim=1)
""",
        why="concatenates strided channel slices instead of reshaping",
    ),
    # ------------------------------------------------------------------------------------------- conv2d_cost
    Mutant(
        "conv2d_cost",
        "conv2d_cost_ignores_groups",
        "wrong",
        """
def conv2d_cost(in_channels, out_channels, kernel_size, output_size, groups=1, bias=True):
    if in_channels % groups or out_channels % groups:
        raise ValueError("groups must divide the channels")
    (kh, kw), (h, w) = pair(kernel_size), pair(output_size)
    weights = out_channels * in_channels * kh * kw  # every filter sees all input channels
    return weights + (out_channels if bias else 0), weights * h * w
""",
        why="ignores the groups: each filter counted over all C_in channels",
    ),
    Mutant(
        "conv2d_cost",
        "conv2d_cost_counts_bias_additions",
        "wrong",
        """
def conv2d_cost(in_channels, out_channels, kernel_size, output_size, groups=1, bias=True):
    if in_channels % groups or out_channels % groups:
        raise ValueError("groups must divide the channels")
    (kh, kw), (h, w) = pair(kernel_size), pair(output_size)
    params = out_channels * (in_channels // groups) * kh * kw + (out_channels if bias else 0)
    return params, params * h * w  # the bias additions counted as multiply-adds
""",
        why="counts the bias additions as multiply-adds (params * H_out * W_out)",
    ),
    Mutant(
        "conv2d_cost",
        "conv2d_cost_float_division",
        "wrong",
        """
def conv2d_cost(in_channels, out_channels, kernel_size, output_size, groups=1, bias=True):
    if in_channels % groups or out_channels % groups:
        raise ValueError("groups must divide the channels")
    (kh, kw), (h, w) = pair(kernel_size), pair(output_size)
    weights = out_channels * (in_channels / groups) * kh * kw  # a float
    return weights + (out_channels if bias else 0), weights * h * w
""",
        why="divides the channels by the groups with /, returning floats",
    ),
    Mutant(
        "conv2d_cost",
        "conv2d_cost_square_only",
        "wrong",
        """
def conv2d_cost(in_channels, out_channels, kernel_size, output_size, groups=1, bias=True):
    if in_channels % groups or out_channels % groups:
        raise ValueError("groups must divide the channels")
    k = kernel_size if isinstance(kernel_size, int) else kernel_size[0]  # assumes square kernels and outputs
    size = output_size if isinstance(output_size, int) else output_size[0]
    weights = out_channels * (in_channels // groups) * k * k
    return weights + (out_channels if bias else 0), weights * size * size
""",
        why="assumes square kernels and outputs, using only the first element of (h, w) pairs",
    ),
    Mutant(
        "conv2d_cost",
        "conv2d_cost_no_check",
        "wrong",
        """
def conv2d_cost(in_channels, out_channels, kernel_size, output_size, groups=1, bias=True):
    (kh, kw), (h, w) = pair(kernel_size), pair(output_size)
    weights = out_channels * (in_channels // groups) * kh * kw
    return weights + (out_channels if bias else 0), weights * h * w
""",
        why="accepts groups that do not divide the channels instead of raising ValueError",
    ),
    Mutant(
        "conv2d_cost",
        "conv2d_cost_per_output",
        "correct",
        """
def conv2d_cost(in_channels, out_channels, kernel_size, output_size, groups=1, bias=True):
    if in_channels % groups != 0 or out_channels % groups != 0:
        raise ValueError(f"{groups} groups do not divide {in_channels} and {out_channels} channels")
    kernel, size = pair(kernel_size), pair(output_size)
    per_output = (in_channels // groups) * kernel[0] * kernel[1]  # multiply-adds of one output element
    outputs = out_channels * size[0] * size[1]
    params = out_channels * per_output + out_channels * int(bias)
    return int(params), int(outputs * per_output)
""",
        why="counts multiply-adds per output element times the number of outputs",
    ),
    # -------------------------------------------------------------------------------------- separable_cost_ratio
    Mutant(
        "separable_cost_ratio",
        "separable_cost_ratio_swapped_channels",
        "wrong",
        """
def separable_cost_ratio(in_channels, out_channels, kernel_size):
    kh, kw = pair(kernel_size)
    return 1 / in_channels + 1 / (kh * kw)  # C_in instead of C_out
""",
        why="writes 1 / C_in + 1 / K^2 instead of 1 / C_out + 1 / K^2",
    ),
    Mutant(
        "separable_cost_ratio",
        "separable_cost_ratio_k_not_squared",
        "wrong",
        """
def separable_cost_ratio(in_channels, out_channels, kernel_size):
    k = kernel_size if isinstance(kernel_size, int) else kernel_size[0]
    return 1 / out_channels + 1 / k  # K instead of K^2
""",
        why="forgets to square the kernel size",
    ),
    Mutant(
        "separable_cost_ratio",
        "separable_cost_ratio_inverted",
        "wrong",
        """
def separable_cost_ratio(in_channels, out_channels, kernel_size):
    kh, kw = pair(kernel_size)
    standard = kh * kw * in_channels * out_channels
    return standard / (kh * kw * in_channels + in_channels * out_channels)  # the speed-up, not the ratio asked
""",
        why="returns standard / separable (the speed-up) instead of separable / standard",
    ),
    Mutant(
        "separable_cost_ratio",
        "separable_cost_ratio_square_of_height",
        "wrong",
        """
def separable_cost_ratio(in_channels, out_channels, kernel_size):
    k = kernel_size if isinstance(kernel_size, int) else kernel_size[0]
    return 1 / out_channels + 1 / (k * k)  # a (kh, kw) kernel taken as kh x kh
""",
        why="squares the kernel height for (kh, kw) kernels instead of using kh * kw",
    ),
    Mutant(
        "separable_cost_ratio",
        "separable_cost_ratio_from_conv2d_cost",
        "correct",
        """
def separable_cost_ratio(in_channels, out_channels, kernel_size):
    _, depthwise = conv2d_cost(in_channels, in_channels, kernel_size, 1, groups=in_channels, bias=False)
    _, pointwise = conv2d_cost(in_channels, out_channels, 1, 1, bias=False)
    _, standard = conv2d_cost(in_channels, out_channels, kernel_size, 1, bias=False)
    return (depthwise + pointwise) / standard
""",
        why="reuses conv2d_cost on a 1x1 output for the three layers",
    ),
    # ------------------------------------------------------------------------------------------- count_flops
    Mutant(
        "count_flops",
        "count_flops_multiply_adds",
        "wrong",
        """
def count_flops(model, x):
    total = 0

    def hook(module, inputs, output):
        nonlocal total
        total += output.numel() * (module.weight.numel() // module.weight.shape[0])  # multiply-adds, not FLOPs

    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear))]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return total
""",
        why="counts multiply-adds instead of FLOPs (forgets the factor 2)",
    ),
    Mutant(
        "count_flops",
        "count_flops_ignores_groups",
        "wrong",
        """
def count_flops(model, x):
    total = 0

    def hook(module, inputs, output):
        nonlocal total
        if isinstance(module, nn.Linear):
            per_output = module.in_features
        else:
            per_output = module.in_channels * math.prod(module.kernel_size)  # groups forgotten
        total += 2 * output.numel() * per_output

    import math
    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear))]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return total
""",
        why="uses in_channels instead of in_channels / groups per output element",
    ),
    Mutant(
        "count_flops",
        "count_flops_counts_bias",
        "wrong",
        """
def count_flops(model, x):
    total = 0

    def hook(module, inputs, output):
        nonlocal total
        total += 2 * output.numel() * (module.weight.numel() // module.weight.shape[0])
        if module.bias is not None:
            total += output.numel()  # one addition per output for the bias: FlopCounterMode does not count it
    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear))]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return total
""",
        why="adds one FLOP per output for the bias",
    ),
    Mutant(
        "count_flops",
        "count_flops_once_per_layer",
        "wrong",
        """
def count_flops(model, x):
    flops = {}

    def hook(module, inputs, output):
        flops[module] = 2 * output.numel() * (module.weight.numel() // module.weight.shape[0])  # last call only

    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear))]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return sum(flops.values())
""",
        why="stores one count per layer, so a layer called several times is counted once",
    ),
    Mutant(
        "count_flops",
        "count_flops_linear_batch_only",
        "wrong",
        """
def count_flops(model, x):
    total = 0

    def hook(module, inputs, output):
        nonlocal total
        if isinstance(module, nn.Linear):
            batch = inputs[0].shape[0] if inputs[0].dim() > 1 else 1
            total += 2 * batch * module.in_features * module.out_features  # assumes (N, features) inputs
        else:
            total += 2 * output.numel() * (module.weight.numel() // module.weight.shape[0])

    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear))]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return total
""",
        why="counts a linear layer as 2 N in out, wrong for inputs of shape (N, L, in_features)",
    ),
    Mutant(
        "count_flops",
        "count_flops_input_size",
        "wrong",
        """
def count_flops(model, x):
    total = 0

    def hook(module, inputs, output):
        nonlocal total
        inp = inputs[0]
        if isinstance(module, nn.Linear):
            positions = inp.numel() // module.in_features
            total += 2 * positions * module.in_features * module.out_features
        else:  # the output positions taken from the input: stride and padding ignored
            positions = inp.shape[0] * math.prod(inp.shape[2:])
            total += 2 * positions * module.weight.numel()

    import math
    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear))]
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return total
""",
        why="takes the number of output positions from the input's size, ignoring stride and padding",
    ),
    Mutant(
        "count_flops",
        "count_flops_hooks_left",
        "wrong",
        """
def count_flops(model, x):
    counts = []

    def hook(module, inputs, output):
        counts.append(2 * output.numel() * (module.weight.numel() // module.weight.shape[0]))

    for m in model.modules():
        if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear)):
            m.register_forward_hook(hook)  # never removed
    with torch.no_grad():
        model(x)
    return sum(counts)
""",
        why="never removes its hooks, which stay on the model",
    ),
    Mutant(
        "count_flops",
        "count_flops_uses_flop_counter",
        "wrong",
        """
def count_flops(model, x):
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model(x)
    return counter.get_total_flops()
""",
        why="calls FlopCounterMode, the reference, instead of counting with hooks",
    ),
    Mutant(
        "count_flops",
        "count_flops_attributes",
        "correct",
        """
def count_flops(model, x):
    import math

    counts = []

    def conv_hook(module, inputs, output):
        batch_and_positions = output.shape[0] * math.prod(output.shape[2:])
        per_output = (module.in_channels // module.groups) * math.prod(module.kernel_size)
        counts.append(2 * batch_and_positions * module.out_channels * per_output)

    def linear_hook(module, inputs, output):
        counts.append(2 * output.numel() * module.in_features)

    handles = []
    for m in model.modules():
        if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d)):
            handles.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            handles.append(m.register_forward_hook(linear_hook))
    try:
        with torch.inference_mode():
            model(x)
    finally:
        while handles:
            handles.pop().remove()
    return int(sum(counts))
""",
        why="formulas from the layers' attributes, one hook per kind of layer, inference_mode",
    ),
    Mutant(
        "count_flops",
        "count_flops_global_hook",
        "correct",
        """
def count_flops(model, x):
    members = {id(m) for m in model.modules() if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear))}
    total = [0]

    def hook(module, inputs, output):
        if id(module) in members:
            total[0] += 2 * output.numel() * module.weight[0].numel()

    handle = torch.nn.modules.module.register_module_forward_hook(hook)  # one hook for every module
    try:
        with torch.no_grad():
            model(x)
    finally:
        handle.remove()
    return total[0]
""",
        why="one global forward hook (register_module_forward_hook) filtered to the model's layers",
    ),
    # ------------------------------------------------------------------------------ DepthwiseSeparableConv2d
    Mutant(
        "DepthwiseSeparableConv2d",
        "DepthwiseSeparableConv2d_no_groups",
        "wrong",
        """
class DepthwiseSeparableConv2d(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=False):
        super().__init__()
        self.depthwise = nn.Conv2d(in_channels, in_channels, kernel_size, stride, padding, bias=bias)  # groups missing
        self.pointwise = nn.Conv2d(in_channels, out_channels, 1, bias=bias)

    def forward(self, x):
        return self.pointwise(self.depthwise(x))
""",
        why="forgets groups=in_channels: the 'depthwise' part is a full convolution",
    ),
    Mutant(
        "DepthwiseSeparableConv2d",
        "DepthwiseSeparableConv2d_stride_on_pointwise",
        "wrong",
        """
class DepthwiseSeparableConv2d(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=False):
        super().__init__()
        self.depthwise = nn.Conv2d(in_channels, in_channels, kernel_size, 1, padding, groups=in_channels, bias=bias)
        self.pointwise = nn.Conv2d(in_channels, out_channels, 1, stride, bias=bias)  # the same output, more work

    def forward(self, x):
        return self.pointwise(self.depthwise(x))
""",
        why="puts the stride on the pointwise part: same output, but the depthwise part computes 4x too much",
    ),
    Mutant(
        "DepthwiseSeparableConv2d",
        "DepthwiseSeparableConv2d_ignores_bias",
        "wrong",
        """
class DepthwiseSeparableConv2d(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=False):
        super().__init__()
        self.depthwise = nn.Conv2d(in_channels, in_channels, kernel_size, stride, padding, groups=in_channels, bias=False)
        self.pointwise = nn.Conv2d(in_channels, out_channels, 1, bias=False)  # bias=True ignored

    def forward(self, x):
        return self.pointwise(self.depthwise(x))
""",
        why="never creates biases, whatever bias says",
    ),
    Mutant(
        "DepthwiseSeparableConv2d",
        "DepthwiseSeparableConv2d_relu_between",
        "wrong",
        """
class DepthwiseSeparableConv2d(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=False):
        super().__init__()
        self.depthwise = nn.Conv2d(in_channels, in_channels, kernel_size, stride, padding, groups=in_channels, bias=bias)
        self.pointwise = nn.Conv2d(in_channels, out_channels, 1, bias=bias)

    def forward(self, x):
        return self.pointwise(F.relu(self.depthwise(x)))  # MobileNet v1's ReLU, which the layer does not have
""",
        why="puts a ReLU between the depthwise and the pointwise parts",
    ),
    Mutant(
        "DepthwiseSeparableConv2d",
        "DepthwiseSeparableConv2d_sequential",
        "correct",
        """
from collections import OrderedDict


class DepthwiseSeparableConv2d(nn.Sequential):
    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, bias=False):
        super().__init__(OrderedDict(
            depthwise=nn.Conv2d(in_channels, in_channels, kernel_size, stride=stride, padding=padding,
                                groups=in_channels, bias=bias),
            pointwise=nn.Conv2d(in_channels, out_channels, kernel_size=1, bias=bias),
        ))
""",
        why="an nn.Sequential with named children, no forward of its own",
    ),
    # -------------------------------------------------------------------------------------- InvertedResidual
    Mutant(
        "InvertedResidual",
        "InvertedResidual_residual_with_stride",
        "wrong",
        _CONV_BN_RELU6
        + _INVERTED_RESIDUAL.replace(
            "self.use_res_connect = stride == 1 and in_channels == out_channels",
            "self.use_res_connect = in_channels == out_channels  # the stride forgotten",
        ),
        why="keeps the shortcut for a stride-2 block whose channels do not change",
    ),
    Mutant(
        "InvertedResidual",
        "InvertedResidual_relu6_after_projection",
        "wrong",
        _CONV_BN_RELU6
        + _INVERTED_RESIDUAL.replace(
            "            nn.BatchNorm2d(out_channels),\n        ]",
            "            nn.BatchNorm2d(out_channels),\n            nn.ReLU6(inplace=True),  # not a linear bottleneck\n        ]",
        ),
        why="puts a ReLU6 after the projection, so the bottleneck is not linear",
    ),
    Mutant(
        "InvertedResidual",
        "InvertedResidual_relu_not_relu6",
        "wrong",
        _CONV_BN_RELU6.replace("nn.ReLU6(inplace=True)", "nn.ReLU(inplace=True)") + _INVERTED_RESIDUAL,
        why="uses ReLU instead of ReLU6 (the same on small values, not on large ones)",
    ),
    Mutant(
        "InvertedResidual",
        "InvertedResidual_expands_when_t_is_1",
        "wrong",
        _CONV_BN_RELU6
        + _INVERTED_RESIDUAL.replace(
            "layers = [conv_bn_relu6(in_channels, hidden, kernel_size=1)] if expand_ratio != 1 else []",
            "layers = [conv_bn_relu6(in_channels, hidden, kernel_size=1)]  # also for t = 1",
        ),
        why="keeps the expansion layer when expand_ratio is 1 (torchvision leaves it out)",
    ),
    Mutant(
        "InvertedResidual",
        "InvertedResidual_stride_on_expansion",
        "wrong",
        _CONV_BN_RELU6
        + _INVERTED_RESIDUAL.replace(
            "layers = [conv_bn_relu6(in_channels, hidden, kernel_size=1)] if expand_ratio != 1 else []",
            "layers = [conv_bn_relu6(in_channels, hidden, kernel_size=1, stride=stride)] if expand_ratio != 1 else []",
        ).replace(
            "conv_bn_relu6(hidden, hidden, stride=stride, groups=hidden)",
            "conv_bn_relu6(hidden, hidden, stride=stride if expand_ratio == 1 else 1, groups=hidden)",
        ),
        why="strides in the 1x1 expansion instead of the depthwise convolution",
    ),
    Mutant(
        "InvertedResidual",
        "InvertedResidual_tensorflow_eps",
        "wrong",
        _CONV_BN_RELU6.replace("nn.BatchNorm2d(out_channels)", "nn.BatchNorm2d(out_channels, eps=1e-3)")
        + _INVERTED_RESIDUAL.replace("nn.BatchNorm2d(out_channels)", "nn.BatchNorm2d(out_channels, eps=1e-3)"),
        why="uses TensorFlow's batch norm epsilon 1e-3 instead of PyTorch's 1e-5",
    ),
    Mutant(
        "InvertedResidual",
        "InvertedResidual_width_truncated",
        "wrong",
        _CONV_BN_RELU6
        + _INVERTED_RESIDUAL.replace(
            "hidden = int(round(in_channels * expand_ratio))", "hidden = int(in_channels * expand_ratio)"
        ),
        why="truncates the hidden width (int) instead of rounding it as torchvision does",
    ),
    Mutant(
        "InvertedResidual",
        "InvertedResidual_any_stride",
        "wrong",
        _CONV_BN_RELU6
        + _INVERTED_RESIDUAL.replace(
            '        if stride not in (1, 2):\n            raise ValueError("stride must be 1 or 2")\n', ""
        ),
        why="accepts any stride instead of raising ValueError for strides other than 1 and 2",
    ),
    Mutant(
        "InvertedResidual",
        "InvertedResidual_sequential_subclass",
        "correct",
        """
class ConvBNReLU6(nn.Sequential):
    \"\"\"torchvision's old ConvBNReLU: a Sequential subclass, so the keys are the same.\"\"\"

    def __init__(self, in_channels, out_channels, kernel_size=3, stride=1, groups=1):
        super().__init__(
            nn.Conv2d(in_channels, out_channels, kernel_size, stride, kernel_size // 2, groups=groups, bias=False),
            nn.BatchNorm2d(out_channels, eps=1e-5, momentum=0.1),
            nn.ReLU6(),
        )


def conv_bn_relu6(in_channels, out_channels, kernel_size=3, stride=1, groups=1):
    return ConvBNReLU6(in_channels, out_channels, kernel_size, stride, groups)


class InvertedResidual(nn.Module):
    def __init__(self, in_channels, out_channels, stride, expand_ratio):
        super().__init__()
        if stride != 1 and stride != 2:
            raise ValueError(f"stride {stride} is not 1 or 2")
        hidden = round(in_channels * expand_ratio)
        layers = []
        if expand_ratio != 1:
            layers.append(ConvBNReLU6(in_channels, hidden, kernel_size=1))
        layers.append(ConvBNReLU6(hidden, hidden, stride=stride, groups=hidden))
        layers.append(nn.Conv2d(hidden, out_channels, kernel_size=1, bias=False))
        layers.append(nn.BatchNorm2d(out_channels))
        self.conv = nn.Sequential(*layers)
        self.use_res_connect = stride == 1 and in_channels == out_channels

    def forward(self, x):
        out = self.conv(x)
        return out + x if self.use_res_connect else out
""",
        why="a Sequential subclass for conv-BN-ReLU6, round() without int(), the shortcut added after",
    ),
    Mutant(
        "InvertedResidual",
        "InvertedResidual_hardtanh",
        "correct",
        """
def conv_bn_relu6(in_channels, out_channels, kernel_size=3, stride=1, groups=1):
    conv = nn.Conv2d(in_channels, out_channels, (kernel_size, kernel_size), (stride, stride),
                     ((kernel_size - 1) // 2,) * 2, groups=groups, bias=False)
    return nn.Sequential(conv, nn.BatchNorm2d(out_channels), nn.Hardtanh(0.0, 6.0))  # ReLU6 is Hardtanh(0, 6)


class InvertedResidual(nn.Module):
    def __init__(self, in_channels, out_channels, stride, expand_ratio):
        super().__init__()
        if stride not in {1, 2}:
            raise ValueError("MobileNetV2 blocks have stride 1 or 2")
        self.use_res_connect = bool(stride == 1 and in_channels == out_channels)
        hidden = int(round(in_channels * expand_ratio))
        expand = [] if expand_ratio == 1 else [conv_bn_relu6(in_channels, hidden, 1)]
        depthwise = conv_bn_relu6(hidden, hidden, 3, stride, groups=hidden)
        project = [nn.Conv2d(hidden, out_channels, 1, bias=False), nn.BatchNorm2d(out_channels)]
        self.conv = nn.Sequential(*expand, depthwise, *project)

    def forward(self, x):
        y = self.conv(x)
        if self.use_res_connect:
            y = y + x
        return y
""",
        why="nn.Hardtanh(0, 6) for ReLU6, kernel sizes as pairs, the layers listed by role",
    ),
    # ------------------------------------------------------------------------------------------ mobilenet_v2
    Mutant(
        "mobilenet_v2",
        "mobilenet_v2_stride_last_block",
        "wrong",
        _mobilenet(
            features="""
        layers = [conv_bn_relu6(3, 32, stride=2)]
        in_channels = 32
        for t, c, n, s in INVERTED_RESIDUAL_SETTING:
            for i in range(n):  # the stride moved to the last block of the stage
                layers.append(InvertedResidual(in_channels, c, s if i == n - 1 else 1, expand_ratio=t))
                in_channels = c
        layers.append(conv_bn_relu6(in_channels, 1280, kernel_size=1))
        self.features = nn.Sequential(*layers)"""
        ),
        why="gives the stride to the last block of each stage instead of the first (same layout)",
    ),
    Mutant(
        "mobilenet_v2",
        "mobilenet_v2_no_last_conv",
        "wrong",
        _mobilenet(
            features="""
        layers = [conv_bn_relu6(3, 32, stride=2)]
        in_channels = 32
        for t, c, n, s in INVERTED_RESIDUAL_SETTING:
            for i in range(n):
                layers.append(InvertedResidual(in_channels, c, s if i == 0 else 1, expand_ratio=t))
                in_channels = c
        self.features = nn.Sequential(*layers)  # the 1x1 convolution to 1280 channels is missing""",
            classifier="""
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(320, num_classes))""",
        ),
        why="leaves out the final 1x1 convolution to 1280 channels",
    ),
    Mutant(
        "mobilenet_v2",
        "mobilenet_v2_max_pool",
        "wrong",
        _mobilenet(
            forward="""
        x = self.features(x)
        x = F.adaptive_max_pool2d(x, 1).flatten(1)  # max instead of average
        return self.classifier(x)"""
        ),
        why="global max pooling instead of global average pooling",
    ),
    Mutant(
        "mobilenet_v2",
        "mobilenet_v2_dropout_half",
        "wrong",
        _mobilenet(
            classifier="""
        self.classifier = nn.Sequential(nn.Dropout(0.5), nn.Linear(1280, num_classes))"""
        ),
        why="dropout 0.5 (the PyTorch default) instead of torchvision's 0.2",
    ),
    Mutant(
        "mobilenet_v2",
        "mobilenet_v2_relu_last_layer",
        "wrong",
        _mobilenet().replace(
            "layers.append(conv_bn_relu6(in_channels, 1280, kernel_size=1))",
            "layers.append(nn.Sequential(nn.Conv2d(in_channels, 1280, 1, bias=False), nn.BatchNorm2d(1280), nn.ReLU()))",
        ),
        why="builds the last 1x1 layer by hand with ReLU instead of ReLU6",
    ),
    Mutant(
        "mobilenet_v2",
        "mobilenet_v2_default_init",
        "wrong",
        _mobilenet(init=False),
        why="never calls reset_parameters: PyTorch's default initialisation instead of torchvision's",
    ),
    Mutant(
        "mobilenet_v2",
        "mobilenet_v2_ignores_num_classes",
        "wrong",
        _mobilenet(factory="MobileNetV2()"),
        why="mobilenet_v2 does not pass num_classes on: always 1000 classes",
    ),
    Mutant(
        "mobilenet_v2",
        "mobilenet_v2_stage_builder",
        "correct",
        """
INVERTED_RESIDUAL_SETTING = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]


def make_stage(in_channels, t, c, n, s):
    \"\"\"n blocks to c channels; only the first one strides.\"\"\"
    blocks = [InvertedResidual(in_channels, c, s, t)]
    blocks += [InvertedResidual(c, c, 1, t) for _ in range(n - 1)]
    return blocks


def init_like_torchvision(model):
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
            nn.init.constant_(m.weight, 1.0)
            nn.init.constant_(m.bias, 0.0)
        elif isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, mean=0.0, std=0.01)
            nn.init.constant_(m.bias, 0.0)


class MobileNetV2(nn.Module):
    def __init__(self, num_classes=1000):
        super().__init__()
        blocks, channels = [], 32
        for t, c, n, s in INVERTED_RESIDUAL_SETTING:
            blocks += make_stage(channels, t, c, n, s)
            channels = c
        self.features = nn.Sequential(conv_bn_relu6(3, 32, 3, 2), *blocks, conv_bn_relu6(channels, 1280, 1))
        self.classifier = nn.Sequential(nn.Dropout(p=0.2), nn.Linear(1280, num_classes))
        init_like_torchvision(self)

    def forward(self, x):
        return self.classifier(self.features(x).mean(dim=(2, 3)))


def mobilenet_v2(num_classes=1000):
    return MobileNetV2(num_classes)
""",
        why="a stage-building function, a separate init function, the pooling written as a mean",
    ),
    Mutant(
        "mobilenet_v2",
        "mobilenet_v2_pool_module",
        "correct",
        """
INVERTED_RESIDUAL_SETTING = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]


class MobileNetV2(nn.Module):
    def __init__(self, num_classes=1000):
        super().__init__()
        self.features = nn.Sequential()
        self.features.append(conv_bn_relu6(3, 32, stride=2))
        last = 32
        for t, c, n, s in INVERTED_RESIDUAL_SETTING:
            for stride in [s] + [1] * (n - 1):
                self.features.append(InvertedResidual(last, c, stride, t))
                last = c
        self.features.append(conv_bn_relu6(last, 1280, kernel_size=1))
        self.pool = nn.AdaptiveAvgPool2d((1, 1))  # no parameters: the state_dict is unchanged
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(1280, num_classes))
        self.reset_parameters()

    def reset_parameters(self):
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, std=0.01)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        return self.classifier(torch.flatten(self.pool(self.features(x)), 1))


def mobilenet_v2(num_classes=1000):
    return MobileNetV2(num_classes=num_classes)
""",
        why="features appended one by one, an AdaptiveAvgPool2d module and torch.flatten",
    ),
]

# The demo's buggy student: one mistake in each of four functions, so it lands between 0 and full marks.
BUGGY = [
    "pointwise_conv_reshape_not_permute",
    "channel_shuffle_wrong_way",
    "count_flops_multiply_adds",
    "mobilenet_v2_stride_last_block",
]
