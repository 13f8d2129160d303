"""The gallery's list model: library rows fetched in pages on a worker, never all rows in memory.

`rowCount` comes from the query's `StackLayout` (run on the worker with the first page); rows whose
page has not arrived are placeholders (`RecordRole` is None) and ask for their page. At most
`max_pages` pages are kept (LRU), never evicting the pages on screen. Structural changes the gallery
knows about (trash, restore, a new image at the top) are applied as row removals/insertions so the
selection and the user's place survive; the affected pages are then re-read.

Image sets (`ImageQuery.collapse_sets`): a set is one row with a `SetBadge` (`Role.SET_BADGE`);
`toggle_set(row)` expands it in place (its images are inserted right after it) or collapses it. The
grouping itself is SQL in `library.query`; the model keeps the query's small `StackLayout`.

Images landed by another window or the `wan27` command are shown too (`watch_library`): a cheap look
for new image ids every few seconds, applied like our own landings.
"""

from __future__ import annotations

import bisect
import enum
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from wan27_desktop.library import ImageQuery
from wan27_desktop.library.records import StackLayout
from wan27_desktop.ui.gallery.worker import DbWorker

if TYPE_CHECKING:
    from wan27_desktop.library import Library

    # With the first rows (what a read answers), not with the window.
    from wan27_desktop.library.image_records import ImageRecord, SetBadge, SetExpansion, StackedPage

log = logging.getLogger(__name__)

PAGE_SIZE = 200
MAX_PAGES = 12
WATCH_INTERVAL_MS = 2000  # how soon an image landed by another process appears
HEARD_WINDOW_S = 10.0  # a second report of a landing within this is ignored (see _heard)
IMAGE_IDS_MIME = "application/x-wan27-image-ids"

ModelIndex = QModelIndex | QPersistentModelIndex


class Role(enum.IntEnum):
    RECORD = Qt.ItemDataRole.UserRole + 1
    IMAGE_ID = Qt.ItemDataRole.UserRole + 2
    SET_BADGE = Qt.ItemDataRole.UserRole + 3  # SetBadge of a row in a set of 2+, else None


def rows_to_ranges(rows: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted rows -> inclusive (first, last) runs: [1, 2, 3, 7] -> [(1, 3), (7, 7)]."""
    ranges: list[tuple[int, int]] = []
    for row in sorted(set(rows)):
        if ranges and row == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], row)
        else:
            ranges.append((row, row))
    return ranges


def shift_after_removal(row: int, removed: Sequence[int]) -> int | None:
    """Where `row` lands after `removed` (sorted) rows go; None if it was removed itself."""
    i = bisect.bisect_left(removed, row)
    if i < len(removed) and removed[i] == row:
        return None
    return row - i


def shift_after_insertion(row: int, positions: Sequence[int]) -> int:
    """Where an old `row` lands when new rows take the (new-numbering) `positions`."""
    new_row = row
    for position in sorted(positions):
        if position <= new_row:
            new_row += 1
    return new_row


def image_ids_mime(records: Sequence[ImageRecord]) -> QMimeData:
    """Drag payload: real file URLs (file managers, other apps) plus our ids (the workspace)."""
    from PySide6.QtCore import QUrl  # with the first drag, not with the window

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(r.path)) for r in records])
    mime.setData(IMAGE_IDS_MIME, QByteArray(",".join(str(r.id) for r in records).encode()))
    if records:
        mime.setText("\n".join(str(r.path) for r in records))
    return mime


def parse_image_ids(mime: QMimeData) -> list[int]:
    if not mime.hasFormat(IMAGE_IDS_MIME):
        return []
    raw = bytes(mime.data(IMAGE_IDS_MIME).data()).decode()
    return [int(part) for part in raw.split(",") if part.strip().isdigit()]


class GalleryModel(QAbstractListModel):
    """Paged, lazily fetched rows of one `ImageQuery`."""

    countChanged = Signal(int)
    queryApplied = Signal()  # a set_query/refresh result is on screen (rows reset), count included
    rowsShown = Signal()  # a new query's first rows are on screen (maybe before its count: queryApplied)
    pageLoaded = Signal(int)
    loadFailed = Signal(str)
    selectionStale = Signal()  # resolve_ids gave up: the rows moved while their ids were read

    def __init__(
        self, worker: DbWorker, page_size: int = PAGE_SIZE, max_pages: int = MAX_PAGES, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.worker = worker
        self.page_size = page_size
        self.max_pages = max_pages
        self._query = ImageQuery()
        self._count = 0
        self._layout = StackLayout(0)
        # Rows moved by an edit of ours while sets are expanded: the layout is out of date until the
        # refresh that follows the edit, and pages are not read with it meanwhile.
        self._layout_dirty = False
        self._count_pending = False
        self._badges: dict[int, SetBadge] = {}  # image id -> badge, for loaded and stale rows
        self._loaded_once = False
        self._epoch = 0  # bumped whenever row numbers change meaning; stale answers are ignored
        self._pages: OrderedDict[int, list[ImageRecord]] = OrderedDict()
        self._stale: dict[int, ImageRecord] = {}  # shown while a re-read of shifted rows is running
        self._wanted: set[int] = set()
        self._in_flight: dict[int, int] = {}  # page -> token
        self._query_tokens: list[int] = []
        self._visible = (0, -1)
        self.pages_fetched = 0  # for tests and the benchmark
        self._pump_timer = QTimer(self, singleShot=True, interval=0)
        self._pump_timer.timeout.connect(self._pump)
        self._added: list[int] = []
        # 0 ms: images landing in the same event-loop pass are still applied together, without
        # adding 30 ms to every image's way into the gallery (issue 7: landing latency).
        self._added_timer = QTimer(self, singleShot=True, interval=0)
        self._added_timer.timeout.connect(self._apply_added)
        # Ids notified as added in the last HEARD_WINDOW_S, oldest first, with when: our landing and the
        # watch may both report an image, seconds apart at most. Not longer: an id can come back
        # (SQLite gives a new image the highest free id, after the newest was deleted).
        self._heard: OrderedDict[int, float] = OrderedDict()
        self._newest: tuple[int, str] | None = None  # the newest image (id, sha256) the watch has seen
        self._edits: int | None = None  # the library's edit stamp at the watch's last look
        self._watch_token: int | None = None
        self._watch_failing = False
        self._watch_timer = QTimer(self, interval=WATCH_INTERVAL_MS)
        self._watch_timer.timeout.connect(self._watch)

    # --- Qt model interface (hot: keep these tiny) -------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._count

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        record = self.record(index.row())
        if role == Role.RECORD:
            return record
        if record is None:
            return None
        if role == Role.IMAGE_ID:
            return record.id
        if role == Role.SET_BADGE:
            return self._badges.get(record.id)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (record.prompt or "").split("\n", 1)[0][:80]
        if role == Qt.ItemDataRole.ToolTipRole:
            stars = "★" * record.rating
            text = (
                f"{(record.prompt or '')[:300]}\n{record.model or ''} · {record.width}×{record.height}"
                f" · {record.created_at[:16].replace('T', ' ')} {stars}"
            ).strip()
            badge = self._badges.get(record.id)
            if badge is not None:
                text += "\n" + self.set_tooltip(badge)
            return text
        return None

    def set_tooltip(self, badge: SetBadge) -> str:
        if badge.expanded:
            return self.tr(
                "Image {position} of a set of {size}. Click the set badge or press − to collapse the set."
            ).format(position=badge.position, size=badge.size)
        return self.tr("A set of %n image(s), stacked. Click the badge or press + to show them all.", "", badge.size)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def mimeTypes(self) -> list[str]:
        return ["text/uri-list", IMAGE_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        records = [r for r in (self.record(i.row()) for i in indexes) if r is not None]
        return image_ids_mime(records)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    # --- reading rows ----------------------------------------------------------------------------
    def set_badge(self, row: int) -> SetBadge | None:
        record = self.loaded_record(row)
        return None if record is None else self._badges.get(record.id)

    def layout(self) -> StackLayout:
        return self._layout

    def image_count(self) -> int:
        """Images the rows stand for (a closed stack counts its whole set)."""
        return self._layout.image_count

    def record(self, row: int) -> ImageRecord | None:
        page_no, offset = divmod(row, self.page_size)
        page = self._pages.get(page_no)
        if page is not None:
            return page[offset] if offset < len(page) else None
        stale = self._stale.get(row)
        if stale is None and 0 <= row < self._count:
            self._want(page_no)
        return stale

    def loaded_record(self, row: int) -> ImageRecord | None:
        """The record if its page is loaded, without asking for the page."""
        page = self._pages.get(row // self.page_size)
        if page is not None and row % self.page_size < len(page):
            return page[row % self.page_size]
        return self._stale.get(row)

    def row_of(self, image_id: int) -> int | None:
        """The row of a loaded image (pages in memory only)."""
        for page_no, page in self._pages.items():
            for offset, record in enumerate(page):
                if record.id == image_id:
                    return page_no * self.page_size + offset
        for row, record in self._stale.items():
            if record.id == image_id:
                return row
        return None

    def query(self) -> ImageQuery:
        return self._query

    def is_loaded(self) -> bool:
        return self._loaded_once

    def loaded_pages(self) -> list[int]:
        return sorted(self._pages)

    def loaded_row_count(self) -> int:
        return sum(len(p) for p in self._pages.values()) + len(self._stale)

    def resolve_ids(self, rows: Sequence[int], callback: Callable[[list[int]], None]) -> None:
        """Image ids for rows; immediate when loaded, else one id list read on the worker."""
        from wan27_desktop.library.query import stacked_ids  # SQL and rows: with the first read, not the window

        records = [self.loaded_record(r) for r in rows]
        if all(r is not None for r in records):
            callback([r.id for r in records if r is not None])
            return
        query, epoch, layout = self._query, self._epoch, self._layout

        def done(ids: list[int]) -> None:
            if epoch == self._epoch and len(ids) == self._count:
                callback([ids[r] for r in rows if r < len(ids)])
            else:
                # Rows moved while the ids were read (an image landed, or was trashed elsewhere):
                # the rows no longer name the same images, and acting on them would hit others.
                self.selectionStale.emit()

        self.worker.submit(
            lambda lib: stacked_ids(lib.images, query, layout if not self._layout_dirty else None), done, self._failed
        )

    # --- queries ---------------------------------------------------------------------------------
    def set_query(self, query: ImageQuery) -> None:
        """Show another query: count + first page on the worker, then one reset."""
        self._query = query
        self._count_pending = False
        self.refresh(reset=True)

    def refresh(self, reset: bool = False) -> None:
        """Re-read the count and the pages on screen (after an outside change).

        The count and the pages run as two jobs on two worker threads (each thread has its own
        connection, and SQLite releases the GIL), so a search costs max(count, page), not the sum.
        On a new query a full first page is shown at once, before the count: counting stacked sets
        over a whole 100k library takes ~25-70 ms, reading its first page ~3 ms. The rows after it
        are added when the count lands (`count_pending()` until then).
        With expanded sets the pages depend on the layout, so both are read in one job.

        Answers read before the rows changed again (a landed image inserted meanwhile: the epoch
        moved) are older than what is shown; applying them would drop that image, so the refresh
        reads again instead.
        """
        from wan27_desktop.library.query import stack_layout, stacked_page

        for token in self._query_tokens:
            self.worker.cancel(token)
        query = self._query
        epoch = self._epoch
        size = self.page_size
        if reset:
            pages = [0]
        else:
            first, last = self._visible
            pages = sorted({p for p in range(max(0, first) // size, max(0, last) // size + 1)} | {0})
        if query.stacks_sets and query.expanded_jobs:

            def read(lib: Library) -> tuple[StackLayout, dict[int, StackedPage]]:
                layout = stack_layout(lib.images, query)
                return layout, {
                    p: stacked_page(lib.images, query, p * size, size, layout)
                    for p in pages
                    if p * size < layout.count or p == 0
                }

            def together(result: tuple[StackLayout, dict[int, StackedPage]]) -> None:
                self._query_tokens = []
                if epoch != self._epoch:
                    self.refresh(reset)  # read before rows were inserted or removed: read again
                    return
                self._apply_refresh(query, result[0], result[1], reset)

            self._query_tokens = [self.worker.submit(read, together, self._failed)]
            return
        answers: dict[str, Any] = {}
        shown_early: list[int] = []  # the epoch of a first page shown before its count

        def arrived(key: str, value: Any) -> None:
            answers[key] = value
            if not shown_early and epoch != self._epoch:
                self.refresh(reset)  # read before rows were inserted or removed: read again
                return
            if (
                len(answers) == 1
                and key == "pages"
                and reset
                and len(value[0].records) == size
                and query == self._query
            ):
                self._apply_refresh(query, StackLayout(size), value, reset=True, provisional=True)
                shown_early.append(self._epoch)
            if len(answers) == 2:
                self._query_tokens = []
                layout = answers["layout"]
                if shown_early:
                    self._apply_count(query, layout, shown_early[0])
                    return
                loaded = {p: rows for p, rows in answers["pages"].items() if p * size < layout.count}
                self._apply_refresh(query, layout, loaded, reset)

        self._query_tokens = [
            self.worker.submit(
                lambda lib: stack_layout(lib.images, query), lambda c: arrived("layout", c), self._failed
            ),
            self.worker.submit(
                lambda lib: {p: stacked_page(lib.images, query, p * size, size) for p in pages},
                lambda rows: arrived("pages", rows),
                self._failed,
            ),
        ]

    def is_busy(self) -> bool:
        """A query or refresh is still being read."""
        return bool(self._query_tokens)

    def count_pending(self) -> bool:
        """The first page is on screen but the number of rows is not known yet."""
        return self._count_pending

    def _apply_count(self, query: ImageQuery, layout: StackLayout, epoch: int) -> None:
        """The count of a query whose first page is already shown: add (or drop) the rows after it."""
        self._count_pending = False
        if query != self._query or epoch != self._epoch:
            # A set opened or closed, or rows moved, in the few ms before the count: read it all again.
            # (A new query never lands here: set_query cancels the older reads.)
            self.refresh()
            return
        old = self._count
        self._layout = layout
        if layout.count > old:
            self.beginInsertRows(QModelIndex(), old, layout.count - 1)
            self._count = layout.count
            self.endInsertRows()
        elif layout.count < old:
            self.beginRemoveRows(QModelIndex(), layout.count, old - 1)
            self._count = layout.count
            self._pages = OrderedDict(
                (p, rows[: max(0, layout.count - p * self.page_size)]) for p, rows in self._pages.items()
            )
            self.endRemoveRows()
        self.countChanged.emit(self._count)
        self.queryApplied.emit()
        self._want_visible()

    def _apply_refresh(
        self,
        query: ImageQuery,
        layout: StackLayout,
        read: dict[int, StackedPage],
        reset: bool,
        provisional: bool = False,
    ) -> None:
        if query != self._query:
            # Only a set opened or closed meanwhile changes the query under a running read (set_query
            # cancels older reads): read again for what is shown now.
            self.refresh()
            return
        self._count_pending = provisional
        self._cancel_pages()
        self._epoch += 1
        self._layout = layout
        self._layout_dirty = False
        count = layout.count
        pages = {p: list(page.records) for p, page in read.items() if p * self.page_size < count}
        if reset or not self._loaded_once:
            self.beginResetModel()
            self._count = count
            self._pages = OrderedDict(sorted(pages.items()))
            self._stale.clear()
            self._badges = {}
            self._add_badges(read.values())
            self.endResetModel()
        else:
            old = self._count
            # Unknown where rows came or went (an outside change): adjust at the end, then repaint.
            if count < old:
                self.beginRemoveRows(QModelIndex(), count, old - 1)
                self._count = count
                self._stale = {r: rec for r, rec in self._stale.items() if r < count}
                self.endRemoveRows()
            elif count > old:
                self.beginInsertRows(QModelIndex(), old, count - 1)
                self._count = count
                self.endInsertRows()
            self._stale = {r: rec for r, rec in self._visible_records().items() if r < count}
            self._pages = OrderedDict(sorted(pages.items()))
            self._badges = {rec.id: self._badges[rec.id] for rec in self._stale.values() if rec.id in self._badges}
            self._add_badges(read.values())
            for page_no in pages:
                self._drop_stale(page_no)
            if count:
                self.dataChanged.emit(self.index(0), self.index(count - 1))
            self._want_visible()
        self._loaded_once = True
        self.pages_fetched += len(pages)
        self.countChanged.emit(count)
        self.rowsShown.emit()
        if not provisional:
            self.queryApplied.emit()

    def _add_badges(self, pages: Iterable[StackedPage]) -> None:
        for page in pages:
            for record in page.records:
                self._badges.pop(record.id, None)
            self._badges.update(page.badges)

    # --- image sets ------------------------------------------------------------------------------------
    def toggle_set(self, row: int) -> bool:
        """Expand the set of `row` in place, or collapse it if it is expanded. False when the row is
        not part of a set of 2+ (or not loaded yet)."""
        badge = self.set_badge(row)
        if badge is None or not self._query.stacks_sets:
            return False
        if badge.expanded:
            self.collapse_set(badge.job_id)
        else:
            self.expand_set(row)
        return True

    def expand_set(self, row: int) -> None:
        """Show every image of the stack at `row` right after it; the rows before it stay put."""
        from wan27_desktop.library.query import stacked_members

        record, badge = self.loaded_record(row), self.set_badge(row)
        if record is None or badge is None or badge.expanded or record.job_id is None:
            return
        job_id, head_id = record.job_id, record.id
        old_query, epoch = self._query, self._epoch
        query = old_query.replace(expanded_jobs=old_query.expanded_jobs | {job_id})

        def read(lib: Library) -> list[ImageRecord]:
            ids = stacked_members(lib.images, old_query, [head_id])  # the set's images this query shows, in order
            by_id = {r.id: r for r in lib.images.get_many(ids)}
            return [by_id[i] for i in ids if i in by_id]

        def done(records: list[ImageRecord]) -> None:
            if old_query != self._query or epoch != self._epoch:
                return  # the view changed meanwhile; the user can click again
            if len(records) < 2 or records[0].id != head_id:
                self.refresh()  # the set changed under us: read it again
                return
            self._apply_expansion(row, query, records)

        self.worker.submit(read, done, self._failed)

    def _apply_expansion(self, row: int, query: ImageQuery, records: Sequence[ImageRecord]) -> None:
        from wan27_desktop.library.image_records import SetBadge, SetExpansion

        head, members = records[0], list(records[1:])
        job_id = int(head.job_id or 0)
        above = sum(len(e.members) for e in self._layout.expansions if e.head + self._extra_before(e) < row)
        expansion = SetExpansion(job_id, row - above, head.id, tuple(m.id for m in members))
        self._query = query
        self._layout = StackLayout(
            self._layout.count + len(members),
            tuple(sorted((*self._layout.expansions, expansion), key=lambda e: e.head)),
            self._layout.images,
        )
        self._badges[head.id] = SetBadge(job_id, len(records), 1, True)
        for number, member in enumerate(members, start=2):
            self._badges[member.id] = SetBadge(job_id, len(records), number, True)
        self._insert_range(row + 1, {row + 1 + i: m for i, m in enumerate(members)})
        self.dataChanged.emit(self.index(row), self.index(row))

    def _extra_before(self, expansion: SetExpansion) -> int:
        """Rows that expanded sets above `expansion` add before its stack row."""
        return sum(len(e.members) for e in self._layout.expansions if e.head < expansion.head)

    def collapse_set(self, job_id: int) -> None:
        """Fold an expanded set back into its stack row."""
        from wan27_desktop.library.image_records import SetBadge

        expansion = next((e for e in self._layout.expansions if e.job_id == job_id), None)
        query = self._query.replace(expanded_jobs=self._query.expanded_jobs - {job_id})
        if expansion is None or self._layout_dirty:
            self._query = query
            self.refresh()
            return
        head_row = expansion.head + self._extra_before(expansion)
        expansions = tuple(e for e in self._layout.expansions if e.job_id != job_id)
        self._query = query
        self._layout = StackLayout(self._layout.count - len(expansion.members), expansions, self._layout.images)
        head = self.loaded_record(head_row)
        if head is not None:
            self._badges[head.id] = SetBadge(job_id, len(expansion.members) + 1, 1, False)
        for image_id in expansion.members:
            self._badges.pop(image_id, None)
        self._remove_now(list(range(head_row + 1, head_row + 1 + len(expansion.members))))
        self.dataChanged.emit(self.index(head_row), self.index(head_row))

    # --- edits the gallery made itself -------------------------------------------------------------
    def update_records(self, image_ids: Iterable[int], **changes: Any) -> None:
        """Apply a change to loaded copies at once (e.g. rating) so the grid answers immediately."""
        import dataclasses  # the records' module needs it; this one loads before the full window

        wanted = set(image_ids)
        rows: list[int] = []
        for page_no, page in self._pages.items():
            for offset, record in enumerate(page):
                if record.id in wanted:
                    page[offset] = dataclasses.replace(record, **changes)
                    rows.append(page_no * self.page_size + offset)
        for row, record in list(self._stale.items()):
            if record.id in wanted:
                self._stale[row] = dataclasses.replace(record, **changes)
                rows.append(row)
        for first, last in rows_to_ranges(rows):
            self.dataChanged.emit(self.index(first), self.index(last))

    def remove_rows(self, rows: Iterable[int]) -> None:
        """Rows left this query (trashed, restored, filtered out): remove them in place, keep the
        rest on screen from memory while the shifted pages are re-read. With expanded sets, call
        `refresh()` once the change is written (the set layout is re-read then)."""
        self._remove_now(sorted({r for r in rows if 0 <= r < self._count}))

    def _remove_now(self, removed: list[int]) -> None:
        if not removed:
            return
        visible = self._visible_records()
        self._cancel_pages()
        self._epoch += 1
        self._pages.clear()
        self._stale = {}
        for first, last in reversed(rows_to_ranges(removed)):
            self.beginRemoveRows(QModelIndex(), first, last)
            self._count -= last - first + 1
            self.endRemoveRows()
        for row, record in visible.items():
            new_row = shift_after_removal(row, removed)
            if new_row is not None:
                self._stale[new_row] = record
        self._rows_moved()
        self.countChanged.emit(self._count)
        self._want_visible()

    def _rows_moved(self) -> None:
        """After an optimistic edit: the count is ours; expanded sets' places are known again only
        after the next refresh (see `_layout_dirty`)."""
        if self._layout.count != self._count:
            self._layout_dirty = self._layout_dirty or bool(self._layout.expansions)
            images = self._layout.images
            if images >= 0:
                images = max(0, images + self._count - self._layout.count)  # exact again after the refresh
            self._layout = StackLayout(self._count, self._layout.expansions, images)

    def notify_image_added(self, image_id: int) -> None:
        """A job landed an image: show it where the query puts it (the top, for 'newest'). Once per
        image: our own landing and the library watch may both report it."""
        now = time.monotonic()
        while self._heard and now - next(iter(self._heard.values())) > HEARD_WINDOW_S:
            self._heard.popitem(last=False)
        if image_id in self._heard:
            return
        self._heard[image_id] = now
        self._added.append(image_id)
        self._added_timer.start()

    def watch_library(self, interval_ms: int = WATCH_INTERVAL_MS) -> None:
        """Show images that another window or the `wan27` command lands in this library: every
        `interval_ms` a worker reads the ids added since the last look (a primary-key range, cheap
        at any size), and each new one is shown as our own landings are. Start it before the first
        query: its first look marks what that query will show. Does nothing when already watching."""
        if self._watch_timer.isActive():
            return
        self._watch_timer.setInterval(interval_ms)
        self._watch_timer.start()
        self._watch()

    def stop_watching(self) -> None:
        self._watch_timer.stop()

    def _watch(self) -> None:
        if self._watch_token is not None:
            return  # the last look is still running (a busy library): skip this one
        since = self._newest

        def read(lib: Library) -> tuple[tuple[int, str], list[int], int]:
            newest = lib.images.newest()
            added = lib.images.ids_after(since[0]) if since is not None and since[0] < newest[0] else []
            return newest, added, lib.images.edit_stamp()

        def done(result: tuple[tuple[int, str], list[int], int]) -> None:
            self._watch_token = None
            self._watch_failing = False
            newest, ids, edits = result
            edited, self._edits = self._edits is not None and edits != self._edits, edits
            if since is None:
                self._newest = newest
                return  # the first look marks what the first query shows
            if edited:
                # A rating, the trash, tags or a deletion changed, here or in another window or a
                # `wan27` command: read what is on screen again (our own edits were shown already,
                # so for them this finds nothing new).
                self._newest = newest
                self.refresh()
                return
            if ids:
                self._newest = (max(ids), "") if max(ids) < newest[0] else newest
                for image_id in ids:
                    self.notify_image_added(image_id)
            elif newest != since:
                # The newest image was deleted (its id may have been given to a newer one): the ids
                # no longer say what is new, so read the rows on screen again.
                self._newest = newest
                if newest[0] >= since[0]:
                    self.refresh()

        def failed(error: BaseException) -> None:
            self._watch_token = None
            if not self._watch_failing:  # said once; the next look tries again
                log.warning("the gallery cannot look for new images: %s", error)
            self._watch_failing = True

        self._watch_token = self.worker.submit(read, done, failed)

    def _apply_added(self) -> None:
        from wan27_desktop.library.query import stack_layout, stacked_page

        added, self._added = self._added, []
        if not self._loaded_once:
            self.refresh(reset=True)
            return
        query, size, epoch = self._query, self.page_size, self._epoch

        def read(lib: Library) -> tuple[StackLayout, StackedPage]:
            layout = stack_layout(lib.images, query)
            return layout, stacked_page(lib.images, query, 0, size, layout)

        def done(result: tuple[StackLayout, StackedPage]) -> None:
            if query != self._query or epoch != self._epoch or self._layout_dirty:
                self.refresh()
                return
            layout, first_page = result
            count = layout.count
            new_ids = set(added)
            positions = [i for i, r in enumerate(first_page.records) if r.id in new_ids]
            grown = count - self._count
            if grown <= 0:
                shown = {(r.id, r.sha256) for r in self._pages.get(0, ())}  # an id can come back: the hash too
                new_rows = (first_page.records[i] for i in positions)
                if query.stacks_sets or any((r.id, r.sha256) not in shown for r in new_rows):
                    # A set grew (its badge), a new first image took over its stack, or a refresh
                    # counted the image but read its rows before it landed (two reads, two moments).
                    self.refresh()
                return  # else: filtered out of this view, or already shown
            if len(positions) == grown and layout.expansions == self._layout.expansions:
                self._add_badges([first_page])
                self._insert_rows(positions, list(first_page.records))
                self._layout = layout
            elif query.sort == "oldest" and layout.expansions == self._layout.expansions:
                self.beginInsertRows(QModelIndex(), self._count, count - 1)
                self._count = count
                self._layout = layout
                self.endInsertRows()
                self.countChanged.emit(count)
            else:
                self.refresh()

        self.worker.submit(read, done, self._failed)

    def insert_known_rows(self, positions: Iterable[int]) -> None:
        """Rows came back at known places (undo of a trash): insert them, then re-read."""
        self._insert_rows(sorted(set(positions)), None)

    def _insert_rows(self, positions: list[int], first_page: list[ImageRecord] | None) -> None:
        visible = self._visible_records()
        self._cancel_pages()
        self._epoch += 1
        self._pages.clear()
        self._stale = {}
        for pos in sorted(positions):  # ascending: each position is final once earlier ones exist
            self.beginInsertRows(QModelIndex(), pos, pos)
            self._count += 1
            self.endInsertRows()
        for row, record in visible.items():
            self._stale[shift_after_insertion(row, positions)] = record
        if first_page is not None:
            self._pages[0] = first_page
            self._drop_stale(0)
        self._rows_moved()
        self.countChanged.emit(self._count)
        self._want_visible()

    def _insert_range(self, start: int, records: dict[int, ImageRecord]) -> None:
        """Insert len(records) rows at `start` in one step, showing `records` (new row -> record) at
        once; rows before `start` keep their place, later ones move down."""
        count = len(records)
        visible = self._visible_records()
        self._cancel_pages()
        self._epoch += 1
        self._pages.clear()
        self._stale = {}
        self.beginInsertRows(QModelIndex(), start, start + count - 1)
        self._count += count
        self.endInsertRows()
        for row, record in visible.items():
            self._stale[row if row < start else row + count] = record
        self._stale.update(records)
        self.countChanged.emit(self._count)
        self._want_visible()

    # --- paging -----------------------------------------------------------------------------------
    def set_visible_range(self, first: int, last: int) -> None:
        """The view's rows on screen; pages outside it (plus one page each side) are not fetched."""
        if (first, last) == self._visible:
            return
        self._visible = (first, last)
        self._want_visible()

    def visible_range(self) -> tuple[int, int]:
        return self._visible

    def _visible_records(self) -> dict[int, ImageRecord]:
        first, last = self._visible
        out: dict[int, ImageRecord] = {}
        for row in range(max(0, first), min(self._count - 1, last) + 1):
            record = self.loaded_record(row)
            if record is not None:
                out[row] = record
        return out

    def _want_visible(self) -> None:
        first, last = self._visible
        if last < first or self._count == 0:
            return
        for page_no in range(max(0, first) // self.page_size, min(last, self._count - 1) // self.page_size + 1):
            if page_no not in self._pages:
                self._want(page_no)
            else:
                self._pages.move_to_end(page_no)

    def _want(self, page_no: int) -> None:
        if page_no in self._in_flight or page_no in self._wanted:
            return
        self._wanted.add(page_no)
        if not self._pump_timer.isActive():
            self._pump_timer.start()

    def _near_pages(self) -> range:
        first, last = self._visible
        if last < first:
            return range(0, 2)
        return range(max(0, first // self.page_size - 1), last // self.page_size + 2)

    def _pump(self) -> None:
        if self._layout_dirty:
            return  # rows are shown from memory until the refresh that follows our edit
        near = self._near_pages()
        # Pages scrolled away before their turn are dropped, not fetched (a fast scroll stays cheap).
        self._wanted = {p for p in self._wanted if p in near and p not in self._pages}
        for token_page in [p for p in self._in_flight if p not in near]:
            self.worker.cancel(self._in_flight.pop(token_page))
        centre = (near.start + near.stop) / 2
        for page_no in sorted(self._wanted, key=lambda p: abs(p - centre)):
            if len(self._in_flight) >= 2:
                break
            self._wanted.discard(page_no)
            self._fetch(page_no)

    def _fetch(self, page_no: int) -> None:
        from wan27_desktop.library.query import stacked_page

        query, size, epoch, layout = self._query, self.page_size, self._epoch, self._layout

        def done(page: StackedPage) -> None:
            self._in_flight.pop(page_no, None)
            if epoch == self._epoch and query == self._query and not self._layout_dirty:
                self._add_badges([page])
                self._store_page(page_no, list(page.records))
            self._pump()

        def failed(error: BaseException) -> None:
            self._in_flight.pop(page_no, None)
            self._failed(error)

        self._in_flight[page_no] = self.worker.submit(
            lambda lib: stacked_page(lib.images, query, page_no * size, size, layout), done, failed
        )

    def _store_page(self, page_no: int, rows: list[ImageRecord]) -> None:
        self._pages[page_no] = rows
        self._pages.move_to_end(page_no)
        self.pages_fetched += 1
        self._drop_stale(page_no)
        near = self._near_pages()
        while len(self._pages) > self.max_pages:
            victim = next((p for p in self._pages if p not in near), None)
            if victim is None:
                break
            for record in self._pages.pop(victim):
                self._badges.pop(record.id, None)
        first = page_no * self.page_size
        last = min(self._count, first + len(rows)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first), self.index(last))
        self.pageLoaded.emit(page_no)

    def _drop_stale(self, page_no: int) -> None:
        first = page_no * self.page_size
        for row in [r for r in self._stale if first <= r < first + self.page_size]:
            del self._stale[row]

    def _cancel_pages(self) -> None:
        for token in self._in_flight.values():
            self.worker.cancel(token)
        self._in_flight.clear()
        self._wanted.clear()

    def _failed(self, error: BaseException) -> None:
        for token in self._query_tokens:
            self.worker.cancel(token)
        self._query_tokens = []
        self.loadFailed.emit(str(error))
