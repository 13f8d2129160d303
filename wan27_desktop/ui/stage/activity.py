"""Under the Generate button: how many jobs run, where the newest one is, and how to stop it, in
the words the job lifecycle uses (Cancel's tooltip says whether canceling costs nothing or the task
runs on and is billed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from wan27_desktop.ui.common.widgets import named, set_text_role, small_font

if TYPE_CHECKING:
    from wan27_desktop.workspace.board import JobBoard
    from wan27_desktop.workspace.jobs import JobRow


class GenerateActivity(QWidget):
    """Hidden while nothing runs. `stopRequested(job_id)` for the newest running job."""

    stopRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("generateActivity")
        self.board: JobBoard | None = None
        self.newest: JobRow | None = None
        self.label = named(QLabel(self), "generateActivityLabel", self.tr("Jobs running"))
        self.label.setFont(small_font(self))
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        # Room for two lines from the start: the text changes with every event of a running job,
        # and a line more or less would lay out and repaint the whole generation panel each time.
        self.label.setMinimumHeight(2 * self.label.fontMetrics().lineSpacing())
        set_text_role(self.label, "muted")
        self.stop_button = named(QPushButton(self), "generateStopButton", self.tr("Stop the newest job"))
        self.stop_button.clicked.connect(self._stop)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.stop_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self.refresh)
        self.hide()

    def bind(self, board: JobBoard) -> None:
        self.board = board
        # Every change of the board comes with one of these (stateChanged only follows one of them,
        # so listening to it as well would count the running jobs twice per event).
        board.changed.connect(self.refresh)
        board.added.connect(self.refresh)
        board.removed.connect(self.refresh)
        self.refresh()

    def refresh(self, *_args: object) -> None:
        active = self.board.active() if self.board is not None else []
        if not active:
            self.newest = None
            self.ticker.stop()
            self.hide()
            return
        from wan27_desktop.ui.stage import texts  # with the first job: its texts need the job rows' module

        # Stop acts on the newest job of this window's own; a batch's rows stop with their batch.
        newest = next((row for row in active if row.batch_id is None), active[0])
        self.newest = newest
        text = texts.running_summary(len(active))
        elapsed = texts.elapsed(newest)
        detail = texts.phase(newest) + (f" · {elapsed}" if elapsed else "")
        self.label.setText(self.tr("{summary}; newest: {detail}").format(summary=text, detail=detail))
        self.label.setToolTip(" ".join(newest.prompt.split()))
        stop = texts.stop_button(newest)
        self.stop_button.setVisible(stop is not None)
        if stop is not None:
            self.stop_button.setText(stop[0])
            self.stop_button.setToolTip(stop[1])
            self.stop_button.setAccessibleDescription(stop[1])
        self.show()
        if not self.ticker.isActive():
            self.ticker.start()

    def _stop(self) -> None:
        if self.newest is not None and not self.newest.placeholder:
            self.stopRequested.emit(self.newest.job_id)
