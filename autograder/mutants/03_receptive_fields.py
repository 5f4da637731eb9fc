"""Mutants of unit 03 (receptive fields): realistic wrong versions and correct alternatives of each graded function.

Each `source` replaces the whole solution cell; it may use what the setup cell imports (copy, torch, nn).
"""

from autograder.mutants import Mutant

MUTANTS = [
    # ------------------------------------------------------------------------------------------ receptive_field
    Mutant(
        "receptive_field",
        "receptive_field_no_dilation",
        "wrong",
        """
def receptive_field(layers):
    rf, jump, start = 1, 1, 0.0
    fields = []
    for kernel_size, stride, padding, dilation in layers:
        if min(kernel_size, stride, dilation) < 1 or padding < 0:
            raise ValueError("invalid layer")
        start += ((kernel_size - 1) / 2 - padding) * jump  # the dilated span is forgotten
        rf += (kernel_size - 1) * jump
        jump *= stride
        fields.append((rf, jump, start))
    return fields
""",
        why="uses the kernel size where the dilated span d(k - 1) + 1 belongs",
    ),
    Mutant(
        "receptive_field",
        "receptive_field_jump_updated_first",
        "wrong",
        """
def receptive_field(layers):
    rf, jump, start = 1, 1, 0.0
    fields = []
    for kernel_size, stride, padding, dilation in layers:
        if min(kernel_size, stride, dilation) < 1 or padding < 0:
            raise ValueError("invalid layer")
        span = dilation * (kernel_size - 1) + 1
        jump *= stride  # too early: this layer's taps are spaced by the jump it receives
        start += ((span - 1) / 2 - padding) * jump
        rf += (span - 1) * jump
        fields.append((rf, jump, start))
    return fields
""",
        why="multiplies the jump by the stride before growing the field with it",
    ),
    Mutant(
        "receptive_field",
        "receptive_field_start_without_jump",
        "wrong",
        """
def receptive_field(layers):
    rf, jump, start = 1, 1, 0.0
    fields = []
    for kernel_size, stride, padding, dilation in layers:
        if min(kernel_size, stride, dilation) < 1 or padding < 0:
            raise ValueError("invalid layer")
        span = dilation * (kernel_size - 1) + 1
        start += (span - 1) / 2 - padding  # in units of the layer below, not input pixels
        rf += (span - 1) * jump
        jump *= stride
        fields.append((rf, jump, start))
    return fields
""",
        why="moves the centre in positions of the layer below instead of input pixels (forgets the jump)",
    ),
    Mutant(
        "receptive_field",
        "receptive_field_start_plus_padding",
        "wrong",
        """
def receptive_field(layers):
    rf, jump, start = 1, 1, 0.0
    fields = []
    for kernel_size, stride, padding, dilation in layers:
        if min(kernel_size, stride, dilation) < 1 or padding < 0:
            raise ValueError("invalid layer")
        span = dilation * (kernel_size - 1) + 1
        start += ((span - 1) / 2 + padding) * jump  # padding pushes the field to the right?
        rf += (span - 1) * jump
        jump *= stride
        fields.append((rf, jump, start))
    return fields
""",
        why="adds the padding to the start instead of subtracting it",
    ),
    Mutant(
        "receptive_field",
        "receptive_field_integer_start",
        "wrong",
        """
def receptive_field(layers):
    rf, jump, start = 1, 1, 0
    fields = []
    for kernel_size, stride, padding, dilation in layers:
        if min(kernel_size, stride, dilation) < 1 or padding < 0:
            raise ValueError("invalid layer")
        span = dilation * (kernel_size - 1) + 1
        start += ((span - 1) // 2 - padding) * jump  # // drops the half of an even kernel
        rf += (span - 1) * jump
        jump *= stride
        fields.append((rf, jump, start))
    return fields
""",
        why="integer division for the centre: wrong after even kernels such as 2x2 pooling",
    ),
    Mutant(
        "receptive_field",
        "receptive_field_closed_form",
        "correct",
        """
def receptive_field(layers):
    fields = []
    rf, jump, start = 1, 1, 0.0
    for layer in layers:
        k, s, p, d = (int(v) for v in layer)
        if k < 1 or s < 1 or d < 1 or p < 0:
            raise ValueError(f"invalid layer {tuple(layer)}")
        rf, start, jump = rf + d * (k - 1) * jump, start + (d * (k - 1) - 2 * p) * jump / 2, jump * s
        fields.append((rf, jump, start))
    return fields
""",
        why="simultaneous assignment, so every update uses the old jump",
    ),
    Mutant(
        "receptive_field",
        "receptive_field_top_down",
        "correct",
        """
def receptive_field(layers):
    layers = [tuple(layer) for layer in layers]
    for k, s, p, d in layers:
        if k < 1 or s < 1 or d < 1 or p < 0:
            raise ValueError("kernel size, stride, dilation >= 1 and padding >= 0")
    fields = []
    for n in range(1, len(layers) + 1):
        size, first, jump = 1, 0, 1  # walk down from output unit 0 of layer n: its first pixel and extent
        for k, s, p, d in reversed(layers[:n]):
            first = first * s - p  # first position it reads in the layer below
            size = (size - 1) * s + d * (k - 1) + 1
            jump *= s
        fields.append((size, jump, first + (size - 1) / 2))
    return fields
""",
        why="recomputes each prefix from the output down to the input",
    ),
    # ------------------------------------------------------------------------------------------- layer_geometry
    Mutant(
        "layer_geometry",
        "layer_geometry_no_recursion",
        "wrong",
        """
def layer_geometry(model):
    def single(value):
        if isinstance(value, tuple):
            if value[0] != value[1]:
                raise ValueError("non-square")
            return int(value[0])
        return int(value)

    geometry = []
    for layer in model.children():  # only the top level: nested Sequentials are ignored
        if isinstance(layer, (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d, nn.Flatten, nn.Linear)):
            raise ValueError("global layer")
        if isinstance(layer, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)):
            padding = layer.padding
            dilation = single(getattr(layer, "dilation", 1))
            if padding == "valid":
                padding = 0
            elif padding == "same":
                padding = dilation * (single(layer.kernel_size) - 1) // 2
            geometry.append((single(layer.kernel_size), single(layer.stride), single(padding), dilation))
    return geometry
""",
        why="loops over the top-level layers only, so nested nn.Sequential blocks are skipped",
    ),
    Mutant(
        "layer_geometry",
        "layer_geometry_modules_walk",
        "wrong",
        """
def layer_geometry(model):
    def single(value):
        if isinstance(value, tuple):
            if value[0] != value[1]:
                raise ValueError("non-square")
            return int(value[0])
        return int(value)

    geometry = []
    for layer in model.modules():  # every submodule at any depth, whatever its parent does with it
        if isinstance(layer, (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d, nn.Flatten, nn.Linear)):
            raise ValueError("global layer")
        if isinstance(layer, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)):
            padding = layer.padding
            dilation = single(getattr(layer, "dilation", 1))
            if padding == "valid":
                padding = 0
            elif padding == "same":
                padding = dilation * (single(layer.kernel_size) - 1) // 2
            geometry.append((single(layer.kernel_size), single(layer.stride), single(padding), dilation))
    return geometry
""",
        why="walks model.modules(), so residual blocks and ModuleLists are read as if they were chains",
    ),
    Mutant(
        "layer_geometry",
        "layer_geometry_dilation_attribute",
        "wrong",
        """
def layer_geometry(model):
    def single(value):
        if isinstance(value, tuple):
            if value[0] != value[1]:
                raise ValueError("non-square")
            return int(value[0])
        return int(value)

    if isinstance(model, nn.Sequential):
        return [g for layer in model for g in layer_geometry(layer)]
    if isinstance(model, (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d, nn.Flatten, nn.Linear)):
        raise ValueError("global layer")
    if isinstance(model, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)):
        dilation = single(model.dilation)  # nn.AvgPool2d has no dilation attribute
        padding = model.padding
        if padding == "valid":
            padding = 0
        elif padding == "same":
            padding = dilation * (single(model.kernel_size) - 1) // 2
        return [(single(model.kernel_size), single(model.stride), single(padding), dilation)]
    if list(model.children()):
        raise ValueError("not a chain")
    return []
""",
        why="reads .dilation of every layer, which nn.AvgPool2d does not have (AttributeError)",
    ),
    Mutant(
        "layer_geometry",
        "layer_geometry_height_axis",
        "wrong",
        """
def layer_geometry(model):
    def first(value):
        return int(value[0]) if isinstance(value, tuple) else int(value)  # the height, whatever the width

    if isinstance(model, nn.Sequential):
        return [g for layer in model for g in layer_geometry(layer)]
    if isinstance(model, (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d, nn.Flatten, nn.Linear)):
        raise ValueError("global layer")
    if isinstance(model, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)):
        dilation = first(getattr(model, "dilation", 1))
        padding = model.padding
        if padding == "valid":
            padding = 0
        elif padding == "same":
            padding = dilation * (first(model.kernel_size) - 1) // 2
        return [(first(model.kernel_size), first(model.stride), first(padding), dilation)]
    if list(model.children()):
        raise ValueError("not a chain")
    return []
""",
        why="takes the height of every pair, so non-square layers are silently described by one axis",
    ),
    Mutant(
        "layer_geometry",
        "layer_geometry_skips_global_layers",
        "wrong",
        """
def layer_geometry(model):
    def single(value):
        if isinstance(value, tuple):
            if value[0] != value[1]:
                raise ValueError("non-square")
            return int(value[0])
        return int(value)

    if isinstance(model, nn.Sequential):
        return [g for layer in model for g in layer_geometry(layer)]
    if isinstance(model, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)):
        dilation = single(getattr(model, "dilation", 1))
        padding = model.padding
        if padding == "valid":
            padding = 0
        elif padding == "same":
            padding = dilation * (single(model.kernel_size) - 1) // 2
        return [(single(model.kernel_size), single(model.stride), single(padding), dilation)]
    if list(model.children()):
        raise ValueError("not a chain")
    return []  # adaptive pooling, Flatten and Linear are skipped like activations
""",
        why="skips global pooling, Flatten and Linear instead of raising",
    ),
    Mutant(
        "layer_geometry",
        "layer_geometry_same_padding_as_tuple",
        "wrong",
        """
def layer_geometry(model):
    def single(value):
        if isinstance(value, (tuple, str)):  # padding "same" is a string: take its first character...
            if value[0] != value[1]:
                raise ValueError("non-square")
            return value[0] if isinstance(value, str) else int(value[0])
        return int(value)

    if isinstance(model, nn.Sequential):
        return [g for layer in model for g in layer_geometry(layer)]
    if isinstance(model, (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d, nn.Flatten, nn.Linear)):
        raise ValueError("global layer")
    if isinstance(model, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)):
        return [(single(model.kernel_size), single(model.stride), single(model.padding),
                 single(getattr(model, "dilation", 1)))]
    if list(model.children()):
        raise ValueError("not a chain")
    return []
""",
        why='does not translate padding="same" / "valid" into numbers',
    ),
    Mutant(
        "layer_geometry",
        "layer_geometry_explicit_stack",
        "correct",
        """
def layer_geometry(model):
    def as_int(value, what):
        values = set(value) if isinstance(value, (tuple, list)) else {value}
        if len(values) != 1:
            raise ValueError(f"non-square {what}: {value}")
        return int(values.pop())

    geometry, todo = [], [model]
    while todo:
        layer = todo.pop(0)
        if isinstance(layer, nn.Sequential):
            todo[:0] = list(layer)  # its layers come next, in order
        elif isinstance(layer, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)):
            k = as_int(layer.kernel_size, "kernel_size")
            d = as_int(layer.dilation, "dilation") if hasattr(layer, "dilation") else 1
            p = {"valid": 0, "same": d * (k - 1) // 2}.get(layer.padding, None) if isinstance(layer.padding, str) \\
                else as_int(layer.padding, "padding")
            geometry.append((k, as_int(layer.stride, "stride"), p, d))
        elif isinstance(layer, (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d, nn.Flatten, nn.Linear)):
            raise ValueError(f"{type(layer).__name__} sees the whole input")
        elif next(layer.children(), None) is not None:
            raise ValueError(f"{type(layer).__name__} is not a chain of layers")
    return geometry
""",
        why="an explicit work list instead of recursion, a set to test square pairs",
    ),
    Mutant(
        "layer_geometry",
        "layer_geometry_generator",
        "correct",
        """
def layer_geometry(model):
    def pair(value):
        h, w = value if isinstance(value, tuple) else (value, value)
        if h != w:
            raise ValueError(f"non-square value {value}")
        return int(h)

    def walk(module):
        if type(module) is nn.Sequential:
            for child in module:
                yield from walk(child)
        elif isinstance(module, nn.Conv2d):
            k, d = pair(module.kernel_size), pair(module.dilation)
            p = module.padding
            p = 0 if p == "valid" else d * (k - 1) // 2 if p == "same" else pair(p)
            yield (k, pair(module.stride), p, d)
        elif isinstance(module, nn.MaxPool2d):
            yield (pair(module.kernel_size), pair(module.stride), pair(module.padding), pair(module.dilation))
        elif isinstance(module, nn.AvgPool2d):
            yield (pair(module.kernel_size), pair(module.stride), pair(module.padding), 1)
        elif isinstance(module, (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d, nn.Flatten, nn.Linear)):
            raise ValueError("after this layer every output sees the whole input")
        elif len(list(module.children())) > 0:
            raise ValueError("only nn.Sequential containers describe a chain")

    return list(walk(model))
""",
        why="a recursive generator with one branch per layer type",
    ),
    # -------------------------------------------------------------------------------- empirical_receptive_field
    Mutant(
        "empirical_receptive_field",
        "empirical_receptive_field_train_mode",
        "wrong",
        """
def empirical_receptive_field(model, input_shape):
    probe = copy.deepcopy(model).double()  # .eval() forgotten: batch norm uses the batch statistics

    def swap(module):
        for name, child in module.named_children():
            if isinstance(child, nn.MaxPool2d):
                setattr(module, name, nn.AvgPool2d(child.kernel_size, child.stride, child.padding, ceil_mode=child.ceil_mode))
            else:
                swap(child)

    swap(probe)
    with torch.no_grad():
        for name, parameter in probe.named_parameters():
            parameter.fill_(0.0 if name.endswith("bias") else 1.0)
    c, h, w = input_shape[-3:]
    x = torch.ones(1, c, h, w, dtype=torch.float64, requires_grad=True)
    out = probe(x)
    (grad,) = torch.autograd.grad(out[0, 0, out.shape[2] // 2, out.shape[3] // 2], x)
    rows, cols = torch.nonzero(grad[0].abs().sum(0), as_tuple=True)
    return int(rows.max() - rows.min()) + 1, int(cols.max() - cols.min()) + 1
""",
        why="forgets eval mode: batch norm's batch statistics make every pixel matter, dropout zeroes units",
    ),
    Mutant(
        "empirical_receptive_field",
        "empirical_receptive_field_keeps_max_pool",
        "wrong",
        """
def empirical_receptive_field(model, input_shape):
    probe = copy.deepcopy(model).double().eval()
    with torch.no_grad():
        for name, parameter in probe.named_parameters():
            parameter.fill_(0.0 if name.endswith("bias") else 1.0)
    c, h, w = input_shape[-3:]
    x = torch.ones(1, c, h, w, dtype=torch.float64, requires_grad=True)
    out = probe(x)  # max poolings kept: on ties the gradient goes to one pixel of each window
    (grad,) = torch.autograd.grad(out[0, 0, out.shape[2] // 2, out.shape[3] // 2], x)
    rows, cols = torch.nonzero(grad[0].abs().sum(0), as_tuple=True)
    return int(rows.max() - rows.min()) + 1, int(cols.max() - cols.min()) + 1
""",
        why="keeps the max poolings, whose gradient reaches only one pixel per window",
    ),
    Mutant(
        "empirical_receptive_field",
        "empirical_receptive_field_counts_rows",
        "wrong",
        """
def empirical_receptive_field(model, input_shape):
    probe = copy.deepcopy(model).double().eval()

    def swap(module):
        for name, child in module.named_children():
            if isinstance(child, nn.MaxPool2d):
                setattr(module, name, nn.AvgPool2d(child.kernel_size, child.stride, child.padding, ceil_mode=child.ceil_mode))
            else:
                swap(child)

    swap(probe)
    with torch.no_grad():
        for name, parameter in probe.named_parameters():
            parameter.fill_(0.0 if name.endswith("bias") else 1.0)
    c, h, w = input_shape[-3:]
    x = torch.ones(1, c, h, w, dtype=torch.float64, requires_grad=True)
    out = probe(x)
    (grad,) = torch.autograd.grad(out[0, 0, out.shape[2] // 2, out.shape[3] // 2], x)
    touched = grad[0].abs().sum(0) != 0
    return int(touched.any(1).sum()), int(touched.any(0).sum())  # counts rows and columns, not the extent
""",
        why="counts the rows and columns with a non-zero gradient, so the holes of dilated fields are lost",
    ),
    Mutant(
        "empirical_receptive_field",
        "empirical_receptive_field_in_place",
        "wrong",
        """
def empirical_receptive_field(model, input_shape):
    probe = model.double().eval()  # no copy: the caller's model is changed

    def swap(module):
        for name, child in module.named_children():
            if isinstance(child, nn.MaxPool2d):
                setattr(module, name, nn.AvgPool2d(child.kernel_size, child.stride, child.padding, ceil_mode=child.ceil_mode))
            else:
                swap(child)

    swap(probe)
    with torch.no_grad():
        for name, parameter in probe.named_parameters():
            parameter.fill_(0.0 if name.endswith("bias") else 1.0)
    c, h, w = input_shape[-3:]
    x = torch.ones(1, c, h, w, dtype=torch.float64, requires_grad=True)
    out = probe(x)
    (grad,) = torch.autograd.grad(out[0, 0, out.shape[2] // 2, out.shape[3] // 2], x)
    rows, cols = torch.nonzero(grad[0].abs().sum(0), as_tuple=True)
    return int(rows.max() - rows.min()) + 1, int(cols.max() - cols.min()) + 1
""",
        why="modifies the caller's model (weights, dtype, mode, layers) instead of a deep copy",
    ),
    Mutant(
        "empirical_receptive_field",
        "empirical_receptive_field_centre_rounded_down",
        "wrong",
        """
def empirical_receptive_field(model, input_shape):
    probe = copy.deepcopy(model).double().eval()

    def swap(module):
        for name, child in module.named_children():
            if isinstance(child, nn.MaxPool2d):
                setattr(module, name, nn.AvgPool2d(child.kernel_size, child.stride, child.padding, ceil_mode=child.ceil_mode))
            else:
                swap(child)

    swap(probe)
    with torch.no_grad():
        for name, parameter in probe.named_parameters():
            parameter.fill_(0.0 if name.endswith("bias") else 1.0)
    c, h, w = input_shape[-3:]
    x = torch.ones(1, c, h, w, dtype=torch.float64, requires_grad=True)
    out = probe(x)
    i, j = (out.shape[2] - 1) // 2, (out.shape[3] - 1) // 2  # the upper-left of the two middle units
    (grad,) = torch.autograd.grad(out[0, 0, i, j], x)
    rows, cols = torch.nonzero(grad[0].abs().sum(0), as_tuple=True)
    return int(rows.max() - rows.min()) + 1, int(cols.max() - cols.min()) + 1
""",
        why="takes unit (H_out - 1) // 2 instead of H_out // 2: a different unit when H_out is even",
    ),
    Mutant(
        "empirical_receptive_field",
        "empirical_receptive_field_width_first",
        "wrong",
        """
def empirical_receptive_field(model, input_shape):
    probe = copy.deepcopy(model).double().eval()

    def swap(module):
        for name, child in module.named_children():
            if isinstance(child, nn.MaxPool2d):
                setattr(module, name, nn.AvgPool2d(child.kernel_size, child.stride, child.padding, ceil_mode=child.ceil_mode))
            else:
                swap(child)

    swap(probe)
    with torch.no_grad():
        for name, parameter in probe.named_parameters():
            parameter.fill_(0.0 if name.endswith("bias") else 1.0)
    c, h, w = input_shape[-3:]
    x = torch.ones(1, c, h, w, dtype=torch.float64, requires_grad=True)
    out = probe(x)
    (grad,) = torch.autograd.grad(out[0, 0, out.shape[2] // 2, out.shape[3] // 2], x)
    ys, xs = torch.nonzero(grad[0].abs().sum(0), as_tuple=True)
    return int(xs.max() - xs.min()) + 1, int(ys.max() - ys.min()) + 1  # (x, y) order: width first
""",
        why="returns (width, height)",
    ),
    Mutant(
        "empirical_receptive_field",
        "empirical_receptive_field_random_positive",
        "correct",
        """
class _SumPool(nn.Module):
    \"\"\"A max pooling's windows, added up: every pixel of a window gets the gradient.\"\"\"

    def __init__(self, pool):
        super().__init__()
        self.pool = nn.AvgPool2d(pool.kernel_size, pool.stride, pool.padding, ceil_mode=pool.ceil_mode)

    def forward(self, x):
        return self.pool(x)


def empirical_receptive_field(model, input_shape):
    gen = torch.Generator().manual_seed(0)
    probe = copy.deepcopy(model).to(torch.float64)
    probe.train(False)
    for module in list(probe.modules()):
        for name, child in list(module.named_children()):
            if type(child) is nn.MaxPool2d:
                setattr(module, name, _SumPool(child))
    with torch.no_grad():
        for name, parameter in probe.named_parameters():
            if name.endswith("bias"):
                parameter.zero_()
            else:  # any positive numbers do: nothing can cancel
                parameter.copy_(torch.rand(parameter.shape, generator=gen, dtype=torch.float64) + 0.5)
        for module in probe.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.running_mean.zero_()
                module.running_var.fill_(1.0)
    c, h, w = input_shape[-3:]
    x = (torch.rand(1, c, h, w, generator=gen, dtype=torch.float64) + 0.5).requires_grad_()
    out = probe(x)
    out[:, :, out.shape[2] // 2, out.shape[3] // 2].sum().backward()  # every channel has the same field
    mask = x.grad[0].ne(0).any(dim=0)  # (H, W)
    rows = mask.any(dim=1).nonzero().flatten()
    cols = mask.any(dim=0).nonzero().flatten()
    return int(rows[-1] - rows[0] + 1), int(cols[-1] - cols[0] + 1)
""",
        why="random positive weights and input, all channels of the centre at once, .backward() and x.grad",
    ),
    Mutant(
        "empirical_receptive_field",
        "empirical_receptive_field_rebuilt_sequential",
        "correct",
        """
def empirical_receptive_field(model, input_shape):
    def positive_copy(module):
        if isinstance(module, nn.Sequential):
            return nn.Sequential(*(positive_copy(child) for child in module))
        if isinstance(module, nn.MaxPool2d):
            return nn.AvgPool2d(module.kernel_size, module.stride, module.padding, ceil_mode=module.ceil_mode)
        clone = copy.deepcopy(module).double().eval()
        with torch.no_grad():
            for name, parameter in clone.named_parameters():
                parameter.fill_(0.0 if "bias" in name else 1.0)
        if hasattr(clone, "reset_running_stats"):
            clone.reset_running_stats()
        return clone

    probe = positive_copy(model).double().eval()
    channels, height, width = input_shape[-3:]
    x = torch.ones(1, channels, height, width, dtype=torch.float64, requires_grad=True)
    out = probe(x)
    (grad,) = torch.autograd.grad(out[0, 0, out.shape[-2] // 2, out.shape[-1] // 2], x)
    where = grad.abs().sum(dim=(0, 1)).nonzero()  # (number of pixels, 2): their (row, column)
    height, width = (where.max(dim=0).values - where.min(dim=0).values + 1).tolist()
    return int(height), int(width)
""",
        why="rebuilds the model layer by layer instead of editing a deep copy in place",
    ),
    # ---------------------------------------------------------------------------------------------- alexnet_layers
    Mutant(
        "alexnet_layers",
        "alexnet_layers_caffe_padding",
        "wrong",
        """
def alexnet_layers():
    return [(11, 4, 0, 1), (3, 2, 0, 1), (5, 1, 2, 1), (3, 2, 0, 1),  # conv1 without padding (the 227-pixel original)
            (3, 1, 1, 1), (3, 1, 1, 1), (3, 1, 1, 1), (3, 2, 0, 1)]
""",
        why="conv1 without padding, as in the original 227-pixel Caffe model: same field, shifted",
    ),
    Mutant(
        "alexnet_layers",
        "alexnet_layers_pool_2x2",
        "wrong",
        """
def alexnet_layers():
    return [(11, 4, 2, 1), (2, 2, 0, 1), (5, 1, 2, 1), (2, 2, 0, 1),  # the usual 2x2 pooling, not AlexNet's 3x3
            (3, 1, 1, 1), (3, 1, 1, 1), (3, 1, 1, 1), (2, 2, 0, 1)]
""",
        why="2x2 max poolings instead of AlexNet's overlapping 3x3 ones",
    ),
    Mutant(
        "alexnet_layers",
        "alexnet_layers_no_pool5",
        "wrong",
        """
def alexnet_layers():
    return [(11, 4, 2, 1), (3, 2, 0, 1), (5, 1, 2, 1), (3, 2, 0, 1), (3, 1, 1, 1), (3, 1, 1, 1), (3, 1, 1, 1)]
""",
        why="stops at conv5 and forgets the last max pooling",
    ),
    Mutant(
        "alexnet_layers",
        "alexnet_layers_pool_stride_1",
        "wrong",
        """
def alexnet_layers():
    return [(11, 4, 2, 1), (3, 1, 0, 1), (5, 1, 2, 1), (3, 1, 0, 1),  # "stride 1 by default"
            (3, 1, 1, 1), (3, 1, 1, 1), (3, 1, 1, 1), (3, 1, 0, 1)]
""",
        why="gives the poolings stride 1, as if a pooling's stride defaulted to 1",
    ),
    Mutant(
        "alexnet_layers",
        "alexnet_layers_from_model",
        "correct",
        """
def alexnet_layers():
    features = nn.Sequential(  # torchvision's AlexNet features, channels included
        nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2), nn.ReLU(inplace=True),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(64, 192, kernel_size=5, padding=2), nn.ReLU(inplace=True),
        nn.MaxPool2d(kernel_size=3, stride=2),
        nn.Conv2d(192, 384, kernel_size=3, padding=1), nn.ReLU(inplace=True),
        nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
        nn.Conv2d(256, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
        nn.MaxPool2d(kernel_size=3, stride=2),
    )
    return layer_geometry(features)
""",
        why="writes the model as torchvision does and reads the list with layer_geometry",
    ),
    # ----------------------------------------------------------------------------------------------- vgg16_layers
    Mutant(
        "vgg16_layers",
        "vgg16_layers_no_pool5",
        "wrong",
        """
def vgg16_layers():
    layers = []
    for convs in (2, 2, 3, 3, 3):
        layers += [(3, 1, 1, 1)] * convs + [(2, 2, 0, 1)]
    return layers[:-1]  # stops at conv5_3
""",
        why="stops at the last convolution, before pool5",
    ),
    Mutant(
        "vgg16_layers",
        "vgg16_layers_two_convs_per_block",
        "wrong",
        """
def vgg16_layers():
    layers = []
    for _ in range(5):
        layers += [(3, 1, 1, 1), (3, 1, 1, 1), (2, 2, 0, 1)]  # VGG-13's blocks
    return layers
""",
        why="two convolutions in every block (that is VGG-13)",
    ),
    Mutant(
        "vgg16_layers",
        "vgg16_layers_no_padding",
        "wrong",
        """
def vgg16_layers():
    layers = []
    for convs in (2, 2, 3, 3, 3):
        layers += [(3, 1, 0, 1)] * convs + [(2, 2, 0, 1)]  # padding forgotten: same field, wrong place
    return layers
""",
        why="forgets the padding of the convolutions: the field is right, its position and the sizes are not",
    ),
    Mutant(
        "vgg16_layers",
        "vgg16_layers_from_config",
        "correct",
        """
def vgg16_layers():
    config = [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]  # "D"
    return [(2, 2, 0, 1) if item == "M" else (3, 1, 1, 1) for item in config]
""",
        why="torchvision's configuration list, one tuple per entry",
    ),
    # -------------------------------------------------------------------------------------------- resnet18_layers
    Mutant(
        "resnet18_layers",
        "resnet18_layers_max_pool_no_padding",
        "wrong",
        """
def resnet18_layers():
    layers = [(7, 2, 3, 1), (3, 2, 0, 1)]  # the max pooling's padding forgotten
    for stage in range(4):
        layers += [(3, 2 if stage else 1, 1, 1)] + [(3, 1, 1, 1)] * 3
    return layers
""",
        why="forgets the padding of the stem's max pooling: same field, shifted, smaller outputs",
    ),
    Mutant(
        "resnet18_layers",
        "resnet18_layers_no_max_pool",
        "wrong",
        """
def resnet18_layers():
    layers = [(7, 2, 3, 1)]  # the stem's max pooling left out
    for stage in range(4):
        layers += [(3, 2 if stage else 1, 1, 1)] + [(3, 1, 1, 1)] * 3
    return layers
""",
        why="leaves out the max pooling of the stem",
    ),
    Mutant(
        "resnet18_layers",
        "resnet18_layers_stride_in_second_conv",
        "wrong",
        """
def resnet18_layers():
    layers = [(7, 2, 3, 1), (3, 2, 1, 1)]
    for stage in range(4):
        layers += [(3, 1, 1, 1), (3, 2 if stage else 1, 1, 1), (3, 1, 1, 1), (3, 1, 1, 1)]  # stride on conv2
    return layers
""",
        why="puts the stride 2 on the second convolution of the first block of a stage",
    ),
    Mutant(
        "resnet18_layers",
        "resnet18_layers_with_shortcuts",
        "wrong",
        """
def resnet18_layers():
    layers = [(7, 2, 3, 1), (3, 2, 1, 1)]
    for stage in range(4):
        if stage:
            layers += [(1, 2, 0, 1)]  # the 1x1 shortcut convolution, which is not on the main path
        layers += [(3, 2 if stage else 1, 1, 1)] + [(3, 1, 1, 1)] * 3
    return layers
""",
        why="puts the 1x1 shortcut convolutions into the chain",
    ),
    Mutant(
        "resnet18_layers",
        "resnet18_layers_one_block_per_stage",
        "wrong",
        """
def resnet18_layers():
    layers = [(7, 2, 3, 1), (3, 2, 1, 1)]
    for stage in range(4):
        layers += [(3, 2 if stage else 1, 1, 1), (3, 1, 1, 1)]  # one basic block per stage (two convolutions)
    return layers
""",
        why="counts one basic block per stage instead of two",
    ),
    Mutant(
        "resnet18_layers",
        "resnet18_layers_stages_as_data",
        "correct",
        """
def resnet18_layers():
    def make_stage(num_blocks, stride):
        convs = []
        for block in range(num_blocks):
            convs += [(3, stride if block == 0 else 1, 1, 1), (3, 1, 1, 1)]
        return convs

    layers = [(7, 2, 3, 1), (3, 2, 1, 1)]
    for num_blocks, stride in zip((2, 2, 2, 2), (1, 2, 2, 2)):
        layers += make_stage(num_blocks, stride)
    return layers
""",
        why="stages built from data (blocks per stage, stride), like torchvision's _make_layer",
    ),
    Mutant(
        "resnet18_layers",
        "resnet18_layers_from_model",
        "correct",
        """
def resnet18_layers():
    def block(c_in, c_out, stride):  # the main path of a basic block
        return nn.Sequential(nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(),
                             nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False), nn.BatchNorm2d(c_out))

    stem = nn.Sequential(nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1))
    stages = [block(64, 64, 1), block(64, 64, 1), block(64, 128, 2), block(128, 128, 1),
              block(128, 256, 2), block(256, 256, 1), block(256, 512, 2), block(512, 512, 1)]
    return layer_geometry(nn.Sequential(stem, *stages))
""",
        why="the main path as nested nn.Sequential modules, read by layer_geometry",
    ),
]

# The demo's buggy student: one mistake in each of four functions, so it lands between 0 and full marks.
BUGGY = [
    "receptive_field_start_without_jump",
    "layer_geometry_no_recursion",
    "empirical_receptive_field_keeps_max_pool",
    "resnet18_layers_max_pool_no_padding",
]
