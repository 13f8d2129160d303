# ruff: noqa: F811  (pytest fixtures imported from tests/ui/url_recorder.py and tests/test_diagnostics.py)
"""CrashDialog and the GUI excepthook, driven offscreen with pytest-qt."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QRunnable, Qt, QThread, QThreadPool
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from tests.test_diagnostics import KEY, assert_no_secret, fresh_diagnostics, key_in_env  # noqa: F401
from tests.ui.url_recorder import UrlRecorder, opened_urls  # noqa: F401
from wan27_desktop import __version__, diagnostics
from wan27_desktop.ui.dialogs.crash import QUIT_CODE, CrashDialog, CrashReporter, install_gui_excepthook

DETAILS = (
    'Traceback (most recent call last):\n  File "gallery.py", line 12, in paint\nValueError: thumbnail size 0 x 0\n'
)
CONTROLS = [
    "crashSummaryLabel",
    "crashDetailsToggle",
    "crashDetailsText",
    "copyDiagnosticsButton",
    "openLogFolderButton",
    "crashQuitButton",
    "crashContinueButton",
]


@pytest.fixture
def dialog(qtbot: object, fresh_diagnostics: None) -> CrashDialog:  # noqa: F811
    widget = CrashDialog("ValueError: thumbnail size 0 x 0", DETAILS)
    qtbot.addWidget(widget)  # type: ignore[attr-defined]
    widget.show()
    return widget


@pytest.fixture
def reporter(qapp: QApplication, fresh_diagnostics: None) -> Iterator[CrashReporter]:  # noqa: F811
    # Hooks are installed inside each test (pytest-qt swaps sys.excepthook around the test body).
    handler = CrashReporter(qapp)
    yield handler
    if handler.dialog is not None:
        handler.dialog.close()
    handler.setParent(None)
    handler.deleteLater()


def crash_dialogs() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog) and w.isVisible()]


# -- the dialog -----------------------------------------------------------------------------------


def test_every_control_has_an_object_name_and_accessible_name(dialog: CrashDialog) -> None:
    assert dialog.objectName() == "crashDialog"
    for name in CONTROLS:
        control = dialog.findChild(QWidget, name)
        assert control is not None, name
        assert control.accessibleName(), name


def test_shows_the_friendly_message_and_the_summary(dialog: CrashDialog) -> None:
    message = dialog.findChild(QWidget, "crashMessageLabel")
    assert "Your images and jobs are safe" in message.text()  # type: ignore[union-attr]
    assert dialog.summary_label.text() == "ValueError: thumbnail size 0 x 0"


def test_details_are_hidden_until_asked_for(qtbot: object, dialog: CrashDialog) -> None:
    assert not dialog.details_text.isVisible()
    qtbot.mouseClick(dialog.details_toggle, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert dialog.details_text.isVisible()
    assert dialog.details_text.toPlainText() == DETAILS
    qtbot.mouseClick(dialog.details_toggle, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert not dialog.details_text.isVisible()


def test_continue_is_the_default_and_closes_the_dialog(qtbot: object, dialog: CrashDialog) -> None:
    assert dialog.continue_button.isDefault()
    with qtbot.waitSignal(dialog.finished) as finished:  # type: ignore[attr-defined]
        qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert finished.args == [QDialog.DialogCode.Accepted.value]
    assert not dialog.isVisible()


def test_enter_continues(qtbot: object, dialog: CrashDialog) -> None:
    dialog.activateWindow()
    with qtbot.waitSignal(dialog.accepted):  # type: ignore[attr-defined]
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # type: ignore[attr-defined]


def test_quit_asks_to_quit(qtbot: object, dialog: CrashDialog) -> None:
    with qtbot.waitSignal(dialog.quitRequested):  # type: ignore[attr-defined]
        qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert dialog.result() == QUIT_CODE


def test_copy_puts_diagnostics_and_traceback_in_the_clipboard(qtbot: object, key_in_env: str) -> None:  # noqa: F811
    widget = CrashDialog("RuntimeError: bad", f"Traceback ...\nRuntimeError: bad key {KEY}\n")
    qtbot.addWidget(widget)  # type: ignore[attr-defined]
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(widget.copy_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    text = QGuiApplication.clipboard().text()
    assert f"Wan 2.7 Desktop {__version__}" in text and "Components:" in text
    assert "RuntimeError: bad key" in text
    assert_no_secret(text)
    assert "copied" in widget.status_label.text()


def test_open_log_folder_opens_the_logs_directory(
    qtbot: object, dialog: CrashDialog, tmp_path: Path, opened_urls: UrlRecorder
) -> None:
    log_file = diagnostics.setup_logging(tmp_path)
    qtbot.mouseClick(dialog.log_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert [Path(url.toLocalFile()) for url in opened_urls.urls] == [log_file.parent]


# -- the GUI excepthook ---------------------------------------------------------------------------


def test_worker_thread_exception_reaches_the_ui_thread_once(
    qtbot: object, qapp: QApplication, reporter: CrashReporter
) -> None:
    diagnostics.install_excepthook(reporter.report)
    shown_on: list[bool] = []
    reporter.dialogShown.connect(lambda _d: shown_on.append(QThread.currentThread() is qapp.thread()))

    def work() -> None:
        raise RuntimeError("worker boom")

    with qtbot.waitSignal(reporter.dialogShown):  # type: ignore[attr-defined]
        worker = threading.Thread(target=work, name="worker-1")
        worker.start()
        worker.join()
    qapp.processEvents()  # deliver anything else queued before counting
    assert shown_on == [True]
    assert reporter.dialog is not None and reporter.dialog.report_count == 1
    assert reporter.dialog.details().count("RuntimeError: worker boom") == 1
    assert len(crash_dialogs()) == 1


def test_thread_pool_exception_reaches_the_dialog_once(
    qtbot: object, qapp: QApplication, reporter: CrashReporter
) -> None:
    class Failing(QRunnable):
        def run(self) -> None:
            raise LookupError("pool boom")

    diagnostics.install_excepthook(reporter.report)
    pool = QThreadPool()
    with qtbot.waitSignal(reporter.dialogShown):  # type: ignore[attr-defined]
        pool.start(Failing())
        pool.waitForDone()
    qapp.processEvents()
    assert reporter.dialog is not None
    assert reporter.dialog.report_count == 1 and "LookupError: pool boom" in reporter.dialog.details()


def test_further_exceptions_are_appended_not_stacked(
    qtbot: object, qapp: QApplication, reporter: CrashReporter
) -> None:
    with qtbot.waitSignal(reporter.dialogShown):  # type: ignore[attr-defined]
        reporter.report("ValueError: one", "Traceback one\n")
    reporter.report("KeyError: two", "Traceback two\n")
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.report_count == 2)  # type: ignore[attr-defined]
    assert len(crash_dialogs()) == 1
    assert "KeyError: two" in reporter.dialog.summary_label.text()  # type: ignore[union-attr]
    assert "Traceback one" in reporter.dialog.details() and "Traceback two" in reporter.dialog.details()  # type: ignore[union-attr]


def test_after_continue_the_next_exception_gets_a_new_dialog(qtbot: object, reporter: CrashReporter) -> None:
    with qtbot.waitSignal(reporter.dialogShown):  # type: ignore[attr-defined]
        reporter.report("ValueError: one", "Traceback one\n")
    first = reporter.dialog
    assert first is not None
    qtbot.mouseClick(first.continue_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert reporter.dialog is None
    with qtbot.waitSignal(reporter.dialogShown) as shown:  # type: ignore[attr-defined]
        reporter.report("ValueError: two", "Traceback two\n")
    assert shown.args[0].report_count == 1


def test_quit_in_the_dialog_exits_the_event_loop(
    qtbot: object, qapp: QApplication, reporter: CrashReporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    codes: list[int] = []
    monkeypatch.setattr(qapp, "exit", codes.append)
    with qtbot.waitSignal(reporter.dialogShown):  # type: ignore[attr-defined]
        reporter.report("ValueError: one", "Traceback one\n")
    qtbot.mouseClick(reporter.dialog.quit_button, Qt.MouseButton.LeftButton)  # type: ignore[union-attr, attr-defined]
    assert codes == [1]


def test_install_gui_excepthook_reuses_one_reporter(qapp: QApplication, fresh_diagnostics: None) -> None:  # noqa: F811
    first = install_gui_excepthook(qapp)
    try:
        assert install_gui_excepthook(qapp) is first
        assert first.parent() is qapp
    finally:
        diagnostics.uninstall_excepthook()
        first.setParent(None)
        first.deleteLater()
