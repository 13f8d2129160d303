"""Jobs ▸ New Batch…: pick a source (each image of a folder or the gallery's selection, a list file,
or a prompt matrix), see the preview, then start it. Nothing is sent until Start is pressed; a batch
that would cross a spending limit asks first.

The shared parameters (model, size, images per job, seed, references, palette, mode) are the
generation panel's, as they are when the dialog opens. Reading the source (reference images are
inspected) and the preview (the journal's spend) run on a worker; the dialog only shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop.api.errors import ValidationError, WanError
from wan27_desktop.api.models import GenerationRequest, Region, RequestMode
from wan27_desktop.api.pricing import format_cny
from wan27_desktop.i18n import error_message, issue_text
from wan27_desktop.jobs.background import BackgroundWork
from wan27_desktop.jobs.batch.preview import Preview
from wan27_desktop.jobs.batch.sources import BatchPlan
from wan27_desktop.ui.common.widgets import InlineMessage, named

PREVIEW_DELAY_MS = 400  # typing pauses this long before the preview is worked out again
SOURCES = ("images", "list", "matrix")


@dataclass(frozen=True)
class BatchInputs:
    """What the form says, for a worker to read the source from."""

    source: str  # images | list | matrix
    folder: str
    selection: tuple[Path, ...]
    list_path: str
    prompt: str
    matrix: str
    seeds: str
    sizes: str
    models: str


def read_plan(inputs: BatchInputs, shared: GenerationRequest) -> BatchPlan:
    """Worker: the plan the inputs describe. Raises ValidationError for an unusable source."""
    from wan27_desktop.api.errors import ValidationIssue
    from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
    from wan27_desktop.jobs.batch import sources

    def refuse(field: str, template: str) -> ValidationError:
        return ValidationError([ValidationIssue.of(field, template)])

    if inputs.source == "images":
        prompt = inputs.prompt.strip()
        if not prompt:
            raise refuse("prompt", QT_TRANSLATE_NOOP("ValidationIssue", "Write the instruction for every image."))
        shared = shared.replace(prompt=prompt)
        if inputs.selection:
            return sources.from_images(list(inputs.selection), shared)
        if not inputs.folder.strip():
            raise refuse("source", QT_TRANSLATE_NOOP("ValidationIssue", "Choose a folder of images."))
        folder = Path(inputs.folder.strip()).expanduser()
        return sources.from_images(sources.image_files(folder), shared, source=str(folder))
    if inputs.source == "list":
        if not inputs.list_path.strip():
            raise refuse("source", QT_TRANSLATE_NOOP("ValidationIssue", "Choose a .txt, .csv or .jsonl file."))
        return sources.from_list(Path(inputs.list_path.strip()).expanduser(), shared.replace(prompt=inputs.prompt))
    if not inputs.matrix.strip():
        raise refuse("prompt", QT_TRANSLATE_NOOP("ValidationIssue", "Write a prompt with {a|b} groups."))
    seeds = []
    for part in _split(inputs.seeds):
        try:
            seeds.append(int(part))
        except ValueError:
            raise ValidationError(
                [
                    ValidationIssue.of(
                        "seeds", QT_TRANSLATE_NOOP("ValidationIssue", "'{value}' is not a whole number."), value=part
                    )
                ]
            ) from None
    return sources.from_matrix(
        inputs.matrix, shared, seeds=seeds, sizes=_split(inputs.sizes), models=_split(inputs.models)
    )


def _buddy(text: str, field: QWidget) -> QLabel:
    """A label whose mnemonic focuses `field` (a row holding a layout gets no buddy by itself)."""
    label = QLabel(text, field.parentWidget())
    label.setBuddy(field)
    return label


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class NewBatchDialog(QDialog):
    """`startRequested(plan, request_mode, name, over_limit)` when the user starts the batch."""

    startRequested = Signal(object, object, str, bool)

    def __init__(
        self,
        shared: GenerationRequest,
        request_mode: RequestMode,
        region: Region,
        data_dir: Path,
        *,
        selection: tuple[Path, ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newBatchDialog")
        self.setWindowTitle(self.tr("New Batch"))
        self.shared = shared
        self.request_mode = request_mode
        self.region = region
        self.data_dir = data_dir
        self.selection = selection
        self.plan: BatchPlan | None = None
        self.preview: Preview | None = None
        self._generation = 0  # previews still running for older inputs are ignored
        self._work = BackgroundWork(self, pool="batches")
        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.refresh_preview)
        self._build()
        self.resize(720, 620)

    # -- layout -------------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.tabs = named(QTabWidget(self), "batchSource", self.tr("Batch source"))
        self.tabs.addTab(self._images_tab(), self.tr("&Each image"))
        self.tabs.addTab(self._list_tab(), self.tr("A &list"))
        self.tabs.addTab(self._matrix_tab(), self.tr("A &matrix"))
        self.tabs.currentChanged.connect(self._changed)
        layout.addWidget(self.tabs)

        form = QFormLayout()
        self.name_edit = named(QLineEdit(self), "batchName", self.tr("Batch name"))
        self.name_edit.setPlaceholderText(self.tr("The source's name"))
        form.addRow(self.tr("&Name:"), self.name_edit)
        self.shared_label = named(QLabel(self._shared_text(), self), "batchShared", self.tr("Shared parameters"))
        self.shared_label.setWordWrap(True)
        form.addRow(self.tr("Parameters:"), self.shared_label)
        layout.addLayout(form)

        self.summary = named(QLabel(self), "batchPreviewSummary", self.tr("Batch preview"))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.message = InlineMessage("batchMessage", self.tr("Batch problem"), self)
        layout.addWidget(self.message)
        self.refused = named(QTableWidget(0, 2, self), "batchRefusedRows", self.tr("Rows refused before sending"))
        self.refused.setHorizontalHeaderLabels([self.tr("Row"), self.tr("Why it is not sent")])
        self.refused.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.refused.verticalHeader().hide()
        self.refused.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.refused.hide()
        layout.addWidget(self.refused, 1)

        self.buttons = QDialogButtonBox(self)
        self.preview_button = named(
            self.buttons.addButton(self.tr("&Preview"), QDialogButtonBox.ButtonRole.ActionRole),
            "batchPreviewButton",
            self.tr("Preview the batch"),
        )
        self.start_button = named(
            self.buttons.addButton(self.tr("&Start Batch"), QDialogButtonBox.ButtonRole.AcceptRole),
            "batchStartButton",
            self.tr("Start the batch"),
        )
        self.start_button.setEnabled(False)
        self.start_button.setDefault(True)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        named(cancel, "batchCancelButton", self.tr("Close without sending"))
        self.preview_button.clicked.connect(self.refresh_preview)
        self.start_button.clicked.connect(self.start)
        cancel.clicked.connect(self.reject)
        layout.addWidget(self.buttons)
        self._show_summary()

    def _images_tab(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.folder_edit = named(QLineEdit(page), "batchFolder", self.tr("Folder of images"))
        choose = named(QPushButton(self.tr("C&hoose…"), page), "batchChooseFolder", self.tr("Choose a folder"))
        choose.clicked.connect(self.choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(choose)
        form.addRow(_buddy(self.tr("&Folder:"), self.folder_edit), row)
        self.selection_label = QLabel(page)
        if self.selection:
            self.selection_label.setText(
                self.tr("Using the %n image(s) selected in the gallery.", "", len(self.selection))
            )
            self.folder_edit.setEnabled(False)
            choose.setEnabled(False)
        self.selection_label.setVisible(bool(self.selection))
        form.addRow("", self.selection_label)
        self.instruction_edit = named(QPlainTextEdit(page), "batchInstruction", self.tr("Instruction for every image"))
        self.instruction_edit.setTabChangesFocus(True)
        self.instruction_edit.setPlaceholderText(self.tr("What to do with each image, e.g. make image 1 a watercolour"))
        self.instruction_edit.setPlainText(self.shared.prompt)
        form.addRow(self.tr("&Instruction:"), self.instruction_edit)
        self.folder_edit.textChanged.connect(self._changed)
        self.instruction_edit.textChanged.connect(self._changed)
        return page

    def _list_tab(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.list_edit = named(QLineEdit(page), "batchListFile", self.tr("List file"))
        choose = named(QPushButton(self.tr("Ch&oose…"), page), "batchChooseList", self.tr("Choose a list file"))
        choose.clicked.connect(self.choose_list)
        row = QHBoxLayout()
        row.addWidget(self.list_edit, 1)
        row.addWidget(choose)
        form.addRow(_buddy(self.tr("&File:"), self.list_edit), row)
        help_text = QLabel(
            self.tr(
                "A .txt file has one prompt per line. A .csv file has a 'prompt' column, a .jsonl file one "
                "object per line with a 'prompt'; both may set size, n, seed, model, ref, set and watermark "
                "per row. Rows that break a rule are listed below and not sent."
            ),
            page,
        )
        help_text.setWordWrap(True)
        form.addRow("", help_text)
        self.list_edit.textChanged.connect(self._changed)
        return page

    def _matrix_tab(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.matrix_edit = named(QPlainTextEdit(page), "batchMatrixPrompt", self.tr("Matrix prompt"))
        self.matrix_edit.setTabChangesFocus(True)
        self.matrix_edit.setPlaceholderText(self.tr("{red|blue|green} fox in {snow|rain}"))
        if "{" in self.shared.prompt:
            self.matrix_edit.setPlainText(self.shared.prompt)
        form.addRow(self.tr("&Prompt:"), self.matrix_edit)
        self.seeds_edit = named(QLineEdit(page), "batchSeeds", self.tr("Seeds, separated by commas"))
        self.seeds_edit.setPlaceholderText(self.tr("e.g. 1, 2, 3"))
        form.addRow(self.tr("S&eeds:"), self.seeds_edit)
        self.sizes_edit = named(QLineEdit(page), "batchSizes", self.tr("Sizes, separated by commas"))
        self.sizes_edit.setPlaceholderText(self.tr("e.g. 1K, 2K, 1536*1024"))
        form.addRow(self.tr("Si&zes:"), self.sizes_edit)
        self.models_edit = named(QLineEdit(page), "batchModels", self.tr("Models, separated by commas"))
        self.models_edit.setPlaceholderText(self.tr("e.g. pro, standard"))
        form.addRow(self.tr("Mo&dels:"), self.models_edit)
        for edit in (self.seeds_edit, self.sizes_edit, self.models_edit):
            edit.textChanged.connect(self._changed)
        self.matrix_edit.textChanged.connect(self._changed)
        return page

    def _shared_text(self) -> str:
        request = self.shared
        parts = [
            request.model.label,
            request.size,
            self.tr("%n image(s) per job", "", request.n),
            self.tr("seed %1").replace("%1", str(request.seed)) if request.seed is not None else self.tr("random seed"),
            self.tr("sync") if self.request_mode is RequestMode.SYNC else self.tr("async"),
        ]
        if request.images:
            parts.append(self.tr("%n shared reference(s)", "", len(request.images)))
        return " · ".join(parts) + "\n" + self.tr("From the generation panel; change them there.")

    # -- inputs --------------------------------------------------------------------------------------
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder of images"))
        if folder:
            self.folder_edit.setText(folder)

    def choose_list(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("List of prompts"), "", self.tr("Lists (*.txt *.csv *.jsonl *.ndjson)")
        )
        if path:
            self.list_edit.setText(path)

    def inputs(self) -> BatchInputs:
        return BatchInputs(
            source=SOURCES[self.tabs.currentIndex()],
            folder=self.folder_edit.text(),
            selection=self.selection,
            list_path=self.list_edit.text(),
            prompt=self.instruction_edit.toPlainText(),
            matrix=self.matrix_edit.toPlainText(),
            seeds=self.seeds_edit.text(),
            sizes=self.sizes_edit.text(),
            models=self.models_edit.text(),
        )

    def _changed(self, *_: object) -> None:
        self._generation += 1
        self.plan = self.preview = None
        self.start_button.setEnabled(False)
        self._timer.start()

    # -- preview -------------------------------------------------------------------------------------
    def refresh_preview(self) -> None:
        from wan27_desktop.jobs.batch.preview import make_preview
        from wan27_desktop.library import Library

        self._timer.stop()
        generation = self._generation
        inputs, shared, region, data_dir = self.inputs(), self.shared, self.region, self.data_dir

        def work() -> tuple[BatchPlan, Preview]:
            plan = read_plan(inputs, shared)
            with Library.open(data_dir, reconcile=False) as library:
                return plan, make_preview(plan, region, library)

        self.summary.setText(self.tr("Reading the source…"))
        self._work.run(work, lambda result: self._previewed(generation, result), self._failed_for(generation))

    def _failed_for(self, generation: int) -> Any:
        def failed(err: BaseException) -> None:
            if generation != self._generation:
                return
            self.summary.setText("")
            self.refused.hide()
            text = error_message(err) if isinstance(err, WanError) else str(err)
            self.message.show_message(text, "error")

        return failed

    def _previewed(self, generation: int, result: tuple[BatchPlan, Preview]) -> None:
        if generation != self._generation:
            return
        self.plan, self.preview = result
        self.message.clear_message()
        self._show_summary()
        self.start_button.setEnabled(self.preview.jobs > 0)

    def _show_summary(self) -> None:
        preview = self.preview
        if preview is None:
            self.summary.setText(self.tr("Choose a source; the preview shows what will be sent."))
            self.refused.hide()
            return
        images = (
            self.tr("up to %n image(s)", "", preview.images)
            if preview.images_at_most
            else self.tr("%n image(s)", "", preview.images)
        )
        lines = [
            self.tr("%n job(s)", "", preview.jobs)
            + ", "
            + images
            + ", "
            + self.tr("estimated {cost} ({currency})").format(cost=format_cny(preview.cost), currency=preview.currency),
            self.tr("About {duration} at {count} tasks at once (~{seconds} s per task).").format(
                duration=duration_text(preview.duration_s), count=preview.in_progress, seconds=round(preview.task_s)
            ),
        ]
        if self.plan is not None:
            for axis in self.plan.axes:
                lines.append(f"{axis.name}: {' | '.join(axis.values)}")
        if preview.spend is not None:
            spend = preview.spend
            lines.append(
                self.tr("Spent today {today} of {daily}; this month {month} of {monthly}.").format(
                    today=format_cny(spend.today),
                    daily=self._limit(spend.daily),
                    month=format_cny(spend.month),
                    monthly=self._limit(spend.monthly),
                )
            )
        if preview.over_limit:
            lines.append(self.tr("This batch would cross a spending limit: starting it will ask first."))
        if preview.ignored_columns:
            lines.append(self.tr("Columns ignored: {columns}").format(columns=", ".join(preview.ignored_columns)))
        self.summary.setText("\n".join(lines))
        self.refused.setRowCount(0)
        for row in preview.refused:
            where = self.tr("line %1").replace("%1", str(row.line)) if row.line is not None else row.label
            for issue in row.problems:
                index = self.refused.rowCount()
                self.refused.insertRow(index)
                self.refused.setItem(index, 0, QTableWidgetItem(where))
                self.refused.setItem(index, 1, QTableWidgetItem(issue_text(issue)))
        self.refused.setVisible(bool(preview.refused))

    def _limit(self, value: Any) -> str:
        return self.tr("no limit") if value is None else format_cny(value)

    # -- start --------------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the previewed batch; over a spending limit, ask first (`limit_box`)."""
        if self.plan is None or self.preview is None or not self.preview.jobs:
            return
        if not self.preview.over_limit:
            self._start(over_limit=False)
            return
        period, limit, spent = self.preview.crossings[0]
        daily = self.tr("This batch (up to {cost}) would cross your daily limit of {limit}: {spent} is spent already.")
        monthly = self.tr(
            "This batch (up to {cost}) would cross your monthly limit of {limit}: {spent} is spent already."
        )
        text = (daily if period == "daily" else monthly).format(
            cost=format_cny(self.preview.cost), limit=format_cny(limit), spent=format_cny(spent)
        )
        box = QMessageBox(
            QMessageBox.Icon.Warning, self.tr("Over the spending limit"), text, QMessageBox.StandardButton.Cancel, self
        )
        box.setObjectName("batchLimitBox")
        self.send_anyway = box.addButton(self.tr("Send Anyway"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(lambda button: self._start(over_limit=True) if button is self.send_anyway else None)
        self.limit_box = box
        box.open()

    def _start(self, *, over_limit: bool) -> None:
        assert self.plan is not None
        self.startRequested.emit(self.plan, self.request_mode, self.name_edit.text().strip(), over_limit)
        self.accept()


def duration_text(seconds: float) -> str:
    from PySide6.QtCore import QCoreApplication

    total = max(0, int(round(seconds)))
    if total < 60:
        return QCoreApplication.translate("NewBatchDialog", "%n s", "", total)
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return QCoreApplication.translate("NewBatchDialog", "%n min", "", minutes) + (
            " " + QCoreApplication.translate("NewBatchDialog", "%n s", "", secs) if secs else ""
        )
    hours, minutes = divmod(minutes, 60)
    return (
        QCoreApplication.translate("NewBatchDialog", "%n h", "", hours)
        + " "
        + QCoreApplication.translate("NewBatchDialog", "%n min", "", minutes)
    )
