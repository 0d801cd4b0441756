"""Module and function size distribution of the application code (not tests, not migrations).

    python bench/code_sizes.py [REPO]      # figures for the tree at REPO (default: this checkout)

Prints lines per module and per function (median, 90th percentile, maximum, how many functions
exceed 40 lines): the style rule in DESIGN.md is small modules, functions under ~40 lines.
"""

from __future__ import annotations

import ast
import statistics
import sys
from pathlib import Path

PACKAGES = ("firewatch", "crawler", "classifiers", "review_ui")
LONG_FUNCTION = 40


def python_files(repo: Path) -> list[Path]:
    files = []
    for package in PACKAGES:
        files += [p for p in (repo / package).rglob("*.py") if "migrations" not in p.parts]
    return sorted(files)


def function_lengths(tree: ast.AST) -> list[int]:
    return [node.end_lineno - node.lineno + 1 for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]


def describe(values: list[int]) -> str:
    ordered = sorted(values)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    return f"n={len(ordered)} median={statistics.median(ordered):g} p90={p90} max={ordered[-1]}"


def main(repo: Path) -> None:
    modules, functions = [], []
    for path in python_files(repo):
        text = path.read_text(encoding="utf-8")
        modules.append(len(text.splitlines()))
        functions += function_lengths(ast.parse(text))
    print(f"modules (lines):   {describe(modules)}")
    print(f"functions (lines): {describe(functions)}; over {LONG_FUNCTION}: "
          f"{sum(1 for n in functions if n > LONG_FUNCTION)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1])
