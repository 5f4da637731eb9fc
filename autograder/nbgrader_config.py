"""nbgrader configuration for the course (nbgrader 0.9.6).

The course root is this folder: submitted/, autograded/, feedback/ and gradebook.db land here and are
git-ignored. Sources are ../solutions, the release is ../assignments (committed). The course CLI
(`python -m autograder.course`) passes `--CourseDirectory.root=...` to grade a throwaway course instead
(the demo in build/demo, the mutation tests in build/mutants).
"""

from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

HERE = Path(__file__).resolve().parent

c.CourseDirectory.course_id = "cnn-course"
c.CourseDirectory.root = str(HERE)
c.CourseDirectory.source_directory = str(HERE.parent / "solutions")
c.CourseDirectory.release_directory = str(HERE.parent / "assignments")
# Data files next to a notebook (none yet) travel with the release; checkpoints never do.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# The release stub of every solution region: an error that says what to do.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Submissions run in the grading environment's own Python kernel, whatever the student's metadata says.
c.Execute.kernel_name = "python3"
# Per-cell limit: a test cell that loops forever scores 0 and grading goes on with the next cell.
c.Execute.timeout = 60
# The nbclient default tag "skip-execution" would let a student skip test cells (and score them full):
# only a tag nobody can guess skips a cell.
c.Execute.skip_cells_with_tag = "cnn-course-instructor-skip-7f3a"

# A test cell that writes to stderr scores 0: drop harmless warning lines before scoring.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"\w*Warning: "

# A deleted test cell is put back from the gradebook instead of leaving its grade empty.
c.OverwriteCells.add_missing_cells = True



class HideHiddenTracebacks(NbGraderPreprocessor):
    """Cut the traceback of a failed hidden test to its last line (the error and its message).

    A traceback quotes the lines around the failure, which would show hidden test code in the feedback;
    the assertion message says what went wrong without them.
    """

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and "BEGIN HIDDEN TESTS" in cell.source:
            for out in cell.get("outputs", []):
                if out.output_type == "error":
                    out.traceback = [f"{out.ename}: {out.evalue}", "(the traceback of a hidden test is not shown)"]
        return cell, resources


# Feedback never shows hidden tests, neither their code nor the code quoted by their tracebacks.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    HideHiddenTracebacks,
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
