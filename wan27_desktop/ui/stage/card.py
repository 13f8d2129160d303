"""One job on the generation stage: where it is, how long it has taken, how to stop it, and a tile for
each image it is expected to make. A tile is a placeholder that says what its image waits for, until
the image lands and the tile shows it.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import (
    QFocusEvent,
    QFont,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop import i18n
from wan27_desktop.ui.common.style import Tone, status_icon, tone_color
from wan27_desktop.ui.common.widgets import named, set_text_role, small_font
from wan27_desktop.ui.stage import texts
from wan27_desktop.workspace.jobs import JobRow

TILE = 88  # logical pixels; a placeholder and the image that replaces it are the same size


def _show(widget: QWidget, visible: bool) -> None:
    # Only a real change: showing or hiding lays the card out again, which is not free on a busy UI.
    if widget.isHidden() == visible:
        widget.setVisible(visible)


class _TileGeometry:
    """A tile's frame, its text box and its rounded outline: every tile has the same fixed size."""

    def __init__(self) -> None:
        self.frame = QRectF(1.5, 1.5, TILE - 3, TILE - 3)
        self.text = QRectF(7.5, 7.5, TILE - 15, TILE - 15)
        self.path = QPainterPath()
        self.path.addRoundedRect(self.frame, 6, 6)


@functools.cache
def _tile_geometry() -> _TileGeometry:
    return _TileGeometry()


class _TilePaint:
    """The colours, pens and font of tiles in one palette and font, made once (`get`) instead of at
    every paint of every tile."""

    _cached: _TilePaint | None = None

    def __init__(self, key: tuple[int, str], palette: QPalette, font: QFont) -> None:
        self.key = key
        self._palette = QPalette(palette)
        self.background = palette.color(QPalette.ColorRole.AlternateBase)
        self.text = palette.color(QPalette.ColorRole.Text)
        ring = palette.color(QPalette.ColorRole.Highlight)
        self.focus_ring = QPen(ring, 2.5)
        self.current_ring = QPen(ring, 2)
        self.font = font
        self._dashed: dict[Tone, QPen] = {}

    @classmethod
    def get(cls, palette: QPalette, widget: QWidget) -> _TilePaint:
        font = widget.font()
        key = (palette.cacheKey(), font.key())
        cached = cls._cached
        if cached is None or cached.key != key:
            cached = cls._cached = _TilePaint(key, palette, small_font(widget))
        return cached

    def dashed(self, tone: Tone) -> QPen:
        """The dashed outline of a placeholder in `tone`."""
        pen = self._dashed.get(tone)
        if pen is None:
            pen = self._dashed[tone] = QPen(tone_color(tone, self._palette), 1.2, Qt.PenStyle.DashLine)
        return pen


class ResultTile(QAbstractButton):
    """A square that is a placeholder (a short state, in the job's tone) or a landed image.
    Click or Space shows it on the stage's large preview; double-click or Enter opens the viewer."""

    opened = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stageTile")
        self.setFixedSize(TILE, TILE)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.image: QImage | None = None
        self.image_id: int | None = None
        self.label = ""
        self.tone = Tone.ACTIVE
        self.current = False  # the one on the large preview
        self._target: QRectF | None = None  # where the image is drawn (it fills the frame, cropped)

    def show_placeholder(self, label: str, tone: Tone, accessible: str) -> None:
        if (self.image_id, self.label, self.tone) == (None, label, tone) and self.accessibleName() == accessible:
            return  # every event of its job shows its card again: repaint only what changed
        self.image, self.image_id, self.label, self.tone = None, None, label, tone
        self._target = None
        self.setAccessibleName(accessible)
        self.setToolTip(accessible)
        self.update()

    def show_image(self, image_id: int, image: QImage | None, accessible: str) -> None:
        if self.image_id == image_id and self.image is image and self.accessibleName() == accessible:
            return
        self.image_id, self.image, self.label = image_id, image, ""
        self._target = None
        if image is not None and not image.isNull():
            # The image fills the frame, cropped to it (worked out here, not at every paint).
            frame = _tile_geometry().frame
            size = image.size().scaled(frame.size().toSize(), Qt.AspectRatioMode.KeepAspectRatioByExpanding)
            self._target = QRectF(0, 0, size.width(), size.height())
            self._target.moveCenter(frame.center())
        self.setAccessibleName(accessible)
        self.setToolTip(accessible)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        # With the shapes and colours made once (_tile_geometry, _TilePaint), a paint makes no
        # temporary Qt object but its painter, palette and font: see gallery.delegate.TilePaint for why.
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        shapes = _tile_geometry()
        paints = _TilePaint.get(self.palette(), self)
        painter.fillPath(shapes.path, paints.background)
        if self.image is not None and self._target is not None:
            painter.save()
            painter.setClipPath(shapes.path)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(self._target, self.image)
            painter.restore()
        elif self.label:
            painter.setPen(paints.dashed(self.tone))
            painter.drawPath(shapes.path)
            painter.setPen(paints.text)
            painter.setFont(paints.font)
            painter.drawText(shapes.text, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap), self.label)
        if self.current or self.hasFocus():
            painter.setPen(paints.focus_ring if self.hasFocus() else paints.current_ring)
            painter.drawRoundedRect(shapes.frame, 6, 6)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API)
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API)
        super().focusOutEvent(event)
        self.update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if self.image_id is not None:
            self.opened.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.image_id is not None:
            self.opened.emit()
            return
        super().keyPressEvent(event)


class WrapWhenNeeded(QLabel):
    """A label that word-wraps only when its text is wider than the room its row leaves it.

    A wrapping label is laid out height-for-width, and one whose text can be selected is laid out
    as a document: with one on every card, any change of any card laid the whole stage out again,
    ~15 ms for a stage of 12 cards, several times a second while a batch runs. A line that fits
    looks the same either way, so only a text that needs a second line pays for it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Its width is what the row leaves it, never its text's (that would widen the card).
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._advance: int | None = None  # the text's width in the label's font, once measured
        self._fitted_width = -1  # the width `_fit` last decided for

    def show_text(self, text: str) -> None:
        if self.text() != text:
            self.setText(text)
            self._advance = None
        elif self.width() == self._fitted_width:
            return  # every event of its job shows it again: nothing to decide
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        if self.width() != self._fitted_width:
            self._fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._advance = None
            self._fit()

    def _fit(self) -> None:
        self._fitted_width = self.width()
        room = self.contentsRect().width()
        if self._advance is None:
            self._advance = self.fontMetrics().horizontalAdvance(self.text())
        wrap = room > 0 and self._advance > room
        if self.wordWrap() != wrap:
            self.setWordWrap(wrap)


class JobCard(QFrame):
    """A job of this session. `stopRequested(job_id)`, `imageChosen(image_id)` (show it large),
    `imageOpened(image_id)` (open the viewer).

    No layout method is overridden in Python (sizeHint, heightForWidth): the layout calls them often,
    and each call from Qt into Python waits for the GIL, which download threads hold much of the time.
    The tiles are placed again only when the width changes."""

    stopRequested = Signal(int)
    retryRequested = Signal(int)
    imageChosen = Signal(int)
    imageOpened = Signal(int)

    def __init__(self, key: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stageJobCard")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.key = key
        self.row: JobRow | None = None
        self.tiles: list[ResultTile] = []
        self._columns = 0
        self._icon: tuple[str, Tone] | None = None  # the status icon shown (kind, tone)
        self._prompt_shown: tuple[str, int] | None = None  # (prompt, room) the prompt label was elided for

        self.icon = QLabel(self)
        self.icon.setObjectName("stageJobIcon")
        self.phase = named(WrapWhenNeeded(self), "stageJobPhase", self.tr("Job state"))
        self.phase.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.elapsed = named(QLabel(self), "stageJobElapsed", self.tr("Elapsed time"))
        set_text_role(self.elapsed, "muted")
        self.stop_button = named(QPushButton(self), "stageStopButton", self.tr("Stop job"))
        self.stop_button.hide()
        self.stop_button.clicked.connect(self._stop)
        self.retry_button = named(
            QPushButton(self.tr("Retry"), self),
            "stageRetryButton",
            self.tr("Retry job"),
            self.tr("Send the same request again, as a new job"),
        )
        self.retry_button.hide()
        self.retry_button.clicked.connect(self._retry)
        self.hint = named(QLabel(self), "stageJobHint", self.tr("What to do"))
        self.hint.setWordWrap(True)
        self.hint.setFont(small_font(self))
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hint.hide()
        self.prompt = named(QLabel(self), "stageJobPrompt", self.tr("Prompt"))
        self.prompt.setFont(small_font(self))
        set_text_role(self.prompt, "muted")
        self.prompt.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(6)
        top.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.phase, 1)
        top.addWidget(self.elapsed, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.stop_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignTop)
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 2, 0, 0)
        self.grid.setSpacing(6)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        # The tiles wrap to the width the stage gives (see _reflow): the card never asks for more.
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.prompt)
        layout.addWidget(self.hint)
        layout.addLayout(self.grid)

    # -- showing --------------------------------------------------------------------------------------
    def show_row(self, row: JobRow, images: dict[int, QImage | None]) -> None:
        """Show `row`; `images` has the tile pictures known so far (None: not decoded yet)."""
        self.row = row
        tone = texts.tone(row)
        self._show_icon(("active" if row.active else "done", tone))
        self.phase.show_text(texts.phase(row))
        self.elapsed.setText(texts.elapsed(row))
        self._show_prompt()
        stop = texts.stop_button(row)
        _show(self.stop_button, stop is not None)
        if stop is not None and self.stop_button.text() != stop[0]:
            self.stop_button.setText(stop[0])
            self.stop_button.setToolTip(stop[1])
            self.stop_button.setAccessibleDescription(stop[1])
        _show(self.retry_button, row.can_retry and not row.active)
        hint = i18n.hint_text(row.error_hint) if row.error_hint and not row.active else ""
        text = self.tr("What to do: {hint}").format(hint=hint) if hint else ""
        if self.hint.text() != text:
            self.hint.setText(text)
        _show(self.hint, bool(hint))
        count = max(row.expected, len(row.image_ids))
        if not row.active and row.state.is_terminal:
            # Ended: the images it made, or (none made) the places that were waiting, now saying why.
            count = len(row.image_ids) or max(row.n, 1)
        self._ensure_tiles(count)
        total = len(self.tiles)
        for index, tile in enumerate(self.tiles):
            if index < len(row.image_ids):
                image_id = row.image_ids[index]
                tile.show_image(
                    image_id,
                    images.get(image_id),
                    self.tr("Image {number} of {count}: ready").format(number=index + 1, count=total),
                )
            else:
                label = texts.tile_label(row, index)
                tile.show_placeholder(
                    label,
                    tone,
                    self.tr("Image {number} of {count}: {state}").format(number=index + 1, count=total, state=label),
                )

    def tick(self) -> None:
        if self.row is not None:
            self.elapsed.setText(texts.elapsed(self.row))
            if self.row.rate_limited:
                self.phase.show_text(texts.phase(self.row))

    def set_current(self, image_id: int | None) -> None:
        for tile in self.tiles:
            current = image_id is not None and tile.image_id == image_id
            if tile.current != current:
                tile.current = current
                tile.update()

    def _ensure_tiles(self, count: int) -> None:
        while len(self.tiles) > count:
            tile = self.tiles.pop()
            self.grid.removeWidget(tile)
            tile.deleteLater()
        while len(self.tiles) < count:
            tile = ResultTile(self)
            tile.clicked.connect(lambda _checked=False, t=tile: self._chosen(t))
            tile.opened.connect(lambda t=tile: self._opened(t))
            self.tiles.append(tile)
            self._columns = 0  # lay out again
        self._reflow()

    def _reflow(self) -> None:
        columns = max(1, (self.width() - 16 + 6) // (TILE + 6)) if self.width() > TILE else 6
        if columns == self._columns:
            return
        self._columns = columns
        for tile in self.tiles:
            self.grid.removeWidget(tile)
        for index, tile in enumerate(self.tiles):
            self.grid.addWidget(tile, index // columns, index % columns)
        self.updateGeometry()  # the height follows the rows (the grid's own size hint says how many)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        # Both do nothing when the width leaves the columns and the prompt's room as they were.
        self._reflow()
        self._show_prompt()

    def _show_icon(self, icon: tuple[str, Tone]) -> None:
        if icon != self._icon:
            self._icon = icon
            self.icon.setPixmap(status_icon(*icon).pixmap(14, 14))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._prompt_shown = None
            self._show_prompt()
        if event.type() == QEvent.Type.PaletteChange and self._icon is not None:
            icon, self._icon = self._icon, None
            self._show_icon(icon)  # the icon's colour comes from the palette (a theme change)

    def _show_prompt(self) -> None:
        if self.row is None:
            return
        prompt = self.row.one_line_prompt()
        room = max(80, self.width() - 20)
        if self._prompt_shown == (prompt, room):
            return  # every event of its job shows it again; eliding asks Qt for font metrics
        self._prompt_shown = (prompt, room)
        shown = self.fontMetrics().elidedText(prompt, Qt.TextElideMode.ElideRight, room)
        if self.prompt.text() != shown:
            self.prompt.setText(shown)
            self.prompt.setToolTip(prompt)

    # -- acting ---------------------------------------------------------------------------------------
    def _stop(self) -> None:
        if self.row is not None and not self.row.placeholder:
            self.stopRequested.emit(self.row.job_id)

    def _retry(self) -> None:
        if self.row is not None and self.row.can_retry:
            self.retryRequested.emit(self.row.job_id)

    def _chosen(self, tile: ResultTile) -> None:
        if tile.image_id is not None:
            self.imageChosen.emit(tile.image_id)

    def _opened(self, tile: ResultTile) -> None:
        if tile.image_id is not None:
            self.imageOpened.emit(tile.image_id)
