"""The gallery's search box, sort, filter menu and thumbnail size; they produce one `ImageQuery`.

The bar itself holds only what is used all the time (search, sort, the Filters button with a count of
active filters, the trash toggle the panel adds, the image count and the size slider) so it needs
little width (about 450 px) and leaves room for the generation panel at 1280 px. The other filters
live in the Filters menu; a line under the bar lists the active ones, each with a ✕ to remove it.

The Batch submenu lists the library's newest batches. It is filled when the Filters menu opens: the
widget asks (`batchesWanted`), the panel reads the batches on its worker and hands them to
`set_batches`, so nothing about batches is read or built before a person looks.

Typing is debounced (150 ms) so a burst of keys runs one query; every other control applies at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop import i18n
from wan27_desktop.api.models import Mode, Model
from wan27_desktop.library import ImageQuery

if TYPE_CHECKING:
    from datetime import date

    from wan27_desktop.library.batches import BatchCounts, BatchRecord
    from wan27_desktop.ui.gallery.dates import DateRangeDialog  # the dialog loads when first opened

SEARCH_DEBOUNCE_MS = 150
THUMB_MIN, THUMB_MAX, THUMB_DEFAULT = 64, 320, 160
# One or two Latin letters match most prompts and are not a useful filter; they also miss the
# library's trigram FTS index (3+ characters) and fall back to a LIKE scan that took 45-135 ms at
# 100k images (measured by tests/benchmarks/gallery_bench.py). Chinese/Japanese characters are
# words on their own, so they search from the first character.
MIN_LATIN_SEARCH = 3
CUSTOM = "custom"  # the date choice of a range picked in the calendar
BATCH_MENU_SIZE = 20  # the newest batches the Batch submenu lists; the rest are in Jobs ▸ Batches…
ROW_ORDER = "rows"  # the sort a batch view adds: its rows in order (library.records.SortOrder)


def search_text(raw: str) -> str:
    text = raw.strip()
    return "" if len(text) < MIN_LATIN_SEARCH and text.isascii() else text


def sort_choices() -> list[tuple[str, str]]:
    return [
        ("newest", QCoreApplication.translate("GalleryFilters", "Newest first")),
        ("oldest", QCoreApplication.translate("GalleryFilters", "Oldest first")),
        ("rating", QCoreApplication.translate("GalleryFilters", "Highest rated")),
    ]


def date_presets() -> list[tuple[str, str]]:
    return [
        ("any", QCoreApplication.translate("GalleryFilters", "Any time")),
        ("today", QCoreApplication.translate("GalleryFilters", "Today")),
        ("7", QCoreApplication.translate("GalleryFilters", "Last 7 days")),
        ("30", QCoreApplication.translate("GalleryFilters", "Last 30 days")),
        ("365", QCoreApplication.translate("GalleryFilters", "Last year")),
    ]


def date_range_for(preset: str, today: date | None = None) -> tuple[str | None, str | None]:
    """('YYYY-MM-DD' from, to) for a preset; the library treats bare days as whole local days."""
    if preset != "today" and not preset.isdigit():
        return None, None
    # Imported here: the gallery's first query (built with the window) has no dates, and `datetime`
    # costs ~2 ms before the full window.
    from datetime import date, timedelta

    today = today or date.today()
    if preset == "today":
        return today.isoformat(), today.isoformat()
    return (today - timedelta(days=int(preset) - 1)).isoformat(), today.isoformat()


class CountLabel(QLabel):
    """'12,345 images', or just '12,345' when the bar is too narrow for the words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._long = self._short = ""
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def set_count(self, long_text: str, short_text: str) -> None:
        self._long, self._short = long_text, short_text
        self.updateGeometry()
        self._fit()

    def full_text(self) -> str:
        return self._long

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.fontMetrics().horizontalAdvance(self._short) + 4, super().minimumSizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.fontMetrics().horizontalAdvance(self._long) + 4, super().sizeHint().height())

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit()

    def _fit(self) -> None:
        fits = self.fontMetrics().horizontalAdvance(self._long) + 4 <= self.width()
        self.setText(self._long if fits else self._short)


class GalleryFilters(QWidget):
    """Search + sort + filter menu + thumbnail size. `queryChanged(ImageQuery)` after any change."""

    queryChanged = Signal(object)
    thumbSizeChanged = Signal(int)
    batchesWanted = Signal()  # the Filters menu opens: `set_batches` with the library's newest batches

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("galleryFilters")
        self._trashed = False
        self._custom_dates: tuple[str | None, str | None] | None = None
        self.date_dialog: DateRangeDialog | None = None
        self._batch_id: int | None = None
        self._batch_names: dict[int, str] = {}  # batch id -> its short name (the active-filter line)
        self._batch_labels: dict[int, str] = {}  # batch id -> its menu entry
        self._batch_entries: list[tuple[int, str]] | None = None  # what the submenu lists; None: not read
        self._more_batches = False
        self._sort_before_rows: object = None
        self.batch_actions: list[QAction] = []  # the submenu's checkable entries ("Any batch" first)

        self.search = QLineEdit(self)
        self.search.setObjectName("gallerySearch")
        self.search.setAccessibleName(self.tr("Search prompts"))
        self.search.setPlaceholderText(self.tr("Search prompts…"))
        self.search.setMinimumWidth(90)
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.search.returnPressed.connect(self._emit_now)

        self.sort = QComboBox(self)
        self.sort.setObjectName("gallerySort")
        self.sort.setAccessibleName(self.tr("Sort order"))
        self.sort.setToolTip(self.tr("Sort order"))
        for key, label in sort_choices():
            self.sort.addItem(label, key)
        self.sort.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sort.setMinimumContentsLength(6)

        self.more = QToolButton(self)
        self.more.setObjectName("galleryMoreFilters")
        self.more.setAccessibleName(self.tr("Filters"))
        self.more.setToolTip(self.tr("Favourites, rating, model, mode, dates, references, image sets, batches"))
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.more)
        self.menu.setObjectName("galleryFiltersMenu")
        self.favourites = self.menu.addAction(self.tr("♥ Favourites only"))
        self.favourites.setObjectName("galleryFavouritesFilter")
        self.favourites.setCheckable(True)
        self.rating_menu, self.rating_actions, _ = self._choice_menu(
            self.tr("Rating"), [(0, self.tr("Any rating"))] + [(n, "≥ " + "★" * n) for n in range(1, 6)]
        )
        self.model_menu, self.model_actions, _ = self._choice_menu(
            self.tr("Model"), [(None, self.tr("Any model"))] + [(m.value, m.label) for m in Model]
        )
        self.mode_menu, self.mode_actions, _ = self._choice_menu(
            self.tr("Mode"), [(None, self.tr("Any mode"))] + [(m.value, i18n.mode_name(m)) for m in Mode]
        )
        self.date_menu, self.date_actions, self.date_group = self._choice_menu(self.tr("Date"), date_presets())
        # A custom range checks no preset: the presets may then all be unchecked.
        self.date_group.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)
        self.date_menu.addSeparator()
        self.custom_range_action = self.date_menu.addAction(self.tr("Custom range…"))
        self.custom_range_action.setObjectName("galleryCustomRange")
        self.custom_range_action.setCheckable(True)  # checked while a custom range applies
        self.custom_range_action.triggered.connect(lambda _checked=False: self.open_date_range())
        self.refs_menu, self.refs_actions, _ = self._choice_menu(
            self.tr("References"),
            [
                (None, self.tr("With or without references")),
                (True, self.tr("With references")),
                (False, self.tr("Without references")),
            ],
        )
        self.sets_menu, self.sets_actions, _ = self._choice_menu(
            self.tr("Image sets"),
            [
                (None, self.tr("Sets and single images")),
                (True, self.tr("Image sets only")),
                (False, self.tr("Single images only")),
            ],
        )
        # Empty until the Filters menu first opens (see the module docstring).
        self.batch_menu = self.menu.addMenu(self.tr("Batch"))
        self.batch_menu.setObjectName("galleryBatchMenu")
        self.batch_menu.setAccessibleName(self.tr("Filter by batch"))
        self.batch_menu.setProperty("baseTitle", self.tr("Batch"))
        self.batch_group = QActionGroup(self.batch_menu)
        self.menu.aboutToShow.connect(self._menu_opens)
        self.menu.addSeparator()
        self.stack_action = self.menu.addAction(self.tr("Stack image sets"))
        self.stack_action.setObjectName("galleryStackSets")
        self.stack_action.setCheckable(True)
        self.stack_action.setChecked(True)
        self.stack_action.setToolTip(
            self.tr(
                "Show each image set as one tile with a count badge; click the badge "
                "(or press + / −) to open or close it. The trash always shows "
                "every image."
            )
        )
        self.menu.setToolTipsVisible(True)
        self.menu.addSeparator()
        self.clear_action = self.menu.addAction(self.tr("Clear filters"))
        self.clear_action.setObjectName("galleryClearFilters")
        self.clear_action.triggered.connect(self.clear_filters)
        self.more.setMenu(self.menu)

        self.count_label = CountLabel(self)
        self.count_label.setObjectName("galleryCount")

        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("thumbSizeSlider")
        self.slider.setAccessibleName(self.tr("Thumbnail size"))
        self.slider.setToolTip(self.tr("Thumbnail size"))
        self.slider.setRange(THUMB_MIN, THUMB_MAX)
        self.slider.setSingleStep(8)
        self.slider.setPageStep(32)
        self.slider.setValue(THUMB_DEFAULT)
        self.slider.setMinimumWidth(56)
        self.slider.setMaximumWidth(100)
        self.slider.valueChanged.connect(self.thumbSizeChanged)

        self.active_label = QLabel(self)
        self.active_label.setObjectName("galleryActiveFilters")
        self.active_label.setWordWrap(True)
        self.active_label.setTextFormat(Qt.TextFormat.RichText)
        self.active_label.setToolTip(self.tr("Click ✕ to remove a filter"))
        self.active_label.linkActivated.connect(self._clear_one)
        self.active_label.hide()

        self.bar = QHBoxLayout()
        self.bar.setContentsMargins(0, 0, 0, 0)
        self.bar.setSpacing(6)
        self.bar.addWidget(self.search, 3)
        self.bar.addWidget(self.sort)
        self.bar.addWidget(self.more)
        self.bar.addWidget(self.count_label, 1)
        self.bar.addWidget(self.slider, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        layout.addLayout(self.bar)
        layout.addWidget(self.active_label)

        self.sort.currentIndexChanged.connect(self._emit_now)
        self.favourites.toggled.connect(self._changed)
        self.stack_action.toggled.connect(self._emit_now)
        self._update_labels()

    def _choice_menu(
        self, title: str, choices: Sequence[tuple[object, str]]
    ) -> tuple[QMenu, list[QAction], QActionGroup]:
        menu = self.menu.addMenu(title)
        menu.setProperty("baseTitle", title)
        group = QActionGroup(menu)
        group.setExclusive(True)
        actions: list[QAction] = []
        for value, label in choices:
            action = menu.addAction(label)
            action.setCheckable(True)
            action.setData(value)
            group.addAction(action)
            actions.append(action)
            action.triggered.connect(lambda _checked=False, a=action, g=actions: self._pick(g, a))
        actions[0].setChecked(True)
        return menu, actions, group

    def insert_bar_widget(self, widget: QWidget) -> None:
        """Add a control to the bar after the Filters button (the panel's trash toggle)."""
        self.bar.insertWidget(self.bar.indexOf(self.more) + 1, widget)

    def _pick(self, group: list[QAction], chosen: QAction) -> None:
        chosen.setChecked(True)
        if group is self.date_actions:
            self._custom_dates = None
        self._changed()

    def _changed(self, *_: object) -> None:
        self._update_labels()
        self._emit_now()

    @staticmethod
    def _value(group: list[QAction]) -> object:
        return next((a.data() for a in group if a.isChecked()), None)

    # --- what is active --------------------------------------------------------------------------
    def _active(self) -> list[tuple[str, str]]:
        """(key, label) of every active filter, in menu order (not search, sort or stacking)."""
        active: list[tuple[str, str]] = []
        if self.favourites.isChecked():
            active.append(("favourites", self.tr("♥ Favourites")))
        for key, group, menu in (
            ("rating", self.rating_actions, self.rating_menu),
            ("model", self.model_actions, self.model_menu),
            ("mode", self.mode_actions, self.mode_menu),
        ):
            if not group[0].isChecked():
                chosen = next(a for a in group if a.isChecked())
                active.append((key, self._titled(str(menu.property("baseTitle")), chosen.text())))
        if self._custom_dates:
            from wan27_desktop.ui.gallery.dates import range_text  # with its dialog: once a range is chosen

            active.append(("date", range_text(*self._custom_dates)))
        elif not self.date_actions[0].isChecked():
            active.append(("date", next(a.text() for a in self.date_actions if a.isChecked())))
        for key, group in (("refs", self.refs_actions), ("sets", self.sets_actions)):
            if not group[0].isChecked():
                active.append((key, next(a.text() for a in group if a.isChecked())))
        if self._batch_id is not None:
            active.append(("batch", self._titled(str(self.batch_menu.property("baseTitle")), self._batch_name())))
        return active

    def _batch_name(self) -> str:
        batch_id = self._batch_id
        return self._batch_names.get(batch_id or 0) or self.tr("#{id}").format(id=batch_id)

    def _titled(self, menu: str, choice: str) -> str:
        """'Rating: ≥ ★★★' (a full-width colon in Chinese)."""
        return self.tr("{menu}: {choice}").format(menu=menu, choice=choice)

    def active_count(self) -> int:
        return len(self._active())

    def _update_labels(self) -> None:
        active = self._active()
        self.more.setText(self.tr("Filters (%n)", "", len(active)) if active else self.tr("Filters"))
        font = self.more.font()
        font.setBold(bool(active))
        self.more.setFont(font)
        for menu, group in (
            (self.rating_menu, self.rating_actions),
            (self.model_menu, self.model_actions),
            (self.mode_menu, self.mode_actions),
            (self.refs_menu, self.refs_actions),
            (self.sets_menu, self.sets_actions),
        ):
            base = str(menu.property("baseTitle"))
            chosen = next((a for a in group if a.isChecked()), group[0])
            menu.setTitle(base if chosen is group[0] else self._titled(base, chosen.text()))
        date_base = str(self.date_menu.property("baseTitle"))
        if self._custom_dates:
            from wan27_desktop.ui.gallery.dates import range_text

            self.date_menu.setTitle(self._titled(date_base, range_text(*self._custom_dates)))
            self.custom_range_action.setText(
                self.tr("Custom range: {range}…").format(range=range_text(*self._custom_dates))
            )
            for action in self.date_actions:
                action.setChecked(False)
        else:
            if not any(a.isChecked() for a in self.date_actions):
                self.date_actions[0].setChecked(True)
            chosen = next(a for a in self.date_actions if a.isChecked())
            self.date_menu.setTitle(
                date_base if chosen is self.date_actions[0] else self._titled(date_base, chosen.text())
            )
            self.custom_range_action.setText(self.tr("Custom range…"))
        self.custom_range_action.setChecked(bool(self._custom_dates))
        batch_base = str(self.batch_menu.property("baseTitle"))
        self.batch_menu.setTitle(batch_base if self._batch_id is None else self._titled(batch_base, self._batch_name()))
        self.clear_action.setEnabled(bool(active) or bool(self.search.text()))
        if not active:
            self.active_label.hide()
            self.active_label.clear()
            return
        import html  # only when a filter is on: not needed to draw the window

        remove = self.tr("Remove this filter")
        parts = [
            f'{html.escape(label)}&nbsp;<a href="{key}" title="{html.escape(remove)}">✕</a>' for key, label in active
        ]
        clear_all = self.tr("Clear all")  # outside the f-string: lupdate does not look inside one
        clear = f'<a href="all">{html.escape(clear_all)}</a>'
        self.active_label.setText(html.escape(self.tr("Filtered by:")) + " " + " · ".join(parts) + " · " + clear)
        self.active_label.show()

    def _clear_one(self, key: str) -> None:
        if key == "all":
            self.clear_filters()
            return
        if key == "favourites":
            self.favourites.setChecked(False)  # emits through toggled
            return
        if key == "batch":
            self.set_batch(None)
            return
        if key == "date":
            self._custom_dates = None
        groups: dict[str, list[QAction]] = {
            "rating": self.rating_actions,
            "model": self.model_actions,
            "mode": self.mode_actions,
            "date": self.date_actions,
            "refs": self.refs_actions,
            "sets": self.sets_actions,
        }
        groups[key][0].setChecked(True)
        self._changed()

    # --- public -------------------------------------------------------------------------------------
    def set_trashed(self, trashed: bool) -> None:
        self._trashed = trashed
        self._emit_now()

    def set_date_range(self, date_from: str | None, date_to: str | None) -> None:
        """A custom range (from the calendar picker, or the metadata panel's date); presets reset it."""
        self._custom_dates = (date_from, date_to) if (date_from or date_to) else None
        if self._custom_dates is None:
            self.date_actions[0].setChecked(True)
        self._changed()

    def stacks_sets(self) -> bool:
        """Image sets show as one tile each (the Filters menu's "Stack image sets")."""
        return self.stack_action.isChecked()

    def set_stacks_sets(self, stacked: bool) -> None:
        """Restore the choice (a session's setting); queries again only when it changes."""
        self.stack_action.setChecked(stacked)

    def add_clear_button(self) -> None:
        """The search box's clear button (shown over text). The gallery adds it once the window has
        painted: under X11 (and Wayland) Qt first looks for its icon in the desktop's icon theme,
        parsing the theme's index files, ~8 ms that the window's first full paint need not wait for."""
        self.search.setClearButtonEnabled(True)

    def date_range(self) -> tuple[str | None, str | None]:
        """The dates the query filters on ('YYYY-MM-DD', inclusive; None = open)."""
        preset = str(self._value(self.date_actions) or "any")
        return self._custom_dates or date_range_for(preset)

    def open_date_range(self) -> DateRangeDialog:
        """The calendar picker for a custom range (window-modal; applied when accepted)."""
        from datetime import date, timedelta

        from wan27_desktop.ui.gallery.dates import DateRangeDialog

        self._update_labels()  # the menu toggled the action's check mark; it shows what applies
        start, end = self.date_range()
        today = date.today()
        dialog = DateRangeDialog(
            date.fromisoformat(start) if start else today - timedelta(days=29),
            date.fromisoformat(end) if end else today,
            parent=self,
        )
        self.date_dialog = dialog

        def accepted() -> None:
            first, last = dialog.range()
            self.set_date_range(first.isoformat(), last.isoformat())

        dialog.accepted.connect(accepted)
        dialog.rejected.connect(self._update_labels)  # the menu's check marks go back to what applies
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def clear_filters(self) -> None:
        """Every filter and the search back to 'show everything' (sort, stacking and trash stay)."""
        self._reset()
        self._changed()

    def show_only_batch(self, batch_id: int) -> None:
        """Every image of one batch in row order, whatever was filtered before (one query)."""
        self._reset()
        self._set_batch(batch_id)
        self._changed()

    def _reset(self) -> None:
        blockers = [self.favourites.blockSignals(True)]
        self.favourites.setChecked(False)
        self.favourites.blockSignals(blockers[0])
        for group in (
            self.rating_actions,
            self.model_actions,
            self.mode_actions,
            self.date_actions,
            self.refs_actions,
            self.sets_actions,
        ):
            group[0].setChecked(True)
        self._custom_dates = None
        self._set_batch(None)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)

    # --- the Batch submenu ---------------------------------------------------------------------------
    def batch_id(self) -> int | None:
        """The batch the gallery is filtered to (None: no batch filter)."""
        return self._batch_id

    def set_batch(self, batch_id: int | None) -> None:
        """Filter to one batch's images (None: every image) and query."""
        if batch_id == self._batch_id:
            self._check_batch()
            return
        self._set_batch(batch_id)
        self._changed()

    def _set_batch(self, batch_id: int | None) -> None:
        self._batch_id = batch_id
        self._offer_row_order(batch_id is not None)
        if self._batch_entries is not None and {a.data() for a in self.batch_actions} != self._listed():
            self._fill_batch_menu()  # a batch older than the list comes in (Show in Gallery), or leaves
        self._check_batch()

    def _listed(self) -> set[int | None]:
        """The batch ids the submenu should offer: the newest ones and the one shown."""
        ids: set[int | None] = {batch_id for batch_id, _ in self._batch_entries or []}
        if self._batch_id is not None:
            ids.add(self._batch_id)
        return ids | {None} if ids else set()

    def _offer_row_order(self, offered: bool) -> None:
        """A batch view adds 'Row order' to the sort and starts with it; leaving it restores the sort."""
        index = self.sort.findData(ROW_ORDER)
        if offered == (index >= 0):
            return
        blocked = self.sort.blockSignals(True)
        if offered:
            self._sort_before_rows = self.sort.currentData()
            self.sort.insertItem(0, self.tr("Row order"), ROW_ORDER)
            self.sort.setItemData(
                0, self.tr("Each row of the batch in turn, as it was listed"), Qt.ItemDataRole.ToolTipRole
            )
            self.sort.setCurrentIndex(0)
        else:
            was_current = self.sort.currentIndex() == index
            self.sort.removeItem(index)
            if was_current:
                self.sort.setCurrentIndex(max(0, self.sort.findData(self._sort_before_rows)))
        self.sort.blockSignals(blocked)

    def _check_batch(self) -> None:
        for action in self.batch_actions:
            action.setChecked(action.data() == self._batch_id)

    def _menu_opens(self) -> None:
        if self._batch_entries is None and not self.batch_menu.actions():
            self._fill_batch_menu()  # "Loading…" until the panel answers (a few ms)
        self.batchesWanted.emit()

    def remember_batch(self, batch: BatchRecord, rows: int) -> None:
        """How to name a batch (its record and row count, read by the panel)."""
        from wan27_desktop.i18n import batch_kind_name
        from wan27_desktop.library.times import parse_time
        from wan27_desktop.text import one_line

        self._batch_names[batch.id] = self.tr("{name} (#{id})").format(name=one_line(batch.name, 32), id=batch.id)
        moment = parse_time(batch.created_at)
        when = moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""
        self._batch_labels[batch.id] = self.tr("#{id} {name} — {kind}, %n row(s), {date}", "", rows).format(
            id=batch.id, name=one_line(batch.name, 40), kind=batch_kind_name(batch.kind), date=when
        )
        if batch.id == self._batch_id:
            self._update_labels()

    def set_batches(self, batches: Sequence[tuple[BatchRecord, BatchCounts]]) -> None:
        """The library's batches, newest first (BATCH_MENU_SIZE of them are listed; one more says
        there are older ones)."""
        for batch, counts in batches:
            self.remember_batch(batch, counts.total)
        entries = [(batch.id, self._batch_labels[batch.id]) for batch, _ in batches[:BATCH_MENU_SIZE]]
        more = len(batches) > BATCH_MENU_SIZE
        if entries == self._batch_entries and more == self._more_batches:
            return  # unchanged: the open menu keeps its highlighted entry
        self._batch_entries, self._more_batches = entries, more
        self._fill_batch_menu()

    def _fill_batch_menu(self) -> None:
        menu = self.batch_menu
        for action in self.batch_actions:
            self.batch_group.removeAction(action)
        menu.clear()
        self.batch_actions = []
        entries = list(self._batch_entries or [])
        if self._batch_id is not None and self._batch_id not in dict(entries):
            label = self._batch_labels.get(self._batch_id) or self._batch_name()
            entries.append((self._batch_id, label))
        if self._batch_entries is None and not entries:
            menu.addAction(self.tr("Loading batches…")).setEnabled(False)
            return
        if not entries:
            empty = menu.addAction(self.tr("No batches yet"))
            empty.setObjectName("galleryNoBatches")
            empty.setEnabled(False)
            return
        choices: list[tuple[int | None, str]] = [(None, self.tr("Any batch")), *entries]
        for batch_id, label in choices:
            action = menu.addAction(label)
            action.setObjectName("galleryAnyBatch" if batch_id is None else f"galleryBatch{batch_id}")
            action.setCheckable(True)
            action.setData(batch_id)
            self.batch_group.addAction(action)
            self.batch_actions.append(action)
            action.triggered.connect(lambda _checked=False, b=batch_id: self.set_batch(b))
            if batch_id is None:
                menu.addSeparator()
        if self._more_batches:
            menu.addSeparator()
            menu.addAction(self.tr("Older batches: Jobs ▸ Batches…")).setEnabled(False)
        self._check_batch()

    def select(self, group: list[QAction], value: object) -> None:
        """Pick a menu filter by value (tests and the main window's menus use this)."""
        for action in group:
            if action.data() == value:
                self._pick(group, action)
                return
        raise ValueError(f"no filter choice {value!r}")

    def query(self) -> ImageQuery:
        date_from, date_to = self.date_range()
        refs = self._value(self.refs_actions)
        sets = self._value(self.sets_actions)
        mode = self._value(self.mode_actions)
        model = self._value(self.model_actions)
        return ImageQuery(
            text=search_text(self.search.text()),
            favourites_only=self.favourites.isChecked(),
            min_rating=int(self._value(self.rating_actions) or 0),  # type: ignore[call-overload]
            model=str(model) if model else None,
            mode=str(mode) if mode else None,
            date_from=date_from,
            date_to=date_to,
            with_references=refs if isinstance(refs, bool) else None,
            image_sets=sets if isinstance(sets, bool) else None,
            trashed=self._trashed,
            sort=self.sort.currentData(),
            batch_id=self._batch_id,
            collapse_sets=self.stack_action.isChecked(),
        )

    def is_filtered(self, *, besides_batch: bool = False) -> bool:
        """A search or a filter hides images (what the empty grid then says); `besides_batch`: one
        other than the batch filter."""
        count = self.active_count() - (1 if besides_batch and self._batch_id is not None else 0)
        return bool(count or search_text(self.search.text()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # The active-filter line wraps; only the bar decides the minimum width.
        hint = super().minimumSizeHint()
        return QSize(self.bar.minimumSize().width() + 12, hint.height())

    def _emit_now(self) -> None:
        self._debounce.stop()
        self._emit()

    def _emit(self) -> None:
        self.clear_action.setEnabled(bool(self.active_count()) or bool(self.search.text()))
        self.queryChanged.emit(self.query())
