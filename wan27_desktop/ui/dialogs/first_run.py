"""The first run's welcome, armed at start without loading the welcome dialog's module: most starts
have a key, and then the dialog and its texts are never needed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

if TYPE_CHECKING:
    from wan27_desktop.ui.window.main_window import MainWindow


def install_first_run(window: MainWindow) -> None:
    """Show the welcome once the first key lookup says there is no key, unless it was shown before.
    Call before `window.start()`; the dialog opens after the window has painted."""

    def key_known(origin: str) -> None:
        window.keyOriginChanged.disconnect(key_known)
        if origin == "none" and not window.settings.onboarding_done:
            from wan27_desktop.ui.dialogs.onboarding import show_welcome

            QTimer.singleShot(0, lambda: show_welcome(window))

    window.keyOriginChanged.connect(key_known)
