"""Mutants of unit 08 (ResNet): realistic wrong versions and correct alternatives of each graded function.

Each `source` replaces the whole solution cell; it may use what the setup and helper cells define (math, torch, F,
nn, conv3x3, conv1x1) and the classes and functions of the cells above it. Most wrong versions are one edit of
the reference, written with `_edit` so that the edit is visible here and fails loudly if the reference changes.
The cifar_resnet cell also defines CifarResNet(block, depth, num_classes), which the reference plain_net reuses:
its correct alternatives keep that class.
"""

from autograder.mutants import Mutant


def _edit(source: str, old: str, new: str, count: int = 1) -> str:
    """`source` with `old` replaced by `new`; `old` must occur exactly `count` times."""
    found = source.count(old)
    if found != count:
        raise ValueError(f"mutant edit: {old!r} occurs {found} times, expected {count}")
    return source.replace(old, new)


BASIC = """
class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.conv1 = conv3x3(in_channels, out_channels, stride)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(out_channels, out_channels)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(conv1x1(in_channels, out_channels, stride), nn.BatchNorm2d(out_channels))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)
"""

BOTTLENECK = """
class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, in_channels, width, stride=1):
        super().__init__()
        out_channels = width * self.expansion
        self.conv1 = conv1x1(in_channels, width)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = conv3x3(width, width, stride)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = conv1x1(width, out_channels)
        self.bn3 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(conv1x1(in_channels, out_channels, stride), nn.BatchNorm2d(out_channels))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)
"""

MAKE_STAGE = """
def make_stage(block, in_channels, out_channels, num_blocks, stride):
    if num_blocks < 1:
        raise ValueError("a stage needs at least one block")
    blocks = [block(in_channels, out_channels, stride)]
    channels = out_channels * block.expansion
    blocks += [block(channels, out_channels, 1) for _ in range(num_blocks - 1)]
    return nn.Sequential(*blocks)
"""

INIT = """
def init_weights(model, zero_init_residual=False):
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
    if zero_init_residual:
        for m in model.modules():
            if isinstance(m, Bottleneck):
                nn.init.zeros_(m.bn3.weight)
            elif isinstance(m, BasicBlock):
                nn.init.zeros_(m.bn2.weight)
"""

RESNET = """
class ResNet(nn.Module):
    def __init__(self, block, layers, num_classes=1000, zero_init_residual=False):
        super().__init__()
        if len(layers) != 4:
            raise ValueError("ResNet has four stages")
        e = block.expansion
        self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = make_stage(block, 64, 64, layers[0], 1)
        self.layer2 = make_stage(block, 64 * e, 128, layers[1], 2)
        self.layer3 = make_stage(block, 128 * e, 256, layers[2], 2)
        self.layer4 = make_stage(block, 256 * e, 512, layers[3], 2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512 * e, num_classes)
        init_weights(self, zero_init_residual)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = torch.flatten(self.avgpool(x), 1)
        return self.fc(x)
"""

CIFAR = """
class ShortcutA(nn.Module):
    def __init__(self, in_channels, out_channels, stride):
        super().__init__()
        self.stride, self.extra = stride, out_channels - in_channels

    def forward(self, x):
        x = x[:, :, :: self.stride, :: self.stride]
        return F.pad(x, (0, 0, 0, 0, 0, self.extra))


class CifarBasicBlock(BasicBlock):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__(in_channels, out_channels, stride)
        if self.downsample is not None:
            self.downsample = ShortcutA(in_channels, out_channels, stride)


class CifarResNet(nn.Module):
    def __init__(self, block, depth, num_classes=10):
        super().__init__()
        if depth < 8 or (depth - 2) % 6 != 0:
            raise ValueError(f"depth must be 6n + 2, got {depth}")
        n = (depth - 2) // 6
        self.conv1 = conv3x3(3, 16)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu = nn.ReLU(inplace=True)
        self.layer1 = make_stage(block, 16, 16, n, 1)
        self.layer2 = make_stage(block, 16, 32, n, 2)
        self.layer3 = make_stage(block, 32, 64, n, 2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(64, num_classes)
        init_weights(self)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def cifar_resnet(depth, num_classes=10):
    return CifarResNet(CifarBasicBlock, depth, num_classes)
"""

PLAIN = """
class PlainBlock(nn.Module):
    expansion = 1

    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.conv1 = conv3x3(in_channels, out_channels, stride)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(out_channels, out_channels)
        self.bn2 = nn.BatchNorm2d(out_channels)

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(out)))


def plain_net(depth, num_classes=10):
    return CifarResNet(PlainBlock, depth, num_classes)
"""

MUTANTS = [
    # ------------------------------------------------------------------------------------------ BasicBlock
    Mutant(
        "BasicBlock",
        "basic_relu_before_add",
        "wrong",
        _edit(BASIC, """        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)""", """        out = self.relu(self.bn2(self.conv2(out)))  # ReLU on the residual, before the addition
        return out + identity"""),
        why="applies the last ReLU to the residual before the addition (and none after it)",
    ),
    Mutant(
        "BasicBlock",
        "basic_shortcut_ignores_stride",
        "wrong",
        _edit(BASIC, "if stride != 1 or in_channels != out_channels:", "if in_channels != out_channels:"),
        why="projects only when the channels change: a stride-2 block with equal channels keeps the identity",
    ),
    Mutant(
        "BasicBlock",
        "basic_projection_without_stride",
        "wrong",
        _edit(BASIC, "nn.Sequential(conv1x1(in_channels, out_channels, stride),",
              "nn.Sequential(conv1x1(in_channels, out_channels),"),
        why="the projection's 1x1 convolution has stride 1, so the shortcut keeps the full resolution",
    ),
    Mutant(
        "BasicBlock",
        "basic_downsample_without_bn",
        "wrong",
        _edit(BASIC, "nn.Sequential(conv1x1(in_channels, out_channels, stride), nn.BatchNorm2d(out_channels))",
              "nn.Sequential(conv1x1(in_channels, out_channels, stride))"),
        why="the projection shortcut has no batch normalisation (no downsample.1)",
    ),
    Mutant(
        "BasicBlock",
        "basic_expansion_4",
        "wrong",
        _edit(_edit(_edit(BASIC, "expansion = 1", "expansion = 4"),
                    """        self.conv2 = conv3x3(out_channels, out_channels)
        self.bn2 = nn.BatchNorm2d(out_channels)""",
                    """        self.conv2 = conv3x3(out_channels, out_channels * self.expansion)
        self.bn2 = nn.BatchNorm2d(out_channels * self.expansion)"""),
              """        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(conv1x1(in_channels, out_channels, stride), nn.BatchNorm2d(out_channels))""",
              """        if stride != 1 or in_channels != out_channels * self.expansion:
            self.downsample = nn.Sequential(
                conv1x1(in_channels, out_channels * self.expansion, stride), nn.BatchNorm2d(out_channels * self.expansion)
            )"""),
        why="copies Bottleneck's expansion 4 into BasicBlock, which then outputs 4 * out_channels channels",
    ),
    Mutant(
        "BasicBlock",
        "basic_stride_on_conv2",
        "wrong",
        _edit(_edit(BASIC, "self.conv1 = conv3x3(in_channels, out_channels, stride)",
                    "self.conv1 = conv3x3(in_channels, out_channels)"),
              "self.conv2 = conv3x3(out_channels, out_channels)", "self.conv2 = conv3x3(out_channels, out_channels, stride)"),
        why="puts the stride on the second 3x3 convolution instead of the first",
    ),
    Mutant(
        "BasicBlock",
        "basic_conv_bias",
        "wrong",
        _edit(_edit(BASIC, "self.conv1 = conv3x3(in_channels, out_channels, stride)",
                    "self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1)"),
              "self.conv2 = conv3x3(out_channels, out_channels)", "self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1)"),
        why="convolutions with a bias before batch norm (torchvision has no conv biases)",
    ),
    Mutant(
        "BasicBlock",
        "basic_identity_module",
        "correct",
        """
class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        needs_projection = stride > 1 or in_channels != out_channels
        self.downsample = (
            nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride, bias=False), nn.BatchNorm2d(out_channels))
            if needs_projection
            else nn.Identity()
        )

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += self.downsample(x)
        return F.relu(out)
""",
        why="nn.Identity instead of None, nn.Conv2d written out, F.relu and an in-place addition",
    ),
    Mutant(
        "BasicBlock",
        "basic_shortcut_method",
        "correct",
        """
class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.relu = nn.ReLU(inplace=True)  # no parameters: its place in __init__ does not change the state_dict
        self.conv1 = conv3x3(in_channels, out_channels, stride=stride)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = conv3x3(out_channels, out_channels, stride=1)
        self.bn2 = nn.BatchNorm2d(out_channels)
        if (stride, in_channels) == (1, out_channels):
            self.downsample = None
        else:
            self.downsample = nn.Sequential()
            self.downsample.append(conv1x1(in_channels, out_channels, stride))
            self.downsample.append(nn.BatchNorm2d(out_channels))

    def shortcut(self, x):
        return x if self.downsample is None else self.downsample(x)

    def forward(self, x):
        residual = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return self.relu(residual + self.shortcut(x))
""",
        why="relu defined first, the projection appended to an empty Sequential, a shortcut method",
    ),
    # ------------------------------------------------------------------------------------------ Bottleneck
    Mutant(
        "Bottleneck",
        "bottleneck_stride_on_first_1x1",
        "wrong",
        _edit(_edit(BOTTLENECK, "self.conv1 = conv1x1(in_channels, width)", "self.conv1 = conv1x1(in_channels, width, stride)"),
              "self.conv2 = conv3x3(width, width, stride)", "self.conv2 = conv3x3(width, width)"),
        why="ResNet v1: the stride on the first 1x1 convolution instead of the 3x3 (torchvision's v1.5)",
    ),
    Mutant(
        "Bottleneck",
        "bottleneck_no_expansion",
        "wrong",
        _edit(BOTTLENECK, "out_channels = width * self.expansion", "out_channels = width"),
        why="forgets the expansion: the last 1x1 convolution outputs width channels instead of 4 * width",
    ),
    Mutant(
        "Bottleneck",
        "bottleneck_downsample_without_bn",
        "wrong",
        _edit(BOTTLENECK, "nn.Sequential(conv1x1(in_channels, out_channels, stride), nn.BatchNorm2d(out_channels))",
              "nn.Sequential(conv1x1(in_channels, out_channels, stride))"),
        why="the projection shortcut has no batch normalisation",
    ),
    Mutant(
        "Bottleneck",
        "bottleneck_projection_only_for_stride",
        "wrong",
        _edit(BOTTLENECK, "if stride != 1 or in_channels != out_channels:", "if stride != 1:"),
        why="projects only when the stride is 2: the first block of ResNet-50 (64 -> 256 channels) has none",
    ),
    Mutant(
        "Bottleneck",
        "bottleneck_relu_before_add",
        "wrong",
        _edit(BOTTLENECK, """        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)""", """        out = self.relu(self.bn3(self.conv3(out)))
        return self.relu(out + identity)"""),
        why="a ReLU on the residual before the addition (the residual can no longer be negative)",
    ),
    Mutant(
        "Bottleneck",
        "bottleneck_functional",
        "correct",
        """
class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, in_channels, width, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, width, kernel_size=1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, Bottleneck.expansion * width, kernel_size=1, bias=False)
        self.bn3 = nn.BatchNorm2d(Bottleneck.expansion * width)
        self.relu = nn.ReLU()
        project = stride != 1 or in_channels != Bottleneck.expansion * width
        self.downsample = nn.Sequential(
            nn.Conv2d(in_channels, Bottleneck.expansion * width, kernel_size=1, stride=stride, bias=False),
            nn.BatchNorm2d(Bottleneck.expansion * width),
        ) if project else None

    def forward(self, x):
        out = x
        for conv, bn in ((self.conv1, self.bn1), (self.conv2, self.bn2)):
            out = F.relu(bn(conv(out)))
        out = self.bn3(self.conv3(out))
        if self.downsample is not None:
            x = self.downsample(x)
        return F.relu(out + x)
""",
        why="nn.Conv2d written out, a loop over the first two conv-bn pairs, F.relu",
    ),
    # ------------------------------------------------------------------------------------------ make_stage
    Mutant(
        "make_stage",
        "make_stage_stride_every_block",
        "wrong",
        _edit(MAKE_STAGE, "block(channels, out_channels, 1)", "block(channels, out_channels, stride)"),
        why="gives every block of the stage the stride, so each one halves the resolution again",
    ),
    Mutant(
        "make_stage",
        "make_stage_in_channels_not_updated",
        "wrong",
        _edit(MAKE_STAGE, "block(channels, out_channels, 1)", "block(in_channels, out_channels, 1)"),
        why="every block receives the stage's in_channels, not what the block before it outputs",
    ),
    Mutant(
        "make_stage",
        "make_stage_channels_without_expansion",
        "wrong",
        _edit(MAKE_STAGE, "channels = out_channels * block.expansion", "channels = out_channels"),
        why="forgets the expansion: after a Bottleneck the next block expects width instead of 4 * width channels",
    ),
    Mutant(
        "make_stage",
        "make_stage_one_block_too_many",
        "wrong",
        _edit(MAKE_STAGE, "for _ in range(num_blocks - 1)", "for _ in range(num_blocks)"),
        why="builds num_blocks blocks after the first one",
    ),
    Mutant(
        "make_stage",
        "make_stage_global_inplanes",
        "wrong",
        """
inplanes = 64  # torchvision's self.inplanes, turned into a global


def make_stage(block, in_channels, out_channels, num_blocks, stride):
    global inplanes
    blocks = [block(inplanes, out_channels, stride)]
    inplanes = out_channels * block.expansion
    for _ in range(1, num_blocks):
        blocks.append(block(inplanes, out_channels))
    return nn.Sequential(*blocks)
""",
        why="copies torchvision's mutated self.inplanes as global state and ignores the in_channels argument",
    ),
    Mutant(
        "make_stage",
        "make_stage_loop",
        "correct",
        """
def make_stage(block, in_channels, out_channels, num_blocks, stride):
    if not num_blocks >= 1:
        raise ValueError(f"num_blocks must be at least 1, got {num_blocks}")
    stage = nn.Sequential()
    for index in range(num_blocks):
        stage.append(block(in_channels, out_channels, stride=stride if index == 0 else 1))
        in_channels = out_channels * block.expansion
    return stage
""",
        why="one loop that appends to an empty Sequential and updates the local in_channels",
    ),
    # ---------------------------------------------------------------------------------------- init_weights
    Mutant(
        "init_weights",
        "init_fan_in",
        "wrong",
        _edit(INIT, 'mode="fan_out"', 'mode="fan_in"'),
        why="He initialisation with fan-in (PyTorch's default mode) instead of torchvision's fan-out",
    ),
    Mutant(
        "init_weights",
        "init_kaiming_uniform",
        "wrong",
        _edit(INIT, "nn.init.kaiming_normal_(", "nn.init.kaiming_uniform_("),
        why="a uniform distribution with the He standard deviation instead of a normal one",
    ),
    Mutant(
        "init_weights",
        "init_xavier",
        "wrong",
        _edit(INIT, 'nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")', "nn.init.xavier_normal_(m.weight)"),
        why="Glorot (Xavier) initialisation, which ignores the ReLU's halving of the variance",
    ),
    Mutant(
        "init_weights",
        "init_batchnorm_untouched",
        "wrong",
        _edit(INIT, """        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
""", ""),
        why="does not reset the batch norms to weight 1 and bias 0",
    ),
    Mutant(
        "init_weights",
        "init_zero_bn1",
        "wrong",
        _edit(_edit(INIT, "nn.init.zeros_(m.bn3.weight)", "nn.init.zeros_(m.bn1.weight)"),
              "nn.init.zeros_(m.bn2.weight)", "nn.init.zeros_(m.bn1.weight)"),
        why="zero-inits the first batch norm of each block instead of the last",
    ),
    Mutant(
        "init_weights",
        "init_zero_bn2_everywhere",
        "wrong",
        _edit(INIT, """            if isinstance(m, Bottleneck):
                nn.init.zeros_(m.bn3.weight)
            elif isinstance(m, BasicBlock):
                nn.init.zeros_(m.bn2.weight)""", """            if isinstance(m, (BasicBlock, Bottleneck)):
                nn.init.zeros_(m.bn2.weight)"""),
        why="zeroes bn2 in every block: right for a BasicBlock, the wrong (middle) batch norm of a Bottleneck",
    ),
    Mutant(
        "init_weights",
        "init_zero_always",
        "wrong",
        _edit(INIT, "    if zero_init_residual:\n        for m in model.modules():", "    if True:\n        for m in model.modules():"),
        why="zero-inits the last batch norms whether or not zero_init_residual is set",
    ),
    Mutant(
        "init_weights",
        "init_single_pass_reset",
        "wrong",
        """
def init_weights(model, zero_init_residual=False):
    for m in model.modules():  # pre-order: a block comes before its own batch norms
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
        elif zero_init_residual and isinstance(m, Bottleneck):
            nn.init.zeros_(m.bn3.weight)  # ... so the loop later visits bn3 and sets it back to 1
        elif zero_init_residual and isinstance(m, BasicBlock):
            nn.init.zeros_(m.bn2.weight)
""",
        why="zeroes in the same loop that resets the batch norms, which are visited after their block: undone",
    ),
    Mutant(
        "init_weights",
        "init_by_hand",
        "correct",
        """
def init_weights(model, zero_init_residual=False):
    last_norms = []
    for module in model.modules():
        if isinstance(module, nn.Conv2d):
            out_channels, _, kh, kw = module.weight.shape
            with torch.no_grad():
                module.weight.normal_(0.0, math.sqrt(2.0 / (out_channels * kh * kw)))
        if isinstance(module, nn.BatchNorm2d):
            with torch.no_grad():
                module.weight.fill_(1.0)
                module.bias.zero_()
        if isinstance(module, (BasicBlock, Bottleneck)):
            last_norms.append(module.bn3 if module.expansion == 4 else module.bn2)
    if zero_init_residual:
        with torch.no_grad():
            for bn in last_norms:
                bn.weight.zero_()
""",
        why="draws N(0, 2 / fan_out) with Tensor.normal_, collects the last batch norms through expansion, zeroes them after",
    ),
    # ---------------------------------------------------------------------------------------------- ResNet
    Mutant(
        "ResNet",
        "resnet_no_maxpool",
        "wrong",
        _edit(RESNET, "x = self.maxpool(self.relu(self.bn1(self.conv1(x))))", "x = self.relu(self.bn1(self.conv1(x)))"),
        why="forgets the stem's max pooling: every later map is twice as large",
    ),
    Mutant(
        "ResNet",
        "resnet_maxpool_without_padding",
        "wrong",
        _edit(RESNET, "nn.MaxPool2d(kernel_size=3, stride=2, padding=1)", "nn.MaxPool2d(kernel_size=3, stride=2)"),
        why="max pooling without padding: 112 -> 55 instead of 56",
    ),
    Mutant(
        "ResNet",
        "resnet_fc_ignores_expansion",
        "wrong",
        _edit(RESNET, "self.fc = nn.Linear(512 * e, num_classes)", "self.fc = nn.Linear(512, num_classes)"),
        why="the final linear layer takes 512 features even for Bottleneck networks (2048)",
    ),
    Mutant(
        "ResNet",
        "resnet_zero_init_not_passed",
        "wrong",
        _edit(RESNET, "init_weights(self, zero_init_residual)", "init_weights(self)"),
        why="does not pass zero_init_residual on to init_weights",
    ),
    Mutant(
        "ResNet",
        "resnet_layer1_stride_2",
        "wrong",
        _edit(RESNET, "make_stage(block, 64, 64, layers[0], 1)", "make_stage(block, 64, 64, layers[0], 2)"),
        why="the first stage halves the resolution too (the max pool already did)",
    ),
    Mutant(
        "ResNet",
        "resnet_fixed_avgpool",
        "wrong",
        _edit(RESNET, "self.avgpool = nn.AdaptiveAvgPool2d((1, 1))", "self.avgpool = nn.AvgPool2d(7)"),
        why="a fixed 7x7 average pooling, which works for 224x224 inputs only",
    ),
    Mutant(
        "ResNet",
        "resnet_stem_3x3",
        "wrong",
        _edit(RESNET, "nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)",
              "nn.Conv2d(3, 64, kernel_size=3, stride=2, padding=1, bias=False)"),
        why="a 3x3 stem convolution instead of the 7x7 one",
    ),
    Mutant(
        "ResNet",
        "resnet_stage_loop",
        "correct",
        """
class ResNet(nn.Module):
    widths = (64, 128, 256, 512)

    def __init__(self, block, layers, num_classes=1000, zero_init_residual=False):
        super().__init__()
        layers = list(layers)
        if len(layers) != len(self.widths):
            raise ValueError(f"expected 4 stage sizes, got {layers}")
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        channels = 64
        for k, (width, num_blocks) in enumerate(zip(self.widths, layers), start=1):
            self.add_module(f"layer{k}", make_stage(block, channels, width, num_blocks, 1 if k == 1 else 2))
            channels = width * block.expansion
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(channels, num_classes)
        init_weights(self, zero_init_residual=zero_init_residual)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        for k in range(1, 5):
            x = getattr(self, f"layer{k}")(x)
        return self.fc(x.mean(dim=(2, 3)))
""",
        why="stages built in a loop with add_module, the running channel count a local, mean instead of avgpool",
    ),
    # -------------------------------------------------------------------------------------------- variants
    Mutant("resnet18", "resnet18_layers_of_34", "wrong", """
def resnet18(num_classes=1000):
    return ResNet(BasicBlock, (3, 4, 6, 3), num_classes)
""", why="ResNet-34's layers (3, 4, 6, 3)"),
    Mutant("resnet18", "resnet18_bottleneck", "wrong", """
def resnet18(num_classes=1000):
    return ResNet(Bottleneck, (2, 2, 2, 2), num_classes)
""", why="Bottleneck blocks instead of BasicBlocks"),
    Mutant("resnet18", "resnet18_ignores_num_classes", "wrong", """
def resnet18(num_classes=1000):
    return ResNet(BasicBlock, (2, 2, 2, 2))
""", why="does not pass num_classes on: always 1000 classes"),
    Mutant("resnet18", "resnet18_zero_init", "wrong", """
def resnet18(num_classes=1000):
    return ResNet(BasicBlock, (2, 2, 2, 2), num_classes, zero_init_residual=True)
""", why="turns zero_init_residual on, which is not torchvision's default"),
    Mutant("resnet18", "resnet18_keywords", "correct", """
RESNET18 = dict(block=BasicBlock, layers=[2, 2, 2, 2])


def resnet18(num_classes=1000):
    return ResNet(**RESNET18, num_classes=num_classes, zero_init_residual=False)
""", why="the variant as a dict of data, keyword arguments, a list"),
    Mutant("resnet34", "resnet34_layers_of_18", "wrong", """
def resnet34(num_classes=1000):
    return ResNet(BasicBlock, (2, 2, 2, 2), num_classes)
""", why="ResNet-18's layers (2, 2, 2, 2)"),
    Mutant("resnet34", "resnet34_bottleneck", "wrong", """
def resnet34(num_classes=1000):
    return ResNet(Bottleneck, (3, 4, 6, 3), num_classes)
""", why="Bottleneck blocks: that is ResNet-50"),
    Mutant("resnet34", "resnet34_layers_swapped", "wrong", """
def resnet34(num_classes=1000):
    return ResNet(BasicBlock, (3, 6, 4, 3), num_classes)
""", why="the middle stage sizes swapped"),
    Mutant("resnet34", "resnet34_ignores_num_classes", "wrong", """
def resnet34(num_classes=1000):
    return ResNet(BasicBlock, (3, 4, 6, 3))
""", why="does not pass num_classes on"),
    Mutant("resnet34", "resnet34_keywords", "correct", """
def resnet34(num_classes=1000):
    return ResNet(block=BasicBlock, layers=[3, 4, 6, 3], num_classes=num_classes)
""", why="keyword arguments and a list"),
    Mutant("resnet50", "resnet50_basic_blocks", "wrong", """
def resnet50(num_classes=1000):
    return ResNet(BasicBlock, (3, 4, 6, 3), num_classes)
""", why="BasicBlocks: that is ResNet-34"),
    Mutant("resnet50", "resnet50_layers_of_101", "wrong", """
def resnet50(num_classes=1000):
    return ResNet(Bottleneck, (3, 4, 23, 3), num_classes)
""", why="ResNet-101's layers (3, 4, 23, 3)"),
    Mutant("resnet50", "resnet50_layers_of_18", "wrong", """
def resnet50(num_classes=1000):
    return ResNet(Bottleneck, (2, 2, 2, 2), num_classes)
""", why="ResNet-18's layers with Bottlenecks (ResNet-26)"),
    Mutant("resnet50", "resnet50_ignores_num_classes", "wrong", """
def resnet50(num_classes=1000):
    return ResNet(Bottleneck, (3, 4, 6, 3))
""", why="does not pass num_classes on"),
    Mutant("resnet50", "resnet50_table", "correct", """
RESNETS = {18: (BasicBlock, (2, 2, 2, 2)), 34: (BasicBlock, (3, 4, 6, 3)), 50: (Bottleneck, (3, 4, 6, 3))}


def resnet50(num_classes=1000):
    block, layers = RESNETS[50]
    return ResNet(block, layers, num_classes=num_classes)
""", why="the variants as a table of data"),
    # ---------------------------------------------------------------------------------------- cifar_resnet
    Mutant(
        "cifar_resnet",
        "cifar_option_b",
        "wrong",
        _edit(CIFAR, "return CifarResNet(CifarBasicBlock, depth, num_classes)", "return CifarResNet(BasicBlock, depth, num_classes)"),
        why="option B: 1x1 projection shortcuts with parameters, so ResNet-20 has more than 269,722",
    ),
    Mutant(
        "cifar_resnet",
        "cifar_wrong_n",
        "wrong",
        _edit(CIFAR, "n = (depth - 2) // 6", "n = (depth - 2) // 3"),
        why="counts one layer per block: n = (depth - 2) / 3 blocks per stage, twice too many",
    ),
    Mutant(
        "cifar_resnet",
        "cifar_no_depth_check",
        "wrong",
        _edit(CIFAR, """        if depth < 8 or (depth - 2) % 6 != 0:
            raise ValueError(f"depth must be 6n + 2, got {depth}")
""", ""),
        why="accepts any depth (21 silently builds ResNet-20)",
    ),
    Mutant(
        "cifar_resnet",
        "cifar_pad_both_sides",
        "wrong",
        _edit(CIFAR, "return F.pad(x, (0, 0, 0, 0, 0, self.extra))",
              "return F.pad(x, (0, 0, 0, 0, self.extra // 2, self.extra - self.extra // 2))"),
        why="pads the new zero channels on both sides instead of after the existing channels (the convention)",
    ),
    Mutant(
        "cifar_resnet",
        "cifar_average_shortcut",
        "wrong",
        _edit(CIFAR, "x = x[:, :, :: self.stride, :: self.stride]",
              "x = F.avg_pool2d(x, self.stride, ceil_mode=True) if self.stride > 1 else x"),
        why="averages 2x2 windows in the shortcut instead of taking every second pixel",
    ),
    Mutant(
        "cifar_resnet",
        "cifar_imagenet_stem",
        "wrong",
        _edit(CIFAR, "x = self.relu(self.bn1(self.conv1(x)))",
              "x = F.max_pool2d(self.relu(self.bn1(self.conv1(x))), 3, stride=2, padding=1)"),
        why="keeps ImageNet's max pooling in the stem: 32x32 images reach the first stage at 16x16",
    ),
    Mutant(
        "cifar_resnet",
        "cifar_concat_zeros",
        "correct",
        """
class ShortcutA(nn.Module):
    def __init__(self, in_channels, out_channels, stride):
        super().__init__()
        self.in_channels, self.out_channels, self.stride = in_channels, out_channels, stride

    def forward(self, x):
        x = F.avg_pool2d(x, kernel_size=1, stride=self.stride)  # a 1x1 window with stride 2 picks every second pixel
        zeros = x.new_zeros(x.shape[0], self.out_channels - self.in_channels, *x.shape[2:])
        return torch.cat([x, zeros], dim=1)


class CifarBlock(nn.Module):
    expansion = 1

    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.conv1 = conv3x3(in_channels, out_channels, stride)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU()
        self.conv2 = conv3x3(out_channels, out_channels)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.downsample = ShortcutA(in_channels, out_channels, stride)

    def forward(self, x):
        out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return self.relu(out + self.downsample(x))


class CifarResNet(nn.Module):
    def __init__(self, block, depth, num_classes=10):
        super().__init__()
        n, rest = divmod(depth - 2, 6)
        if rest or n < 1:
            raise ValueError(f"depth {depth} is not 6n + 2")
        self.conv1 = conv3x3(3, 16)
        self.bn1 = nn.BatchNorm2d(16)
        self.relu = nn.ReLU()
        channels = 16
        for k, width in enumerate((16, 32, 64), start=1):
            setattr(self, f"layer{k}", make_stage(block, channels, width, n, 1 if k == 1 else 2))
            channels = width
        self.fc = nn.Linear(64, num_classes)
        init_weights(self)

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(x.mean(dim=(2, 3)))


def cifar_resnet(depth, num_classes=10):
    return CifarResNet(CifarBlock, depth, num_classes)
""",
        why="a block of its own whose shortcut is always option A, a 1x1 average pooling with stride and torch.cat",
    ),
    # ------------------------------------------------------------------------------------------- plain_net
    Mutant(
        "plain_net",
        "plain_shortcut_left_in",
        "wrong",
        """
def plain_net(depth, num_classes=10):
    return cifar_resnet(depth, num_classes)
""",
        why="keeps the shortcuts: the residual network itself",
    ),
    Mutant(
        "plain_net",
        "plain_no_last_relu",
        "wrong",
        _edit(PLAIN, "return self.relu(self.bn2(self.conv2(out)))", "return self.bn2(self.conv2(out))"),
        why="removes the last ReLU together with the shortcut",
    ),
    Mutant(
        "plain_net",
        "plain_stride_on_conv2",
        "wrong",
        _edit(_edit(PLAIN, "self.conv1 = conv3x3(in_channels, out_channels, stride)", "self.conv1 = conv3x3(in_channels, out_channels)"),
              "self.conv2 = conv3x3(out_channels, out_channels)", "self.conv2 = conv3x3(out_channels, out_channels, stride)"),
        why="puts the stride on the second convolution of the block",
    ),
    Mutant(
        "plain_net",
        "plain_one_conv_per_block",
        "wrong",
        """
class PlainBlock(nn.Module):
    expansion = 1

    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__()
        self.conv1 = conv3x3(in_channels, out_channels, stride)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.relu(self.bn1(self.conv1(x)))


def plain_net(depth, num_classes=10):
    return CifarResNet(PlainBlock, depth, num_classes)
""",
        why="one conv-BN-ReLU per block: half the layers of the residual network",
    ),
    Mutant(
        "plain_net",
        "plain_subclass",
        "correct",
        """
class PlainBlock(BasicBlock):
    def __init__(self, in_channels, out_channels, stride=1):
        super().__init__(in_channels, out_channels, stride)
        self.downsample = None  # no shortcut at all, so no projection either

    def forward(self, x):
        return self.relu(self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x))))))


def plain_net(depth, num_classes=10):
    return CifarResNet(PlainBlock, depth, num_classes=num_classes)
""",
        why="a BasicBlock subclass that drops the projection and overrides forward",
    ),
]

# The demo's buggy student: mistakes in four functions, so it lands between 0 and full marks.
BUGGY = [
    "bottleneck_stride_on_first_1x1",
    "init_fan_in",
    "cifar_option_b",
    "plain_shortcut_left_in",
]
