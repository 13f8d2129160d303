"""The friendly dialog for an uncaught exception, and the hook that shows it on the UI thread.

    handler = install_gui_excepthook(app)   # once, after the QApplication exists

Exceptions can be raised on any thread (a QRunnable in the pool, a threading.Thread); the hook
then runs on that thread, where no widget may be touched. `CrashReporter.report` only emits a
queued signal; the dialog is built in the slot, on the thread that owns the reporter (the UI
thread). At most one dialog is open: later exceptions are appended to it (and logged).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop import config, diagnostics

QUIT_CODE = 2  # QDialog.done() code of "Quit" (Accepted = 1 is "Continue")


def log_folder() -> Path:
    """Where the log lives: the configured log file's folder, else the default one."""
    path = diagnostics.log_path()
    return path.parent if path is not None else config.data_dir() / "logs"


class CrashDialog(QDialog):
    """'Something went wrong' with the redacted traceback behind a Details toggle.

    Continue (default) closes the dialog and the app keeps running; Quit closes it with
    `QUIT_CODE` and emits `quitRequested`.
    """

    quitRequested = Signal()
    COLLAPSED_WIDTH = 560
    EXPANDED_SIZE = (720, 480)

    def __init__(self, summary: str, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(self.tr("Something went wrong"))
        self.setAccessibleName(self.tr("Something went wrong"))
        self.setSizeGripEnabled(True)
        self._reports: list[tuple[str, str]] = []

        icon = QLabel(self)
        icon.setObjectName("crashIcon")
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize, None, self)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        icon.setAccessibleName(self.tr("Warning"))

        title = QLabel(self.tr("Something went wrong."), self)
        title.setObjectName("crashTitleLabel")
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        title.setFont(font)
        message = QLabel(
            self.tr(
                "Your images and jobs are safe — everything is saved as it happens. You can keep working; "
                "if this happens again, please copy the diagnostic info into a bug report."
            ),
            self,
        )
        message.setObjectName("crashMessageLabel")
        message.setWordWrap(True)
        message.setAccessibleName(self.tr("What happened"))
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("crashSummaryLabel")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_label.setAccessibleName(self.tr("Error summary"))
        self.summary_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

        self.details_toggle = QToolButton(self)
        self.details_toggle.setObjectName("crashDetailsToggle")
        self.details_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.details_toggle.setText(self.tr("Show details"))
        self.details_toggle.setAccessibleName(self.tr("Show technical details"))
        self.details_toggle.setAutoRaise(True)
        self.details_toggle.clicked.connect(self._toggle_details)

        self.details_text = QPlainTextEdit(self)
        self.details_text.setObjectName("crashDetailsText")
        self.details_text.setReadOnly(True)
        self.details_text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details_text.setAccessibleName(self.tr("Technical details"))
        self.details_text.setMinimumHeight(180)
        self.details_text.setVisible(False)

        self.copy_button = self._button(
            "copyDiagnosticsButton",
            self.tr("&Copy diagnostic info"),
            self.tr("Copy diagnostic info"),
            self.copy_diagnostics,
        )
        self.copy_button.setToolTip(
            self.tr("Copies versions, paths and this error for a bug report. It never contains your API key.")
        )
        self.log_button = self._button(
            "openLogFolderButton", self.tr("Open &log folder"), self.tr("Open log folder"), self.open_log_folder
        )
        self.quit_button = self._button("crashQuitButton", self.tr("&Quit"), self.tr("Quit the app"), self._quit)
        self.continue_button = self._button(
            "crashContinueButton", self.tr("C&ontinue"), self.tr("Continue working"), self.accept
        )
        self.continue_button.setDefault(True)
        self.continue_button.setAutoDefault(True)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("crashStatusLabel")
        self.status_label.setAccessibleName(self.tr("Status"))
        self.status_label.setWordWrap(True)
        self.status_label.setVisible(False)

        text_column = QVBoxLayout()
        text_column.addWidget(title)
        text_column.addWidget(message)
        text_column.addWidget(self.summary_label)
        header = QHBoxLayout()
        header.addWidget(icon)
        header.addLayout(text_column, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.log_button)
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.continue_button)
        layout = self._layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.details_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.details_text, 1)
        layout.addWidget(self.status_label)
        layout.addSpacing(6)
        layout.addLayout(buttons)
        self.resize(self.COLLAPSED_WIDTH, self.sizeHint().height())
        self.continue_button.setFocus()
        self.append_exception(summary, details)

    def _button(self, name: str, text: str, accessible: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    @property
    def report_count(self) -> int:
        return len(self._reports)

    def append_exception(self, summary: str, details: str) -> None:
        """Add another exception to this dialog instead of opening a second one."""
        self._reports.append((summary, details))
        if len(self._reports) == 1:
            self.summary_label.setText(summary)
        else:
            self.summary_label.setText(
                self.tr("%n problem(s) so far; the latest: %1", "", len(self._reports)).replace("%1", summary)
            )
        self.details_text.setPlainText(self.details())

    def details(self) -> str:
        """Every traceback seen while the dialog was open, oldest first."""
        return "\n".join(details.rstrip() + "\n" for _summary, details in self._reports)

    @Slot()
    def _toggle_details(self) -> None:
        self._set_details_visible(not self.details_text.isVisible())

    def _set_details_visible(self, shown: bool) -> None:
        self.details_text.setVisible(shown)
        self.details_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.details_toggle.setText(self.tr("Hide details") if shown else self.tr("Show details"))
        # Grow to show a useful piece of the traceback; shrink back to the message on hide.
        layout = self._layout
        layout.activate()
        if shown:
            width, height = self.EXPANDED_SIZE
            self.resize(max(self.width(), width), max(self.height(), height))
        else:
            self.resize(self.width(), layout.minimumSize().height())

    @Slot()
    def copy_diagnostics(self) -> str:
        """Put the diagnostic report and the traceback(s) on the clipboard; returns the text."""
        text = diagnostics.redact(diagnostics.diagnostic_info() + "\nTraceback(s):\n" + self.details())
        QGuiApplication.clipboard().setText(text)
        self._set_status(self.tr("Diagnostic info copied to the clipboard."))
        return text

    @Slot()
    def open_log_folder(self) -> bool:
        folder = log_folder()
        folder.mkdir(parents=True, exist_ok=True)
        opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
        if not opened:
            self._set_status(self.tr("Could not open %1.").replace("%1", str(folder)))
        return bool(opened)

    def _set_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    @Slot()
    def _quit(self) -> None:
        self.done(QUIT_CODE)
        self.quitRequested.emit()


class CrashReporter(QObject):
    """Receives exceptions from any thread and shows them in one CrashDialog on the UI thread."""

    reported = Signal(str, str)  # summary, details; emitted on the reporting thread
    dialogShown = Signal(QDialog)

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)  # parented to the app: lives (and delivers) on the UI thread
        self.setObjectName("crashReporter")
        self._app = app
        self.dialog: CrashDialog | None = None
        self.reported.connect(self._present, Qt.ConnectionType.QueuedConnection)

    def report(self, summary: str, details: str) -> None:
        """Thread-safe: the `show` callback of `diagnostics.install_excepthook`."""
        self.reported.emit(summary, details)

    @Slot(str, str)
    def _present(self, summary: str, details: str) -> None:
        if self.dialog is not None:
            self.dialog.append_exception(summary, details)
            return
        dialog = CrashDialog(summary, details, self._app.activeWindow())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.finished.connect(self._closed)
        dialog.quitRequested.connect(lambda: self._app.exit(1))
        self.dialog = dialog
        # open(), not exec(): no nested event loop inside whatever just failed.
        dialog.open()
        self.dialogShown.emit(dialog)

    @Slot(int)
    def _closed(self, _result: int) -> None:
        self.dialog = None


def install_gui_excepthook(app: QApplication) -> CrashReporter:
    """Install `diagnostics.install_excepthook` with a dialog on the UI thread. Call once from the
    UI thread after creating the QApplication; the returned reporter is owned by `app`."""
    existing = app.findChild(CrashReporter, "crashReporter")
    reporter = existing if isinstance(existing, CrashReporter) else CrashReporter(app)
    diagnostics.install_excepthook(reporter.report)
    return reporter
