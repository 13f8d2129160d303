"""Once start-up is over, the app moves its long-lived heap out of the collector's way (gc.freeze),
so a full collection no longer walks it while every thread, the UI thread included, waits.

Both tests run in a subprocess: freezing is for the whole process, and would keep this test
process's objects from ever being collected."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _run(code: str, data_dir: Path) -> str:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", WAN27_DATA_DIR=str(data_dir))
    env["DASHSCOPE_API_KEY"] = "sk-test-heap-0000"  # no key question at start
    env["WAN27_KEYRING_SERVICE"] = "wan27-desktop-test-heap"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_settling_freezes_what_is_alive_once(tmp_path: Path) -> None:
    out = _run(
        "import gc\n"
        "from wan27_desktop import heap\n"
        "kept = [[n] for n in range(5000)]\n"
        "assert gc.get_freeze_count() == 0\n"
        "heap.settle_after_startup()\n"
        "first = gc.get_freeze_count()\n"
        "more = [[n] for n in range(5000)]\n"
        "heap.settle_after_startup()\n"  # once per process: later objects stay collectable
        "print(first, gc.get_freeze_count())\n",
        tmp_path / "data",
    )
    first, second = map(int, out.split())
    assert first > 5000 and second == first


def test_the_app_settles_its_heap_once_the_journal_has_loaded(tmp_path: Path) -> None:
    out = _run(
        "import gc, sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from wan27_desktop import app\n"
        "shown = app.show_main_window\n"
        "def show(*args, **kwargs):\n"
        "    window = shown(*args, **kwargs)\n"
        "    print('before', gc.get_freeze_count(), flush=True)\n"
        "    def loaded():  # after every slot of journalLoaded (run_gui's own comes later)\n"
        "        QTimer.singleShot(0, lambda: (print('after', gc.get_freeze_count()), QApplication.quit()))\n"
        "    window.journalLoaded.connect(loaded)\n"
        "    return window\n"
        "app.show_main_window = show\n"
        "sys.exit(app.run_gui())\n",
        tmp_path / "data",
    )
    counts = dict(line.split() for line in out.splitlines() if line.startswith(("before", "after")))
    assert int(counts["before"]) == 0 and int(counts["after"]) > 10_000
