"""The sandbox a student's kernel runs in: Linux namespaces (bubblewrap) and resource limits.

nbgrader runs a submission's code in a kernel with the grader's rights. Here the kernel command is
wrapped (by `SandboxKernelManager` in nbgrader_config.py) so that the kernel:

- sees a read-only system (/usr, the Python installation, the course's virtual environment and the
  helper package) and nothing else of the machine: not the repository (solutions, hidden tests,
  mutants), not the course root (gradebook, other students), not the home directory;
- runs in a copy of its own submission folder on a private, size-limited tmpfs (writes are thrown
  away), with a private /tmp, its own PID namespace (it cannot see or signal the grader), no network,
  and a cleared environment (no secrets such as a database URL);
- is limited in memory (address space), open files, file size and CPU time (setrlimit, through
  util-linux `prlimit`), and in processes (a pids cgroup when the grader may create one, else
  RLIMIT_NPROC).

bubblewrap was chosen over a hand-rolled `unshare` because it builds the whole mount namespace from
nothing in one audited, unprivileged step (the kernel sees only what is bound in), clears the
environment, drops every capability and dies with its parent; `unshare` alone would start from the
full host filesystem and need a script to hide parts of it, which fails open when a path is missed.

Settings come from the environment of the grading process (the course CLI sets them):
CNN_SANDBOX = "auto" (default: sandbox when it works, else run unsandboxed and say so loudly),
"require" (refuse to grade unsandboxed) or "off"; CNN_SANDBOX_MEMORY_GIB (default 4),
CNN_SANDBOX_PROCESSES (256), CNN_SANDBOX_FILE_MIB (largest file, 512), CNN_SANDBOX_TMP_MIB (tmpfs of
the kernel's folder and /tmp, 1024 each), CNN_SANDBOX_CPU_S (CPU seconds, 1800).
"""

from __future__ import annotations

import contextlib
import functools
import glob
import os
import shutil
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

WORKDIR = "/home/student/submission"  # the kernel's folder inside the sandbox (a tmpfs copy)
SOURCE = "/home/student/.submitted"  # the read-only original it is copied from
ENV_PASSED = ("LANG", "LC_ALL", "LC_CTYPE", "TZ", "MPLBACKEND", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
              "PYTHONHASHSEED", "CUDA_VISIBLE_DEVICES", "CNN_COURSE_QUIET")  # fmt: skip
PIDS_CGROUPS = ("/sys/fs/cgroup/pids", "/sys/fs/cgroup/unified", "/sys/fs/cgroup")


class SandboxUnavailable(RuntimeError):
    """CNN_SANDBOX=require, and the sandbox cannot start here."""


@dataclass(frozen=True)
class Limits:
    memory_gib: float = 4.0
    processes: int = 256
    file_mib: int = 512
    tmp_mib: int = 1024
    cpu_s: int = 1800
    open_files: int = 1024

    @classmethod
    def from_env(cls, env=os.environ) -> Limits:
        def get(name, cast, default):
            value = env.get(f"CNN_SANDBOX_{name}")
            return cast(value) if value else default

        base = cls()
        return cls(
            memory_gib=get("MEMORY_GIB", float, base.memory_gib),
            processes=get("PROCESSES", int, base.processes),
            file_mib=get("FILE_MIB", int, base.file_mib),
            tmp_mib=get("TMP_MIB", int, base.tmp_mib),
            cpu_s=get("CPU_S", int, base.cpu_s),
        )


def mode(env=os.environ) -> str:
    value = env.get("CNN_SANDBOX", "auto").strip().lower() or "auto"
    if value not in ("auto", "require", "off"):
        raise ValueError(f"CNN_SANDBOX must be auto, require or off, not {value!r}")
    return value


def _system_binds() -> list[str]:
    """Read-only binds of what any Python program needs: the system, Python itself, the environment."""
    args = []
    for path in ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt/conda"):
        if os.path.lexists(path):
            args += ["--ro-bind", path, path] if not os.path.islink(path) else ["--symlink", os.readlink(path), path]
    # /etc: only what the loader, Python and matplotlib read (not shadow, ssh keys, or the grader's config)
    for name in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "nsswitch.conf", "passwd", "group",
                 "fonts", "mime.types", "ssl", "alternatives", "matplotlibrc"):  # fmt: skip
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    prefixes = {sys.base_prefix, sys.prefix, str(Path(sys.executable).parent.parent)}
    import cnn_course  # the helper package: an editable install lives in the repository; bind only it

    prefixes.add(str(Path(cnn_course.__file__).resolve().parent))
    for prefix in sorted(prefixes):
        if not any(prefix.startswith(p + "/") or prefix == p for p in ("/usr", "/bin", "/lib", "/lib64")):
            args += ["--ro-bind", prefix, prefix]
    for device in glob.glob("/dev/nvidia*") + glob.glob("/dev/dri"):  # a GPU, when there is one
        args += ["--dev-bind", device, device]
    if os.path.isdir("/proc/driver/nvidia"):
        args += ["--ro-bind", "/proc/driver/nvidia", "/proc/driver/nvidia"]
    return args


def _environment() -> list[str]:
    args = ["--clearenv"]
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": "/home/student",
        "TMPDIR": "/tmp",
        "MPLCONFIGDIR": "/tmp/matplotlib",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.update({k: os.environ[k] for k in ENV_PASSED if k in os.environ})
    for key, value in env.items():
        args += ["--setenv", key, value]
    return args


def _rlimits(limits: Limits) -> list[str]:
    args = [
        "prlimit",
        f"--as={int(limits.memory_gib * 2**30)}",
        f"--fsize={limits.file_mib * 2**20}",
        f"--cpu={limits.cpu_s}",
        f"--nofile={limits.open_files}",
        "--core=0",
    ]
    if os.geteuid() != 0:
        # RLIMIT_NPROC counts every process of this user on the machine (root is exempt: see cgroup)
        mine = sum(1 for p in Path("/proc").iterdir() if p.name.isdigit() and _owner(p) == os.geteuid())
        args.append(f"--nproc={mine + limits.processes}")
    return args


def _owner(path: Path) -> int | None:
    try:
        return path.stat().st_uid
    except OSError:
        return None


class ProcessGroup:
    """A pids cgroup that caps the processes of one kernel (root only; RLIMIT_NPROC spares root)."""

    def __init__(self, limit: int):
        self.path: Path | None = None
        if os.geteuid() != 0:
            return
        for base in PIDS_CGROUPS:
            if not os.access(base, os.W_OK) or not os.path.exists(os.path.join(base, "cgroup.procs")):
                continue
            path = Path(base) / f"cnn-kernel-{uuid.uuid4().hex[:12]}"
            try:
                path.mkdir()
                (path / "pids.max").write_text(f"{limit}\n")
            except OSError:
                with contextlib.suppress(OSError):
                    path.rmdir()  # a cgroup folder is removed with rmdir, never by deleting its files
                continue
            self.path = path
            return

    def enter_prefix(self) -> list[str]:
        """A command prefix that moves itself into the cgroup, then execs the rest."""
        if self.path is None:
            return []
        return ["/bin/sh", "-c", f'echo $$ > "{self.path}/cgroup.procs" && exec "$@"', "cnn-sandbox"]

    def close(self) -> None:
        if self.path is None:
            return
        for _ in range(50):  # kill whatever is left, then remove the group
            try:
                pids = [int(p) for p in (self.path / "cgroup.procs").read_text().split()]
            except OSError:
                break
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, 9)
                except OSError:
                    pass
        try:
            self.path.rmdir()
        except OSError:
            pass
        self.path = None


def command(kernel_cmd: list[str], cwd: str, binds: list[str], read_only: list[str], limits: Limits,
            group: ProcessGroup | None = None) -> list[str]:  # fmt: skip
    """The kernel command, wrapped: cgroup, rlimits, then bubblewrap around a copy of `cwd`.

    `binds` are read-write paths the kernel needs (its socket folder); `read_only` are files it must read
    (its connection file).
    """
    size = str(limits.tmp_mib * 2**20)
    args = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL"]
    # the private /tmp first: binds that follow (an environment or a socket folder under /tmp) sit on it
    args += ["--size", size, "--tmpfs", "/tmp", "--dir", "/tmp/matplotlib"]
    args += _environment() + _system_binds()
    args += ["--proc", "/proc", "--dev", "/dev", "--size", size, "--tmpfs", "/home/student"]
    args += ["--ro-bind", cwd, SOURCE, "--dir", WORKDIR]
    for path in binds:
        args += ["--bind", path, path]
    for path in read_only:
        args += ["--ro-bind", path, path]
    args += ["--remount-ro", "/"]  # the sandbox's own root: nothing can be written outside the tmpfs mounts
    args += ["--chdir", WORKDIR, "--", "/bin/sh", "-c", f'cp -a "{SOURCE}/." . && exec "$@"', "cnn-sandbox"]
    return (group.enter_prefix() if group else []) + _rlimits(limits) + args + list(kernel_cmd)


@functools.lru_cache(maxsize=1)
def unavailable_reason() -> str | None:
    """None when a sandboxed process starts here; else why not (one line)."""
    for tool in ("bwrap", "prlimit"):
        if shutil.which(tool) is None:
            hint = "apt install bubblewrap" if tool == "bwrap" else "apt install util-linux"
            return f"{tool} is not installed ({hint})"
    import tempfile

    try:
        with tempfile.TemporaryDirectory(prefix="cnn-sandbox-probe-") as here:
            probe = command([sys.executable, "-c", "import cnn_course"], here, [], [], Limits())
            proc = subprocess.run(probe, capture_output=True, text=True, timeout=60, cwd=here)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"bubblewrap could not start ({err})"
    if proc.returncode != 0:
        lines = (proc.stderr or proc.stdout).strip().splitlines()
        return f"bubblewrap could not start: {lines[-1] if lines else f'exit {proc.returncode}'}"
    return None


def status_line(env=os.environ) -> str | None:
    """The loud warning for the grade table when kernels run unsandboxed; None when they are sandboxed."""
    if mode(env) == "off":
        return "WARNING: submissions ran UNSANDBOXED (CNN_SANDBOX=off): student code had the grader's rights"
    reason = unavailable_reason()
    if reason:
        return f"WARNING: submissions ran UNSANDBOXED ({reason}): student code had the grader's rights"
    return None
