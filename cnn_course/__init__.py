"""Helper package for the course "Convolutional Networks, from scratch to deformable".

One helper per job: ``env`` (seeding, device, environment check), ``data`` (offline datasets and
sample photos), ``plots`` (figures), ``timing`` (speed ratios), ``checks`` (test-cell assertions),
``train`` (a small training loop and learning curves) and ``references`` (ground truth measured with
torchvision and timm).
Nothing a student must implement lives here.
"""

from importlib.metadata import PackageNotFoundError, version

from cnn_course.env import check_environment, disable_tf32, get_device, on_colab, seed_everything

try:
    __version__ = version("cnn-course")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "__version__",
    "check_environment",
    "disable_tf32",
    "get_device",
    "on_colab",
    "seed_everything",
]
