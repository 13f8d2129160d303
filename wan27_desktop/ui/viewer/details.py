"""Everything known about one image: prompt (copy), every parameter, seed, model, actual size,
request and task ids, cost, dates, and lineage (the references it came from, the images made from it).

The job, tags and lineage are read on the gallery's worker; lineage thumbnails are clickable.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop import i18n
from wan27_desktop.api.models import Mode, Region, RequestMode
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.imaging.thumbnails import ensure_thumbnail
from wan27_desktop.library import ImageRecord, JobRecord, JobState, Library
from wan27_desktop.ui.common.thumbnails import read_scaled
from wan27_desktop.ui.gallery.actions import copy_text_to_clipboard
from wan27_desktop.ui.gallery.worker import DbWorker
from wan27_desktop.ui.jobs.queue_model import state_name

LINEAGE_PX = 64
CONTEXT = "MetadataPanel"

# Row key -> label. The key names the row's QLabel ("metadata_<key>"); request parameters that
# are not listed here are shown under their own name.
LABELS = {
    "model": QT_TRANSLATE_NOOP("MetadataPanel", "Model"),
    "mode": QT_TRANSLATE_NOOP("MetadataPanel", "Mode"),
    "actual_size": QT_TRANSLATE_NOOP("MetadataPanel", "Actual size"),
    "requested_size": QT_TRANSLATE_NOOP("MetadataPanel", "Requested size"),
    "seed": QT_TRANSLATE_NOOP("MetadataPanel", "Seed"),
    "size": QT_TRANSLATE_NOOP("MetadataPanel", "Size"),
    "n": QT_TRANSLATE_NOOP("MetadataPanel", "Number of images"),
    "watermark": QT_TRANSLATE_NOOP("MetadataPanel", "Watermark"),
    "thinking_mode": QT_TRANSLATE_NOOP("MetadataPanel", "Thinking mode"),
    "enable_sequential": QT_TRANSLATE_NOOP("MetadataPanel", "Image set"),
    "bbox_list": QT_TRANSLATE_NOOP("MetadataPanel", "Region boxes"),
    "color_palette": QT_TRANSLATE_NOOP("MetadataPanel", "Colour palette"),
    "request_mode": QT_TRANSLATE_NOOP("MetadataPanel", "Request mode"),
    "region": QT_TRANSLATE_NOOP("MetadataPanel", "Region"),
    "request_id": QT_TRANSLATE_NOOP("MetadataPanel", "Request id"),
    "task_id": QT_TRANSLATE_NOOP("MetadataPanel", "Task id"),
    "cost": QT_TRANSLATE_NOOP("MetadataPanel", "Cost"),
    "job_state": QT_TRANSLATE_NOOP("MetadataPanel", "Job state"),
    "submitted": QT_TRANSLATE_NOOP("MetadataPanel", "Submitted"),
    "finished": QT_TRANSLATE_NOOP("MetadataPanel", "Finished"),
    "usage": QT_TRANSLATE_NOOP("MetadataPanel", "Usage"),
    "created": QT_TRANSLATE_NOOP("MetadataPanel", "Created"),
    "rating": QT_TRANSLATE_NOOP("MetadataPanel", "Rating"),
    "favourite": QT_TRANSLATE_NOOP("MetadataPanel", "Favourite"),
    "tags": QT_TRANSLATE_NOOP("MetadataPanel", "Tags"),
    "file": QT_TRANSLATE_NOOP("MetadataPanel", "File"),
    "file_size": QT_TRANSLATE_NOOP("MetadataPanel", "File size"),
    "sha256": QT_TRANSLATE_NOOP("MetadataPanel", "SHA-256"),
}
REQUEST_MODES = {
    RequestMode.AUTO.value: QT_TRANSLATE_NOOP("MetadataPanel", "Automatic"),
    RequestMode.SYNC.value: QT_TRANSLATE_NOOP("MetadataPanel", "Synchronous"),
    RequestMode.ASYNC.value: QT_TRANSLATE_NOOP("MetadataPanel", "Asynchronous"),
}


def _tr(text: str) -> str:
    """Translate a text marked above with QT_TRANSLATE_NOOP (literals call translate directly)."""
    return QCoreApplication.translate(CONTEXT, text)


def label_for(key: str) -> str:
    return _tr(LABELS[key]) if key in LABELS else key.replace("_", " ").capitalize()


def describe_value(value: Any) -> str:
    if isinstance(value, bool):
        return (
            QCoreApplication.translate("MetadataPanel", "on")
            if value
            else QCoreApplication.translate("MetadataPanel", "off")
        )
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _mode_text(mode: str | None) -> str:
    try:
        return i18n.mode_name(Mode(mode)) if mode else "—"
    except ValueError:
        return str(mode)


def _region_text(region: str) -> str:
    try:
        return i18n.region_name(Region(region))
    except ValueError:
        return region


def _state_text(state: object) -> str:
    try:
        return state_name(JobState(getattr(state, "value", state)))
    except ValueError:
        return str(state)


def metadata_rows(record: ImageRecord, job: JobRecord | None, tags: list[str]) -> list[tuple[str, str, str]]:
    """(key, label, value) rows shown in the form; pure so it is tested without widgets."""
    rows: list[tuple[str, str]] = [
        ("model", record.model or (job.model if job else "") or "—"),
        ("mode", _mode_text(record.mode)),
        ("actual_size", f"{record.width} × {record.height} px"),
        ("requested_size", record.size_label or "—"),
        ("seed", str(record.seed) if record.seed is not None else "—"),
    ]
    if job is not None:
        params = (job.request_json or {}).get("parameters") or {}
        for key in sorted(params):
            if key in ("seed",):
                continue
            rows.append((key, describe_value(params[key])))
        estimate = QCoreApplication.translate("MetadataPanel", "≈ {cost} (estimate)").format(cost=job.estimated_cost)
        rows += [
            (
                "request_mode",
                _tr(REQUEST_MODES[job.request_mode]) if job.request_mode in REQUEST_MODES else job.request_mode,
            ),
            ("region", _region_text(job.region)),
            ("request_id", job.request_id or "—"),
            ("task_id", job.task_id or "—"),
            ("cost", job.cost if job.cost is not None else estimate),
            ("job_state", _state_text(job.state)),
            ("submitted", job.created_at.replace("T", " ")[:19]),
            ("finished", (job.finished_at or "—").replace("T", " ")[:19]),
        ]
        if job.usage:
            rows.append(("usage", describe_value(job.usage)))
    rows += [
        ("created", record.created_at.replace("T", " ")[:19]),
        ("rating", "★" * record.rating if record.rating else "—"),
        (
            "favourite",
            QCoreApplication.translate("MetadataPanel", "yes")
            if record.favourite
            else QCoreApplication.translate("MetadataPanel", "no"),
        ),
        ("tags", QCoreApplication.translate("MetadataPanel", ", ").join(tags) if tags else "—"),
        ("file", str(record.path)),
        ("file_size", f"{record.bytes / 1024:,.0f} KiB"),
        ("sha256", record.sha256),
    ]
    return [(key, label_for(key), value) for key, value in rows]


class MetadataPanel(QScrollArea):
    referenceClicked = Signal(str)  # path of a reference image
    derivedClicked = Signal(int)  # image id of an image made from this one
    copyPromptRequested = Signal(str)

    def __init__(self, worker: DbWorker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("metadataPanel")
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.worker = worker
        self.record: ImageRecord | None = None
        self.job: JobRecord | None = None
        self.inputs: list[str] = []
        self.derived: list[ImageRecord] = []
        self._token: int | None = None

        body = QWidget(self)
        self.setWidget(body)
        outer = QVBoxLayout(body)
        header = QHBoxLayout()
        header.addWidget(QLabel("<b>{}</b>".format(self.tr("Prompt")), body), 1)
        self.copy_button = QPushButton(self.tr("Copy"), body)
        self.copy_button.setObjectName("copyPromptButton")
        self.copy_button.setAccessibleName(self.tr("Copy prompt"))
        self.copy_button.clicked.connect(self._copy_prompt)
        header.addWidget(self.copy_button)
        outer.addLayout(header)
        self.prompt = QPlainTextEdit(body)
        self.prompt.setObjectName("metadataPrompt")
        self.prompt.setReadOnly(True)
        self.prompt.setMaximumHeight(110)
        outer.addWidget(self.prompt)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        outer.addLayout(self.form)
        outer.addWidget(QLabel("<b>{}</b>".format(self.tr("Made from")), body))
        self.inputs_row = QHBoxLayout()
        self.inputs_row.setAlignment(Qt.AlignmentFlag.AlignLeft)
        outer.addLayout(self.inputs_row)
        outer.addWidget(QLabel("<b>{}</b>".format(self.tr("Images made from this one")), body))
        self.derived_row = QHBoxLayout()
        self.derived_row.setAlignment(Qt.AlignmentFlag.AlignLeft)
        outer.addLayout(self.derived_row)
        outer.addStretch(1)
        self.setMinimumWidth(280)

    def show_image(self, record: ImageRecord) -> None:
        self.record = record
        self.prompt.setPlainText(record.prompt or "")
        self._fill(metadata_rows(record, None, []))
        if self._token is not None:
            self.worker.cancel(self._token)
        job_id = record.job_id

        def read(lib: Library) -> tuple[JobRecord | None, list[str], list[str], list[ImageRecord], dict[str, Any]]:
            job = lib.jobs.get(job_id) if job_id is not None else None
            inputs, derived = lib.images.lineage(record.id)
            tags = list(lib.curation.tags_of(record.id))
            images = {str(p): read_scaled(Path(p), LINEAGE_PX) for p in inputs}
            for image in derived[:12]:
                images[f"id:{image.id}"] = read_scaled(ensure_thumbnail(lib.data_dir, image), LINEAGE_PX)
            return job, [str(p) for p in inputs], tags, list(derived), images

        self._token = self.worker.submit(read, self._loaded)

    def _loaded(self, result: tuple[JobRecord | None, list[str], list[str], list[ImageRecord], dict[str, Any]]) -> None:
        self._token = None
        job, inputs, tags, derived, images = result
        if self.record is None:
            return
        self.job, self.inputs, self.derived = job, inputs, derived
        self._fill(metadata_rows(self.record, job, tags))
        self._fill_row(
            self.inputs_row,
            [(p, images.get(p), Path(p).name) for p in inputs],
            lambda key: self.referenceClicked.emit(key),
            self.tr("No reference images"),
        )
        self._fill_row(
            self.derived_row,
            [(f"id:{d.id}", images.get(f"id:{d.id}"), (d.prompt or "")[:60]) for d in derived[:12]],
            lambda key: self.derivedClicked.emit(int(key[3:])),
            self.tr("None yet"),
        )

    def _fill(self, rows: list[tuple[str, str, str]]) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        for key, label, value in rows:
            shown = value
            if len(value) > 34 and " " not in value:
                # A path or hash cannot word-wrap: elide the middle, keep the whole in the tooltip.
                shown = value[:14] + "…" + value[-18:]
            field = QLabel(shown)
            field.setToolTip(value if shown != value else "")
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            field.setWordWrap(True)
            field.setObjectName("metadata_" + key)
            self.form.addRow(label, field)

    def _fill_row(self, row: QHBoxLayout, items: list[tuple[str, Any, str]], on_click: Any, empty: str) -> None:
        while row.count():
            item = row.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if not items:
            label = QLabel(empty)
            label.setEnabled(False)
            row.addWidget(label)
            return
        for key, image, tip in items:
            button = QToolButton()
            button.setObjectName("lineageButton")
            button.setProperty("lineageKey", key)
            button.setToolTip(tip)
            button.setAccessibleName(tip or key)
            button.setIconSize(QSize(LINEAGE_PX, LINEAGE_PX))
            if image is not None and not image.isNull():
                button.setIcon(QIcon(QPixmap.fromImage(image)))  # UI thread: QPixmap is fine here
            else:
                button.setText("?")
            button.clicked.connect(lambda _c=False, k=key: on_click(k))
            row.addWidget(button)

    def lineage_buttons(self) -> list[QToolButton]:
        return self.findChildren(QToolButton, "lineageButton")

    def _copy_prompt(self) -> None:
        text = self.prompt.toPlainText()
        copy_text_to_clipboard(text)
        self.copyPromptRequested.emit(text)
