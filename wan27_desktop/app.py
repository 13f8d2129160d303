"""The `wan27-desktop` GUI entry point: QApplication set-up, wiring, the crash handler, --self-test.

wan27-desktop [--data-dir DIR] [--api-base URL] [--self-test] [--debug]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from wan27_desktop import __version__, config
from wan27_desktop.pyside_scan import skip_pyside_source_scan

log = logging.getLogger("wan27.app")

APP_DISPLAY_NAME = "Wan 2.7 Desktop"
ORG_NAME = "Wan27Desktop"
DESKTOP_FILE = "wan27-desktop"


def build_parser() -> argparse.ArgumentParser:
    from wan27_desktop.buildinfo import VersionAction  # its imports only when there are arguments to parse

    parser = argparse.ArgumentParser(prog="wan27-desktop", description="Desktop client for the Wan 2.7 image API.")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help=f"settings, logs, caches and (unless moved) the library here (sets {config.ENV_DATA_DIR})",
    )
    parser.add_argument("--api-base", help=f"custom endpoint ending in /api/v1 (like {config.ENV_API_BASE})")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check the installation offscreen (Qt plugins, TLS, keyring, library) and exit 0/1",
    )
    parser.add_argument("--debug", action="store_true", help="verbose logging to stderr")
    parser.add_argument("--version", action=VersionAction)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments:  # the usual start: argparse's first parse costs ~2 ms (gettext look-ups), for nothing
        return run_gui()
    args, qt_args = build_parser().parse_known_args(arguments)
    if args.data_dir:
        os.environ[config.ENV_DATA_DIR] = str(args.data_dir.expanduser().resolve())
    if args.api_base:
        from wan27_desktop.api.errors import ValidationError
        from wan27_desktop.settings import normalise_endpoint

        try:
            args.api_base = normalise_endpoint(args.api_base)
        except ValidationError as err:
            print(f"wan27-desktop: --api-base: {err.issues[0].message}", file=sys.stderr)
            return 2
    if args.debug:
        logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")
    if args.self_test:
        from wan27_desktop.selftest import run_self_test

        return run_self_test()
    return run_gui(qt_args, api_base=args.api_base)


def create_application(qt_args: Sequence[str] = ()) -> object:
    """The QApplication with names (QSettings, desktop entry), icon and high-DPI defaults."""
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    skip_pyside_source_scan()
    existing = QApplication.instance()
    if existing is not None:
        return existing
    # Qt 6 always scales for high DPI; pass fractional factors through (150% stays 150%, crisp).
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    QCoreApplication.setOrganizationName(ORG_NAME)
    QCoreApplication.setApplicationName(config.APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    from wan27_desktop.ui.common.theme import STARTED_IN_STYLE, STYLE_NAME

    # In the theme's style from the start (what apply_theme would switch to), and the theme told so.
    app = QApplication(["wan27-desktop", "-style", STYLE_NAME, *qt_args])
    app.setProperty(STARTED_IN_STYLE, True)
    from wan27_desktop.gc_policy import collect_on_ui_thread

    collect_on_ui_thread(app)  # before any pool thread runs: Qt objects die on this thread only
    from wan27_desktop.thread_priority import favour_ui_thread

    favour_ui_thread()  # the GIL every 1 ms, not 5: the UI thread waits less for it
    QGuiApplication.setApplicationDisplayName(APP_DISPLAY_NAME)
    QGuiApplication.setDesktopFileName(DESKTOP_FILE)
    return app


def set_window_icon() -> None:
    """The app's icon on its windows (taskbar, window switcher, dialogs). `wan27-desktop` sets it
    once the full window has painted: under X11 Qt renders the SVG at four sizes for the window
    manager when it is set (~1 ms), which that paint need not wait for."""
    from PySide6.QtGui import QGuiApplication, QIcon

    from wan27_desktop.assets import app_icon_path

    icon_path = app_icon_path()
    if icon_path.exists():
        QGuiApplication.setWindowIcon(QIcon(str(icon_path)))


def call_after_first_paint(window: Any, callback: Callable[[], None], fallback_ms: int = 1000) -> None:
    """Call `callback` once `window`'s first paint has been flushed to the screen, or after
    `fallback_ms` if no paint comes (e.g. started minimised); `callback` must be idempotent."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint:
                watched.removeEventFilter(self)
                QTimer.singleShot(0, callback)  # posted: delivered after this paint is flushed
            return False

    window.installEventFilter(FirstPaint(window))
    QTimer.singleShot(fallback_ms, callback)


LOGGER_NAMES = ("wan27", "wan27_desktop")  # the loggers diagnostics.setup_logging configures


class StartupDiagnostics:
    """The rotating, redacted log file and the crash dialog, set up once the window has painted:
    their modules (logging.handlers, sqlite3, platform, the dialog's Qt classes) cost about as much
    as a tenth of a bare window's start. Until `set_up()`, the app's log records are kept (and
    written to the log then, in order, redacted like the rest), and an uncaught exception sets
    everything up at once and is reported as usual."""

    def __init__(self, app: Any) -> None:
        self._app = app
        self._records: list[logging.LogRecord] = []
        self._keeper = _KeepRecords(self._records)
        self._loggers = [logging.getLogger(name) for name in LOGGER_NAMES]
        self._levels = [logger.level for logger in self._loggers]
        for logger in self._loggers:
            logger.addHandler(self._keeper)
            logger.setLevel(logging.INFO)  # what setup_logging sets: INFO records are kept too
        self._hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._early_sys_hook
        threading.excepthook = self._early_thread_hook
        self.logging_ready = False
        self.dialog_ready = False

    def set_up(self) -> None:
        """Idempotent. The log file (with what was kept), then the crash dialog's hook; on a thread
        other than the UI thread only the first (the dialog's hook is installed on the UI thread)."""
        from wan27_desktop import diagnostics

        if not self.logging_ready:
            self.logging_ready = True
            sys.excepthook, threading.excepthook = self._hooks
            for logger, level in zip(self._loggers, self._levels, strict=True):
                logger.removeHandler(self._keeper)
                logger.setLevel(level)
            diagnostics.setup_logging(config.data_dir())  # rotating, every secret redacted
            diagnostics.install_excepthook()  # log-only until the dialog's hook replaces it below
            for record in self._records:
                _hand_to_app_handlers(record)
            self._records.clear()
        if not self.dialog_ready and threading.current_thread() is threading.main_thread():
            from wan27_desktop.ui.dialogs.crash import install_gui_excepthook

            self.dialog_ready = True
            install_gui_excepthook(self._app)  # a friendly dialog on the UI thread, for any thread's exception

    def close(self) -> None:
        """Put back the exception hooks that were there before (the app is ending)."""
        if self.logging_ready:
            from wan27_desktop import diagnostics

            diagnostics.uninstall_excepthook()
            return
        sys.excepthook, threading.excepthook = self._hooks
        for logger, level in zip(self._loggers, self._levels, strict=True):
            logger.removeHandler(self._keeper)
            logger.setLevel(level)

    def _early_sys_hook(self, kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        self.set_up()
        sys.excepthook(kind, value, tb)

    def _early_thread_hook(self, args: threading.ExceptHookArgs) -> None:
        self.set_up()
        threading.excepthook(args)


class _KeepRecords(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(logging.DEBUG)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _hand_to_app_handlers(record: logging.LogRecord) -> None:
    """A kept record to the handlers of its logger and its parents up to (not including) the root,
    whose handlers (--debug's stderr) saw it when it was logged."""
    logger: logging.Logger | None = logging.getLogger(record.name)
    root = logging.getLogger()
    while logger is not None and logger is not root:
        for handler in logger.handlers:
            if record.levelno >= handler.level:
                handler.handle(record)
        logger = logger.parent if logger.propagate else None


def show_main_window(
    settings: Any,
    *,
    api_base: str | None = None,
    notifier: Any = None,
    after_first_paint: Callable[[], None] | None = None,
    before_start: Callable[[], None] | None = None,
    fallback_ms: int = 1000,
) -> Any:
    """The main window as `wan27-desktop` opens it (issue 7): its shell (the saved geometry and dock
    layout over the window's background, see MainWindow) is shown now; right after its first paint
    `after_first_paint()` runs, then the panels, menus, status bar and their modules are built; once
    that full window has painted, `before_start()` and then `window.start()` (keyring, journal,
    resume), the app's window icon set just before. Closing the shell first is fine: nothing is built
    and the saved layout is kept."""
    from wan27_desktop.ui.window.main_window import MainWindow

    window = MainWindow(settings=settings, api_base=api_base, notifier=notifier, deferred=True)

    def build() -> None:  # after the shell's first paint, or the fallback timer: once
        if window.is_built():
            return
        if after_first_paint is not None:
            after_first_paint()
        window.finish_building()
        if not window.is_built():  # closed before its panels were made
            return
        from wan27_desktop.ui.dialogs.first_run import install_first_run

        # First run (no key anywhere, welcome never closed): the welcome explains region, key and
        # library once the key lookup has answered. Later runs ask for a key at the first Generate.
        install_first_run(window)

        # Keyring, journal, resume: once the full window is on screen. A zero timer would run before
        # that paint (an UpdateRequest posted later), and the pool threads then take the GIL from it.
        def start() -> None:
            set_window_icon()
            if before_start is not None:
                before_start()
            window.start()

        call_after_first_paint(window.centralWidget(), start, fallback_ms)

    window.show()
    call_after_first_paint(window, build, fallback_ms)
    return window


def run_gui(qt_args: Sequence[str] = (), *, api_base: str | None = None) -> int:
    app: Any = create_application(qt_args)
    # The log file and the crash dialog: set up once the full window has painted (their modules cost
    # ~15 ms). An exception before then (even one that ends run_gui) sets them up and is logged and
    # reported as before; records logged before then are kept and written to the log in order.
    startup = StartupDiagnostics(app)

    from wan27_desktop.i18n import install_translators
    from wan27_desktop.settings import AppSettings
    from wan27_desktop.ui.common.theme import apply_theme

    settings = AppSettings()
    install_translators(app, settings.language)  # before any widget is built: texts are set once
    apply_theme(settings.theme)
    if settings.library_moved:  # a moved library on a drive that is not connected: ask first
        from wan27_desktop.ui.dialogs.library_move import ensure_library_reachable

        startup.set_up()
        if not ensure_library_reachable(settings):
            startup.close()
            return 0

    _window = show_main_window(
        settings,
        api_base=api_base,  # the library: settings.library_dir
        before_start=startup.set_up,
    )
    from wan27_desktop.heap import settle_after_startup

    _window.journalLoaded.connect(settle_after_startup)  # start-up is over: shorter full collections
    code = int(app.exec())
    startup.set_up()  # closed before the window was built: what was logged still reaches the log file
    startup.close()
    return code
