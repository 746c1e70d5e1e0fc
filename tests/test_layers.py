"""Dependencies point one way: models, errors <- langs, bundles, packages <- engine <- sandbox (with sessions,
streaming)
<- tools <- __main__."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "runno_mcp"
LAYERS = [
    {"runno_mcp.models", "runno_mcp.errors"},
    {"runno_mcp.langs", "runno_mcp.bundles", "runno_mcp.packages"},
    {"runno_mcp.engine"},
    {"runno_mcp.sandbox", "runno_mcp.sessions", "runno_mcp.streaming", "runno_mcp._calls", "runno_mcp._host_memory"},
    {"runno_mcp.tools"},
    {"runno_mcp.__main__", "runno_mcp.cli", "runno_mcp"},
]


def layer_of(module: str) -> int:
    """The index in LAYERS of the layer `module` belongs to (a subpackage belongs to its package's)."""
    for index, layer in enumerate(LAYERS):
        if any(module == name or module.startswith(name + ".") for name in layer if name != "runno_mcp"):
            return index
    if module == "runno_mcp":
        return len(LAYERS) - 1
    raise AssertionError(f"{module} is in no layer")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    return (PACKAGE / f"{name}.py").is_file() or (PACKAGE / name / "__init__.py").is_file()


def imports_of(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            if node.module == "runno_mcp":  # `from runno_mcp import models` imports a module; a name is the package's
                found.update(f"runno_mcp.{alias.name}" for alias in node.names if is_module(alias.name))
    return {name for name in found if name == "runno_mcp" or name.startswith("runno_mcp.")}


@pytest.mark.parametrize(
    "path", [pytest.param(p, id=module_name(p)) for p in sorted(PACKAGE.rglob("*.py")) if "_data" not in p.parts]
)
def test_no_module_imports_from_a_layer_above_its_own(path: Path) -> None:
    """Each import of runno_mcp points to the module's own layer or one below."""
    own = layer_of(module_name(path))
    for imported in imports_of(path):
        if imported == "runno_mcp":
            continue
        assert layer_of(imported) <= own, f"{module_name(path)} imports {imported}"
