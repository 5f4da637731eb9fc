"""Tests for cnn_course.references: the stored ground truth is whole, and the fill is the documented one."""

import math

import numpy as np
import pytest
import torch
from torch import nn

from cnn_course import references as refs

BUFFERS = ("running_mean", "running_var", "num_batches_tracked")


@pytest.mark.parametrize("name", refs.available())
def test_parameter_counts_agree_with_the_layouts(name):
    """Each model's parameter count equals the sum of its state_dict shapes (buffers excluded)."""
    r = refs.torchvision_model(name)
    counted = sum(math.prod(shape) for key, shape in r.state_dict if not key.endswith(BUFFERS))
    assert counted == r.params
    if r.logits is not None:
        assert r.logits.shape[0] == 2 and r.logits.dtype == torch.float64


def test_published_counts():
    """The counts the course cites (torchvision's documentation, timm) are the stored ones."""
    expected = {"alexnet": 61_100_840, "vgg16": 138_357_544, "resnet50": 25_557_032, "mobilenet_v2": 3_504_872,
                "googlenet": 6_624_904, "densenet121": 7_978_856, "efficientnet_b0": 5_288_548,
                "timm seresnet50": 28_088_024}  # fmt: skip
    assert {n: refs.torchvision_model(n).params for n in expected} == expected
    with pytest.raises(KeyError, match="available"):
        refs.torchvision_model("vgg99")


def test_fill_follows_the_documented_rule():
    """The fill draws in sorted key order from default_rng(0) and scales each kind of entry as documented."""
    model = nn.Sequential(nn.Conv2d(2, 3, 3), nn.BatchNorm2d(3), nn.Flatten(), nn.Linear(3, 4))
    refs.fill_reference_weights(model)
    state = model.state_dict()
    rng = np.random.default_rng(0)
    for key in sorted(state):
        value = state[key]
        if key.endswith("num_batches_tracked"):
            assert value.dtype == torch.int64 and value.item() == 0
            continue
        n = torch.from_numpy(rng.standard_normal(tuple(value.shape)))
        if key.endswith("running_var"):
            want = 1 + 0.1 * n.abs()
        elif key.endswith(("running_mean", "bias")):
            want = 0.1 * n
        elif value.dim() == 1:
            want = 1 + 0.1 * n
        else:
            want = n / math.sqrt(math.prod(value.shape[1:]))
        assert value.dtype == torch.float64
        torch.testing.assert_close(value, want, rtol=0, atol=0, msg=key)


def test_reference_input_is_the_documented_one():
    x = refs.reference_input(5)
    assert x.shape == (2, 3, 5, 5) and x.dtype == torch.float64
    assert torch.equal(x, torch.from_numpy(np.random.default_rng(1).standard_normal((2, 3, 5, 5))))


def test_layout_differences_name_what_is_wrong():
    """Missing, unexpected, reshaped and reordered keys are each reported; a match reports nothing."""
    ref = refs.ModelReference("toy", 0, 8, [("0.weight", (3, 2, 3, 3)), ("0.bias", (3,)), ("1.weight", (4, 3))], None)
    good = nn.Sequential(nn.Conv2d(2, 3, 3), nn.Linear(3, 4, bias=False))
    assert refs.layout_differences(good, ref) == []
    wrong = nn.Sequential(nn.Conv2d(2, 3, 5), nn.Linear(3, 4))
    problems = refs.layout_differences(wrong, ref)
    assert any("unexpected key 1.bias" in p for p in problems)
    assert any("0.weight: shape [3, 2, 5, 5]" in p for p in problems)
    missing = nn.Sequential(nn.Conv2d(2, 3, 3))
    assert any("missing key 1.weight" in p for p in refs.layout_differences(missing, ref))
    reordered = refs.ModelReference("toy", 0, 8, [("0.bias", (3,)), ("0.weight", (3, 2, 3, 3)), ("1.weight", (4, 3))], None)
    assert "another order" in refs.layout_differences(good, reordered)[0]
