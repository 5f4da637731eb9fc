"""Mutants of unit 09 (DenseNet, SENet, EfficientNet): realistic wrong versions and correct alternatives.

Each `source` replaces the whole solution cell of its function; it may use what the setup and given cells define
(math, torch, F, nn, checkpoint, conv1x1, conv3x3, make_stage, conv_bn_act, EFFICIENTNET_B0_STAGES) and the classes
and functions of the solution cells above it. Most wrong versions are one edit of the reference, written with
`_edit` so that the edit is visible here and fails loudly if the reference changes. The densenet121 cell also
defines DenseNet, the se_resnet50 cell SEResNet, and the efficientnet cell EfficientNet, mbconv_stage and
EFFICIENTNET_VARIANTS, which later cells use: every mutant of those cells defines them too.
"""

from autograder.mutants import Mutant


def _edit(source: str, old: str, new: str, count: int = 1) -> str:
    """`source` with `old` replaced by `new`; `old` must occur exactly `count` times."""
    found = source.count(old)
    if found != count:
        raise ValueError(f"mutant edit: {old!r} occurs {found} times, expected {count}")
    return source.replace(old, new)


DENSE_LAYER = """
class DenseLayer(nn.Module):
    def __init__(self, in_channels, growth_rate, bn_size=4, drop_rate=0.0, memory_efficient=False):
        super().__init__()
        width = bn_size * growth_rate
        self.norm1 = nn.BatchNorm2d(in_channels)
        self.relu1 = nn.ReLU(inplace=True)
        self.conv1 = nn.Conv2d(in_channels, width, kernel_size=1, bias=False)
        self.norm2 = nn.BatchNorm2d(width)
        self.relu2 = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(width, growth_rate, kernel_size=3, padding=1, bias=False)
        self.drop_rate = float(drop_rate)
        self.memory_efficient = memory_efficient

    def forward(self, features):
        if isinstance(features, torch.Tensor):
            features = [features]

        def bottleneck(*inputs):
            return self.conv1(self.relu1(self.norm1(torch.cat(inputs, dim=1))))

        if self.memory_efficient and any(f.requires_grad for f in features):
            out = checkpoint(bottleneck, *features, use_reentrant=False)
        else:
            out = bottleneck(*features)
        out = self.conv2(self.relu2(self.norm2(out)))
        if self.drop_rate > 0:
            out = F.dropout(out, p=self.drop_rate, training=self.training)
        return out
"""

DENSE_BLOCK = """
class DenseBlock(nn.Module):
    def __init__(self, num_layers, in_channels, growth_rate, bn_size=4, drop_rate=0.0, memory_efficient=False):
        super().__init__()
        for i in range(num_layers):
            layer = DenseLayer(in_channels + i * growth_rate, growth_rate, bn_size, drop_rate, memory_efficient)
            self.add_module(f"denselayer{i + 1}", layer)

    def forward(self, x):
        features = [x]
        for layer in self.children():
            features.append(layer(features))
        return torch.cat(features, dim=1)
"""

TRANSITION = """
class Transition(nn.Sequential):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.norm = nn.BatchNorm2d(in_channels)
        self.relu = nn.ReLU(inplace=True)
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=1, bias=False)
        self.pool = nn.AvgPool2d(kernel_size=2, stride=2)
"""

DENSENET = """
class DenseNet(nn.Module):
    def __init__(self, growth_rate=32, block_config=(6, 12, 24, 16), num_init_features=64, bn_size=4, drop_rate=0.0,
                 num_classes=1000, memory_efficient=False):
        super().__init__()
        self.features = nn.Sequential()
        self.features.add_module("conv0", nn.Conv2d(3, num_init_features, kernel_size=7, stride=2, padding=3, bias=False))
        self.features.add_module("norm0", nn.BatchNorm2d(num_init_features))
        self.features.add_module("relu0", nn.ReLU(inplace=True))
        self.features.add_module("pool0", nn.MaxPool2d(kernel_size=3, stride=2, padding=1))
        channels = num_init_features
        for i, num_layers in enumerate(block_config, start=1):
            block = DenseBlock(num_layers, channels, growth_rate, bn_size, drop_rate, memory_efficient)
            self.features.add_module(f"denseblock{i}", block)
            channels += num_layers * growth_rate
            if i < len(block_config):
                self.features.add_module(f"transition{i}", Transition(channels, channels // 2))
                channels //= 2
        self.features.add_module("norm5", nn.BatchNorm2d(channels))
        self.classifier = nn.Linear(channels, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = F.relu(self.features(x))
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return self.classifier(x)


DENSENET121 = dict(growth_rate=32, block_config=(6, 12, 24, 16), num_init_features=64)


def densenet121(num_classes=1000, memory_efficient=False):
    return DenseNet(**DENSENET121, num_classes=num_classes, memory_efficient=memory_efficient)
"""

SE = """
class SqueezeExcitation(nn.Module):
    def __init__(self, channels, reduced_channels, activation=nn.ReLU):
        super().__init__()
        self.fc1 = nn.Conv2d(channels, reduced_channels, kernel_size=1)
        self.activation = activation()
        self.fc2 = nn.Conv2d(reduced_channels, channels, kernel_size=1)

    def forward(self, x):
        z = x.mean(dim=(2, 3), keepdim=True)
        gate = torch.sigmoid(self.fc2(self.activation(self.fc1(z))))
        return x * gate
"""

SE_BOTTLENECK = """
class SEBottleneck(nn.Module):
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
        self.se = SqueezeExcitation(out_channels, out_channels // 16)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(conv1x1(in_channels, out_channels, stride), nn.BatchNorm2d(out_channels))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.se(self.bn3(self.conv3(out)))
        return self.relu(out + identity)
"""

SE_RESNET = """
class SEResNet(nn.Module):
    def __init__(self, layers, num_classes=1000):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        e = SEBottleneck.expansion
        self.layer1 = make_stage(SEBottleneck, 64, 64, layers[0], 1)
        self.layer2 = make_stage(SEBottleneck, 64 * e, 128, layers[1], 2)
        self.layer3 = make_stage(SEBottleneck, 128 * e, 256, layers[2], 2)
        self.layer4 = make_stage(SEBottleneck, 256 * e, 512, layers[3], 2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512 * e, num_classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def se_resnet50(num_classes=1000):
    return SEResNet((3, 4, 6, 3), num_classes)
"""

MAKE_DIVISIBLE = """
def make_divisible(value, divisor=8, min_value=None):
    if min_value is None:
        min_value = divisor
    rounded = max(min_value, int(value + divisor / 2) // divisor * divisor)
    if rounded < 0.9 * value:
        rounded += divisor
    return int(rounded)
"""

COMPOUND = """
def compound_scaling(phi, alpha=1.2, beta=1.1, gamma=1.15):
    return float(alpha**phi), float(beta**phi), float(gamma**phi)
"""

STOCHASTIC_DEPTH = """
def stochastic_depth(x, p, mode, training=True):
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"drop probability has to be between 0 and 1, but got {p}")
    if mode not in ("row", "batch"):
        raise ValueError(f"mode has to be either 'batch' or 'row', but got {mode}")
    if not training or p == 0.0:
        return x
    survival = 1.0 - p
    shape = [x.shape[0]] + [1] * (x.ndim - 1) if mode == "row" else [1] * x.ndim
    mask = torch.empty(shape, dtype=x.dtype, device=x.device).bernoulli_(survival)
    if survival > 0.0:
        mask.div_(survival)
    return x * mask
"""

MBCONV = """
class MBConv(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride, expand_ratio, stochastic_depth_prob=0.0):
        super().__init__()
        if stride not in (1, 2):
            raise ValueError(f"MBConv: stride should be 1 or 2, got {stride}")
        self.use_res_connect = stride == 1 and in_channels == out_channels
        self.stochastic_depth_prob = stochastic_depth_prob
        hidden = make_divisible(in_channels * expand_ratio)
        layers = []
        if hidden != in_channels:
            layers.append(conv_bn_act(in_channels, hidden, 1))
        layers += [
            conv_bn_act(hidden, hidden, kernel_size, stride, groups=hidden),
            SqueezeExcitation(hidden, max(1, in_channels // 4), activation=nn.SiLU),
            conv_bn_act(hidden, out_channels, 1, activation=None),
        ]
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        out = self.block(x)
        if self.use_res_connect:
            out = stochastic_depth(out, self.stochastic_depth_prob, "row", self.training) + x
        return out
"""

VARIANTS = """
EFFICIENTNET_VARIANTS = {
    "b0": (1.0, 1.0, 224, 0.2),
    "b1": (1.0, 1.1, 240, 0.2),
    "b2": (1.1, 1.2, 260, 0.3),
    "b3": (1.2, 1.4, 300, 0.3),
    "b4": (1.4, 1.8, 380, 0.4),
    "b5": (1.6, 2.2, 456, 0.4),
    "b6": (1.8, 2.6, 528, 0.5),
    "b7": (2.0, 3.1, 600, 0.5),
}
"""

EFFICIENTNET = """
def mbconv_stage(in_channels, out_channels, kernel_size, stride, expand_ratio, drop_probs):
    blocks = []
    for i, p in enumerate(drop_probs):
        first = i == 0
        blocks.append(MBConv(in_channels if first else out_channels, out_channels, kernel_size, stride if first else 1,
                             expand_ratio, stochastic_depth_prob=p))
    return nn.Sequential(*blocks)


class EfficientNet(nn.Module):
    def __init__(self, width_mult=1.0, depth_mult=1.0, num_classes=1000, dropout=0.2, stochastic_depth_prob=0.2):
        super().__init__()
        stages = [(t, k, s, make_divisible(c_in * width_mult), make_divisible(c_out * width_mult), math.ceil(n * depth_mult))
                  for t, k, s, c_in, c_out, n in EFFICIENTNET_B0_STAGES]
        total = sum(n for *_, n in stages)
        layers = [conv_bn_act(3, stages[0][3], 3, stride=2)]
        j = 0
        for t, k, s, c_in, c_out, n in stages:
            probs = [stochastic_depth_prob * (j + i) / total for i in range(n)]
            layers.append(mbconv_stage(c_in, c_out, k, s, t, probs))
            j += n
        last = stages[-1][4]
        layers.append(conv_bn_act(last, 4 * last, 1))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Dropout(dropout, inplace=True), nn.Linear(4 * last, num_classes))
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out")
                if m.bias is not None:
                    nn.init.zeros_(m.bias)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                bound = 1.0 / math.sqrt(m.out_features)
                nn.init.uniform_(m.weight, -bound, bound)
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = self.features(x)
        x = torch.flatten(self.avgpool(x), 1)
        return self.classifier(x)


def efficientnet(width_mult, depth_mult, num_classes=1000, dropout=0.2, stochastic_depth_prob=0.2):
    return EfficientNet(width_mult, depth_mult, num_classes, dropout, stochastic_depth_prob)
""" + VARIANTS

B0 = """
def efficientnet_b0(num_classes=1000):
    width_mult, depth_mult, _, dropout = EFFICIENTNET_VARIANTS["b0"]
    return efficientnet(width_mult, depth_mult, num_classes=num_classes, dropout=dropout)
"""

MUTANTS = [
    # ------------------------------------------------------------------------------------------ DenseLayer
    Mutant("DenseLayer", "dense_layer_returns_concatenation", "wrong",
           _edit(DENSE_LAYER, "        return out\n", "        return torch.cat([*features, out], dim=1)\n"),
           why="returns the input and the new maps concatenated, doing the block's bookkeeping in the layer"),
    Mutant("DenseLayer", "dense_layer_bottleneck_of_growth_rate", "wrong",
           _edit(DENSE_LAYER, "width = bn_size * growth_rate", "width = growth_rate"),
           why="forgets bn_size: the 1x1 bottleneck has k channels instead of 4k"),
    Mutant("DenseLayer", "dense_layer_memory_efficient_ignored", "wrong",
           _edit(DENSE_LAYER, "if self.memory_efficient and any(f.requires_grad for f in features):", "if False:"),
           why="accepts memory_efficient but never checkpoints: the same memory as without"),
    Mutant("DenseLayer", "dense_layer_dropout_in_eval", "wrong",
           _edit(DENSE_LAYER, "F.dropout(out, p=self.drop_rate, training=self.training)", "F.dropout(out, p=self.drop_rate)"),
           why="F.dropout's training argument defaults to True: dropout also at test time"),
    Mutant("DenseLayer", "dense_layer_checkpoint_whole_layer", "correct", """
class DenseLayer(nn.Module):
    def __init__(self, in_channels, growth_rate, bn_size=4, drop_rate=0.0, memory_efficient=False):
        super().__init__()
        self.norm1 = nn.BatchNorm2d(in_channels)
        self.relu1 = nn.ReLU()
        self.conv1 = nn.Conv2d(in_channels, bn_size * growth_rate, 1, bias=False)
        self.norm2 = nn.BatchNorm2d(bn_size * growth_rate)
        self.relu2 = nn.ReLU()
        self.conv2 = nn.Conv2d(bn_size * growth_rate, growth_rate, 3, 1, 1, bias=False)
        self.drop_rate, self.memory_efficient = drop_rate, memory_efficient

    def _layer(self, *inputs):
        x = torch.cat(inputs, 1)
        x = self.conv1(self.relu1(self.norm1(x)))
        return self.conv2(self.relu2(self.norm2(x)))

    def forward(self, features):
        inputs = (features,) if torch.is_tensor(features) else tuple(features)
        if self.memory_efficient and any(t.requires_grad for t in inputs):
            new = checkpoint(self._layer, *inputs, use_reentrant=True)  # the whole layer is recomputed
        else:
            new = self._layer(*inputs)
        return F.dropout(new, self.drop_rate, self.training) if self.drop_rate else new
""", why="checkpoints the whole layer (reentrant checkpoint), a method instead of a closure, non-inplace ReLUs"),
    # ------------------------------------------------------------------------------------------ DenseBlock
    Mutant("DenseBlock", "dense_block_adds", "wrong", """
class DenseBlock(nn.Module):
    def __init__(self, num_layers, in_channels, growth_rate, bn_size=4, drop_rate=0.0, memory_efficient=False):
        super().__init__()
        for i in range(num_layers):
            self.add_module(f"denselayer{i + 1}", DenseLayer(in_channels, growth_rate, bn_size, drop_rate, memory_efficient))

    def forward(self, x):
        for layer in self.children():
            x = x + layer(x)  # a residual block's addition instead of DenseNet's concatenation
        return x
""", why="adds each layer's output to its input, as a ResNet does, instead of concatenating"),
    Mutant("DenseBlock", "dense_block_new_maps_first", "wrong",
           _edit(DENSE_BLOCK, "features.append(layer(features))", "features.insert(0, layer(features))"),
           why="concatenation in the wrong order: each new map is put in front of the list instead of after it"),
    Mutant("DenseBlock", "dense_block_only_new_maps", "wrong",
           _edit(DENSE_BLOCK, "return torch.cat(features, dim=1)", "return torch.cat(features[1:], dim=1)"),
           why="leaves the block's input out of the output"),
    Mutant("DenseBlock", "dense_block_memory_efficient_not_passed", "wrong",
           _edit(DENSE_BLOCK, "DenseLayer(in_channels + i * growth_rate, growth_rate, bn_size, drop_rate, memory_efficient)",
                 "DenseLayer(in_channels + i * growth_rate, growth_rate, bn_size, drop_rate)"),
           why="does not pass memory_efficient on to the layers"),
    Mutant("DenseBlock", "dense_block_module_dict", "correct", """
class DenseBlock(nn.ModuleDict):
    def __init__(self, num_layers, in_channels, growth_rate, bn_size=4, drop_rate=0.0, memory_efficient=False):
        super().__init__()
        channels = in_channels
        for i in range(1, num_layers + 1):
            self[f"denselayer{i}"] = DenseLayer(channels, growth_rate, bn_size=bn_size, drop_rate=drop_rate,
                                                memory_efficient=memory_efficient)
            channels += growth_rate

    def forward(self, init_features):
        features = [init_features]
        for _, layer in self.items():
            new_features = layer(features)
            features.append(new_features)
        return torch.cat(features, 1)
""", why="torchvision's own form: an nn.ModuleDict subclass, a running channel count"),
    # ------------------------------------------------------------------------------------------ Transition
    Mutant("Transition", "transition_no_pooling", "wrong",
           _edit(TRANSITION, "        self.pool = nn.AvgPool2d(kernel_size=2, stride=2)\n", ""),
           why="a transition without pooling: the resolution never drops"),
    Mutant("Transition", "transition_no_compression", "wrong",
           _edit(TRANSITION, "nn.Conv2d(in_channels, out_channels, kernel_size=1, bias=False)",
                 "nn.Conv2d(in_channels, in_channels, kernel_size=1, bias=False)"),
           why="a transition without compression: the 1x1 convolution keeps all channels"),
    Mutant("Transition", "transition_max_pool", "wrong",
           _edit(TRANSITION, "nn.AvgPool2d(kernel_size=2, stride=2)", "nn.MaxPool2d(kernel_size=2, stride=2)"),
           why="max pooling instead of average pooling"),
    Mutant("Transition", "transition_post_activation", "wrong", """
class Transition(nn.Sequential):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=1, bias=False)
        self.norm = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.pool = nn.AvgPool2d(kernel_size=2, stride=2)
""", why="conv-BN-ReLU (post-activation) order instead of DenseNet's BN-ReLU-conv"),
    Mutant("Transition", "transition_pool_before_conv", "correct", """
class Transition(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.norm = nn.BatchNorm2d(in_channels)
        self.relu = nn.ReLU()
        self.conv = nn.Conv2d(in_channels, out_channels, 1, bias=False)
        self.pool = nn.AvgPool2d(2)

    def forward(self, x):
        # A 1x1 convolution and an average pooling are both linear and commute: pooling first is 4x cheaper.
        return self.conv(self.pool(self.relu(self.norm(x))))
""", why="pools before the 1x1 convolution, which gives the same result (both are linear) at a quarter of the cost"),
    # ----------------------------------------------------------------------------------------- densenet121
    Mutant("densenet121", "densenet_no_compression", "wrong",
           _edit(_edit(DENSENET, "Transition(channels, channels // 2)", "Transition(channels, channels)"),
                 "                channels //= 2\n", ""),
           why="transitions without compression (DenseNet-B instead of DenseNet-BC)"),
    Mutant("densenet121", "densenet_no_final_relu", "wrong",
           _edit(DENSENET, "x = F.relu(self.features(x))", "x = self.features(x)"),
           why="no ReLU between norm5 and the global average pooling"),
    Mutant("densenet121", "densenet_memory_efficient_ignored", "wrong",
           _edit(DENSENET, "return DenseNet(**DENSENET121, num_classes=num_classes, memory_efficient=memory_efficient)",
                 "return DenseNet(**DENSENET121, num_classes=num_classes)"),
           why="does not pass memory_efficient on"),
    Mutant("densenet121", "densenet_blocks_of_169", "wrong",
           _edit(DENSENET, "DENSENET121 = dict(growth_rate=32, block_config=(6, 12, 24, 16)",
                 "DENSENET121 = dict(growth_rate=32, block_config=(6, 12, 32, 32)"),
           why="DenseNet-169's blocks (6, 12, 32, 32)"),
    Mutant("densenet121", "densenet_ordered_dict", "correct", """
from collections import OrderedDict


class DenseNet(nn.Module):
    def __init__(self, growth_rate=32, block_config=(6, 12, 24, 16), num_init_features=64, bn_size=4, drop_rate=0.0,
                 num_classes=1000, memory_efficient=False):
        super().__init__()
        parts = OrderedDict(conv0=nn.Conv2d(3, num_init_features, 7, 2, 3, bias=False),
                            norm0=nn.BatchNorm2d(num_init_features), relu0=nn.ReLU(),
                            pool0=nn.MaxPool2d(3, 2, 1))
        c = num_init_features
        for i, n in enumerate(block_config):
            parts[f"denseblock{i + 1}"] = DenseBlock(n, c, growth_rate, bn_size, drop_rate, memory_efficient)
            c = c + n * growth_rate
            if i != len(block_config) - 1:
                parts[f"transition{i + 1}"] = Transition(c, c // 2)
                c = c // 2
        parts["norm5"] = nn.BatchNorm2d(c)
        self.features = nn.Sequential(parts)
        self.classifier = nn.Linear(c, num_classes)

    def forward(self, x):
        return self.classifier(F.relu(self.features(x)).mean(dim=(2, 3)))


def densenet121(num_classes=1000, memory_efficient=False):
    return DenseNet(32, (6, 12, 24, 16), 64, num_classes=num_classes, memory_efficient=memory_efficient)
""", why="features from an OrderedDict, mean instead of adaptive pooling, PyTorch's default initialisation"),
    # ---------------------------------------------------------------------------------- SqueezeExcitation
    Mutant("SqueezeExcitation", "se_softmax_gate", "wrong",
           _edit(SE, "gate = torch.sigmoid(self.fc2(self.activation(self.fc1(z))))",
                 "gate = torch.softmax(self.fc2(self.activation(self.fc1(z))), dim=1)"),
           why="gates with a softmax over the channels, which makes them compete and sum to 1"),
    Mutant("SqueezeExcitation", "se_max_squeeze", "wrong",
           _edit(SE, "z = x.mean(dim=(2, 3), keepdim=True)", "z = x.amax(dim=(2, 3), keepdim=True)"),
           why="squeezes with a global max instead of the global average"),
    Mutant("SqueezeExcitation", "se_linear_layers", "wrong", """
class SqueezeExcitation(nn.Module):
    def __init__(self, channels, reduced_channels, activation=nn.ReLU):
        super().__init__()
        self.fc1 = nn.Linear(channels, reduced_channels)
        self.activation = activation()
        self.fc2 = nn.Linear(reduced_channels, channels)

    def forward(self, x):
        z = x.mean(dim=(2, 3))
        gate = torch.sigmoid(self.fc2(self.activation(self.fc1(z))))
        return x * gate[:, :, None, None]
""", why="nn.Linear layers, as in the paper's figure: the same function, but weights of shape (C/r, C), not timm's (C/r, C, 1, 1)"),
    Mutant("SqueezeExcitation", "se_pool_over_batch", "wrong",
           _edit(SE, "z = x.mean(dim=(2, 3), keepdim=True)", "z = x.mean(dim=(0, 2, 3), keepdim=True)"),
           why="averages over the batch too, so that every image gets the same gates"),
    Mutant("SqueezeExcitation", "se_functional_pool", "correct", """
class SqueezeExcitation(nn.Module):
    def __init__(self, channels, reduced_channels, activation=nn.ReLU):
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(channels, reduced_channels, 1, bias=True)
        self.activation = activation()
        self.fc2 = nn.Conv2d(reduced_channels, channels, 1, bias=True)
        self.scale_activation = nn.Sigmoid()

    def forward(self, x):
        scale = self.scale_activation(self.fc2(self.activation(self.fc1(self.avgpool(x)))))
        return scale * x
""", why="torchvision's form: modules for the pooling and the sigmoid (no parameters, so the same layout)"),
    # --------------------------------------------------------------------------------------- SEBottleneck
    Mutant("SEBottleneck", "se_after_addition", "wrong",
           _edit(_edit(SE_BOTTLENECK, "out = self.se(self.bn3(self.conv3(out)))", "out = self.bn3(self.conv3(out))"),
                 "return self.relu(out + identity)", "return self.relu(self.se(out + identity))"),
           why="applies the SE gate after the residual addition, scaling the shortcut too"),
    Mutant("SEBottleneck", "se_before_conv3", "wrong",
           _edit(_edit(SE_BOTTLENECK, "self.se = SqueezeExcitation(out_channels, out_channels // 16)",
                       "self.se = SqueezeExcitation(width, width // 16)"),
                 "out = self.se(self.bn3(self.conv3(out)))", "out = self.bn3(self.conv3(self.se(out)))"),
           why="puts the SE block on the narrow 3x3 output, before the expanding 1x1 convolution"),
    Mutant("SEBottleneck", "se_bottleneck_stride_on_first_1x1", "wrong",
           _edit(_edit(SE_BOTTLENECK, "self.conv1 = conv1x1(in_channels, width)", "self.conv1 = conv1x1(in_channels, width, stride)"),
                 "self.conv2 = conv3x3(width, width, stride)", "self.conv2 = conv3x3(width, width)"),
           why="the original Caffe SE-ResNet's stride on the first 1x1 convolution, not timm's on the 3x3"),
    Mutant("SEBottleneck", "se_bottleneck_identity_module", "correct", """
class SEBottleneck(nn.Module):
    expansion = 4

    def __init__(self, in_channels, width, stride=1):
        super().__init__()
        out = SEBottleneck.expansion * width
        self.conv1, self.bn1 = nn.Conv2d(in_channels, width, 1, bias=False), nn.BatchNorm2d(width)
        self.conv2, self.bn2 = nn.Conv2d(width, width, 3, stride, 1, bias=False), nn.BatchNorm2d(width)
        self.conv3, self.bn3 = nn.Conv2d(width, out, 1, bias=False), nn.BatchNorm2d(out)
        self.se = SqueezeExcitation(out, out // 16)
        project = stride > 1 or in_channels != out
        self.downsample = (nn.Sequential(nn.Conv2d(in_channels, out, 1, stride, bias=False), nn.BatchNorm2d(out))
                           if project else nn.Identity())

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = F.relu(self.bn2(self.conv2(y)))
        y = self.se(self.bn3(self.conv3(y)))
        y += self.downsample(x)
        return F.relu(y)
""", why="nn.Identity instead of None, tuple assignments, F.relu, an in-place addition"),
    # ---------------------------------------------------------------------------------------- se_resnet50
    Mutant("se_resnet50", "se_resnet_no_maxpool", "wrong",
           _edit(SE_RESNET, "x = self.maxpool(self.relu(self.bn1(self.conv1(x))))", "x = self.relu(self.bn1(self.conv1(x)))"),
           why="forgets the stem's max pooling"),
    Mutant("se_resnet50", "se_resnet_layers_of_101", "wrong",
           _edit(SE_RESNET, "return SEResNet((3, 4, 6, 3), num_classes)", "return SEResNet((3, 4, 23, 3), num_classes)"),
           why="SE-ResNet-101's stage sizes"),
    Mutant("se_resnet50", "se_resnet_ignores_num_classes", "wrong",
           _edit(SE_RESNET, "return SEResNet((3, 4, 6, 3), num_classes)", "return SEResNet((3, 4, 6, 3))"),
           why="does not pass num_classes on"),
    Mutant("se_resnet50", "se_resnet_stage_loop", "correct", """
class SEResNet(nn.Module):
    def __init__(self, layers, num_classes=1000):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        channels = 64
        for k, (width, n) in enumerate(zip((64, 128, 256, 512), layers, strict=True), start=1):
            self.add_module(f"layer{k}", make_stage(SEBottleneck, channels, width, n, 1 if k == 1 else 2))
            channels = width * SEBottleneck.expansion
        self.fc = nn.Linear(channels, num_classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        for k in range(1, 5):
            x = getattr(self, f"layer{k}")(x)
        return self.fc(x.mean(dim=(2, 3)))


SE_RESNET50 = dict(layers=[3, 4, 6, 3])


def se_resnet50(num_classes=1000):
    return SEResNet(**SE_RESNET50, num_classes=num_classes)
""", why="stages in a loop with add_module, the variant as a dict, mean instead of a pooling module"),
    # ------------------------------------------------------------------------------------- make_divisible
    Mutant("make_divisible", "make_divisible_rounds_down_past_90_percent", "wrong",
           _edit(MAKE_DIVISIBLE, "    if rounded < 0.9 * value:\n        rounded += divisor\n", ""),
           why="no 10% rule: 27 becomes 24, more than 10% below"),
    Mutant("make_divisible", "make_divisible_floor", "wrong",
           _edit(MAKE_DIVISIBLE, "int(value + divisor / 2) // divisor * divisor", "int(value) // divisor * divisor"),
           why="rounds down to a multiple instead of to the nearest one"),
    Mutant("make_divisible", "make_divisible_bankers_round", "wrong",
           _edit(MAKE_DIVISIBLE, "int(value + divisor / 2) // divisor * divisor", "round(value / divisor) * divisor"),
           why="Python's round() rounds ties to even: 20 becomes 16 instead of 24"),
    Mutant("make_divisible", "make_divisible_min_value_ignored", "wrong",
           _edit(MAKE_DIVISIBLE, "    if min_value is None:\n        min_value = divisor\n", "    min_value = divisor\n"),
           why="ignores min_value and always uses the divisor as the minimum"),
    Mutant("make_divisible", "make_divisible_floor_half", "correct", """
def make_divisible(value, divisor=8, min_value=None):
    lowest = divisor if min_value is None else min_value
    multiple = max(lowest, math.floor(value / divisor + 0.5) * divisor)
    return int(multiple if multiple >= 0.9 * value else multiple + divisor)
""", why="floor(value / divisor + 0.5) for the nearest multiple, one conditional expression"),
    # ----------------------------------------------------------------------------------- compound_scaling
    Mutant("compound_scaling", "compound_width_first", "wrong",
           _edit(COMPOUND, "return float(alpha**phi), float(beta**phi), float(gamma**phi)",
                 "return float(beta**phi), float(alpha**phi), float(gamma**phi)"),
           why="returns (width, depth, resolution) instead of (depth, width, resolution)"),
    Mutant("compound_scaling", "compound_linear", "wrong",
           _edit(COMPOUND, "return float(alpha**phi), float(beta**phi), float(gamma**phi)",
                 "return 1 + (alpha - 1) * phi, 1 + (beta - 1) * phi, 1 + (gamma - 1) * phi"),
           why="grows the multipliers linearly with phi instead of exponentially"),
    Mutant("compound_scaling", "compound_flops_factors", "wrong",
           _edit(COMPOUND, "return float(alpha**phi), float(beta**phi), float(gamma**phi)",
                 "return float(alpha**phi), float((beta**2) ** phi), float((gamma**2) ** phi)"),
           why="returns the FLOPs factors of width and resolution (squared) instead of the multipliers"),
    Mutant("compound_scaling", "compound_exp_log", "correct", """
def compound_scaling(phi, alpha=1.2, beta=1.1, gamma=1.15):
    return tuple(math.exp(phi * math.log(c)) for c in (alpha, beta, gamma))
""", why="exp(phi log c), a generator turned into a tuple"),
    # ----------------------------------------------------------------------------------- stochastic_depth
    Mutant("stochastic_depth", "stochastic_depth_no_rescale", "wrong",
           _edit(STOCHASTIC_DEPTH, "    if survival > 0.0:\n        mask.div_(survival)\n", ""),
           why="stochastic depth that does not rescale the kept samples by 1 / (1 - p)"),
    Mutant("stochastic_depth", "stochastic_depth_per_element", "wrong",
           _edit(STOCHASTIC_DEPTH, 'shape = [x.shape[0]] + [1] * (x.ndim - 1) if mode == "row" else [1] * x.ndim',
                 'shape = list(x.shape) if mode == "row" else [1] * x.ndim'),
           why="draws one number per element in row mode: that is dropout, not stochastic depth"),
    Mutant("stochastic_depth", "stochastic_depth_batch_as_row", "wrong",
           _edit(STOCHASTIC_DEPTH, 'shape = [x.shape[0]] + [1] * (x.ndim - 1) if mode == "row" else [1] * x.ndim',
                 "shape = [x.shape[0]] + [1] * (x.ndim - 1)"),
           why="ignores the mode: batch mode also draws one number per sample"),
    Mutant("stochastic_depth", "stochastic_depth_divides_by_zero", "wrong",
           _edit(STOCHASTIC_DEPTH, "    if survival > 0.0:\n        mask.div_(survival)\n", "    mask = mask / survival\n"),
           why="divides by 1 - p also when p = 1, giving NaN (0 / 0) instead of zeros"),
    Mutant("stochastic_depth", "stochastic_depth_rand_threshold", "correct", """
def stochastic_depth(x, p, mode, training=True):
    if p < 0 or p > 1:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if mode == "row":
        size = (x.shape[0],) + (1,) * (x.dim() - 1)
    elif mode == "batch":
        size = (1,) * x.dim()
    else:
        raise ValueError(f"unknown mode {mode!r}")
    if not training or p == 0:
        return x
    if p == 1:
        return torch.zeros_like(x)
    keep = torch.rand(size, device=x.device) >= p  # True with probability 1 - p
    return torch.where(keep, x / (1 - p), torch.zeros((), dtype=x.dtype, device=x.device))
""", why="a mask from torch.rand, torch.where, p = 1 handled separately"),
    # --------------------------------------------------------------------------------------------- MBConv
    Mutant("MBConv", "mbconv_residual_with_stride_2", "wrong",
           _edit(MBCONV, "self.use_res_connect = stride == 1 and in_channels == out_channels",
                 "self.use_res_connect = in_channels == out_channels"),
           why="keeps the residual when the stride is 2 (the shapes no longer match)"),
    Mutant("MBConv", "mbconv_residual_when_channels_change", "wrong",
           _edit(MBCONV, "self.use_res_connect = stride == 1 and in_channels == out_channels", "self.use_res_connect = stride == 1"),
           why="keeps the residual when the channels change"),
    Mutant("MBConv", "mbconv_relu6", "wrong",
           _edit(_edit(MBCONV, "layers.append(conv_bn_act(in_channels, hidden, 1))",
                       "layers.append(conv_bn_act(in_channels, hidden, 1, activation=nn.ReLU6))"),
                 "conv_bn_act(hidden, hidden, kernel_size, stride, groups=hidden),",
                 "conv_bn_act(hidden, hidden, kernel_size, stride, groups=hidden, activation=nn.ReLU6),"),
           why="keeps MobileNetV2's ReLU6 instead of SiLU"),
    Mutant("MBConv", "mbconv_se_of_expanded_width", "wrong",
           _edit(MBCONV, "SqueezeExcitation(hidden, max(1, in_channels // 4), activation=nn.SiLU)",
                 "SqueezeExcitation(hidden, max(1, hidden // 4), activation=nn.SiLU)"),
           why="the SE bottleneck is a quarter of the expanded width instead of the input width"),
    Mutant("MBConv", "mbconv_drops_the_sum", "wrong",
           _edit(MBCONV, 'out = stochastic_depth(out, self.stochastic_depth_prob, "row", self.training) + x',
                 'out = stochastic_depth(out + x, self.stochastic_depth_prob, "row", self.training)'),
           why="applies stochastic depth after the addition, dropping the shortcut with the branch"),
    Mutant("MBConv", "mbconv_built_stepwise", "correct", """
class MBConv(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride, expand_ratio, stochastic_depth_prob=0.0):
        super().__init__()
        if not 1 <= stride <= 2:
            raise ValueError("illegal stride value")
        expanded = make_divisible(in_channels * expand_ratio, 8)
        self.block = nn.Sequential()
        if expanded != in_channels:
            self.block.append(conv_bn_act(in_channels, expanded, kernel_size=1, activation=nn.SiLU))
        self.block.append(conv_bn_act(expanded, expanded, kernel_size, stride=stride, groups=expanded))
        self.block.append(SqueezeExcitation(expanded, max(1, in_channels // 4), nn.SiLU))
        self.block.append(conv_bn_act(expanded, out_channels, kernel_size=1, activation=None))
        self.stochastic_depth_prob = float(stochastic_depth_prob)
        self.use_res_connect = (stride, in_channels) == (1, out_channels)

    def forward(self, x):
        if not self.use_res_connect:
            return self.block(x)
        branch = stochastic_depth(self.block(x), self.stochastic_depth_prob, mode="row", training=self.training)
        return x + branch
""", why="appends to an empty Sequential, a tuple comparison for the residual, early return"),
    # --------------------------------------------------------------------------------------- efficientnet
    Mutant("efficientnet", "efficientnet_rounds_depth", "wrong",
           _edit(EFFICIENTNET, "math.ceil(n * depth_mult)", "round(n * depth_mult)"),
           why="rounds the number of layers to the nearest integer instead of up"),
    Mutant("efficientnet", "efficientnet_int_width", "wrong",
           _edit(EFFICIENTNET, "make_divisible(c_in * width_mult), make_divisible(c_out * width_mult)",
                 "int(c_in * width_mult), int(c_out * width_mult)"),
           why="scales the widths with int() instead of make_divisible"),
    Mutant("efficientnet", "efficientnet_drop_rate_per_stage", "wrong",
           _edit(EFFICIENTNET, "probs = [stochastic_depth_prob * (j + i) / total for i in range(n)]",
                 "probs = [stochastic_depth_prob * i / n for i in range(n)]"),
           why="restarts the stochastic depth schedule in every stage"),
    Mutant("efficientnet", "efficientnet_variants_eval_crop", "wrong",
           _edit(EFFICIENTNET, '"b2": (1.1, 1.2, 260, 0.3),', '"b2": (1.1, 1.2, 288, 0.3),'),
           why="B2's resolution 288 (torchvision's evaluation crop) instead of the paper's 260"),
    Mutant("efficientnet", "efficientnet_config_objects", "correct", """
def mbconv_stage(in_channels, out_channels, kernel_size, stride, expand_ratio, drop_probs):
    return nn.Sequential(*[
        MBConv(out_channels if i else in_channels, out_channels, kernel_size, 1 if i else stride, expand_ratio, p)
        for i, p in enumerate(drop_probs)])


class EfficientNet(nn.Module):
    def __init__(self, width_mult=1.0, depth_mult=1.0, num_classes=1000, dropout=0.2, stochastic_depth_prob=0.2):
        super().__init__()
        def width(c):
            return make_divisible(c * width_mult, 8)

        def depth(n):
            return int(math.ceil(n * depth_mult))

        total = sum(depth(row[5]) for row in EFFICIENTNET_B0_STAGES)
        self.features = nn.Sequential(conv_bn_act(3, width(EFFICIENTNET_B0_STAGES[0][3]), 3, stride=2))
        done = 0
        for expand_ratio, kernel_size, stride, c_in, c_out, n in EFFICIENTNET_B0_STAGES:
            probs = []
            for _ in range(depth(n)):
                probs.append(stochastic_depth_prob * float(done) / total)
                done += 1
            self.features.append(mbconv_stage(width(c_in), width(c_out), kernel_size, stride, expand_ratio, probs))
        head = 4 * width(EFFICIENTNET_B0_STAGES[-1][4])
        self.features.append(conv_bn_act(width(EFFICIENTNET_B0_STAGES[-1][4]), head, 1))
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Dropout(p=dropout, inplace=True), nn.Linear(head, num_classes))
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, mode="fan_out")
                if module.bias is not None:
                    module.bias.data.zero_()
            elif isinstance(module, nn.BatchNorm2d):
                module.weight.data.fill_(1.0)
                module.bias.data.zero_()
            elif isinstance(module, nn.Linear):
                r = 1.0 / math.sqrt(module.out_features)
                module.weight.data.uniform_(-r, r)
                module.bias.data.zero_()

    def forward(self, x):
        return self.classifier(self.avgpool(self.features(x)).flatten(1))


def efficientnet(width_mult, depth_mult, num_classes=1000, dropout=0.2, stochastic_depth_prob=0.2):
    return EfficientNet(width_mult=width_mult, depth_mult=depth_mult, num_classes=num_classes, dropout=dropout,
                        stochastic_depth_prob=stochastic_depth_prob)


EFFICIENTNET_VARIANTS = {f"b{phi}": row for phi, row in enumerate([
    (1.0, 1.0, 224, 0.2), (1.0, 1.1, 240, 0.2), (1.1, 1.2, 260, 0.3), (1.2, 1.4, 300, 0.3),
    (1.4, 1.8, 380, 0.4), (1.6, 2.2, 456, 0.4), (1.8, 2.6, 528, 0.5), (2.0, 3.1, 600, 0.5)])}
""", why="local width() and depth() helpers, a running block counter, Sequential.append, the table built from a list"),
    # ------------------------------------------------------------------------------------ efficientnet_b0
    Mutant("efficientnet_b0", "b0_with_b1_coefficients", "wrong",
           _edit(B0, 'EFFICIENTNET_VARIANTS["b0"]', 'EFFICIENTNET_VARIANTS["b1"]'),
           why="takes the B1 row of the table"),
    Mutant("efficientnet_b0", "b0_ignores_num_classes", "wrong",
           _edit(B0, "num_classes=num_classes, dropout=dropout", "dropout=dropout"),
           why="does not pass num_classes on"),
    Mutant("efficientnet_b0", "b0_without_stochastic_depth", "wrong",
           _edit(B0, "num_classes=num_classes, dropout=dropout)", "num_classes=num_classes, dropout=dropout, stochastic_depth_prob=0.0)"),
           why="turns stochastic depth off"),
    Mutant("efficientnet_b0", "b0_direct_call", "correct", """
def efficientnet_b0(num_classes=1000):
    return efficientnet(1.0, 1.0, num_classes, 0.2)
""", why="the B0 coefficients written out, positional arguments"),
]

# The demo's buggy student: mistakes in four functions, so it lands between 0 and full marks.
BUGGY = [
    "dense_block_new_maps_first",
    "se_after_addition",
    "make_divisible_rounds_down_past_90_percent",
    "stochastic_depth_no_rescale",
]
