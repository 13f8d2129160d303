# ruff: noqa: F811  (pytest fixtures are imported from tests/ui/main_window_support.py, tests/test_diagnostics.py)
"""Issue 7, start-up: the main window as `wan27-desktop` opens it (`app.show_main_window`): a shell
painted first, the panels built right after that paint, `start()` once the full window has painted.
The result is the window the tests build in one go; closing it at any point loses nothing.
Also the log file and crash dialog that are set up after the first paint (`app.StartupDiagnostics`)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QApplication, QDialog, QSplitter, QWidget

from tests.test_diagnostics import KEY, fresh_diagnostics  # noqa: F401 - fixture
from tests.ui.main_window_support import (  # noqa: F401 - fixtures
    env_key,
    fake,
    journaled,
    notifier,
    prompt_edit,
    wait_for_job,
    wait_state,
)
from wan27_desktop import app, diagnostics
from wan27_desktop.library import JobState
from wan27_desktop.settings import AppSettings
from wan27_desktop.ui.window.main_window import MainWindow

REPO = Path(__file__).resolve().parents[2]
KEY_WIDGETS = (
    "promptEdit",
    "generateButton",
    "jobQueue",
    "gallery",
    "galleryPanel",
    "mainSplitter",
    "statusKey",
    "statusConnectivity",
    "menuBar",
)


@pytest.fixture
def open_like_the_app(qtbot: Any, isolated_environment: Path, notifier: Any) -> Any:
    """`app.show_main_window` as run_gui calls it (not a first run unless `first_run=True`: the
    welcome would take the focus); windows are shut down after the test."""
    windows: list[MainWindow] = []

    def open_window(*, first_run: bool = False, **kwargs: Any) -> MainWindow:
        kwargs.setdefault("notifier", notifier)
        settings = AppSettings()
        if not first_run:
            settings.onboarding_done = True
            settings.sync()
        window = app.show_main_window(settings, **kwargs)
        qtbot.addWidget(window)
        windows.append(window)
        return window

    yield open_window
    for window in windows:
        window.shutdown()


def named_widgets(window: QWidget) -> set[str]:
    return {w.objectName() for w in window.findChildren(QWidget) if w.objectName() and w.isVisibleTo(window)}


def test_the_shell_is_shown_before_the_panels_exist(open_like_the_app: Any, no_keyring: None) -> None:
    window = open_like_the_app()
    assert window.isVisible() and not window.is_built()
    assert window.findChild(QWidget, "promptEdit") is None
    assert window.prompt_edit() is None
    assert window.actions_by_name == {}
    assert window.centralWidget().objectName() == "centralArea"


def test_the_built_window_equals_one_built_at_once(
    qtbot: Any, open_like_the_app: Any, isolated_environment: Path, notifier: Any, no_keyring: None
) -> None:
    window = open_like_the_app()
    qtbot.waitUntil(window.is_built)  # right after the shell's first paint
    qtbot.waitUntil(lambda: window.key_origin() == "none", timeout=10_000)  # start() ran after the full paint
    qtbot.waitUntil(lambda: QApplication.focusWidget() is prompt_edit(window))

    at_once = MainWindow(data_dir=isolated_environment, settings=AppSettings(), notifier=notifier)
    qtbot.addWidget(at_once)
    at_once.show()
    qtbot.waitExposed(at_once)
    try:
        with qtbot.waitSignal(at_once.journalLoaded, timeout=10_000):
            at_once.start()
        for each in (window, at_once):
            qtbot.waitUntil(each.gallery.model.is_loaded, timeout=10_000)
        for name in KEY_WIDGETS:
            assert window.findChild(QWidget, name) is not None, name
        assert named_widgets(window) == named_widgets(at_once)
        assert window.actions_by_name.keys() == at_once.actions_by_name.keys()
        assert window.status.region_label.text() == at_once.status.region_label.text()
        for each in (window, at_once):  # the job queue: closed in both, its table made on request
            assert not each.queue_dock.isVisible() and each.findChild(QWidget, "jobTable") is None
        header = window.queue.header  # made now
        assert window.queue_dock.titleBarWidget() is header
    finally:
        at_once.shutdown()


def test_the_first_run_welcome_opens_over_the_built_window(
    qtbot: Any, open_like_the_app: Any, no_keyring: None
) -> None:
    from wan27_desktop.ui.dialogs.onboarding import WelcomeDialog

    window = open_like_the_app(first_run=True)
    qtbot.waitUntil(
        lambda: window.findChild(WelcomeDialog) is not None and window.findChild(WelcomeDialog).isVisible(),
        timeout=10_000,
    )
    assert window.is_built() and window.key_origin() == "none"
    window.findChild(WelcomeDialog).close()


def test_ctrl_enter_generates_once_the_panels_are_built(qtbot: Any, open_like_the_app: Any, env_key: Any) -> None:
    window = open_like_the_app()
    qtbot.waitUntil(lambda: window.key_origin() == "environment", timeout=10_000)
    edit = prompt_edit(window)
    edit.setFocus()
    qtbot.keyClicks(edit, "a lighthouse at dusk")
    qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    job = wait_for_job(qtbot, window)[0]
    done = wait_state(qtbot, window, job.job_id, JobState.DONE)
    assert done.prompt == "a lighthouse at dusk" and done.images_done >= 1


def test_the_shell_opens_at_the_saved_size_and_the_saved_layout_follows(
    qtbot: Any, open_like_the_app: Any, isolated_environment: Path, notifier: Any, no_keyring: None
) -> None:
    before = MainWindow(data_dir=isolated_environment, settings=AppSettings(), notifier=notifier)
    qtbot.addWidget(before)
    before.resize(780, 580)  # within the offscreen screen (800x600), so Qt keeps it as it is
    before.show()
    qtbot.waitExposed(before)
    before.queue_dock.show()
    before.resizeDocks([before.queue_dock], [200], Qt.Orientation.Vertical)
    before.splitter.setSizes([330, 450])
    qtbot.waitUntil(lambda: before.queue_dock.height() == 200 and before.splitter.sizes()[0] == 330)
    before.close()

    window = open_like_the_app()
    shell = window.geometry()
    assert (shell.width(), shell.height()) == (780, 580), "the shell opens at the saved size, not the default"
    qtbot.waitUntil(window.is_built)
    qtbot.waitUntil(lambda: window.findChild(QSplitter, "mainSplitter").sizes()[0] == 330)
    assert window.queue_dock.isVisible() and window.queue_dock.height() == 200  # left open: open again
    assert window.geometry() == shell, "building the panels does not move or resize the window"


def saved_layout(settings: AppSettings) -> tuple[bytes, bytes, bytes]:
    return (
        bytes(settings.window_state or b""),
        bytes(settings.state_blob("main_splitter") or b""),
        bytes(settings.state_blob("job_queue_header") or b""),
    )


def test_closing_the_shell_before_it_is_built_keeps_the_saved_layout(
    qtbot: Any, open_like_the_app: Any, isolated_environment: Path, notifier: Any, no_keyring: None
) -> None:
    first = MainWindow(data_dir=isolated_environment, settings=AppSettings(), notifier=notifier)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.queue_dock.show()  # the job queue's table (and its columns' saved state) exists
    first.queue_dock.hide()
    first.close()
    saved = saved_layout(AppSettings())
    assert all(saved)

    reached: list[bool] = []
    window = open_like_the_app(after_first_paint=lambda: reached.append(True), fallback_ms=20)
    window.close()  # before any event is processed: no paint, the fallback timer calls the build
    qtbot.waitUntil(lambda: bool(reached))
    assert not window.is_built() and window.findChild(QWidget, "promptEdit") is None
    window.start()  # a late call is harmless too
    assert window.key_origin() is None
    settings = AppSettings()
    assert saved_layout(settings) == saved
    assert settings.window_geometry

    again = open_like_the_app()
    qtbot.waitUntil(again.is_built)
    assert not again.queue_dock.isVisible(), "the hidden job queue stays hidden"


def test_closing_as_the_build_ends_saves_the_layout_and_starts_nothing(
    qtbot: Any, open_like_the_app: Any, no_keyring: None
) -> None:
    window = open_like_the_app(fallback_ms=20)
    busy_after_start: list[bool] = []
    original = window.start

    def start() -> None:  # what the build schedules; a start that ran leaves the key lookup and journal load running
        original()
        busy_after_start.append(window.workspace.background.busy)

    window.start = start
    window.built.connect(lambda: (window.splitter.setSizes([300, 500]), window.close()))  # before start()
    qtbot.waitUntil(lambda: bool(busy_after_start))  # the fallback timer: a closed window is not painted
    assert window.is_built()
    assert busy_after_start == [False], "no key lookup or journal load after closing"
    assert window.key_origin() is None
    assert QByteArray(AppSettings().state_blob("main_splitter") or b"") == window.splitter.saveState()


# -- the log file and crash dialog, set up after the first paint --------------------------------------------


def test_the_app_keeps_the_logger_names_of_diagnostics() -> None:
    assert app.LOGGER_NAMES == diagnostics.LOGGER_NAMES


def test_records_before_the_log_file_exists_are_written_to_it_redacted(
    qapp: Any, tmp_path: Path, fresh_diagnostics: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAN27_DATA_DIR", str(tmp_path))
    startup = app.StartupDiagnostics(qapp)
    try:
        logging.getLogger("wan27_desktop.settings").warning("early warning with %s", KEY)
        logging.getLogger("wan27.app").info("early info")
        assert not (tmp_path / "logs").exists()
        startup.set_up()
        logging.getLogger("wan27.app").info("after set-up")
        text = (tmp_path / "logs" / "wan27.log").read_text(encoding="utf-8")
        assert text.index("early warning") < text.index("early info") < text.index("after set-up")
        assert KEY not in text
        assert sys.excepthook is not startup._early_sys_hook
    finally:
        startup.close()
        reporter = qapp.findChild(QWidget, "crashReporter")
        if reporter is not None:
            reporter.deleteLater()


def test_an_exception_before_the_first_paint_is_logged_and_shown(
    qtbot: Any, qapp: Any, tmp_path: Path, fresh_diagnostics: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAN27_DATA_DIR", str(tmp_path))
    previous = sys.excepthook, threading.excepthook
    startup = app.StartupDiagnostics(qapp)
    try:
        try:
            raise ValueError("broken before the first paint")
        except ValueError as err:
            sys.excepthook(type(err), err, err.__traceback__)
        assert startup.logging_ready and startup.dialog_ready
        qtbot.waitUntil(
            lambda: any(
                isinstance(w, QDialog) and w.objectName() == "crashDialog" and w.isVisible()
                for w in QApplication.topLevelWidgets()
            )
        )
        assert "broken before the first paint" in (tmp_path / "logs" / "wan27.log").read_text(encoding="utf-8")
    finally:
        for widget in QApplication.topLevelWidgets():
            if widget.objectName() == "crashDialog":
                widget.close()
        startup.close()
    assert (sys.excepthook, threading.excepthook) == previous


def test_closing_without_set_up_puts_the_hooks_back(qapp: Any, fresh_diagnostics: None) -> None:
    previous = sys.excepthook, threading.excepthook
    startup = app.StartupDiagnostics(qapp)
    assert sys.excepthook is not previous[0]
    startup.close()
    assert (sys.excepthook, threading.excepthook) == previous
    assert all(
        not isinstance(h, app._KeepRecords) for name in app.LOGGER_NAMES for h in logging.getLogger(name).handlers
    )


# -- the real entry point, in a process of its own ------------------------------------------------------------


def real_start_env(tmp_path: Path) -> dict[str, str]:
    """A child's environment for a real start: offscreen, its own data dir, the benchmark's paint
    hook, a dummy key (nothing is sent), this checkout's code."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "WAN27_API_BASE")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        WAN27_DATA_DIR=str(tmp_path / "data"),
        WAN27_BENCH_STARTUP="1",
        DASHSCOPE_API_KEY="sk-test-startup-shell-0000",
        PYTHONPATH=str(REPO),
    )
    return env


def test_the_real_start_paints_the_shell_then_the_full_window(tmp_path: Path) -> None:
    """`wan27_desktop.app.main` unchanged, with the benchmark's first-paint hook: the shell's paint
    is reported, then the full window's (the hook ends the process there, before the log file and
    the start-up work, which follow that paint: see the next test)."""
    env = real_start_env(tmp_path)
    result = subprocess.run(
        [sys.executable, str(REPO / "tests" / "benchmarks" / "_startup_child.py"), "app"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    events = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("WAN27_BENCH ")]
    assert events == ["first_paint", "full_ui"], result.stdout


def test_the_desktop_notifier_is_made_when_a_job_first_ends_out_of_sight(
    qtbot: Any, open_like_the_app: Any, no_keyring: None
) -> None:
    from wan27_desktop.ui.jobs.notifications import Notifier

    window = open_like_the_app(notifier=None)
    qtbot.waitUntil(window.is_built)
    assert window._notifier is None  # not made with the window
    made = window.notifier
    assert isinstance(made, Notifier) and window.notifier is made


# What the full window must not wait for (issue 16): each is loaded when first used, or on a worker
# once the window is up. A module here that shows up before the full window paints is start-up time.
NOT_BEFORE_THE_FULL_WINDOW = (
    "sqlite3",  # the library is opened on a worker, after the full window (start)
    "socket",  # the mailbox uses _socket
    "queue",
    "concurrent.futures",  # a file writer's futures (palettes, history)
    "json",  # no draft or history to read on a first start
    "hashlib",
    "httpx",
    "keyring",
    "email.utils",  # an HTTP Retry-After date
    "datetime",  # the first time read or shown: a job row, a dated filter (~2 ms)
    "dataclasses",  # a dataclass compiles its methods at import (~1 ms each): values made at start are not
    "logging.handlers",  # the log file: set up once the full window has painted
    "wan27_desktop.api.client",
    "wan27_desktop.api.retry",
    "wan27_desktop.api.results",  # what the service answers
    "wan27_desktop.api.imageformat",  # checking a reference image
    "wan27_desktop.imaging",
    "wan27_desktop.keys",
    "wan27_desktop.diagnostics",
    "wan27_desktop.jobs.qt",
    "wan27_desktop.jobs.runner",
    "wan27_desktop.library.library",
    "wan27_desktop.library.job_records",  # the journal's records
    "wan27_desktop.library.reports",
    "wan27_desktop.library.paths",
    "wan27_desktop.library.query",
    "wan27_desktop.library.rows",
    "wan27_desktop.ui.gallery.dates",  # the custom date range dialog
    "wan27_desktop.ui.gallery.delegate",  # the tile painter and the thumbnail loader: with the first rows
    "wan27_desktop.ui.common.thumbnails",
    "wan27_desktop.ui.generate.palette_store",  # the colour palette section starts closed
    "wan27_desktop.ui.dialogs.crash",
    "wan27_desktop.ui.jobs.notifications",  # the desktop notifier: when a job ends out of sight
    "wan27_desktop.ui.dialogs.key",
    "wan27_desktop.ui.dialogs.settings",
    "wan27_desktop.ui.dialogs.shortcuts",
    "wan27_desktop.ui.viewer.window",
    "wan27_desktop.ui.jobs.queue_panel",  # the job queue dock starts closed
    "wan27_desktop.ui.stage.panel",  # the generation stage comes with the first job
    "wan27_desktop.ui.stage.texts",  # what the Generate area says about a running job
    "wan27_desktop.workspace.jobs",  # the board's rows: with the first one (the board is in board.py)
    "wan27_desktop.ui.batch.controller",
    "wan27_desktop.ui.generate.palette_editor",  # the colour palette section starts closed
    "wan27_desktop.ui.generate.box_editor",
)


def test_the_full_window_paints_before_what_it_does_not_show_is_loaded(tmp_path: Path) -> None:
    """The real start (`app.main` with the benchmark's hook), looked at the moment the full window
    has painted: none of the modules above is loaded, and the style is the theme's from the first
    paint (no switch)."""
    child = REPO / "tests" / "benchmarks" / "_startup_child.py"
    spy = (
        "import runpy, sys\n"
        f"sys.argv = [{str(child)!r}, 'app']\n"
        "from wan27_desktop import benchhooks\n"
        "report = benchhooks.report\n"
        "def spy(event):\n"
        "    if event == 'full_ui':\n"
        "        from PySide6.QtWidgets import QApplication\n"
        "        print('MODULES', ' '.join(sorted(sys.modules)))\n"
        "        print('STYLE', QApplication.style().name())\n"
        "    report(event)\n"
        "benchhooks.report = spy\n"
        f"runpy.run_path({str(child)!r}, run_name='__main__')\n"
    )
    env = real_start_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", spy], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines() if line.split()}
    loaded = set(lines["MODULES"])
    assert "wan27_desktop.ui.generate.panel" in loaded and "wan27_desktop.ui.gallery.panel" in loaded
    assert sorted(loaded.intersection(NOT_BEFORE_THE_FULL_WINDOW)) == []
    assert lines["STYLE"] == ["fusion"]


def test_the_window_icon_is_set_once_the_full_window_has_painted(
    qtbot: Any, open_like_the_app: Any, no_keyring: None
) -> None:
    """Under X11 setting it renders the SVG at four sizes for the window manager: not before the
    first paints."""
    from PySide6.QtGui import QGuiApplication, QIcon

    QGuiApplication.setWindowIcon(QIcon())  # the application is shared by the tests
    icon_null: list[bool] = []
    window = open_like_the_app(
        after_first_paint=lambda: icon_null.append(QGuiApplication.windowIcon().isNull()),
        before_start=lambda: icon_null.append(QGuiApplication.windowIcon().isNull()),
    )
    qtbot.waitUntil(lambda: len(icon_null) == 2)
    assert icon_null == [True, False]
    assert not window.windowIcon().isNull()


def test_diagnostics_are_set_up_after_the_full_window_and_before_its_start(
    qtbot: Any, open_like_the_app: Any, no_keyring: None
) -> None:
    order: list[str] = []
    window = open_like_the_app(
        after_first_paint=lambda: order.append("shell painted"),
        before_start=lambda: order.append("diagnostics" if window.is_built() else "early"),
    )
    original = window.start
    window.start = lambda: (order.append("start"), original())  # type: ignore[method-assign]
    qtbot.waitUntil(lambda: "start" in order)
    assert order == ["shell painted", "diagnostics", "start"]
