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
