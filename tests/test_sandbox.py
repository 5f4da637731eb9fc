"""The sandbox a kernel runs in: what code inside it can see, write, reach and use.

Each test runs a short Python program through `sandbox.command` (the same wrapping a kernel gets) with a
folder standing in for the student's submission. CI installs bubblewrap, so these tests never skip there.
"""

import os
import subprocess
import sys
import textwrap

import pytest

from autograder import sandbox
from autograder.units import AUTOGRADER, REPO, SOLUTIONS

REASON = sandbox.unavailable_reason()
pytestmark = pytest.mark.skipif(
    REASON is not None and not os.environ.get("CI"), reason=f"no sandbox on this machine: {REASON}"
)


def run_inside(code: str, folder, limits=None, env=None, timeout=120) -> subprocess.CompletedProcess:
    limits = limits or sandbox.Limits()
    group = sandbox.ProcessGroup(limits.processes)
    try:
        cmd = sandbox.command([sys.executable, "-c", textwrap.dedent(code)], str(folder), [], [], limits, group)
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=folder)
    finally:
        group.close()


@pytest.fixture
def submission(tmp_path):
    folder = tmp_path / "student" / "01_convolution"
    folder.mkdir(parents=True)
    (folder / "data.txt").write_text("the student's own file")
    return folder


def test_sandbox_is_available_in_ci():
    """CI must exercise the sandboxed path: bubblewrap is installed and starts."""
    assert REASON is None, REASON


def test_kernel_sees_its_submission_and_the_environment(submission):
    """Inside: a copy of the submission as the working folder, torch and the helper package importable."""
    proc = run_inside(
        """
        import os, torch, cnn_course
        print(open("data.txt").read(), os.getcwd(), torch.ones(2).sum().item())
        """,
        submission,
    )
    assert proc.returncode == 0, proc.stderr
    assert "the student's own file" in proc.stdout and sandbox.WORKDIR in proc.stdout


def test_kernel_cannot_read_solutions_or_gradebook(submission):
    """The repository (solutions, hidden tests), the course root and the home folder do not exist inside."""
    home = os.path.expanduser("~")
    python = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix)}  # bound read-only: allowed
    private = [os.path.join(home, name) for name in os.listdir(home)
               if not any(p.startswith(os.path.join(home, name)) for p in python)]  # fmt: skip
    paths = [SOLUTIONS, REPO / "autograder" / "mutants", AUTOGRADER, REPO / "tests", submission.parent.parent,
             *private]  # fmt: skip
    proc = run_inside(f"import os; print([os.path.exists(p) for p in {[str(p) for p in paths]!r}])", submission)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str([False] * len(paths)), f"visible inside the sandbox: {proc.stdout}"


def test_kernel_writes_stay_inside(submission, tmp_path):
    """Writes to the submission go to a throwaway copy; the system, environment and root are read-only."""
    target = tmp_path / "planted.txt"
    proc = run_inside(
        f"""
        open("data.txt", "w").write("changed")
        open("new.txt", "w").write("new")
        results = []
        for path in ({str(target)!r}, {sys.prefix + "/planted"!r}, "/usr/planted", "/planted"):
            try:
                open(path, "w").write("x")
                results.append("written")
            except OSError as err:
                results.append(type(err).__name__)
        print(results)
        """,
        submission,
    )
    assert proc.returncode == 0, proc.stderr
    assert "written" not in proc.stdout, proc.stdout
    assert (submission / "data.txt").read_text() == "the student's own file"
    assert not (submission / "new.txt").exists() and not target.exists()


def test_no_network_and_no_secrets(submission):
    """No network interface but a dead loopback; the grader's environment (a database URL) is not passed."""
    env = dict(os.environ, CNN_GRADEBOOK_SECRET="postgresql://grader:hunter2@db/course")
    proc = run_inside(
        """
        import os, socket
        try:
            socket.create_connection(("1.1.1.1", 80), timeout=3)
            print("connected")
        except OSError as err:
            print("refused", type(err).__name__)
        print(sorted(k for k in os.environ if "SECRET" in k))
        """,
        submission,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "refused" in proc.stdout and "[]" in proc.stdout, proc.stdout


def test_memory_is_limited(submission):
    """An allocation beyond the memory limit fails inside the kernel (and nowhere else)."""
    proc = run_inside(
        """
        try:
            block = bytearray(3 * 2**30)
            print("allocated")
        except MemoryError:
            print("MemoryError")
        """,
        submission,
        limits=sandbox.Limits(memory_gib=2.0),
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "MemoryError"


def test_processes_are_limited(submission):
    """A fork bomb stops at the process limit; its children are gone when the sandbox ends."""
    proc = run_inside(
        """
        import os, time
        count = 0
        try:
            while count < 2000:
                if os.fork() == 0:
                    time.sleep(20)
                    os._exit(0)
                count += 1
        except OSError as err:
            print("stopped", count, type(err).__name__)
        """,
        submission,
        limits=sandbox.Limits(processes=40),
    )
    assert "stopped" in proc.stdout, proc.stdout + proc.stderr
    assert int(proc.stdout.split()[1]) < 40


def test_disk_is_limited(submission):
    """Filling the disk ends at the size of the sandbox's tmpfs."""
    proc = run_inside(
        """
        chunk = b"0" * 2**20
        written = 0
        try:
            with open("fill.bin", "wb") as f:
                while written < 4096:
                    f.write(chunk)
                    written += 1
        except OSError as err:
            print("stopped", written, err.errno)
        """,
        submission,
        limits=sandbox.Limits(tmp_mib=64, file_mib=1024),
    )
    assert "stopped" in proc.stdout, proc.stdout + proc.stderr
    assert int(proc.stdout.split()[1]) <= 64


def test_status_line_warns_when_off(monkeypatch):
    """CNN_SANDBOX=off makes the grade table say loudly that student code was not sandboxed."""
    assert "UNSANDBOXED" in sandbox.status_line({"CNN_SANDBOX": "off"})
    assert sandbox.status_line({"CNN_SANDBOX": "auto"}) is None
