"""The layer contracts in pyproject.toml: the Qt-modules contract catches what it should, and the
real tree keeps every contract (the same check `.ci/run` runs with `lint-imports`)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import grimp
import pytest

from tests.architecture.qt_contract import QtModulesContract, qt_modules_named

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("from PySide6.QtWidgets import QWidget", {"QtWidgets"}),
        ("from PySide6.QtCore import Qt  # comment naming QtGui", {"QtCore"}),
        ("from PySide6 import QtCore, QtGui", {"QtCore", "QtGui"}),
        ("import PySide6.QtGui as gui", {"QtGui"}),
        ("import PySide6", {"PySide6"}),
    ],
)
def test_import_lines_resolve_to_the_qt_modules_they_name(line: str, named: set[str]) -> None:
    assert qt_modules_named(line) == named


def _package(tmp_path: Path, files: dict[str, str]) -> grimp.ImportGraph:
    for name, text in files.items():
        path = tmp_path / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    sys.path.insert(0, str(tmp_path))
    try:
        return grimp.build_graph("pkg", include_external_packages=True, cache_dir=None)
    finally:
        sys.path.remove(str(tmp_path))


def _check(graph: grimp.ImportGraph, source: str, allowed: list[str]):  # type: ignore[no-untyped-def]
    contract = QtModulesContract("t", {}, {"source_modules": [source], "allowed": allowed})
    return contract.check(graph, verbose=False)


def test_a_widget_import_two_modules_away_breaks_the_contract_with_its_chain(tmp_path: Path) -> None:
    graph = _package(
        tmp_path,
        {
            "__init__.py": "",
            "low.py": "def f():\n    from pkg import mid\n",  # a function-local import still counts
            "mid.py": "from PySide6.QtWidgets import QWidget\n",
            "fine.py": "from PySide6.QtGui import QImage\n",
        },
    )
    check = _check(graph, "pkg.low", ["QtCore", "QtGui"])
    assert not check.kept
    (violation,) = check.metadata["violations"]
    assert violation["chain"] == "pkg.low -> pkg.mid"
    assert "QtWidgets" in violation["lines"][0]
    assert _check(graph, "pkg.fine", ["QtCore", "QtGui"]).kept
    assert not _check(graph, "pkg.fine", []).kept


def test_the_tree_keeps_every_layer_contract() -> None:
    run = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
