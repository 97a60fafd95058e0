"""The package's layers (issue #9): imports go only downwards and form no cycle.

Every ``import`` in ``costshare/`` is read with :mod:`ast`, function-level ones included,
so a lazy import cannot hide an upward dependency or a cycle. A module may import its own
layer's modules (never in a cycle) and any layer below it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import costshare

PACKAGE = Path(costshare.__file__).parent

# Top to bottom. ``costshare/__init__.py`` (the public API) sits above everything.
LAYERS = (
    "cli",
    "package",
    "documents",
    "check",
    "programme",
    "shares",
    "population",
    "allocation",
    "base",
)
# Third-party document libraries and the one documents folder that may import each.
DOCUMENT_LIBRARIES = {
    "jinja2": "costshare.documents.pdf",
    "typst": "costshare.documents.pdf",
    "xlsxwriter": "costshare.documents.xlsx",
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = (
        _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    )
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append(module)
            # ``from costshare.x import y`` where y is a module
            found.extend(f"{module}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {m for m in _imports(path) if m in modules and m != name}
    return graph


def _layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:
        return -1  # costshare/__init__: the public API, above everything
    if parts[1] == "__main__":
        return -1
    return LAYERS.index(parts[1])


def test_every_module_is_in_a_layer() -> None:
    for module in _graph():
        parts = module.split(".")
        assert len(parts) == 1 or parts[1] in (*LAYERS, "__main__"), f"{module} is in no layer"


def test_imports_only_go_downwards() -> None:
    upward = [
        f"{module} imports {target}"
        for module, targets in _graph().items()
        for target in targets
        if (target != "costshare" and _layer(target) < _layer(module))
        or (target == "costshare" and module != "costshare")
    ]
    assert upward == []


def test_no_import_cycle() -> None:
    graph = _graph()
    # Imports of a package's __init__ by its own modules are not edges of interest here;
    # drop parent-package edges so a cycle means two modules needing each other.
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target, [*stack, target])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_document_libraries_only_in_their_documents_folder() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        module = _module_name(path)
        for imported in _imports(path):
            home = DOCUMENT_LIBRARIES.get(imported.split(".")[0])
            if home is not None and not module.startswith(home):
                offenders.append(f"{module} imports {imported}")
    assert offenders == []


def test_every_sub_package_is_packaged() -> None:
    """A sub-package missing from pyproject's list would be left out of the wheel."""
    import tomllib

    listed = set(
        tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())["tool"]["setuptools"][
            "packages"
        ]
    )
    folders = {_module_name(init) for init in PACKAGE.rglob("__init__.py")}
    assert folders - listed == set()


# --- only the package layer, the data fetch and the CLI write files (issue #19) ---
# What changes the file system: method names (on a Path or a handle), and functions of
# os, shutil and tempfile. str.replace is not os.replace: only os.* counts for that name.
_WRITING_METHODS = {"write_bytes", "write_text", "mkdir", "rename", "unlink", "rmdir", "chmod"}
_WRITING_FUNCTIONS = {
    "os": {"replace", "rename", "remove", "unlink", "makedirs", "mkdir", "rmdir", "open", "fdopen"},
    "shutil": {"copy", "copy2", "copyfile", "copytree", "move", "rmtree"},
    "tempfile": {"mkdtemp", "mkstemp", "TemporaryDirectory", "NamedTemporaryFile"},
}
MAY_WRITE = ("costshare.package", "costshare.cli", "costshare.population.statbank")
# Reading is not writing: base.limits opens a file read-only (os.open with O_RDONLY).
_READ_ONLY_OPENS = {"costshare.base.limits"}


def _writes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Attribute):
            owner = function.value.id if isinstance(function.value, ast.Name) else None
            if owner in _WRITING_FUNCTIONS:
                if function.attr in _WRITING_FUNCTIONS[owner]:
                    found.append(f"{owner}.{function.attr} (line {node.lineno})")
            elif function.attr in _WRITING_METHODS:
                found.append(f".{function.attr}() (line {node.lineno})")
        elif isinstance(function, ast.Name) and function.id == "open":
            modes = [a for a in node.args[1:2]] + [
                k.value for k in node.keywords if k.arg == "mode"
            ]
            if any(isinstance(m, ast.Constant) and set(str(m.value)) & set("wax+") for m in modes):
                found.append(f"open(..., {modes[0].value!r}) (line {node.lineno})")  # type: ignore[union-attr]
    return found


def test_only_the_package_layer_the_fetch_and_the_cli_write_files() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        module = _module_name(path)
        if module.startswith(MAY_WRITE):
            continue
        writes = _writes(path)
        if module in _READ_ONLY_OPENS:
            writes = [w for w in writes if not w.startswith(("os.open", "os.fdopen"))]
        offenders += [f"{module}: {write}" for write in writes]
    assert offenders == []


def test_no_module_name_repeats_across_layers() -> None:
    """``years.py`` in two layers made every traceback and every search ambiguous."""
    seen: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        if path.name != "__init__.py":
            seen.setdefault(path.name, []).append(_module_name(path))
    assert {name: where for name, where in seen.items() if len(where) > 1} == {}


# --- small enough to read in one sitting (issue #19) ---
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
# A module or function may be longer only if its docstring says why, in these words.
LONG_BECAUSE = "Long because"


def test_modules_and_functions_are_short_or_say_why() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        module = _module_name(path)
        lines = len(source.splitlines())
        if lines > MAX_MODULE_LINES and LONG_BECAUSE not in (ast.get_docstring(tree) or ""):
            offenders.append(f"{module}: {lines} lines")
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES and LONG_BECAUSE not in (
                    ast.get_docstring(node) or ""
                ):
                    offenders.append(f"{module}.{node.name}: {length} lines")
    assert offenders == []
