"""Tests for cnn_course.env: seeding, device choice, TF32 switch and the environment check."""

import random
import sys
import types
import warnings

import numpy as np
import pytest
import torch

import cnn_course
from cnn_course import check_environment, disable_tf32, get_device, on_colab, seed_everything

KEYS = {"python", "torch", "numpy", "matplotlib", "device", "cuda", "colab", "advice"}


def _draws():
    return random.random(), float(np.random.rand()), torch.rand(3).tolist()


def test_package_exports_and_version():
    assert isinstance(cnn_course.__version__, str) and cnn_course.__version__
    for name in ("seed_everything", "disable_tf32", "get_device", "check_environment", "on_colab"):
        assert callable(getattr(cnn_course, name))


def test_seed_everything_reproduces_all_generators():
    seed_everything(123)
    first = _draws()
    seed_everything(123)
    assert _draws() == first
    seed_everything(124)
    assert _draws() != first


def test_disable_tf32_turns_both_flags_off():
    saved = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    try:
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        disable_tf32()
        assert torch.backends.cuda.matmul.allow_tf32 is False
        assert torch.backends.cudnn.allow_tf32 is False
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = saved


def test_get_device_without_cuda(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert get_device() == torch.device("cpu")
    assert get_device("cpu") == torch.device("cpu")
    with pytest.raises(RuntimeError, match="Change runtime type"):
        get_device("cuda")


def test_get_device_with_cuda(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert get_device() == torch.device("cuda")
    assert get_device("cuda") == torch.device("cuda")
    assert get_device("cpu") == torch.device("cpu")


@pytest.mark.parametrize("prefer", ["gpu", "CUDA", "mps", ""])
def test_get_device_rejects_unknown_names(prefer):
    with pytest.raises(ValueError, match="'cpu' or 'cuda'"):
        get_device(prefer)


def test_on_colab(monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    assert on_colab() is False
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    assert on_colab() is True


def test_check_environment_prints_to_stdout_only(capsys, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        info = check_environment()
    out, err = capsys.readouterr()
    assert err == ""
    assert set(info) == KEYS
    assert info["torch"] == torch.__version__ and info["device"] == "cpu" and info["cuda"] is None
    assert torch.__version__ in out and "device" in out
    assert "No GPU found: everything runs on the CPU; timing tests compare on the CPU." in info["advice"]
    assert all(isinstance(sentence, str) for sentence in info["advice"])


def test_check_environment_quiet(capsys):
    check_environment(verbose=False)
    assert capsys.readouterr() == ("", "")


def test_check_environment_with_gpu(capsys, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda index=0: "Fake GPU 9000")
    info = check_environment()
    assert info["device"] == "cuda" and info["cuda"] == "Fake GPU 9000"
    assert not any("GPU" in sentence for sentence in info["advice"])
    assert "Fake GPU 9000" in capsys.readouterr().out


def test_check_environment_advice_on_colab_without_gpu(capsys, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    info = check_environment(verbose=False)
    assert info["colab"] is True
    assert any("Runtime > Change runtime type > GPU" in sentence for sentence in info["advice"])


@pytest.mark.parametrize(("version", "old"), [("2.0.1", True), ("1.13.1+cu117", True), ("2.1.0", False)])
def test_check_environment_advises_upgrading_old_torch(monkeypatch, version, old):
    monkeypatch.setattr(torch, "__version__", version)
    info = check_environment(verbose=False)
    assert any("upgrade" in sentence for sentence in info["advice"]) is old
