# Quick start: `make demo`, then `make test`. Every target that needs Python depends on setup,
# which builds .venv once (a second run does nothing unless pyproject.toml changed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
COURSE := $(PY) -m autograder.course
# nbgrader runs alembic as a subprocess, and notebooks run in the venv's kernel: its bin/ comes first.
export PATH := $(abspath $(BIN)):$(PATH)
export MPLBACKEND := Agg
UNITS ?=
UNIT ?=

.PHONY: help setup demo test lint lab release grade feedback export similarity mutants bench bench-grade gpu-check badges clean-notebooks clean

help:
	@echo "make demo      grade a demo class (reference, blank, buggy) end to end in build/demo"
	@echo "make test      everything CI checks: lint, helper tests, lectures, release, grading, mutants"
	@echo "make lab       JupyterLab at the repository root (nbgrader's formgrader included)"
	@echo "make release   regenerate assignments/ from solutions/"
	@echo "make grade     autograde autograder/submitted/ (one student per process); then feedback, export"
	@echo "make export    grades.csv, grades_by_function.csv and the item analysis (what the class got wrong)"
	@echo "make similarity UNIT=01  copies between students, or from the solutions (HTML report)"
	@echo "make mutants   prove the tests: wrong versions lose points, correct alternatives keep them"
	@echo "make bench     time the reference conv2d_fast and deform_conv2d against F.conv2d (ratios)"
	@echo "make gpu-check every timing test 20 times (false fails) and the benchmarks: run it on a GPU"
	@echo "make bench-grade  seconds per student for a class of 40 at --jobs 1 and 2, and a projection"
	@echo "make grade JOBS=4  grade four students at once (each in its own sandboxed process)"
	@echo "UNITS=01 limits release/grade/feedback/demo/mutants to some units."

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; assert (3, 10) <= v <= (3, 12), "Python 3.10-3.12 is needed (found %d.%d): make PYTHON=python3.11 ..." % v'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

demo: setup
	$(COURSE) demo $(UNITS)

# Two workers, one test module each at a time (module fixtures grade a class once per module).
test: setup
	$(MAKE) --no-print-directory lint
	$(BIN)/pytest -n 2 --dist loadscope

lint: setup
	$(BIN)/ruff check .
	$(COURSE) badges --check

# JUPYTER_CONFIG_PATH makes the formgrader find autograder/nbgrader_config.py (course root autograder/).
lab: setup
	JUPYTER_CONFIG_PATH=$(abspath autograder) $(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root)

release: setup
	$(COURSE) release $(UNITS)

grade: setup
	$(COURSE) grade $(UNITS) $(if $(JOBS),--jobs $(JOBS)) $(if $(DB),--db $(DB))

feedback: setup
	$(COURSE) feedback $(UNITS)

export: setup
	$(COURSE) export

similarity: setup
	$(COURSE) similarity $(UNIT) $(UNITS)

mutants: setup
	$(COURSE) mutants $(UNITS)

bench: setup
	$(PY) -m autograder.bench

bench-grade: setup
	$(PY) -m autograder.bench_grade

# On a GPU machine: every timing test 20 times (false fails of the reference), then the benchmarks.
gpu-check: setup
	$(PY) -m autograder.gpu_check

badges: setup
	$(COURSE) badges

clean-notebooks: setup
	$(BIN)/jupyter nbconvert --clear-output --inplace lectures/*.ipynb solutions/*/*.ipynb

clean:
	rm -rf build .pytest_cache .ruff_cache
