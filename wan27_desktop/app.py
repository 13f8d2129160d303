"""The `wan27-desktop` GUI entry point: QApplication set-up, wiring, the crash handler, --self-test.

    wan27-desktop [--data-dir DIR] [--api-base URL] [--self-test] [--debug]
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import __version__, config

log = logging.getLogger("wan27.app")

APP_DISPLAY_NAME = "Wan 2.7 Desktop"
ORG_NAME = "Wan27Desktop"
DESKTOP_FILE = "wan27-desktop"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wan27-desktop", description="Desktop client for the Wan 2.7 image API.")
    parser.add_argument("--data-dir", type=Path,
                        help=f"settings, logs, caches and (unless moved) the library here (sets {config.ENV_DATA_DIR})")
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


def run_gui(qt_args: Sequence[str] = (), *, api_base: str | None = None) -> int:
    from . import diagnostics
    from .ui.crash_dialog import install_gui_excepthook

    diagnostics.setup_logging(config.data_dir())  # rotating, every secret redacted
    app = create_application(qt_args)
    install_gui_excepthook(app)  # friendly dialog on the UI thread for exceptions from any thread

    from .i18n import install_translators
    from .settings import AppSettings
    from .ui.library_move import ensure_library_reachable
    from .ui.main_window import MainWindow
    from .ui.main_window_parts import apply_theme
    from .ui.onboarding import install_first_run

    settings = AppSettings()
    install_translators(app, settings.language)  # before any widget is built: texts are set once
    apply_theme(settings.theme)
    if not ensure_library_reachable(settings):  # a moved library on a drive that is not connected
        diagnostics.uninstall_excepthook()
        return 0
    window = MainWindow(settings=settings, api_base=api_base)  # the library: settings.library_dir
    # First run (no key anywhere, welcome never closed): the welcome explains region, key and
    # library once the key lookup has answered, after the first paint. Later runs ask for a key
    # at the first Generate.
    install_first_run(window)
    window.show()
    # Keyring, journal, resume: once the first paint is on screen. A zero timer ran before it (the
    # paint is an UpdateRequest posted later), and the pool threads then took the GIL from it.
    call_after_first_paint(window, window.start)
    code = int(app.exec())  # type: ignore[attr-defined]
    diagnostics.uninstall_excepthook()
    return code
