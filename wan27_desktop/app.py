"""The `wan27-desktop` GUI entry point: QApplication set-up, wiring, the crash handler, --self-test.

    wan27-desktop [--data-dir DIR] [--api-base URL] [--self-test] [--debug]
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sys
import threading
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from . import __version__, config

log = logging.getLogger("wan27.app")

APP_DISPLAY_NAME = "Wan 2.7 Desktop"
ORG_NAME = "Wan27Desktop"
DESKTOP_FILE = "wan27-desktop"
FIRST_RUN_KEY_PROMPT = "first_run_key_prompt"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wan27-desktop", description="Desktop client for the Wan 2.7 image API.")
    parser.add_argument("--data-dir", type=Path, help=f"library, settings and caches here (sets {config.ENV_DATA_DIR})")
    parser.add_argument("--api-base", help=f"custom endpoint ending in /api/v1 (like {config.ENV_API_BASE})")
    parser.add_argument("--self-test", action="store_true",
                        help="check the installation offscreen (Qt plugins, TLS, keyring, library) and exit 0/1")
    parser.add_argument("--debug", action="store_true", help="verbose logging to stderr")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args, qt_args = build_parser().parse_known_args(list(sys.argv[1:] if argv is None else argv))
    if args.data_dir:
        os.environ[config.ENV_DATA_DIR] = str(args.data_dir.expanduser().resolve())
    if args.api_base:
        from .api.errors import ValidationError
        from .settings import normalise_endpoint

        try:
            args.api_base = normalise_endpoint(args.api_base)
        except ValidationError as err:
            print(f"wan27-desktop: --api-base: {err.issues[0].message}", file=sys.stderr)
            return 2
    if args.debug:
        logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")
    if args.self_test:
        from .selftest import run_self_test

        return run_self_test()
    return run_gui(qt_args, api_base=args.api_base)


def create_application(qt_args: Sequence[str] = ()) -> object:
    """The QApplication with names (QSettings, desktop entry), icon and high-DPI defaults."""
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtGui import QGuiApplication, QIcon
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    if existing is not None:
        return existing
    # Qt 6 always scales for high DPI; pass fractional factors through (150% stays 150%, crisp).
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    QCoreApplication.setOrganizationName(ORG_NAME)
    QCoreApplication.setApplicationName(config.APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication(["wan27-desktop", *qt_args])
    QGuiApplication.setApplicationDisplayName(APP_DISPLAY_NAME)
    QGuiApplication.setDesktopFileName(DESKTOP_FILE)
    from .assets import app_icon_path

    icon_path = app_icon_path()
    if icon_path.exists():
        QGuiApplication.setWindowIcon(QIcon(str(icon_path)))
    return app


def setup_logging(data_dir: Path) -> Path | None:
    """A rotating local log in the data dir (issue 9). The key never reaches a log line (keys.py)."""
    logs = data_dir / "logs"
    try:
        logs.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(logs / "wan27-desktop.log", maxBytes=1_000_000,
                                                       backupCount=3, encoding="utf-8")
    except OSError as err:
        print(f"wan27-desktop: cannot write logs in {logs}: {err}", file=sys.stderr)
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    return logs / "wan27-desktop.log"


class CrashReporter:
    """sys.excepthook: log the traceback and show a friendly dialog instead of dying.

    Exceptions raised in pool threads arrive here too (PySide prints them through sys.excepthook);
    the dialog is shown on the UI thread through a queued signal.
    """

    MAX_DIALOGS = 3

    def __init__(self) -> None:
        from PySide6.QtCore import QObject, Qt, Signal

        class _Bridge(QObject):
            report = Signal(str, str)

        self._bridge = _Bridge()
        self._bridge.report.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self._shown = 0
        self._boxes: list[object] = []  # a parentless dialog lives only as long as a reference to it
        self._previous = sys.excepthook

    def install(self) -> None:
        sys.excepthook = self.hook
        threading.excepthook = lambda a: self.hook(a.exc_type, a.exc_value or a.exc_type(), a.exc_traceback)

    def hook(self, kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous(kind, value, tb)
            return
        details = "".join(traceback.format_exception(kind, value, tb))
        log.critical("Unhandled exception:\n%s", details)
        self._bridge.report.emit(f"{kind.__name__}: {value}", details)

    def _show(self, summary: str, details: str) -> None:
        from PySide6.QtWidgets import QApplication, QMessageBox

        if self._shown >= self.MAX_DIALOGS or QApplication.instance() is None:
            return
        self._shown += 1
        box = QMessageBox(QMessageBox.Icon.Critical, "Something went wrong",
                          "Wan 2.7 Desktop hit an unexpected problem and kept running. Your library and "
                          "jobs are safe; unfinished jobs resume at the next start.\n\n"
                          "If it happens again, use Help ▸ Copy Diagnostic Info and include the details below.",
                          QMessageBox.StandardButton.Ok, QApplication.activeWindow())
        box.setObjectName("crashDialog")
        box.setInformativeText(summary)
        box.setDetailedText(details)
        self._boxes.append(box)

        def closed(_result: int) -> None:
            self._shown = max(0, self._shown - 1)
            if box in self._boxes:
                self._boxes.remove(box)
            box.deleteLater()

        box.finished.connect(closed)
        box.open()


def run_gui(qt_args: Sequence[str] = (), *, api_base: str | None = None) -> int:
    from PySide6.QtCore import QTimer

    app = create_application(qt_args)
    setup_logging(config.data_dir())
    reporter = CrashReporter()
    reporter.install()

    from .settings import AppSettings
    from .ui.main_window import MainWindow
    from .ui.main_window_parts import apply_theme

    settings = AppSettings()
    apply_theme(settings.theme)
    window = MainWindow(settings=settings, api_base=api_base)

    def first_run(origin: str) -> None:
        # First run with no key anywhere: ask once; later runs wait for the first Generate.
        if origin == "none" and not settings.state_blob(FIRST_RUN_KEY_PROMPT):
            settings.set_state_blob(FIRST_RUN_KEY_PROMPT, b"1")
            window.open_key_dialog()

    window.keyOriginChanged.connect(first_run)
    window.show()
    QTimer.singleShot(0, window.start)  # after the first paint: keyring, journal, resume
    code = int(app.exec())  # type: ignore[attr-defined]
    sys.excepthook = sys.__excepthook__
    return code
