"""The generation stage: what this session's jobs are doing, above the gallery where their images land.

On the right, a card per job (newest first) with a tile for each image it is expected to make; a
tile is a placeholder saying what its image waits for (queued, sending, pending or running at the
service, rate-limited until a time, downloading) until the image lands and takes its place. On the
left, the newest result large (or the one whose tile was chosen), without opening another window.

It follows the workspace's `JobBoard` and reads images through its own library connections (a
`LibraryAccess` per library folder), so it never waits on the gallery. It is built the first time a
job runs in a session (the main window does that), so a window with nothing running pays nothing
for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop.ui.common.thumbnails import ThumbnailLoader, decode_size
from wan27_desktop.ui.common.widgets import named, set_text_role, small_font
from wan27_desktop.ui.gallery.worker import DbWorker, LibraryAccess
from wan27_desktop.ui.stage import texts
from wan27_desktop.ui.stage.card import TILE, JobCard
from wan27_desktop.ui.viewer.canvas import AsyncImageLoader, ImageCanvas
from wan27_desktop.workspace.jobs import JobBoard

if TYPE_CHECKING:
    from wan27_desktop.library import ImageRecord

PREVIEW_MIN_PX = 512  # the large preview is decoded at least this big (logical px), more when the pane is
MAX_CARDS = 12  # this session's jobs kept on the stage; older finished ones leave it


class PreviewPane(QWidget):
    """The newest result (or the chosen one) at the size the stage allows, with what it is."""

    openRequested = Signal(int)
    resized = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stagePreview")
        self.image_id: int | None = None
        self.canvas = ImageCanvas(self)
        self.canvas.setObjectName("stagePreviewImage")
        self.canvas.setAccessibleName(self.tr("Newest result, large"))
        self.canvas.placeholder_text = self.tr("The newest result appears here, large.")
        self.caption = named(QLabel(self), "stagePreviewCaption", self.tr("About the image shown"))
        self.caption.setFont(small_font(self))
        self.caption.setWordWrap(True)
        set_text_role(self.caption, "muted")
        self.open_button = named(
            QPushButton(self.tr("Open"), self),
            "stagePreviewOpen",
            self.tr("Open in the viewer"),
            self.tr("Open this image in the viewer: zoom, details, compare (Enter)"),
        )
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.caption, 1)
        row.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(row)

    def show_image(self, image_id: int, image: QImage, caption: str, size: tuple[int, int] | None = None) -> None:
        self.image_id = image_id
        self.canvas.set_image(image, preview=size is not None, logical_size=size)
        self.caption.setText(caption)
        self.open_button.setEnabled(True)

    def _open(self) -> None:
        if self.image_id is not None:
            self.openRequested.emit(self.image_id)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()


class StagePanel(QFrame):
    """`stopRequested(job_id)`, `openImageRequested(image_id)`; `hideRequested()` (its Hide button)."""

    stopRequested = Signal(int)
    retryRequested = Signal(int)
    openImageRequested = Signal(int)
    hideRequested = Signal()
    largeToggled = Signal(bool)

    def __init__(self, board: JobBoard, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("generationStage")
        self.setAccessibleName(self.tr("Generation stage"))
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.board = board
        self.cards: dict[int, JobCard] = {}
        self._order: list[int] = []  # card keys, newest first
        self._records: dict[int, ImageRecord] = {}
        self._asked: set[int] = set()
        self._waits: dict[int, int] = {}  # job id -> times its card waited for its submission
        self._waiting: set[int] = set()
        self._latest: int | None = None  # the newest landed image
        self._chosen: int | None = None  # a tile the user chose; None follows the newest
        self._access: LibraryAccess | None = None
        self._worker: DbWorker | None = None
        self._thumbs: ThumbnailLoader | None = None
        self._full_for: tuple[int, int] | None = None  # the image (and decode px) asked for last
        self._full = AsyncImageLoader(self, background=True)
        self._full.loaded.connect(self._full_loaded)

        self.title = QLabel(self.tr("Generating"), self)
        self.title.setObjectName("stageTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.summary = named(QLabel(self), "stageSummary", self.tr("Jobs on the stage"))
        set_text_role(self.summary, "muted")
        self.large_button = named(
            QToolButton(self),
            "stageLargeButton",
            self.tr("Larger stage"),
            self.tr("Give the stage most of the height, to see the newest result large"),
        )
        self.large_button.setText(self.tr("Larger"))
        self.large_button.setCheckable(True)
        self.large_button.setAutoRaise(True)
        self.large_button.toggled.connect(self._large_toggled)
        self.hide_button = named(
            QToolButton(self),
            "stageHideButton",
            self.tr("Hide the stage"),
            self.tr("Hide the stage until the next job (jobs go on running)"),
        )
        self.hide_button.setText(self.tr("Hide"))
        self.hide_button.setAutoRaise(True)
        self.hide_button.clicked.connect(self.hideRequested)
        header = QHBoxLayout()
        header.setContentsMargins(10, 4, 6, 2)
        header.addWidget(self.title)
        header.addSpacing(8)
        header.addWidget(self.summary, 1)
        header.addWidget(self.large_button)
        header.addWidget(self.hide_button)

        self.preview = PreviewPane(self)
        self.preview.openRequested.connect(self.openImageRequested)
        self.preview.resized.connect(self._preview_resized)
        self.cards_box = QWidget(self)
        self.cards_box.setObjectName("stageCards")
        self.cards_layout = QVBoxLayout(self.cards_box)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        self.cards_layout.setSpacing(2)
        self.cards_layout.addStretch(1)
        self.jobs_scroll = named(QScrollArea(self), "stageScroll", self.tr("Jobs of this session"))
        self.jobs_scroll.setWidget(self.cards_box)
        self.jobs_scroll.setWidgetResizable(True)
        self.jobs_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.jobs_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("stageSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.preview)
        self.splitter.addWidget(self.jobs_scroll)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.preview.setMinimumWidth(TILE * 2)
        self.jobs_scroll.setMinimumWidth(TILE + 40)
        self.preview.hide()  # until the first result lands: the cards have the width meanwhile
        body = QHBoxLayout()
        body.setContentsMargins(8, 0, 8, 8)
        body.addWidget(self.splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addLayout(body, 1)

        self.ticker = QTimer(self)
        self.ticker.setObjectName("stageTicker")
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._tick)
        self.set_library(data_dir)
        board.added.connect(self._row_changed)
        board.changed.connect(self._row_changed)
        board.removed.connect(self._row_removed)
        for row in board.rows():
            if row.active:
                self._row_changed(row.job_id)
        self._update_summary()

    # -- the library ----------------------------------------------------------------------------------
    def set_library(self, data_dir: Path) -> None:
        """Read images from the library in `data_dir` (again after the library moved)."""
        self.shutdown()
        self._access = LibraryAccess(data_dir)
        self._worker = DbWorker(self._access, max_threads=1, parent=self)
        self._thumbs = ThumbnailLoader(self._access, max_threads=2, parent=self)
        self._thumbs.ready.connect(self._thumbnail_ready)
        self._records.clear()
        self._asked.clear()
        for key in self._order:
            self._refresh(key)

    def shutdown(self) -> None:
        if self._thumbs is not None:
            self._thumbs.shutdown()
            self._thumbs.deleteLater()
            self._thumbs = None
        if self._worker is not None:
            self._worker.shutdown()  # closes the access's connections too
            self._worker.deleteLater()
            self._worker = None
        self._full.discard_queued()
        self._full.wait(10_000)

    # -- following the board --------------------------------------------------------------------------
    def has_jobs(self) -> bool:
        return bool(self._order)

    def active_count(self) -> int:
        return sum(1 for key in self._order if (row := self.board.row(key)) is not None and row.active)

    def _row_changed(self, key: int) -> None:
        row = self.board.row(key)
        if row is None:
            return
        if key not in self.cards:
            placeholder_of = -row.token if row.token and not row.placeholder else None
            if placeholder_of is not None and placeholder_of in self.cards:
                self._rekey(placeholder_of, key)  # the job takes its placeholder's card
            elif (
                not row.placeholder
                and not row.token
                and row.batch_id is None  # a batch's row never was a submission of this window
                and any(k < 0 for k in self.cards)
                and self._wait(key)
            ):
                # A job's first event comes just before the news of which submission it is: wait a
                # moment for that, so the job takes its placeholder's card instead of a second one.
                return
            elif row.active or row.token:
                self._add_card(key)
            else:
                return  # a job from before this session: the job queue shows it
        self._refresh(key)
        self._update_summary()

    def _wait(self, key: int) -> bool:
        """Look at `key` again in a moment; False once it has waited long enough (a resumed job)."""
        tries = self._waits.get(key, 0)
        if tries >= 10:
            return False
        if tries == 0 or key not in self._waiting:
            self._waiting.add(key)
            QTimer.singleShot(30, self, lambda: self._waited(key))  # dropped with the stage
        self._waits[key] = tries + 1
        return True

    def _waited(self, key: int) -> None:
        self._waiting.discard(key)
        self._row_changed(key)

    def _row_removed(self, key: int, _position: int) -> None:
        if key in self.cards and key < 0:
            # A placeholder leaves the board when its job is journaled (its card moves to the job)
            # or when the request was refused: wait for the first, then drop the card.
            QTimer.singleShot(0, self, lambda: self._drop_if_orphan(key))

    def _drop_if_orphan(self, key: int) -> None:
        if key in self.cards and self.board.row(key) is None:
            card = self.cards.pop(key)
            self._order.remove(key)
            card.deleteLater()
            self._update_summary()

    def _add_card(self, key: int) -> None:
        card = self._reuse_oldest() if len(self._order) >= MAX_CARDS else None
        if card is None:
            card = JobCard(key, self.cards_box)
            card.stopRequested.connect(self.stopRequested)
            card.retryRequested.connect(self.retryRequested)
            card.imageChosen.connect(self.choose)
            card.imageOpened.connect(self.openImageRequested)
        else:
            card.key = key
            self.cards_layout.removeWidget(card)
        self.cards[key] = card
        self._order.insert(0, key)
        self.cards_layout.insertWidget(0, card)
        card.show()
        while len(self._order) > MAX_CARDS:
            oldest = next((k for k in reversed(self._order) if not self._is_active(k)), None)
            if oldest is None:
                break
            self._order.remove(oldest)
            self.cards.pop(oldest).deleteLater()
        self.jobs_scroll.verticalScrollBar().setValue(0)

    def _reuse_oldest(self) -> JobCard | None:
        """The oldest finished card, taken off the stage to show a new job: in a batch a job starts
        about as often as one ends, and making and destroying a card's dozen widgets each time cost
        the UI thread more than the card's new text does. None when every card is running."""
        oldest = next((k for k in reversed(self._order) if not self._is_active(k)), None)
        focus = QApplication.focusWidget()
        if oldest is None or (focus is not None and self.cards[oldest].isAncestorOf(focus)):
            return None  # keyboard focus stays with the job it was on (that card just leaves)
        self._order.remove(oldest)
        return self.cards.pop(oldest)

    def _is_active(self, key: int) -> bool:
        row = self.board.row(key)
        return row is not None and row.active

    def _rekey(self, old: int, new: int) -> None:
        card = self.cards.pop(old)
        card.key = new
        self.cards[new] = card
        self._order[self._order.index(old)] = new

    def _refresh(self, key: int) -> None:
        card, row = self.cards.get(key), self.board.row(key)
        if card is None or row is None:
            return
        images: dict[int, QImage | None] = {}
        for image_id in row.image_ids:
            images[image_id] = self._thumbnail(image_id)
            if self._latest is None or image_id > self._latest:
                self._latest = image_id
                if self._chosen is None:
                    self._show_large(image_id)
        card.show_row(row, images)
        card.set_current(self.preview.image_id)
        if row.active and not self.ticker.isActive():
            self.ticker.start()

    def _thumbnail(self, image_id: int) -> QImage | None:
        record = self._records.get(image_id)
        if record is None:
            self._ask_record(image_id)
            return None
        if self._thumbs is None:
            return None
        return self._thumbs.image(record, decode_size(TILE, self.devicePixelRatioF()))

    def _ask_record(self, image_id: int) -> None:
        if image_id in self._asked or self._worker is None:
            return
        self._asked.add(image_id)
        self._worker.submit(lambda lib: lib.images.get(image_id), self._record_read, lambda _err: None)

    def _record_read(self, record: ImageRecord) -> None:
        self._records[record.id] = record
        self._refresh_image(record.id)
        if self.preview.image_id == record.id or (self._chosen is None and self._latest == record.id):
            self._show_large(record.id)

    def _thumbnail_ready(self, image_id: int) -> None:
        self._refresh_image(image_id)

    def _refresh_image(self, image_id: int) -> None:
        for key in self._order:
            row = self.board.row(key)
            if row is not None and image_id in row.image_ids:
                self._refresh(key)

    # -- the large preview ----------------------------------------------------------------------------
    def choose(self, image_id: int) -> None:
        """Show `image_id` large (a tile was chosen); the newest result no longer replaces it."""
        self._chosen = image_id
        self._show_large(image_id)

    def follow_newest(self) -> None:
        self._chosen = None
        if self._latest is not None:
            self._show_large(self._latest)

    def _show_large(self, image_id: int) -> None:
        record = self._records.get(image_id)
        if record is None:
            self._ask_record(image_id)
            return
        if self.preview.isHidden():
            self.preview.show()
            width = max(self.splitter.width(), TILE * 6)
            self.splitter.setSizes([width * 9 // 20, width - width * 9 // 20])
        thumb = self._thumbnail(image_id)
        caption = self._caption(record)
        if thumb is not None:
            self.preview.show_image(image_id, thumb, caption, (record.width, record.height))
        else:
            self.preview.image_id = image_id
            self.preview.caption.setText(caption)
            self.preview.open_button.setEnabled(True)
        self._decode_large(record)
        for card in self.cards.values():
            card.set_current(image_id)

    def _preview_px(self) -> int:
        """The decode size for the large preview: the pane's longer side in physical pixels, rounded
        up (the viewer, one click away, shows every pixel)."""
        canvas = self.preview.canvas
        return decode_size(max(canvas.width(), canvas.height(), PREVIEW_MIN_PX), self.devicePixelRatioF())

    def _decode_large(self, record: ImageRecord) -> None:
        """Ask for `record` at the pane's size, unless it was asked for already at that size or more."""
        fit_px = self._preview_px()
        asked = self._full_for
        if asked is None or asked[0] != record.id or asked[1] < fit_px:
            self._full_for = (record.id, fit_px)
            self._full.load(str(record.path), f"stage-{record.id}", fit_px)

    def _preview_resized(self) -> None:
        """A pane grown past the size its image was decoded for gets a sharper decode (what it shows
        stays until that one lands)."""
        record = self._records.get(self.preview.image_id) if self.preview.image_id is not None else None
        if record is not None:
            self._decode_large(record)

    def _full_loaded(self, slot: str, image: QImage) -> None:
        image_id = int(slot.removeprefix("stage-"))
        record = self._records.get(image_id)
        if record is None or self.preview.image_id != image_id or image.isNull():
            return
        # Drawn at the image's own size in pixels, like the thumbnail before it: the view keeps its place.
        self.preview.show_image(image_id, image, self._caption(record), (record.width, record.height))

    def _caption(self, record: ImageRecord) -> str:
        row = next((r for k in self._order if (r := self.board.row(k)) is not None and record.id in r.image_ids), None)
        prompt = " ".join((record.prompt or "").split())
        if row is not None:
            where = self.tr("Job {job}, image {number} of {count}").format(
                job=row.job_id, number=row.image_ids.index(record.id) + 1, count=max(row.expected, len(row.image_ids))
            )
        else:
            where = self.tr("Image {id}").format(id=record.id)
        size = f"{record.width} × {record.height}"
        return f"{where} · {size}\n{prompt}" if prompt else f"{where} · {size}"

    # -- the rest -------------------------------------------------------------------------------------
    def _tick(self) -> None:
        active = False
        for key in self._order:
            row = self.board.row(key)
            if row is not None and row.active:
                active = True
                self.cards[key].tick()
        if not active:
            self.ticker.stop()
        self._update_summary()

    def _update_summary(self) -> None:
        active = self.active_count()
        done = len(self._order) - active
        parts = []
        if active:
            parts.append(texts.running_summary(active))
        if done:
            parts.append(self.tr("%n finished", "", done))
        self.summary.setText(" · ".join(parts))
        self.title.setText(self.tr("Generating") if active else self.tr("Latest results"))

    def _large_toggled(self, large: bool) -> None:
        self.large_button.setText(self.tr("Smaller") if large else self.tr("Larger"))
        self.largeToggled.emit(large)
