"""Settings ▸ Library ▸ Move…: the dialogs around `library/move.py`.

look at the folder (worker) → confirm with sizes → copy and verify (worker; a cancellable progress
dialog) → `switch(target)` on the UI thread (the caller saves the setting and reopens the library
there) → remove the old copy (worker) → say what happened.

The copying thread never makes a Qt call: it writes its progress into a locked pair of numbers that
a timer on the UI thread reads, and it reads the cancel flag the Cancel button sets.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from wan27_desktop.api.errors import WanError
from wan27_desktop.i18n import error_message, hint_text
from wan27_desktop.library import move as library_move
from wan27_desktop.library.move import CopyReport, MoveCanceled, MovePlan, RemovalReport
from wan27_desktop.settings import AppSettings
from wan27_desktop.ui.common.background import BackgroundWork

log = logging.getLogger(__name__)

PROGRESS_STEPS = 1000  # QProgressDialog takes an int: bytes are scaled to per mille
POLL_MS = 100


class _SharedProgress:
    """Written by the copying thread, read by the UI thread's timer; plain Python under a lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done = 0
        self._total = 0
        self._cancel = threading.Event()

    def update(self, done: int, total: int) -> None:
        with self._lock:
            self._done, self._total = done, total

    def read(self) -> tuple[int, int]:
        with self._lock:
            return self._done, self._total

    def cancel(self) -> None:
        self._cancel.set()

    def canceled(self) -> bool:
        return self._cancel.is_set()


def size_text(count: int) -> str:
    return QLocale().formattedDataSize(count)


class LibraryMoveFlow(QObject):
    """One move, from "Move…" to the final message. `finished(bool)`: whether the library moved.

    `blocked()` returns a reason not to move now (jobs running), asked before and after the
    confirmation; `switch(target)` must persist the new place and reopen the library there, raising
    OSError or WanError when it cannot (the copy is then discarded and the old library stays).
    """

    finished = Signal(bool)

    def __init__(
        self,
        parent: QWidget,
        source: Path,
        target: Path,
        *,
        app_data_dir: Path,
        switch: Callable[[Path], None],
        blocked: Callable[[], str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("libraryMoveFlow")
        self._parent = parent
        self.source = source
        self.target = target
        self._app_data_dir = app_data_dir
        self._switch = switch
        self._blocked = blocked or (lambda: None)
        self._work = BackgroundWork(self, pool="library-move", expected=(WanError, OSError, sqlite3.Error))
        self._progress = _SharedProgress()
        self._timer = QTimer(self, interval=POLL_MS)
        self._timer.timeout.connect(self._show_progress)
        self.plan: MovePlan | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.message_box: QMessageBox | None = None  # the last question or report shown
        self.moved = False

    # -- 1. look at the folders --------------------------------------------------------------------
    def start(self) -> None:
        reason = self._blocked()
        if reason:
            self._report(QMessageBox.Icon.Warning, self.tr("The library cannot move now"), reason, moved=False)
            return
        dialog = self._open_progress(self.tr("Looking at the library…"), busy=True)
        dialog.canceled.connect(self._progress.cancel)
        source, target, app_dir = self.source, self.target, self._app_data_dir
        self._work.run(
            lambda: library_move.plan_move(source, target, app_data_dir=app_dir), self._planned, self._failed
        )

    def _planned(self, plan: MovePlan) -> None:
        self._close_progress()
        if self._progress.canceled():
            self._end(False)
            return
        self.plan = plan
        text = self.tr("Move the library to this folder?\n{target}").format(target=plan.target)
        details = "\n\n".join(
            [
                self.tr("%n file(s), {size} in all, will be copied there ({free} free).", "", plan.file_count).format(
                    size=size_text(plan.total_bytes), free=size_text(plan.free_bytes)
                ),
                self.tr(
                    "The copy is checked before the app switches to it; then the old copy in {source} is "
                    "removed. Until then nothing changes, and you can cancel at any time."
                ).format(source=plan.source),
                self.tr("Settings, logs and prompt history stay where they are."),
            ]
        )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Move the library"),
            text,
            QMessageBox.StandardButton.Cancel,
            self._parent,
        )
        box.setObjectName("libraryMoveConfirm")
        box.setInformativeText(details)
        move_button = box.addButton(self.tr("&Move"), QMessageBox.ButtonRole.AcceptRole)
        move_button.setObjectName("libraryMoveConfirmButton")
        box.setDefaultButton(move_button)

        def answered(_result: int) -> None:
            if box.clickedButton() is move_button:
                self._copy()
            else:
                self._end(False)

        box.finished.connect(answered)
        self.message_box = box
        box.open()

    # -- 2. copy and verify --------------------------------------------------------------------------
    def _copy(self) -> None:
        reason = self._blocked()  # a job may have started while the question was open
        if reason:
            self._report(QMessageBox.Icon.Warning, self.tr("The library cannot move now"), reason, moved=False)
            return
        plan = self.plan
        assert plan is not None
        self._progress = _SharedProgress()
        dialog = self._open_progress(self.tr("Copying the library…"), busy=False)
        dialog.canceled.connect(self._cancel_copy)
        self._timer.start()
        progress = self._progress
        self._work.run(
            lambda: library_move.copy_library(plan, progress=progress.update, should_cancel=progress.canceled),
            self._copied,
            self._failed,
        )

    def cancel(self) -> None:
        """Stop looking or copying (the app is closing); once switched, the move completes."""
        self._progress.cancel()

    def _cancel_copy(self) -> None:
        self._progress.cancel()
        if self.progress_dialog is not None:  # QProgressDialog hides itself; keep saying what happens
            self.progress_dialog.setLabelText(self.tr("Canceling…"))
            self.progress_dialog.show()
            self.progress_dialog.setCancelButton(None)

    def _show_progress(self) -> None:
        dialog = self.progress_dialog
        if dialog is None or self._progress.canceled():
            return
        done, total = self._progress.read()
        if total <= 0:
            return
        dialog.setValue(min(PROGRESS_STEPS - 1, done * PROGRESS_STEPS // total))
        if done >= total:
            dialog.setLabelText(self.tr("Checking the copy…"))
        else:
            dialog.setLabelText(
                self.tr("Copying the library: {done} of {total}…").format(done=size_text(done), total=size_text(total))
            )

    def _copied(self, report: CopyReport) -> None:
        self._timer.stop()
        if self.progress_dialog is not None:
            self.progress_dialog.setLabelText(self.tr("Switching to the new folder…"))
            self.progress_dialog.setCancelButton(None)  # past the point of canceling
        try:
            self._switch(report.plan.target)
        except (OSError, WanError) as err:
            log.warning("library move: switching failed: %s", err)
            self._work.run(lambda: library_move.discard_copy(report.plan))
            self._close_progress()
            self._report(
                QMessageBox.Icon.Warning,
                self.tr("The library was not moved"),
                self.tr("The app could not switch to the new folder: {error}\nThe library stays in {source}.").format(
                    error=self._error_text(err), source=report.plan.source
                ),
                moved=False,
            )
            return
        self.moved = True
        if self.progress_dialog is not None:
            self.progress_dialog.setLabelText(self.tr("Removing the old copy…"))
        app_dir = self._app_data_dir
        self._work.run(
            lambda: library_move.finish_move(report, app_data_dir=app_dir), self._removed, self._removal_failed
        )

    # -- 3. the old copy -------------------------------------------------------------------------
    def _removed(self, removal: RemovalReport) -> None:
        self._close_progress()
        plan = self.plan
        assert plan is not None
        if removal.removed:
            self._report(
                QMessageBox.Icon.Information,
                self.tr("Library moved"),
                self.tr("The library is now in\n{target}").format(target=plan.target),
                moved=True,
            )
            return
        if removal.kept_reason == "changed":
            text = self.tr(
                "The library is now in {target}. The old copy in {source} was kept because something "
                "wrote to it during the move; see {note} there."
            )
        else:
            text = self.tr(
                "The library is now in {target}. Some files of the old copy in {source} could not be "
                "deleted; {note} lists them, and you can delete them yourself."
            )
        note = removal.note.name if removal.note is not None else library_move.MOVED_NOTE
        self._report(
            QMessageBox.Icon.Warning,
            self.tr("Library moved"),
            text.format(target=plan.target, source=plan.source, note=note),
            moved=True,
        )

    def _removal_failed(self, err: BaseException) -> None:
        self._close_progress()
        plan = self.plan
        assert plan is not None
        self._report(
            QMessageBox.Icon.Warning,
            self.tr("Library moved"),
            self.tr(
                "The library is now in {target}, but the old copy in {source} could not be removed: {error}"
            ).format(target=plan.target, source=plan.source, error=self._error_text(err)),
            moved=True,
        )

    # -- failures and endings ----------------------------------------------------------------------
    def _failed(self, err: BaseException) -> None:
        self._timer.stop()
        self._close_progress()
        if isinstance(err, MoveCanceled) or self._progress.canceled():
            self._report(
                QMessageBox.Icon.Information,
                self.tr("Move canceled"),
                self.tr("The library was not moved; it is still in {source}.").format(source=self.source),
                moved=False,
            )
            return
        title = (
            self.tr("The library cannot move there")
            if isinstance(err, library_move.MoveRefused)
            else self.tr("The library was not moved")
        )
        self._report(QMessageBox.Icon.Warning, title, self._error_text(err), moved=False)

    def _error_text(self, err: BaseException) -> str:
        if isinstance(err, WanError):
            hint = hint_text(err.hint)
            return f"{error_message(err)}\n\n{hint}" if hint else error_message(err)
        if isinstance(err, OSError) and err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return self.tr("The disk is full ({path}). Free some space there or choose another disk.").format(
                path=err.filename or self.target
            )
        if isinstance(err, OSError):
            return self.tr("{path}: {reason}").format(path=err.filename or "", reason=err.strerror or str(err))
        if isinstance(err, sqlite3.Error):
            return self.tr("The library database could not be copied: {error}").format(error=err)
        return type(err).__name__

    def _report(self, icon: QMessageBox.Icon, title: str, text: str, *, moved: bool) -> None:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self._parent)
        box.setObjectName("libraryMoveResult")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.finished.connect(box.deleteLater)
        self.message_box = box
        box.open()
        self._end(moved)

    def _end(self, moved: bool) -> None:
        self._timer.stop()
        self.finished.emit(moved)

    def _open_progress(self, label: str, *, busy: bool) -> QProgressDialog:
        self._close_progress()
        dialog = QProgressDialog(label, self.tr("Cancel"), 0, 0 if busy else PROGRESS_STEPS, self._parent)
        dialog.setObjectName("libraryMoveProgress")
        dialog.setWindowTitle(self.tr("Moving the library"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.setMinimumWidth(420)
        dialog.setValue(0)
        dialog.show()
        self.progress_dialog = dialog
        return dialog

    def _close_progress(self) -> None:
        dialog, self.progress_dialog = self.progress_dialog, None
        if dialog is not None:
            dialog.canceled.disconnect()
            dialog.close()
            dialog.deleteLater()

    @property
    def busy(self) -> bool:
        return self._work.busy


def ensure_library_reachable(settings: AppSettings, parent: QWidget | None = None) -> bool:
    """At start-up, before the window opens the library: a moved library whose folder is missing
    (an external drive not connected) must not be replaced silently by a new, empty one there.
    Asks to connect it and retry, or to start a new library in the default folder. False: quit."""
    while settings.library_moved and not library_move.is_library_root(settings.library_dir):
        folder = settings.library_dir
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("LibraryMoveFlow", "Library not found"),
            QCoreApplication.translate("LibraryMoveFlow", "The library folder {folder} cannot be found.").format(
                folder=folder
            ),
            QMessageBox.StandardButton.Retry,
            parent,
        )
        box.setObjectName("libraryMissingBox")
        box.setInformativeText(
            QCoreApplication.translate(
                "LibraryMoveFlow",
                "If it is on an external or network drive, connect it and choose Retry. Your images "
                "stay in that folder either way.",
            )
        )
        fresh = box.addButton(
            QCoreApplication.translate("LibraryMoveFlow", "Start a New Library"), QMessageBox.ButtonRole.DestructiveRole
        )
        fresh.setObjectName("libraryMissingNewButton")
        quit_button = box.addButton(
            QCoreApplication.translate("LibraryMoveFlow", "Quit"), QMessageBox.ButtonRole.RejectRole
        )
        quit_button.setObjectName("libraryMissingQuitButton")
        box.setDefaultButton(QMessageBox.StandardButton.Retry)
        box.exec()
        clicked = box.clickedButton()
        box.deleteLater()
        if clicked is fresh:
            log.warning("library folder %s missing; starting a new library in the data dir", folder)
            settings.library_dir = None
            settings.sync()
            return True
        if clicked is quit_button or clicked is None:
            return False
    return True
