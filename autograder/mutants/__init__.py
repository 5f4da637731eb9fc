"""Mutants: wrong and correct versions of graded functions, used to test the tests.

Each unit's module (`autograder/mutants/NN_topic.py`) defines `MUTANTS`, a list of `Mutant`, and `BUGGY`,
the names of the wrong versions that the demo's `buggy` student submits.
"""

from typing import Literal, NamedTuple


class Mutant(NamedTuple):
    """One replacement for the solution cell whose grade_id is `function`."""

    function: str  # grade_id of the solution cell it replaces (the function's name)
    name: str  # short identifier, unique within the unit, e.g. "flipped_kernel"
    kind: Literal["wrong", "correct"]  # wrong: must lose points; correct: must keep full marks
    source: str  # the whole new cell source (the function definition)
    why: str = ""  # the student mistake it models, or how the alternative differs
