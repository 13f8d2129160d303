"""The layers the README claims, checked at run time in a fresh interpreter: what importing a layer
really loads, function-local imports included once the code that holds them runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.library.conftest import make_png


def loaded_after(code: str, *args: str) -> list[str]:
    """Run `code` in a fresh interpreter; the names of the modules it ended with."""
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_the_library_and_every_module_under_it_load_no_qt_and_no_imaging() -> None:
    modules = loaded_after(
        "import importlib, pkgutil, wan27_desktop.library as library\n"
        "names = [m.name for m in pkgutil.walk_packages(library.__path__, 'wan27_desktop.library.')]\n"
        "assert len(names) > 15, names\n"
        "for name in names: importlib.import_module(name)"
    )
    assert "wan27_desktop.library.library" in modules
    assert [m for m in modules if m.split(".")[0] == "PySide6" or m.startswith("wan27_desktop.imaging")] == []


def test_using_the_library_loads_no_qt(tmp_path: Path) -> None:
    """Landing, querying, trashing and rebuilding run the code behind any function-local import."""
    source = tmp_path / "in.png"
    source.write_bytes(make_png())
    modules = loaded_after(
        "from pathlib import Path\n"
        "from wan27_desktop.library import ImageQuery, Library\n"
        "with Library.open(Path(sys.argv[1])) as lib:\n"
        "    job = lib.jobs.create({'input': {}}, model='m', request_mode='sync', region='sg', endpoint='e',"
        " n=1, estimated_cost='0')\n"
        "    image = lib.images.add(job, None, 0, Path(sys.argv[2]), metadata={})\n"
        "    assert lib.images.query(ImageQuery(), 0, 10) == [image]\n"
        "    lib.curation.trash([image.id]); lib.curation.empty_trash(on_gone=print)\n"
        "    lib.ledger.spend_today(); lib.stats(); lib.maintenance.reconcile(); lib.maintenance.rebuild()",
        str(tmp_path / "data"),
        str(source),
    )
    assert [m for m in modules if m.split(".")[0] == "PySide6" or m.startswith("wan27_desktop.imaging")] == []


@pytest.mark.parametrize("command", [["jobs", "list"], ["library", "stats"], ["library", "empty-trash"]])
def test_the_cli_never_loads_qt_widgets(tmp_path: Path, command: list[str]) -> None:
    """cli -> jobs.connection -> diagnostics used to reach Qt; QtGui only where images are handled."""
    modules = loaded_after(
        "import os\n"
        "os.environ['WAN27_DATA_DIR'] = sys.argv[1]\n"
        "from wan27_desktop.cli import build_parser, main\n"
        "import wan27_desktop.jobs.connection\n"
        "assert main(sys.argv[2:]) == 0",
        str(tmp_path / "data"),
        *command,
    )
    assert "PySide6.QtWidgets" not in modules
    if command != ["library", "empty-trash"]:
        assert [m for m in modules if m.split(".")[0] == "PySide6"] == []
