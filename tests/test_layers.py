"""Dependencies point one way: models, errors <- langs, bundles, packages <- engine <- sandbox (with sessions,
streaming) <- tools <- cli, __main__. Tools never import the engine, and a private (`_`) module is imported only
from inside its own package."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "runno_mcp"
LAYERS = [
    {"runno_mcp.models", "runno_mcp.errors", "runno_mcp._image_sniff"},
    {"runno_mcp.langs", "runno_mcp.bundles", "runno_mcp.packages"},
    {"runno_mcp.engine"},
    {
        "runno_mcp.sandbox",
        "runno_mcp.sessions",
        "runno_mcp.streaming",
        "runno_mcp._calls",
        "runno_mcp._host_memory",
        "runno_mcp.derived",
        "runno_mcp._run_params",
        "runno_mcp._session_files",
        "runno_mcp._sci_imports",
    },
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


MODULES = [pytest.param(p, id=module_name(p)) for p in sorted(PACKAGE.rglob("*.py")) if "_data" not in p.parts]


@pytest.mark.parametrize("path", MODULES)
def test_tools_never_import_the_engine(path: Path) -> None:
    """The tool adapters reach the engine only through the sandbox."""
    if module_name(path).startswith("runno_mcp.tools"):
        engine = [
            name for name in imports_of(path) if name == "runno_mcp.engine" or name.startswith("runno_mcp.engine.")
        ]
        assert not engine, f"{module_name(path)} imports {engine}"


@pytest.mark.parametrize("path", MODULES)
def test_private_modules_are_imported_only_inside_their_package(path: Path) -> None:
    """`runno_mcp.engine._protocol` is the engine package's own; the layers above use `runno_mcp.engine`'s names."""
    importer = module_name(path)
    importer_package = importer if path.name == "__init__.py" else importer.rpartition(".")[0]
    for imported in imports_of(path):
        package, _, last = imported.rpartition(".")
        if last.startswith("_") and not last.startswith("__"):
            assert importer_package == package or importer_package.startswith(package + "."), (
                f"{importer} imports {imported}, private to {package}"
            )
