"""Mutants of unit 07 (classic CNNs): realistic wrong versions and correct alternatives of each graded cell.

Each `source` replaces the whole solution cell; it may use what the setup cell imports (math, namedtuple, torch,
F, nn) and the classes of the cells above it (the googlenet cell uses BasicConv2d and Inception). Most wrong
versions are one edit of the reference, written with `_edit` so that the edit is visible here and fails loudly
if the reference changes. The correct alternatives are written in other ways (functional forward passes, loops
over specifications, other initialisation orders, a global hook) and must keep full marks everywhere, including
LeNet-5's training test and the layer_table tests that run on alexnet() and vgg16().
"""

from autograder.mutants import Mutant


def _edit(source: str, old: str, new: str, count: int = 1) -> str:
    """`source` with `old` replaced by `new`; `old` must occur exactly `count` times."""
    found = source.count(old)
    if found != count:
        raise ValueError(f"mutant edit: {old!r} occurs {found} times, expected {count}")
    return source.replace(old, new)


LENET = """
class LeNet5(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 6, kernel_size=5), nn.Tanh(), nn.AvgPool2d(2),
            nn.Conv2d(6, 16, kernel_size=5), nn.Tanh(), nn.AvgPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Linear(16 * 5 * 5, 120), nn.Tanh(),
            nn.Linear(120, 84), nn.Tanh(),
            nn.Linear(84, num_classes),
        )

    def forward(self, x):
        x = self.features(x)
        return self.classifier(torch.flatten(x, 1))
"""

ALEXNET = """
class AlexNet(nn.Module):
    def __init__(self, num_classes=1000, dropout=0.5):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(64, 192, kernel_size=5, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(192, 384, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
        )
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(inplace=True),
            nn.Dropout(p=dropout), nn.Linear(4096, 4096), nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x):
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


def alexnet(num_classes=1000, dropout=0.5):
    return AlexNet(num_classes=num_classes, dropout=dropout)
"""

CONFIGS = """
VGG_CONFIGS = {
    "vgg11": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "vgg13": [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "vgg16": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
    "vgg19": [64, 64, "M", 128, 128, "M", 256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"],
}
"""

VGG = """
class VGG(nn.Module):
    def __init__(self, features, num_classes=1000, dropout=0.5):
        super().__init__()
        self.features = features
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(512 * 7 * 7, 4096), nn.ReLU(inplace=True), nn.Dropout(p=dropout),
            nn.Linear(4096, 4096), nn.ReLU(inplace=True), nn.Dropout(p=dropout),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x):
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))


def vgg(config, batch_norm=False, num_classes=1000):
    layers, channels = [], 3
    for v in config:
        if v == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            continue
        layers.append(nn.Conv2d(channels, v, kernel_size=3, padding=1))
        if batch_norm:
            layers.append(nn.BatchNorm2d(v))
        layers.append(nn.ReLU(inplace=True))
        channels = v
    return VGG(nn.Sequential(*layers), num_classes=num_classes)


def vgg11(num_classes=1000):
    return vgg(VGG_CONFIGS["vgg11"], num_classes=num_classes)


def vgg16(num_classes=1000):
    return vgg(VGG_CONFIGS["vgg16"], num_classes=num_classes)


def vgg16_bn(num_classes=1000):
    return vgg(VGG_CONFIGS["vgg16"], batch_norm=True, num_classes=num_classes)
"""

INCEPTION = """
class BasicConv2d(nn.Module):
    def __init__(self, in_channels, out_channels, **kwargs):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, bias=False, **kwargs)
        self.bn = nn.BatchNorm2d(out_channels, eps=0.001)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)), inplace=True)


class Inception(nn.Module):
    def __init__(self, in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj):
        super().__init__()
        self.branch1 = BasicConv2d(in_channels, ch1x1, kernel_size=1)
        self.branch2 = nn.Sequential(
            BasicConv2d(in_channels, ch3x3red, kernel_size=1),
            BasicConv2d(ch3x3red, ch3x3, kernel_size=3, padding=1),
        )
        self.branch3 = nn.Sequential(
            BasicConv2d(in_channels, ch5x5red, kernel_size=1),
            BasicConv2d(ch5x5red, ch5x5, kernel_size=3, padding=1),
        )
        self.branch4 = nn.Sequential(
            nn.MaxPool2d(kernel_size=3, stride=1, padding=1, ceil_mode=True),
            BasicConv2d(in_channels, pool_proj, kernel_size=1),
        )

    def forward(self, x):
        branches = [self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)]
        return torch.cat(branches, dim=1)
"""

GOOGLENET = """
GoogLeNetOutputs = namedtuple("GoogLeNetOutputs", ["logits", "aux_logits2", "aux_logits1"])


class InceptionAux(nn.Module):
    def __init__(self, in_channels, num_classes, dropout=0.7):
        super().__init__()
        self.conv = BasicConv2d(in_channels, 128, kernel_size=1)
        self.fc1 = nn.Linear(2048, 1024)
        self.fc2 = nn.Linear(1024, num_classes)
        self.dropout = nn.Dropout(p=dropout)

    def forward(self, x):
        x = F.adaptive_avg_pool2d(x, (4, 4))
        x = torch.flatten(self.conv(x), 1)
        x = self.dropout(F.relu(self.fc1(x), inplace=True))
        return self.fc2(x)


class GoogLeNet(nn.Module):
    def __init__(self, num_classes=1000, aux_logits=False, dropout=0.2, dropout_aux=0.7):
        super().__init__()
        self.aux_logits = aux_logits
        self.conv1 = BasicConv2d(3, 64, kernel_size=7, stride=2, padding=3)
        self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = BasicConv2d(64, 64, kernel_size=1)
        self.conv3 = BasicConv2d(64, 192, kernel_size=3, padding=1)
        self.maxpool2 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception3a = Inception(192, 64, 96, 128, 16, 32, 32)
        self.inception3b = Inception(256, 128, 128, 192, 32, 96, 64)
        self.maxpool3 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception4a = Inception(480, 192, 96, 208, 16, 48, 64)
        self.inception4b = Inception(512, 160, 112, 224, 24, 64, 64)
        self.inception4c = Inception(512, 128, 128, 256, 24, 64, 64)
        self.inception4d = Inception(512, 112, 144, 288, 32, 64, 64)
        self.inception4e = Inception(528, 256, 160, 320, 32, 128, 128)
        self.maxpool4 = nn.MaxPool2d(2, stride=2, ceil_mode=True)
        self.inception5a = Inception(832, 256, 160, 320, 32, 128, 128)
        self.inception5b = Inception(832, 384, 192, 384, 48, 128, 128)
        if aux_logits:
            self.aux1 = InceptionAux(512, num_classes, dropout=dropout_aux)
            self.aux2 = InceptionAux(528, num_classes, dropout=dropout_aux)
        else:
            self.aux1 = None
            self.aux2 = None
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(p=dropout)
        self.fc = nn.Linear(1024, num_classes)

    def forward(self, x):
        x = self.maxpool1(self.conv1(x))
        x = self.maxpool2(self.conv3(self.conv2(x)))
        x = self.maxpool3(self.inception3b(self.inception3a(x)))
        x = self.inception4a(x)
        aux1 = self.aux1(x) if self.aux1 is not None and self.training else None
        x = self.inception4d(self.inception4c(self.inception4b(x)))
        aux2 = self.aux2(x) if self.aux2 is not None and self.training else None
        x = self.maxpool4(self.inception4e(x))
        x = self.inception5b(self.inception5a(x))
        x = torch.flatten(self.avgpool(x), 1)
        logits = self.fc(self.dropout(x))
        if self.training and self.aux_logits:
            return GoogLeNetOutputs(logits, aux2, aux1)
        return logits


def googlenet(num_classes=1000, aux_logits=False):
    return GoogLeNet(num_classes=num_classes, aux_logits=aux_logits)
"""

TABLE = """
def layer_table(model, input_size):
    rows, handles = [], []

    def recorder(name):
        def hook(module, inputs, output):
            shape = tuple(output.shape[1:])
            if isinstance(module, nn.Conv2d):
                kh, kw = module.kernel_size
                mult_adds = output.numel() * (module.in_channels // module.groups) * kh * kw
            elif isinstance(module, nn.Linear):
                mult_adds = output.numel() * module.in_features
            else:
                mult_adds = 0
            rows.append({"name": name, "type": type(module).__name__, "output_shape": shape,
                         "activations": math.prod(shape), "params": sum(p.numel() for p in module.parameters()),
                         "mult_adds": mult_adds})
        return hook

    for name, module in model.named_modules():
        if next(module.children(), None) is None:
            handles.append(module.register_forward_hook(recorder(name)))
    first = next(model.parameters())
    x = torch.zeros(1, *input_size, device=first.device, dtype=first.dtype)
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            model(x)
    finally:
        model.train(was_training)
        for handle in handles:
            handle.remove()
    return rows
"""

MUTANTS = [
    # ---------------------------------------------------------------------------------------------- LeNet5
    Mutant("LeNet5", "lenet_max_pool", "wrong", _edit(LENET, "nn.AvgPool2d(2)", "nn.MaxPool2d(2)", count=2),
           why="max pooling instead of LeNet-5's average pooling (trains as well: only the forward test sees it)"),
    Mutant("LeNet5", "lenet_relu", "wrong", _edit(LENET, "nn.Tanh()", "nn.ReLU()", count=4),
           why="ReLU instead of tanh, the modern habit"),
    Mutant("LeNet5", "lenet_pool_before_tanh", "wrong",
           _edit(LENET, "nn.Tanh(), nn.AvgPool2d(2)", "nn.AvgPool2d(2), nn.Tanh()", count=2),
           why="pools before the activation: the same layout, another function"),
    Mutant("LeNet5", "lenet_tanh_on_logits", "wrong",
           _edit(LENET, "nn.Linear(84, num_classes),", "nn.Linear(84, num_classes), nn.Tanh(),"),
           why="squashes the logits with a final tanh"),
    Mutant("LeNet5", "lenet_padded_first_conv", "wrong",
           _edit(_edit(LENET, "nn.Conv2d(1, 6, kernel_size=5)", "nn.Conv2d(1, 6, kernel_size=5, padding=2)"),
                 "nn.Linear(16 * 5 * 5, 120)", "nn.Linear(16 * 6 * 6, 120)"),
           why="pads the first convolution (the 28x28 MNIST variant) and sizes F5 for it"),
    Mutant("LeNet5", "lenet_no_hidden_activations", "wrong",
           _edit(_edit(LENET, "nn.Linear(16 * 5 * 5, 120), nn.Tanh(),", "nn.Linear(16 * 5 * 5, 120),"),
                 "nn.Linear(120, 84), nn.Tanh(),", "nn.Linear(120, 84),"),
           why="no tanh between the fully connected layers: they collapse into one linear map"),
    Mutant(
        "LeNet5",
        "lenet_functional_forward",
        "correct",
        """
class LeNet5(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        head = [nn.Linear(400, 120), nn.Tanh(), nn.Linear(120, 84), nn.Tanh(), nn.Linear(84, num_classes)]
        self.features = nn.Sequential(nn.Conv2d(1, 6, 5), nn.Tanh(), nn.AvgPool2d(2, stride=2),
                                      nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2, stride=2))
        self.classifier = nn.Sequential(*head)

    def forward(self, x):
        conv1, conv2 = self.features[0], self.features[3]
        x = F.avg_pool2d(torch.tanh(conv1(x)), 2)
        x = F.avg_pool2d(torch.tanh(conv2(x)), 2)
        x = x.reshape(x.shape[0], -1)
        fc1, fc2, out = self.classifier[0], self.classifier[2], self.classifier[4]
        return out(torch.tanh(fc2(torch.tanh(fc1(x)))))
""",
        why="forward with F ops on the same modules; the classifier's weights drawn first (another initialisation)",
    ),
    # --------------------------------------------------------------------------------------------- alexnet
    Mutant("alexnet", "alexnet_no_adaptive_pool", "wrong",
           _edit(_edit(ALEXNET, "        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))\n", ""),
                 "x = self.avgpool(self.features(x))", "x = self.features(x)"),
           why="no adaptive pooling: right at 224 pixels only"),
    Mutant("alexnet", "alexnet_original_widths", "wrong",
           _edit(_edit(_edit(_edit(ALEXNET, "nn.Conv2d(3, 64,", "nn.Conv2d(3, 96,"), "nn.Conv2d(64, 192,", "nn.Conv2d(96, 256,"),
                       "nn.Conv2d(192, 384,", "nn.Conv2d(256, 384,"),
                 "nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),\n            nn.Conv2d(256, 256,",
                 "nn.Conv2d(384, 384, kernel_size=3, padding=1), nn.ReLU(inplace=True),\n            nn.Conv2d(384, 256,"),
           why="the 2012 paper's 96-256-384-384-256 filters instead of torchvision's variant"),
    Mutant("alexnet", "alexnet_conv1_no_padding", "wrong",
           _edit(ALEXNET, "kernel_size=11, stride=4, padding=2", "kernel_size=11, stride=4"),
           why="no padding in the first convolution (the 227-pixel convention)"),
    Mutant("alexnet", "alexnet_vgg_style_classifier", "wrong",
           _edit(ALEXNET, """            nn.Dropout(p=dropout), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(inplace=True),
            nn.Dropout(p=dropout), nn.Linear(4096, 4096), nn.ReLU(inplace=True),""",
                 """            nn.Linear(256 * 6 * 6, 4096), nn.ReLU(inplace=True), nn.Dropout(p=dropout),
            nn.Linear(4096, 4096), nn.ReLU(inplace=True), nn.Dropout(p=dropout),"""),
           why="dropout after the ReLUs, as in VGG: the linear layers move to other indices"),
    Mutant("alexnet", "alexnet_non_overlapping_pools", "wrong",
           _edit(ALEXNET, "nn.MaxPool2d(kernel_size=3, stride=2)", "nn.MaxPool2d(kernel_size=2, stride=2)", count=3),
           why="2x2 pools instead of AlexNet's overlapping 3x3 pools with stride 2 (the same sizes at 224 pixels)"),
    Mutant("alexnet", "alexnet_dropout_ignored", "wrong", _edit(ALEXNET, "nn.Dropout(p=dropout)", "nn.Dropout(p=0.5)", count=2),
           why="ignores the dropout argument"),
    Mutant(
        "alexnet",
        "alexnet_from_spec",
        "correct",
        """
class AlexNet(nn.Module):
    SPEC = [(64, 11, 4, 2, True), (192, 5, 1, 2, True), (384, 3, 1, 1, False), (256, 3, 1, 1, False), (256, 3, 1, 1, True)]

    def __init__(self, num_classes=1000, dropout=0.5):
        super().__init__()
        layers, channels = [], 3
        for width, kernel, stride, padding, pool in self.SPEC:
            layers += [nn.Conv2d(channels, width, kernel, stride, padding), nn.ReLU()]
            if pool:
                layers.append(nn.MaxPool2d(3, 2))
            channels = width
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(6)
        self.flatten = nn.Flatten()
        self.classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(9216, 4096), nn.ReLU(), nn.Dropout(dropout),
                                        nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, num_classes))

    def forward(self, x):
        return self.classifier(self.flatten(self.avgpool(self.features(x))))


def alexnet(num_classes=1000, dropout=0.5):
    return AlexNet(num_classes, dropout)
""",
        why="features from a specification list, an int for the adaptive pooling, an nn.Flatten module",
    ),
    # ----------------------------------------------------------------------------------------- VGG_CONFIGS
    Mutant("VGG_CONFIGS", "configs_no_last_pool", "wrong",
           _edit(CONFIGS, '512, 512, 512, "M", 512, 512, 512, "M"]', '512, 512, 512, "M", 512, 512, 512]'),
           why="VGG-16 without its fifth pooling: the adaptive pooling hides it, the layout is unchanged"),
    Mutant("VGG_CONFIGS", "configs_vgg19_three_per_block", "wrong",
           _edit(CONFIGS, '256, 256, 256, 256, "M", 512, 512, 512, 512, "M", 512, 512, 512, 512, "M"]',
                 '256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]'),
           why="VGG-19 copied from VGG-16"),
    Mutant("VGG_CONFIGS", "configs_vgg11_two_in_block1", "wrong",
           _edit(CONFIGS, '"vgg11": [64, "M", 128, "M", 256, 256, "M",', '"vgg11": [64, 64, "M", 128, "M", 256, "M",'),
           why="VGG-11 with its convolutions in the wrong blocks (still 8 convolutions and 5 poolings)"),
    Mutant("VGG_CONFIGS", "configs_vgg13_block4_256", "wrong",
           _edit(CONFIGS, '"vgg13": [64, 64, "M", 128, 128, "M", 256, 256, "M", 512, 512, "M",',
                 '"vgg13": [64, 64, "M", 128, 128, "M", 256, 256, "M", 256, 256, "M",'),
           why="VGG-13's fourth block with 256 channels instead of 512"),
    Mutant(
        "VGG_CONFIGS",
        "configs_from_blocks",
        "correct",
        """
_WIDTHS = (64, 128, 256, 512, 512)
_BLOCKS = {"vgg11": (1, 1, 2, 2, 2), "vgg13": (2, 2, 2, 2, 2), "vgg16": (2, 2, 3, 3, 3), "vgg19": (2, 2, 4, 4, 4)}
VGG_CONFIGS = {
    name: tuple(v for width, n in zip(_WIDTHS, blocks) for v in [width] * n + ["M"]) for name, blocks in _BLOCKS.items()
}
""",
        why="built from the convolutions per block, as tuples",
    ),
    # ------------------------------------------------------------------------------------------------- vgg
    Mutant("vgg", "vgg_pool_after_every_conv", "wrong",
           _edit(VGG, """        if v == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            continue""", """        if v == "M":
            continue""").replace(
               "        layers.append(nn.ReLU(inplace=True))\n",
               "        layers.append(nn.ReLU(inplace=True))\n        layers.append(nn.MaxPool2d(kernel_size=2, stride=2))\n"),
           why="a max pooling after every convolution instead of at the M's"),
    Mutant("vgg", "vgg_batch_norm_after_relu", "wrong",
           _edit(VGG, """        if batch_norm:
            layers.append(nn.BatchNorm2d(v))
        layers.append(nn.ReLU(inplace=True))""", """        layers.append(nn.ReLU(inplace=True))
        if batch_norm:
            layers.append(nn.BatchNorm2d(v))"""),
           why="batch norm after the ReLU instead of between the convolution and the ReLU"),
    Mutant("vgg", "vgg_no_dropout", "wrong",
           _edit(VGG, "nn.ReLU(inplace=True), nn.Dropout(p=dropout),", "nn.ReLU(inplace=True),", count=2),
           why="no dropout in the classifier: the last two linear layers move to other indices"),
    Mutant("vgg", "vgg_no_adaptive_pool", "wrong",
           _edit(VGG, "x = self.avgpool(self.features(x))", "x = self.features(x)"),
           why="forgets the adaptive pooling in forward: right at 224 pixels only"),
    Mutant("vgg", "vgg_no_padding", "wrong", _edit(VGG, "kernel_size=3, padding=1", "kernel_size=3"),
           why="3x3 convolutions without padding: the layout is unchanged, the sizes shrink"),
    Mutant("vgg", "vgg16_bn_without_batch_norm", "wrong",
           _edit(VGG, 'vgg(VGG_CONFIGS["vgg16"], batch_norm=True, num_classes=num_classes)',
                 'vgg(VGG_CONFIGS["vgg16"], num_classes=num_classes)'),
           why="vgg16_bn forgets batch_norm=True"),
    Mutant("vgg", "vgg_channels_not_updated", "wrong", _edit(VGG, "        channels = v\n", ""),
           why="every convolution gets 3 input channels"),
    Mutant(
        "vgg",
        "vgg_make_layers",
        "correct",
        """
def make_layers(config, batch_norm):
    layers, in_channels = [], 3
    for v in config:
        if v == "M":
            layers += [nn.MaxPool2d(2)]
        else:
            layers += [nn.Conv2d(in_channels, v, 3, 1, 1)] + ([nn.BatchNorm2d(v)] if batch_norm else []) + [nn.ReLU()]
            in_channels = v
    return nn.Sequential(*layers)


class VGG(nn.Module):
    def __init__(self, features, num_classes=1000, dropout=0.5):
        super().__init__()
        self.features = features
        self.avgpool = nn.AdaptiveAvgPool2d(7)
        self.flatten = nn.Flatten()
        hidden = [nn.Linear(25088, 4096), nn.ReLU(), nn.Dropout(dropout), nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(dropout)]
        self.classifier = nn.Sequential(*hidden, nn.Linear(4096, num_classes))

    def forward(self, x):
        return self.classifier(self.flatten(self.avgpool(self.features(x))))


def vgg(config, batch_norm=False, num_classes=1000):
    return VGG(make_layers(config, batch_norm), num_classes)


def vgg11(num_classes=1000):
    return vgg(VGG_CONFIGS["vgg11"], num_classes=num_classes)


def vgg16(num_classes=1000):
    return vgg(VGG_CONFIGS["vgg16"], False, num_classes)


def vgg16_bn(num_classes=1000):
    return vgg(VGG_CONFIGS["vgg16"], True, num_classes)
""",
        why="a separate make_layers, an nn.Flatten module, PyTorch's default initialisation",
    ),
    # ------------------------------------------------------------------------------------------- Inception
    Mutant("Inception", "inception_wrong_concat_order", "wrong",
           _edit(INCEPTION, "[self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)]",
                 "[self.branch1(x), self.branch3(x), self.branch2(x), self.branch4(x)]"),
           why="concatenates the branches in another order"),
    Mutant("Inception", "inception_5x5_kernel", "wrong",
           _edit(INCEPTION, "BasicConv2d(ch5x5red, ch5x5, kernel_size=3, padding=1)",
                 "BasicConv2d(ch5x5red, ch5x5, kernel_size=5, padding=2)"),
           why="builds the paper's 5x5 branch with a 5x5 kernel, unlike torchvision"),
    Mutant("Inception", "inception_default_eps", "wrong",
           _edit(INCEPTION, "nn.BatchNorm2d(out_channels, eps=0.001)", "nn.BatchNorm2d(out_channels)"),
           why="PyTorch's default batch-norm epsilon 1e-5 instead of 0.001"),
    Mutant("Inception", "inception_conv_bias", "wrong", _edit(INCEPTION, ", bias=False, **kwargs", ", **kwargs"),
           why="convolutions with biases before the batch norm: extra state_dict keys"),
    Mutant("Inception", "inception_average_pool_branch", "wrong",
           _edit(INCEPTION, "nn.MaxPool2d(kernel_size=3, stride=1, padding=1, ceil_mode=True)",
                 "nn.AvgPool2d(kernel_size=3, stride=1, padding=1)"),
           why="average instead of max pooling in the pool branch"),
    Mutant("Inception", "inception_no_relu", "wrong",
           _edit(INCEPTION, "return F.relu(self.bn(self.conv(x)), inplace=True)", "return self.bn(self.conv(x))"),
           why="BasicConv2d without its ReLU"),
    Mutant(
        "Inception",
        "inception_floor_pool_modules",
        "correct",
        """
class BasicConv2d(nn.Module):
    def __init__(self, in_channels, out_channels, **kwargs):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, bias=False, **kwargs)
        self.bn = nn.BatchNorm2d(out_channels, eps=1e-3)
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.bn(self.conv(x)))


class Inception(nn.Module):
    def __init__(self, in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj):
        super().__init__()
        self.branch1 = BasicConv2d(in_channels, ch1x1, kernel_size=1)
        self.branch2 = nn.Sequential(BasicConv2d(in_channels, ch3x3red, kernel_size=1),
                                     BasicConv2d(ch3x3red, ch3x3, kernel_size=(3, 3), padding=(1, 1)))
        self.branch3 = nn.Sequential(BasicConv2d(in_channels, ch5x5red, kernel_size=1),
                                     BasicConv2d(ch5x5red, ch5x5, kernel_size=3, padding="same"))
        # with stride 1, ceil_mode changes nothing: the output keeps the input's size either way
        self.branch4 = nn.Sequential(nn.MaxPool2d(3, 1, 1), BasicConv2d(in_channels, pool_proj, kernel_size=1))

    def forward(self, x):
        return torch.cat([branch(x) for branch in (self.branch1, self.branch2, self.branch3, self.branch4)], 1)
""",
        why="ceil_mode=False in the pool branch (the same at stride 1), an nn.ReLU module, padding='same'",
    ),
    # ------------------------------------------------------------------------------------------- googlenet
    Mutant("googlenet", "googlenet_aux_outputs_swapped", "wrong",
           _edit(GOOGLENET, "GoogLeNetOutputs(logits, aux2, aux1)", "GoogLeNetOutputs(logits, aux1, aux2)"),
           why="returns the auxiliary logits in the order aux1, aux2"),
    Mutant("googlenet", "googlenet_aux_in_eval", "wrong",
           _edit(_edit(_edit(GOOGLENET, "aux1 = self.aux1(x) if self.aux1 is not None and self.training else None",
                             "aux1 = self.aux1(x) if self.aux1 is not None else None"),
                       "aux2 = self.aux2(x) if self.aux2 is not None and self.training else None",
                       "aux2 = self.aux2(x) if self.aux2 is not None else None"),
                 "if self.training and self.aux_logits:", "if self.aux_logits:"),
           why="runs and returns the auxiliary classifiers in evaluation mode too"),
    Mutant("googlenet", "googlenet_aux1_after_4b", "wrong",
           _edit(GOOGLENET, """        aux1 = self.aux1(x) if self.aux1 is not None and self.training else None
        x = self.inception4d(self.inception4c(self.inception4b(x)))""",
                 """        x = self.inception4b(x)
        aux1 = self.aux1(x) if self.aux1 is not None and self.training else None
        x = self.inception4d(self.inception4c(x))"""),
           why="attaches aux1 after inception4b instead of inception4a (the same channel count)"),
    Mutant("googlenet", "googlenet_floor_pools", "wrong", _edit(GOOGLENET, ", ceil_mode=True)", ")", count=4),
           why="max poolings without ceil_mode=True"),
    Mutant("googlenet", "googlenet_aux_registered_first", "wrong",
           _edit(_edit(GOOGLENET, """        self.conv1 = BasicConv2d(3, 64, kernel_size=7, stride=2, padding=3)
""", """        self.aux1 = InceptionAux(512, num_classes, dropout=dropout_aux) if aux_logits else None
        self.aux2 = InceptionAux(528, num_classes, dropout=dropout_aux) if aux_logits else None
        self.conv1 = BasicConv2d(3, 64, kernel_size=7, stride=2, padding=3)
"""), """        if aux_logits:
            self.aux1 = InceptionAux(512, num_classes, dropout=dropout_aux)
            self.aux2 = InceptionAux(528, num_classes, dropout=dropout_aux)
        else:
            self.aux1 = None
            self.aux2 = None
""", ""),
           why="registers the auxiliary classifiers first: their keys come first in the state_dict"),
    Mutant("googlenet", "googlenet_aux_pool_5x5_stride3", "wrong",
           _edit(GOOGLENET, "x = F.adaptive_avg_pool2d(x, (4, 4))", "x = F.avg_pool2d(x, kernel_size=5, stride=3)"),
           why="the paper's 5x5 average pooling with stride 3: 4x4 on 14x14 maps only"),
    Mutant("googlenet", "googlenet_paper_dropout", "wrong",
           _edit(GOOGLENET, "aux_logits=False, dropout=0.2, dropout_aux=0.7", "aux_logits=False, dropout=0.4, dropout_aux=0.7"),
           why="the paper's 40% dropout instead of torchvision's 20%"),
    Mutant(
        "googlenet",
        "googlenet_named_loop",
        "correct",
        _edit(
            _edit(
                _edit(GOOGLENET, """    def forward(self, x):
        x = F.adaptive_avg_pool2d(x, (4, 4))
        x = torch.flatten(self.conv(x), 1)
        x = self.dropout(F.relu(self.fc1(x), inplace=True))
        return self.fc2(x)""", """    def forward(self, x):
        x = self.conv(nn.functional.adaptive_avg_pool2d(x, 4)).flatten(1)
        return self.fc2(self.dropout(torch.relu(self.fc1(x))))"""),
                """    def forward(self, x):
        x = self.maxpool1(self.conv1(x))
        x = self.maxpool2(self.conv3(self.conv2(x)))
        x = self.maxpool3(self.inception3b(self.inception3a(x)))
        x = self.inception4a(x)
        aux1 = self.aux1(x) if self.aux1 is not None and self.training else None
        x = self.inception4d(self.inception4c(self.inception4b(x)))
        aux2 = self.aux2(x) if self.aux2 is not None and self.training else None
        x = self.maxpool4(self.inception4e(x))
        x = self.inception5b(self.inception5a(x))
        x = torch.flatten(self.avgpool(x), 1)
        logits = self.fc(self.dropout(x))
        if self.training and self.aux_logits:
            return GoogLeNetOutputs(logits, aux2, aux1)
        return logits""",
                """    BODY = ["conv1", "maxpool1", "conv2", "conv3", "maxpool2", "inception3a", "inception3b", "maxpool3",
            "inception4a", "inception4b", "inception4c", "inception4d", "inception4e", "maxpool4",
            "inception5a", "inception5b", "avgpool"]

    def forward(self, x):
        use_aux = self.training and self.aux_logits
        aux = {}
        for name in self.BODY:
            x = getattr(self, name)(x)
            if use_aux and name == "inception4a":
                aux["aux1"] = self.aux1(x)
            if use_aux and name == "inception4d":
                aux["aux2"] = self.aux2(x)
        logits = self.fc(self.dropout(x.flatten(1)))
        if use_aux:
            return GoogLeNetOutputs(logits=logits, aux_logits2=aux["aux2"], aux_logits1=aux["aux1"])
        return logits""",
            ),
            "self.avgpool = nn.AdaptiveAvgPool2d((1, 1))",
            "self.avgpool = nn.AdaptiveAvgPool2d(1)",
        ),
        why="forward as a loop over module names, keyword outputs, a compact auxiliary forward",
    ),
    # ----------------------------------------------------------------------------------------- layer_table
    Mutant("layer_table", "table_counts_flops", "wrong",
           _edit(_edit(TABLE, "mult_adds = output.numel() * (module.in_channels", "mult_adds = 2 * output.numel() * (module.in_channels"),
                 "mult_adds = output.numel() * module.in_features", "mult_adds = 2 * output.numel() * module.in_features"),
           why="counts FLOPs (2 per multiply-add) instead of multiply-adds"),
    Mutant("layer_table", "table_ignores_groups", "wrong",
           _edit(TABLE, "(module.in_channels // module.groups)", "module.in_channels"),
           why="ignores groups: a grouped convolution's outputs see only in_channels / groups channels"),
    Mutant("layer_table", "table_counts_bias", "wrong",
           _edit(TABLE, """            else:
                mult_adds = 0
""", """            else:
                mult_adds = 0
            if getattr(module, "bias", None) is not None and mult_adds:
                mult_adds += output.numel()  # one addition per output for the bias
"""),
           why="adds the bias additions, as torchinfo does"),
    Mutant("layer_table", "table_batch_dimension", "wrong", _edit(TABLE, "shape = tuple(output.shape[1:])", "shape = tuple(output.shape)"),
           why="keeps the batch dimension in output_shape"),
    Mutant("layer_table", "table_every_module", "wrong",
           _edit(TABLE, """        if next(module.children(), None) is None:
            handles.append""", """        if True:
            handles.append"""),
           why="a row for every module, containers included: their parameters and outputs are counted twice"),
    Mutant("layer_table", "table_training_mode", "wrong", _edit(TABLE, "        model.eval()\n", ""),
           why="runs the pass in the model's current mode: batch-norm statistics change in training mode"),
    Mutant("layer_table", "table_hooks_left", "wrong",
           _edit(TABLE, """        for handle in handles:
            handle.remove()
""", ""),
           why="never removes its hooks: the next forward pass of the model appends to an old list"),
    Mutant("layer_table", "table_conv_per_position", "wrong",
           _edit(TABLE, "mult_adds = output.numel() * (module.in_channels // module.groups) * kh * kw",
                 "mult_adds = module.out_channels * (module.in_channels // module.groups) * kh * kw"),
           why="counts a convolution's multiply-adds for one position, not for every output position"),
    Mutant(
        "layer_table",
        "table_global_hook",
        "correct",
        """
def layer_table(model, input_size):
    leaves = {id(m): name for name, m in model.named_modules() if len(list(m.children())) == 0}
    rows = []

    def hook(module, args, output):
        name = leaves.get(id(module))
        if name is None:
            return
        per_image = output.numel() // output.shape[0]
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            out_features = module.out_channels if isinstance(module, nn.Conv2d) else module.out_features
            mult_adds = output.numel() * (module.weight.numel() // out_features)  # one weight per input of an output
        else:
            mult_adds = 0
        rows.append(dict(name=name, type=module.__class__.__name__, output_shape=tuple(output.shape)[1:],
                         activations=per_image, params=sum(p.numel() for p in module.parameters(recurse=False)),
                         mult_adds=mult_adds))

    mode = model.training
    parameter = next(iter(model.parameters()))
    handle = torch.nn.modules.module.register_module_forward_hook(hook)
    try:
        with torch.inference_mode():
            model.eval()(torch.zeros((1, *input_size), dtype=parameter.dtype, device=parameter.device))
    finally:
        handle.remove()
        model.train(mode)
    return rows
""",
        why="one global module hook, inference_mode, multiply-adds from the weight's size",
    ),
]

BUGGY = ["lenet_max_pool", "inception_5x5_kernel", "table_counts_flops"]
