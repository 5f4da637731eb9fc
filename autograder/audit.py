"""An audit of the code a student wrote, before grading: what answers to these assignments never need.

Every code cell of a submission that is not, character for character, a locked cell of the release is
parsed (after IPython's own transformation, so `%magic` and `!shell` lines are seen as the calls they
become) and its syntax tree is searched for ways to fake a grade or reach outside the notebook:
IPython's machinery, dynamic code, introspection of frames and namespaces, the operating system, files
and sockets, dunder attributes, patches of modules the tests use, rebinding the tests' helpers, and
imports the unit does not need. Working on the tree, not the text, sees through spacing, aliases and
string concatenation (`getattr(__builtins__, "ev" + "al")` still names `__builtins__`).

A flagged submission is still graded; its status starts with REVIEW: and names the cell, line and
reason. The audit is one layer: the sandbox bounds what any code can reach, flagged or not.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import nbformat

# Always fine in an answer: the numerical stack and pure-Python helpers.
SAFE_MODULES = {
    "math", "cmath", "numbers", "itertools", "functools", "operator", "collections", "typing", "dataclasses",
    "enum", "abc", "string", "fractions", "decimal", "statistics", "random", "heapq", "bisect", "copy",
    "numpy", "torch", "einops", "cnn_course", "matplotlib", "tqdm", "time", "warnings", "__future__",
}  # fmt: skip
# Never needed, and each a way out of the notebook or into the grader.
FORBIDDEN_MODULES = {
    "os", "sys", "subprocess", "socket", "shutil", "pathlib", "io", "ctypes", "gc", "inspect", "importlib",
    "builtins", "IPython", "ipykernel", "traceback", "signal", "threading", "multiprocessing", "pickle",
    "marshal", "types", "code", "codeop", "runpy", "tempfile", "glob", "sqlite3", "nbformat", "nbgrader",
    "nbclient", "jupyter_client", "urllib", "http", "requests", "pty", "resource", "atexit", "asyncio",
    "concurrent", "zmq", "dis", "ast", "pdb", "bdb", "trace", "tracemalloc", "faulthandler", "weakref",
    "fcntl", "select", "mmap", "webbrowser", "zipfile", "tarfile", "autograder", "unittest", "pytest",
    "cnn_course.checks",
}  # fmt: skip
FORBIDDEN_NAMES = {
    "get_ipython": "reaches IPython (input transformers, exception handlers and events can fake any test)",
    "exec": "runs code built at run time", "eval": "runs code built at run time",
    "compile": "compiles code at run time", "__import__": "imports by name at run time",
    "globals": "reaches the notebook's namespace", "locals": "reaches a namespace", "vars": "reaches a namespace",
    "breakpoint": "starts a debugger", "open": "opens a file",
    "__builtins__": "reaches the builtins", "exit": "stops the kernel", "quit": "stops the kernel",
    "memoryview": "reads raw memory",
}  # fmt: skip
# Calls on torch / numpy that write or read files, load code, or change what every later test computes.
FORBIDDEN_CALLS = {
    "set_default_dtype": "changes the default dtype for every later test",
    "set_default_device": "changes the default device for every later test",
    "set_default_tensor_type": "changes the default tensor type for every later test",
    "load": "reads a file", "save": "writes a file", "fromfile": "reads a file",
    "tofile": "writes a file", "load_library": "loads compiled code", "load_inline": "compiles code",
    "settrace": "installs a trace hook", "setprofile": "installs a profile hook", "_getframe": "reads frames",
    "chdir": "changes the working folder",
}  # fmt: skip
SUBMODULES = {"nn", "functional", "F", "init", "linalg", "fft", "pyplot", "autograd", "utils", "special"}
SAFE_DUNDERS = {"__init__", "__name__", "__qualname__", "__doc__", "__class__", "__call__", "__len__",
                "__repr__", "__future__"}  # fmt: skip


@dataclass(frozen=True)
class Flag:
    cell: str  # the cell's grade_id, or "cell N" for an unnamed one
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.cell} line {self.line}: {self.reason}"


def _python(source: str) -> str:
    """The Python that IPython would run for a cell (magics and shell escapes become calls)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - IPython ships with the kernel
        return source
    return TransformerManager().transform_cell(source)


def _root(node: ast.AST) -> str | None:
    """The name at the start of an attribute chain (`torch` in torch.nn.functional.conv2d)."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.value if not isinstance(node, ast.Call) else node.func
    return node.id if isinstance(node, ast.Name) else None


class _Auditor(ast.NodeVisitor):
    def __init__(self, cell: str, protected: set[str], modules: set[str], allowed: set[str]):
        self.cell, self.protected, self.modules, self.allowed = cell, protected, modules, allowed
        self.flags: list[Flag] = []
        self.depth = 0  # > 0 inside a function or class body

    def flag(self, node: ast.AST, reason: str) -> None:
        self.flags.append(Flag(self.cell, getattr(node, "lineno", 0), reason))

    # imports
    def _module(self, node: ast.AST, name: str) -> None:
        top = name.split(".")[0]
        if name in FORBIDDEN_MODULES or top in FORBIDDEN_MODULES:
            self.flag(node, f"imports {name}, which no answer needs")
        elif top not in SAFE_MODULES and top not in self.allowed:
            self.flag(node, f"imports {name}, which this unit does not use")

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._module(node, alias.name)
            self._bind(node, (alias.asname or alias.name).split(".")[0])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = "." * node.level + (node.module or "")
        if node.level:
            self.flag(node, f"relative import from {base}")
        self._module(node, base)
        for alias in node.names:
            if f"{base}.{alias.name}" in FORBIDDEN_MODULES:  # `from cnn_course import checks`
                self._module(node, f"{base}.{alias.name}")
            self._bind(node, alias.asname or alias.name)

    # names and attributes
    def visit_Name(self, node: ast.Name) -> None:
        if node.id in self.modules and node.id in FORBIDDEN_MODULES:  # e.g. the Colab cell's `sys`
            self.flag(node, f"uses {node.id}, which no answer needs")
        elif node.id in FORBIDDEN_NAMES and isinstance(node.ctx, ast.Load):
            self.flag(node, f"uses {node.id}: {FORBIDDEN_NAMES[node.id]}")
        elif node.id.startswith("__") and node.id.endswith("__") and node.id not in SAFE_DUNDERS | {"__name__"}:
            self.flag(node, f"uses {node.id}")
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self._bind(node, node.id)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        attr = node.attr
        if attr.startswith("__") and attr.endswith("__") and attr not in SAFE_DUNDERS:
            self.flag(node, f"reads the dunder attribute {attr}")
        elif attr in FORBIDDEN_CALLS and _root(node) in self.modules | {"np", "torch"}:
            self.flag(node, f"calls {attr}: {FORBIDDEN_CALLS[attr]}")
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            root = _root(node)
            if root in self.modules or root in self.protected:
                self.flag(node, f"changes {ast.unparse(node)}, which the tests use")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in ("setattr", "delattr", "getattr") and node.args:
            target = _root(node.args[0])
            name = node.args[1] if len(node.args) > 1 else None
            literal = isinstance(name, ast.Constant) and isinstance(name.value, str)
            if target in self.modules or target in self.protected:
                if func.id != "getattr" or not literal:
                    self.flag(node, f"{func.id} on {target} with a name chosen at run time")
            if literal and name.value.startswith("__"):
                self.flag(node, f"{func.id} of the dunder attribute {name.value}")
        self.generic_visit(node)

    # rebinding what the tests use
    def _bind(self, node: ast.AST, name: str) -> None:
        if name in self.protected and self.depth == 0:
            self.flag(node, f"rebinds {name}, which the tests use")

    def visit_Global(self, node: ast.Global) -> None:
        for name in node.names:
            if name in self.protected:
                self.flag(node, f"rebinds the global {name}, which the tests use")

    def _scoped(self, node) -> None:
        if self.depth == 0:
            self._bind(node, node.name)
        for decorator in getattr(node, "decorator_list", []):
            self.visit(decorator)
        self.depth += 1
        for child in ast.iter_child_nodes(node):
            if child not in getattr(node, "decorator_list", []):
                self.visit(child)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scoped

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1


@dataclass
class Release:
    """What the audit needs to know about a unit's released notebook."""

    locked_sources: set[str]  # code cells a student may not change: not audited when unchanged
    locked_ids: set[str]  # grade ids of locked cells: nbgrader puts their release source back before running
    protected: set[str]  # names the setup and test cells define or use (torch, F, assert_close, ...)
    modules: set[str]  # names bound to modules by the setup cell
    allowed: set[str]  # top-level modules the release itself imports

    @classmethod
    def of(cls, notebook: Path, source: Path | None = None) -> Release:
        """From the released notebook, and the source notebook when there is one (its hidden tests use
        names too)."""
        nb = nbformat.read(notebook, as_version=4)
        cells = list(nb.cells)
        if source is not None and Path(source).exists():
            cells += [c for c in nbformat.read(source, as_version=4).cells if c.metadata.get("nbgrader", {}).get("grade")]
        locked, ids, defined, used, modules, allowed = set(), set(), set(), set(), set(), set()
        for cell in cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type != "code" or meta.get("solution"):
                continue
            locked.add(cell.source.strip())
            if meta.get("grade_id") and (meta.get("locked") or meta.get("grade")):
                ids.add(meta["grade_id"])
            try:
                tree = ast.parse(_python(cell.source))
            except SyntaxError:
                continue
            test = bool(meta.get("grade"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import) and not test:
                    for alias in node.names:
                        modules.add(alias.asname or alias.name.split(".")[0])
                        allowed.add(alias.name.split(".")[0])
                elif isinstance(node, ast.ImportFrom) and not test:
                    allowed.add((node.module or "").split(".")[0])
                    # `from torch import nn` binds a module
                    modules.update(a.asname or a.name for a in node.names if a.name in SUBMODULES)
            top = _top_level_names(tree)
            if test:
                stored = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
                used |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - stored
                defined |= {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
            else:
                defined |= top
        return cls(locked, ids, (defined & used) | modules, modules, allowed - FORBIDDEN_MODULES)


def _top_level_names(tree: ast.Module) -> set[str]:
    """Names a cell binds in the notebook's namespace (not inside its functions or classes)."""
    names: set[str] = set()

    def visit(node):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            return
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            return
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, ast.alias):
            names.add(node.asname or node.name.split(".")[0])
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return names


def audit(notebook: Path | nbformat.NotebookNode, release: Release) -> list[Flag]:
    """Flags for every code cell of `notebook` that nbgrader will run as the student wrote it.

    Locked cells (setup, tests) are skipped: nbgrader replaces them by their release version, whatever the
    submission holds. A cell that lost its metadata is an ordinary cell, and audited.
    """
    nb = notebook if isinstance(notebook, nbformat.NotebookNode) else nbformat.read(notebook, as_version=4)
    flags: list[Flag] = []
    for index, cell in enumerate(nb.cells):
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if cell.cell_type != "code" or grade_id in release.locked_ids or cell.source.strip() in release.locked_sources:
            continue
        name = grade_id or f"cell {index + 1}"
        source = cell.source.replace("\r\n", "\n").lstrip("\ufeff")
        try:
            tree = ast.parse(_python(source))
        except SyntaxError:
            continue  # the kernel cannot run it either: its tests fail on their own
        auditor = _Auditor(name, release.protected, release.modules, release.allowed)
        auditor.visit(tree)
        flags += auditor.flags
    return flags
