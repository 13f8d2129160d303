"""Tell the user a job ended while they were elsewhere: a desktop notification and a taskbar alert.

The main window calls a `Notifier`; tests inject their own object with the same two methods.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from PySide6.QtWidgets import QSystemTrayIcon

log = logging.getLogger(__name__)


class NotifierLike(Protocol):
    def notify(self, title: str, message: str, *, error: bool = False) -> bool: ...

    def alert(self, window: QWidget) -> None: ...


class Notifier:
    """Desktop notifications through a system tray icon when the platform has a tray.

    Without a tray (many Linux desktops, offscreen) `notify` returns False and does nothing: the
    taskbar alert still marks the window.
    """

    def __init__(self, icon: QIcon | None = None, parent: QWidget | None = None) -> None:
        self._icon = icon or QIcon()
        self._parent = parent
        self._tray: QSystemTrayIcon | None = None

    def _ensure_tray(self) -> QSystemTrayIcon | None:
        if self._tray is not None:
            return self._tray
        # Here, not at the top: the window makes its Notifier while it starts, and a tray may never be needed.
        from PySide6.QtWidgets import QSystemTrayIcon

        if not QSystemTrayIcon.isSystemTrayAvailable() or not QSystemTrayIcon.supportsMessages():
            return None
        self._tray = QSystemTrayIcon(self._icon, self._parent)
        self._tray.setToolTip("Wan 2.7 Desktop")
        self._tray.show()
        return self._tray

    def notify(self, title: str, message: str, *, error: bool = False) -> bool:
        tray = self._ensure_tray()
        if tray is None:
            log.debug("no system tray; notification skipped: %s", title)
            return False
        from PySide6.QtWidgets import QSystemTrayIcon

        icon = QSystemTrayIcon.MessageIcon.Warning if error else QSystemTrayIcon.MessageIcon.Information
        tray.showMessage(title, message, icon, 8000)
        return True

    def alert(self, window: QWidget) -> None:
        # msec 0: the taskbar entry stays highlighted until the user comes back to the window.
        QApplication.alert(window, 0)

    def close(self) -> None:
        if self._tray is not None:
            self._tray.hide()
            self._tray.deleteLater()
            self._tray = None
