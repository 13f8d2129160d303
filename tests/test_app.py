"""The GUI entry point: --self-test in a real subprocess, argument handling, the crash reporter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from wan27_desktop import __version__, app
from wan27_desktop.selftest import run_self_test

REPO = Path(__file__).resolve().parent.parent


def test_self_test_passes_in_a_subprocess_without_a_display(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["WAN27_DATA_DIR"] = str(tmp_path / "user-data")
    result = subprocess.run(
        [sys.executable, "-m", "wan27_desktop", "--self-test"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for check in ("qt", "image plugins", "tls certificates", "keyring", "library", "request bodies", "main window"):
        assert any(line.split(":")[0].split(maxsplit=1)[-1] == check for line in lines), check
    assert "FAIL " not in result.stdout
    assert lines[-1].startswith("PASSED")
    # The report names the build that ran (issue 18): here a source checkout and its commit.
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    assert f"build: {__version__} (source checkout, commit {head[:12]}" in result.stdout
    assert not (tmp_path / "user-data").exists(), "the self-test must not touch the user's data dir"


def test_self_test_reports_a_failing_check_and_exits_1(monkeypatch: Any, capsys: Any) -> None:
    from wan27_desktop import selftest

    def broken() -> tuple[str, str]:
        raise OSError("no CA bundle")

    monkeypatch.setattr(selftest, "check_tls", broken)
    assert run_self_test() == 1
    out = capsys.readouterr().out
    assert "FAIL  tls certificates: OSError: no CA bundle" in out
    assert out.splitlines()[-1].startswith("FAILED: 1 of")


def test_self_test_says_warn_in_its_last_line_when_the_keyring_cannot_be_used(
    monkeypatch: Any, capsys: Any, no_keyring: None
) -> None:
    assert run_self_test() == 0  # the app runs without a keyring (DASHSCOPE_API_KEY, a session key)
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("WARN  keyring: No system keyring") for line in lines)
    assert lines[-1].startswith("WARN: ") and "1 with a warning (keyring)" in lines[-1]
    assert "PASSED" not in lines[-1]


def test_keyring_errors_are_said_in_plain_words() -> None:
    from wan27_desktop.keys import keyring_trouble

    class InitError(Exception):  # secretstorage's, when the unlock prompt is closed
        pass

    said = keyring_trouble(InitError("Prompt dismissed."))
    assert "unlock prompt was closed" in said and "InitError" not in said and "Prompt dismissed" not in said
    assert "could not be reached" in keyring_trouble(ConnectionRefusedError("connection refused"))
    assert "locked" in keyring_trouble(InitError("Failed to unlock the collection!"))


def test_an_insecure_api_base_is_refused_before_the_app_starts(capsys: Any) -> None:
    assert app.main(["--api-base", "http://gateway.example.com/api/v1"]) == 2
    assert "only allowed for localhost" in capsys.readouterr().err


def test_data_dir_option_sets_the_environment(monkeypatch: Any, tmp_path: Path) -> None:
    seen: dict[str, str] = {}
    monkeypatch.setattr(
        "wan27_desktop.selftest.run_self_test", lambda: seen.setdefault("dir", os.environ["WAN27_DATA_DIR"]) and 0
    )
    assert app.main(["--data-dir", str(tmp_path / "elsewhere"), "--self-test"]) == 0
    assert seen["dir"] == str((tmp_path / "elsewhere").resolve())


def test_no_arguments_start_the_gui_and_qt_arguments_still_pass_through(monkeypatch: Any) -> None:
    calls: list[tuple[tuple[str, ...], str | None]] = []

    def run_gui(qt_args: Any = (), *, api_base: str | None = None) -> int:
        calls.append((tuple(qt_args), api_base))
        return 0

    monkeypatch.setattr(app, "run_gui", run_gui)
    assert app.main([]) == 0
    assert app.main(["-style", "fusion"]) == 0
    assert calls == [((), None), (("-style", "fusion"), None)]


# -- a moved library whose folder is missing at start-up ------------------------------------------


def answer_missing_library(button: str, before: Any = None) -> list[str]:
    """Click `button` in the "Library not found" box once it is up (it runs its own event loop)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox

    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer)
            return
        seen.append(box.text())
        if before is not None:
            before()
        target = (
            box.button(QMessageBox.StandardButton.Retry)
            if button == "retry"
            else box.findChild(QAbstractButton, button)
        )
        target.click()

    QTimer.singleShot(0, answer)
    return seen


def test_a_missing_moved_library_is_not_replaced_by_an_empty_one(qtbot: Any, tmp_path: Path) -> None:
    from wan27_desktop.settings import AppSettings
    from wan27_desktop.ui.dialogs.library_move import ensure_library_reachable

    settings = AppSettings()
    settings.library_dir = tmp_path / "usb-drive" / "Wan library"
    seen = answer_missing_library("libraryMissingQuitButton")
    assert ensure_library_reachable(settings) is False
    assert "cannot be found" in seen[0] and "usb-drive" in seen[0]
    assert not (tmp_path / "usb-drive").exists(), "nothing may be created where the drive should be"
    assert settings.library_dir == tmp_path / "usb-drive" / "Wan library"


def test_retry_finds_the_library_once_the_drive_is_connected(qtbot: Any, tmp_path: Path) -> None:
    from wan27_desktop.library import Library
    from wan27_desktop.settings import AppSettings
    from wan27_desktop.ui.dialogs.library_move import ensure_library_reachable

    folder = tmp_path / "usb-drive" / "Wan library"
    settings = AppSettings()
    settings.library_dir = folder

    def connect_drive() -> None:
        Library.open(folder).close()

    answer_missing_library("retry", before=connect_drive)
    assert ensure_library_reachable(settings) is True
    assert settings.library_dir == folder


def test_a_new_library_can_be_started_in_the_default_folder(
    qtbot: Any, tmp_path: Path, isolated_environment: Path
) -> None:
    from wan27_desktop import config
    from wan27_desktop.settings import AppSettings
    from wan27_desktop.ui.dialogs.library_move import ensure_library_reachable

    settings = AppSettings()
    settings.library_dir = tmp_path / "gone"
    answer_missing_library("libraryMissingNewButton")
    assert ensure_library_reachable(settings) is True
    assert settings.library_dir == isolated_environment and not settings.library_moved
    assert config.library_root() == isolated_environment


def test_a_library_in_the_default_folder_needs_no_question(qtbot: Any) -> None:
    from wan27_desktop.settings import AppSettings
    from wan27_desktop.ui.dialogs.library_move import ensure_library_reachable

    assert ensure_library_reachable(AppSettings()) is True  # a first run: nothing there yet, nothing asked


def test_pyside_no_longer_reads_our_modules_source_and_still_reads_others(monkeypatch: Any) -> None:
    import types

    import PySide6.QtCore  # noqa: F401 - loads PySide's import hook

    from wan27_desktop import app

    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not hasattr(feature, "_mod_uses_pyside"):
        pytest.skip("this PySide6 has no per-module feature scan")
    monkeypatch.setattr(feature, "_mod_uses_pyside", feature._mod_uses_pyside)  # restored afterwards
    asked: list[str] = []
    original = feature._mod_uses_pyside

    def recording(module: Any) -> bool:
        asked.append(module.__name__)
        return bool(original(module))

    monkeypatch.setattr(feature, "_mod_uses_pyside", recording)
    assert app.skip_pyside_source_scan()
    assert not app.skip_pyside_source_scan()  # once is enough
    assert feature._mod_uses_pyside(types.ModuleType("wan27_desktop.anything")) is True
    assert feature._mod_uses_pyside(types.ModuleType("email.utils")) is False  # the standard library
    import email.utils
    import json

    for module in (email.utils, json, types):  # the scan itself says the same of them
        assert original(module) is False
    assert asked == []  # answered without reading a source
    feature._mod_uses_pyside(types.ModuleType("somebody_else"))
    assert asked == ["somebody_else"]


def test_pyside_loaded_first_reads_the_source_of_none_of_the_apps_modules(tmp_path: Path) -> None:
    """A launcher, the tests or the start-up benchmark's hook may import PySide6 before the app: the
    package tells PySide at once (its `__init__`), so neither `wan27_desktop.app` nor what it
    imports before the QApplication is read to look for the word "PySide6" (~3 ms)."""
    script = (
        "import sys\n"
        "import PySide6.QtWidgets\n"
        "feature = sys.modules.get('shibokensupport.feature')\n"
        "if feature is None or not hasattr(feature, '_mod_uses_pyside'):\n"
        "    print('SKIP'); raise SystemExit\n"
        "read = []\n"
        "scan = feature._mod_uses_pyside\n"
        "feature._mod_uses_pyside = lambda module: (read.append(module.__name__), scan(module))[1]\n"
        "import wan27_desktop.app\n"
        "print('READ', *read)\n"
    )
    env = {k: v for k, v in os.environ.items()}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    if result.stdout.startswith("SKIP"):
        pytest.skip("this PySide6 has no per-module feature scan")
    read = result.stdout.split()[1:]
    # pyside_scan itself (and the few modules it imports, `sys`, `__future__`) are read before it answers.
    assert [name for name in read if name.startswith("wan27_desktop")] == ["wan27_desktop.pyside_scan"], read
    assert not {"argparse", "logging", "threading", "pathlib", "typing"} & set(read), read  # what app.py imports
