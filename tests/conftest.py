"""Shared pytest setup: draw figures off-screen, so plot tests run on machines without a display."""

import matplotlib

matplotlib.use("Agg")
