"""The code stays readable in small pieces: no function over 60 lines, in any module we write."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("plugins", "publishing", "editing", "bench", "tools")
LONGEST = 60  # lines from `def` to the function's last line, nested functions counted apart too


def our_modules() -> list[Path]:
    modules = [ROOT / "tasks.py"]
    for folder in FOLDERS:
        modules += sorted(p for p in (ROOT / folder).rglob("*.py") if "__pycache__" not in p.parts)
    return modules


def long_functions(path: Path, root: Path = ROOT) -> list[tuple[str, int]]:
    """Return (module:qualified name, length) for each function in path longer than LONGEST lines."""
    found = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = prefix
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}.{child.name}" if prefix else child.name
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                length = child.end_lineno - child.lineno + 1
                if length > LONGEST:
                    found.append((f"{path.relative_to(root).as_posix()}:{name}", length))
            visit(child, name)

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), "")
    return found


def test_the_check_finds_a_long_method_and_measures_it_from_def_to_its_last_line(tmp_path):
    body = "\n".join(f"        x{n} = {n}" for n in range(LONGEST - 1))
    module = tmp_path / "m.py"
    short = "def g():\n    def inner():\n        return 1\n    return inner\n"
    module.write_text(f"class A:\n    def f(self):\n{body}\n        return 1\n\n\n{short}")
    assert long_functions(module, tmp_path) == [("m.py:A.f", LONGEST + 1)]


def test_no_function_is_over_60_lines():
    offenders = [f"{name} ({n} lines)" for path in our_modules() for name, n in long_functions(path)]
    assert not offenders, "functions over 60 lines, split them:\n" + "\n".join(offenders)
