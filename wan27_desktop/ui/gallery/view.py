"""The grid: a QListView (icon-mode look) whose layout is arithmetic instead of per-item.

Why not QListView's own layout: with a Python model it calls `rowCount()` once per row on every
relayout (resize, insert, new query): ~100-250 ms at 100,000 rows, measured, which breaks the 50 ms
budgets. Uniform square tiles make every position a formula, so this view overrides the geometry
virtuals (visualRect, indexAt, setSelection, moveCursor, scrollTo, paintEvent, updateGeometries)
and never lays out rows that are not on screen. Selection, drag and the delegate stay Qt's own.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QPalette, QRegion
from PySide6.QtWidgets import QAbstractItemView, QListView, QWidget

from wan27_desktop.ui.gallery.empty import GalleryEmptyState
from wan27_desktop.ui.gallery.model import GalleryModel

if TYPE_CHECKING:
    from wan27_desktop.ui.gallery.delegate import ThumbnailDelegate

SPACING = 6

ModelIndex = QModelIndex | QPersistentModelIndex


class GridGeometry:
    """Square cells of `cell` px in as many columns as fit `width`, extra width shared as gaps.

    A plain class (not a dataclass, whose methods are compiled when the module loads, ~1.5 ms
    before the full window): made afresh for every layout question, compared with nothing."""

    __slots__ = ("count", "width", "cell", "spacing", "columns", "gap")

    def __init__(self, count: int, width: int, cell: int, spacing: int = SPACING) -> None:
        self.count = count
        self.width = width
        self.cell = cell
        self.spacing = spacing
        # Cached: rect() runs for every tile of every paint.
        self.columns = max(1, (width - spacing) // (cell + spacing))
        self.gap = max(float(spacing), (width - self.columns * cell) / (self.columns + 1))

    def __repr__(self) -> str:
        return f"GridGeometry(count={self.count}, width={self.width}, cell={self.cell}, spacing={self.spacing})"

    @property
    def row_height(self) -> int:
        return self.cell + self.spacing

    @property
    def grid_rows(self) -> int:
        return math.ceil(self.count / self.columns) if self.count else 0

    @property
    def content_height(self) -> int:
        return self.grid_rows * self.row_height + self.spacing

    def rect(self, row: int) -> QRect:
        """Content coordinates of a row's cell."""
        return QRect(*self.origin(row), self.cell, self.cell)

    def origin(self, row: int) -> tuple[int, int]:
        """Content coordinates of a row's cell's top left corner."""
        line, col = divmod(row, self.columns)
        return round(self.gap + col * (self.cell + self.gap)), self.spacing + line * self.row_height

    def row_at(self, x: int, y: int) -> int:
        """The row whose cell contains the content point, or -1 (gaps and past the end)."""
        if y < self.spacing or x < 0:
            return -1
        line, within_y = divmod(y - self.spacing, self.row_height)
        if within_y >= self.cell:
            return -1
        col = int((x - self.gap) // (self.cell + self.gap))
        if col < 0 or col >= self.columns or x - (self.gap + col * (self.cell + self.gap)) >= self.cell:
            return -1
        row = int(line) * self.columns + col
        return row if row < self.count else -1

    def rows_between(self, top: int, bottom: int) -> tuple[int, int]:
        """First and last row whose line intersects content y in [top, bottom] (last < first: none)."""
        if self.count == 0:
            return 0, -1
        first_line = max(0, (top - self.spacing) // self.row_height)
        last_line = max(0, (bottom - self.spacing) // self.row_height)
        first = first_line * self.columns
        last = min(self.count - 1, (last_line + 1) * self.columns - 1)
        return first, last


class GalleryView(QListView):
    """The grid of thumbnails. Keys: arrows, 1-5 rate, 0 clear, F favourite, Del trash, Ctrl+Z undo,
    Enter open, + expands the image set under the cursor and − collapses it (so does a click on the
    set badge). Emits requests; the panel acts on them."""

    rateRequested = Signal(int)
    favouriteRequested = Signal()
    trashRequested = Signal()
    undoRequested = Signal()
    openRequested = Signal(int)  # row
    visibleRangeChanged = Signal(int, int)
    setToggleRequested = Signal(int)  # row: expand or collapse its image set

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # A viewport made here, as Qt makes its own: asking Qt for the one it made would have PySide
        # look through every QWidget subclass for its type the first time (~40 types and their
        # enums, several ms at start).
        viewport = QWidget(self)
        viewport.setObjectName("qt_scrollarea_viewport")
        viewport.setBackgroundRole(QPalette.ColorRole.Base)
        viewport.setAutoFillBackground(True)
        self.setViewport(viewport)
        self._cell = 160
        self.empty_state = GalleryEmptyState(self.viewport())
        self._last_range = (0, -1)
        self._anchor: tuple[int, int] | None = None  # (row, y in viewport) kept across top inserts
        self.paint_count = 0
        self._range_timer = QTimer(self, singleShot=True, interval=0)
        self._range_timer.timeout.connect(self._emit_range)
        self.setObjectName("gallery")
        self.setAccessibleName(self.tr("Image gallery"))
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setMovement(QListView.Movement.Static)
        self.setUniformItemSizes(True)
        self.setResizeMode(QListView.ResizeMode.Fixed)  # relayout is ours, on resizeEvent
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setMouseTracking(False)

    # --- configuration -----------------------------------------------------------------------------
    def setModel(self, model: GalleryModel) -> None:  # type: ignore[override]
        old = self.model()
        if old is not None:
            old.rowsAboutToBeInserted.disconnect(self._remember_anchor)
            old.rowsInserted.disconnect(self._restore_anchor)
        super().setModel(model)
        model.rowsAboutToBeInserted.connect(self._remember_anchor)
        model.rowsInserted.connect(self._restore_anchor)
        model.modelReset.connect(self._after_reset)
        model.rowsRemoved.connect(self._schedule_range)
        model.rowsRemoved.connect(self._place_empty_state)
        model.rowsInserted.connect(self._place_empty_state)

    def gallery_model(self) -> GalleryModel:
        model = self.model()
        assert isinstance(model, GalleryModel)
        return model

    def cell_size(self) -> int:
        return self._cell

    def set_cell_size(self, px: int) -> None:
        """Change the tile size keeping the first visible item in view."""
        if px == self._cell:
            return
        first, _ = self.visible_rows()
        self._cell = px  # the panel tells its tile painter (the delegate) too
        self.updateGeometries()
        if first > 0:
            self.verticalScrollBar().setValue(self.geometry_now().rect(first).top() - SPACING)
        self.viewport().update()
        self._schedule_range()

    def set_empty_text(self, title: str, detail: str = "", action: str = "") -> None:
        """What the grid says while it has no rows ('' = nothing); `action` labels a button that
        emits `empty_state.actionClicked`."""
        self.empty_state.set_message(title, detail, action)
        self._place_empty_state()

    def empty_text(self) -> str:
        return self.empty_state.text() if self.empty_state.title.text() else ""

    def _place_empty_state(self, *_: object) -> None:
        model = self.model()
        show = bool(self.empty_state.title.text()) and (model is None or model.rowCount() == 0)
        if show:
            self.empty_state.place(self.viewport().rect())
        self.empty_state.setVisible(show)

    def geometry_now(self) -> GridGeometry:
        model = self.model()
        count = model.rowCount() if model is not None else 0
        return GridGeometry(count, self.viewport().width(), self._cell)

    def visible_rows(self) -> tuple[int, int]:
        top = self.verticalScrollBar().value()
        return self.geometry_now().rows_between(top, top + self.viewport().height())

    def selected_rows(self) -> list[int]:
        """Selected rows from the selection ranges (never materialises 100k indexes)."""
        model = self.selectionModel()
        if model is None:
            return []
        rows: set[int] = set()
        for selection_range in list(model.selection()):  # type: ignore[call-overload]
            rows.update(range(selection_range.top(), selection_range.bottom() + 1))
        return sorted(rows)

    # --- geometry virtuals ------------------------------------------------------------------------
    def doItemsLayout(self) -> None:
        QAbstractItemView.doItemsLayout(self)  # skips QListView's per-row layout on purpose

    def updateGeometries(self) -> None:
        geometry = self.geometry_now()
        bar = self.verticalScrollBar()
        bar.setRange(0, max(0, geometry.content_height - self.viewport().height()))
        bar.setPageStep(self.viewport().height())
        bar.setSingleStep(max(1, geometry.row_height // 3))
        QAbstractItemView.updateGeometries(self)
        self._schedule_range()

    def horizontalOffset(self) -> int:
        return 0

    def verticalOffset(self) -> int:
        return self.verticalScrollBar().value()

    def isIndexHidden(self, index: ModelIndex) -> bool:
        return False

    def visualRect(self, index: ModelIndex) -> QRect:
        if not index.isValid():
            return QRect()
        return self.geometry_now().rect(index.row()).translated(0, -self.verticalOffset())

    def indexAt(self, point: QPoint) -> QModelIndex:
        model = self.model()
        if model is None:
            return QModelIndex()
        row = self.geometry_now().row_at(point.x(), point.y() + self.verticalOffset())
        return model.index(row, 0) if row >= 0 else QModelIndex()

    def scrollTo(
        self, index: ModelIndex, hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible
    ) -> None:
        if not index.isValid():
            return
        rect = self.geometry_now().rect(index.row())
        bar = self.verticalScrollBar()
        top, height = bar.value(), self.viewport().height()
        if hint == QAbstractItemView.ScrollHint.PositionAtTop:
            bar.setValue(rect.top() - SPACING)
        elif hint == QAbstractItemView.ScrollHint.PositionAtCenter:
            bar.setValue(rect.center().y() - height // 2)
        elif rect.top() < top:
            bar.setValue(rect.top() - SPACING)
        elif rect.bottom() > top + height:
            bar.setValue(rect.bottom() - height + SPACING)

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        model = self.model()
        if model is None or model.rowCount() == 0:
            return QModelIndex()
        geometry = self.geometry_now()
        current = self.currentIndex().row() if self.currentIndex().isValid() else -1
        if current < 0:
            return model.index(0, 0)
        per_page = max(1, self.viewport().height() // geometry.row_height) * geometry.columns
        action_enum = QAbstractItemView.CursorAction
        step = {
            action_enum.MoveLeft: -1,
            action_enum.MovePrevious: -1,
            action_enum.MoveRight: 1,
            action_enum.MoveNext: 1,
            action_enum.MoveUp: -geometry.columns,
            action_enum.MoveDown: geometry.columns,
            action_enum.MovePageUp: -per_page,
            action_enum.MovePageDown: per_page,
        }.get(action)
        if action == action_enum.MoveHome:
            target = 0
        elif action == action_enum.MoveEnd:
            target = geometry.count - 1
        elif step is None:
            target = current
        else:
            target = max(0, min(geometry.count - 1, current + step))
        return model.index(target, 0)

    def setSelection(self, rect: QRect, command: QItemSelectionModel.SelectionFlag) -> None:
        model = self.model()
        selection_model = self.selectionModel()
        if model is None or selection_model is None:
            return
        geometry = self.geometry_now()
        content = rect.normalized().translated(0, self.verticalOffset())
        selection = QItemSelection()
        first, last = geometry.rows_between(content.top(), content.bottom())
        if last >= first:
            columns = geometry.columns
            for line in range(first // columns, last // columns + 1):
                hit = [
                    c
                    for c in range(columns)
                    if line * columns + c < geometry.count and geometry.rect(line * columns + c).intersects(content)
                ]
                if hit:
                    selection.select(model.index(line * columns + hit[0], 0), model.index(line * columns + hit[-1], 0))
        selection_model.select(selection, command)

    def visualRegionForSelection(self, selection: QItemSelection) -> QRegion:
        region = QRegion()
        first, last = self.visible_rows()
        for selection_range in list(selection):  # type: ignore[call-overload]
            for row in range(max(first, selection_range.top()), min(last, selection_range.bottom()) + 1):
                region += self.visualRect(self.model().index(row, 0))
        return region

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().scroll(0, dy)
        self._schedule_range()

    def resizeEvent(self, event: object) -> None:
        first, _ = self.visible_rows()
        QAbstractItemView.resizeEvent(self, event)  # type: ignore[arg-type]
        self.updateGeometries()
        self._place_empty_state()
        if first > 0:
            self.verticalScrollBar().setValue(self.geometry_now().rect(first).top() - SPACING)

    def dataChanged(self, top_left: ModelIndex, bottom_right: ModelIndex, roles: list[int] | None = None) -> None:  # type: ignore[override]
        """One repaint when a changed range touches the screen (a page of 200 rows lands at once);
        Qt's version asks visualRect of every changed row."""
        first, last = self.visible_rows()
        if top_left.row() <= last and bottom_right.row() >= first:
            self.viewport().update()

    def keyboardSearch(self, search: str) -> None:
        """Type-to-find would read every row's text; letters are culling keys here instead."""

    # --- painting ---------------------------------------------------------------------------------
    def paintEvent(self, event: object) -> None:
        """The visible tiles, straight from the model's records (no QModelIndex per row, no
        temporary Qt objects per tile: see delegate.TilePaint)."""
        self.paint_count += 1
        painter = QPainter(self.viewport())
        model = self.model()
        if model is None or model.rowCount() == 0:
            return  # the empty state widget says why
        assert isinstance(model, GalleryModel)
        geometry = self.geometry_now()
        offset = self.verticalOffset()
        clip = event.rect() if hasattr(event, "rect") else self.viewport().rect()
        first, last = geometry.rows_between(clip.top() + offset, clip.bottom() + offset)
        # Once there are rows: not for the empty first paint (see theme.STARTED_IN_STYLE).
        from PySide6.QtWidgets import QStyleOptionViewItem

        option = QStyleOptionViewItem()
        self.initViewItemOption(option)  # the palette in the window's colour group (active or not)
        # The panel's tile painter, made with the first rows (not imported here: see
        # tests/ui/test_startup_shell.py).
        delegate = cast("ThumbnailDelegate", self.itemDelegate())
        paints = delegate.paints(painter, option.palette)
        selected = self._selected_rows(first, last)
        current = self.currentIndex().row() if self.hasFocus() else -1
        dpr = self.devicePixelRatioF()
        cell = geometry.cell
        for row in range(first, last + 1):
            x, y = geometry.origin(row)
            record = model.record(row)
            delegate.paint_tile(
                painter,
                paints,
                (x, y - offset, cell, cell),
                record,
                model.set_badge(row) if record is not None else None,
                selected=row in selected,
                focused=row == current,
                dpr=dpr,
            )

    def _selected_rows(self, first: int, last: int) -> set[int]:
        """The selected rows from `first` to `last`, read from the selection's runs (a selection of
        every row is one run), not asked of the selection model row by row."""
        selection_model = self.selectionModel()
        if selection_model is None or not selection_model.hasSelection():
            return set()
        selection = selection_model.selection()
        rows: set[int] = set()
        for number in range(selection.count()):
            span = selection.at(number)
            rows.update(range(max(first, span.top()), min(last, span.bottom()) + 1))
        return rows

    # --- input --------------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        plain = mods == Qt.KeyboardModifier.NoModifier
        if plain and Qt.Key.Key_0 <= key <= Qt.Key.Key_5:
            self.rateRequested.emit(key - Qt.Key.Key_0)
        elif plain and key == Qt.Key.Key_F:
            self.favouriteRequested.emit()
        elif plain and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.trashRequested.emit()
        elif key == Qt.Key.Key_Z and mods == Qt.KeyboardModifier.ControlModifier:
            self.undoRequested.emit()
        elif plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.currentIndex().isValid():
                self.openRequested.emit(self.currentIndex().row())
        elif (
            key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus, Qt.Key.Key_Underscore)
            and (mods & ~Qt.KeyboardModifier.ShiftModifier) == Qt.KeyboardModifier.NoModifier
        ):
            self._toggle_set_by_key(expand=key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal))
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        if index.isValid() and event.button() == Qt.MouseButton.LeftButton:
            self.openRequested.emit(index.row())
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def _toggle_set_by_key(self, expand: bool) -> None:
        index = self.currentIndex()
        badge = self.gallery_model().set_badge(index.row()) if index.isValid() else None
        if badge is not None and badge.expanded != expand:
            self.setToggleRequested.emit(index.row())

    def set_badge_at(self, point: QPoint) -> int:
        """The row whose set badge is under `point` (viewport coordinates), or -1."""
        index = self.indexAt(point)
        badge = self.gallery_model().set_badge(index.row()) if index.isValid() else None
        rect_of = getattr(self.itemDelegate(), "set_badge_rect", None)
        if badge is None or rect_of is None:
            return -1
        return index.row() if rect_of(self.visualRect(index), self.font(), badge).contains(point.toPointF()) else -1

    def mousePressEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        if event.button() == Qt.MouseButton.LeftButton and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            row = self.set_badge_at(point)
            if row >= 0:
                self.setCurrentIndex(self.model().index(row, 0))
                self.setToggleRequested.emit(row)
                event.accept()
                return
        super().mousePressEvent(event)

    # --- visible range + scroll anchoring ---------------------------------------------------------------
    def _schedule_range(self, *args: object) -> None:
        if not self._range_timer.isActive():
            self._range_timer.start()

    def _emit_range(self) -> None:
        first, last = self.visible_rows()
        if (first, last) != self._last_range:
            self._last_range = (first, last)
            self.visibleRangeChanged.emit(first, last)

    def _after_reset(self) -> None:
        self.verticalScrollBar().setValue(0)
        self.updateGeometries()
        self._place_empty_state()
        self.viewport().update()

    def _remember_anchor(self, parent: QModelIndex, first: int, last: int) -> None:
        top = self.verticalScrollBar().value()
        if top <= 0:
            self._anchor = None  # at the top new images simply appear
            return
        row, _ = self.visible_rows()
        geometry = self.geometry_now()
        # The first fully visible item is the one the user is looking at.
        while geometry.rect(row).top() < top and row + geometry.columns < geometry.count:
            row += geometry.columns
        self._anchor = (row, geometry.rect(row).top() - top) if row >= first else None

    def _restore_anchor(self, parent: QModelIndex, first: int, last: int) -> None:
        self.updateGeometries()
        if self._anchor is None:
            self.viewport().update()
            return
        row, y = self._anchor
        row += last - first + 1
        self._anchor = (row, y)
        self.verticalScrollBar().setValue(self.geometry_now().rect(row).top() - y)
        self.viewport().update()
