"""The gallery's search box, sort and filter controls; they produce one `ImageQuery`.

Typing is debounced (150 ms) so a burst of keys runs one query; every other control applies at once.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QSlider,
    QToolButton,
    QWidget,
)

from wan27_desktop.api.models import Mode, Model
from wan27_desktop.library import ImageQuery

SEARCH_DEBOUNCE_MS = 150
THUMB_MIN, THUMB_MAX, THUMB_DEFAULT = 64, 320, 160
# One or two Latin letters match most prompts and are not a useful filter; they also miss the
# library's trigram FTS index (3+ characters) and fall back to a LIKE scan that took 45-135 ms at
# 100k images (measured by tests/benchmarks/gallery_bench.py). Chinese/Japanese characters are
# words on their own, so they search from the first character.
MIN_LATIN_SEARCH = 3


def search_text(raw: str) -> str:
    text = raw.strip()
    return "" if len(text) < MIN_LATIN_SEARCH and text.isascii() else text

SORTS = (("newest", "Newest first"), ("oldest", "Oldest first"), ("rating", "Highest rated"))
DATE_PRESETS = (("any", "Any time"), ("today", "Today"), ("7", "Last 7 days"), ("30", "Last 30 days"),
                ("365", "Last year"))


def date_range_for(preset: str, today: date | None = None) -> tuple[str | None, str | None]:
    """('YYYY-MM-DD' from, to) for a preset; the library treats bare days as whole local days."""
    today = today or date.today()
    if preset == "today":
        return today.isoformat(), today.isoformat()
    if preset.isdigit():
        return (today - timedelta(days=int(preset) - 1)).isoformat(), today.isoformat()
    return None, None


class GalleryFilters(QWidget):
    """Search + sort + filters + thumbnail size. `queryChanged(ImageQuery)` after any change."""

    queryChanged = Signal(object)
    thumbSizeChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("galleryFilters")
        self._trashed = False
        self._custom_dates: tuple[str | None, str | None] | None = None

        self.search = QLineEdit(self)
        self.search.setObjectName("gallerySearch")
        self.search.setAccessibleName("Search prompts")
        self.search.setPlaceholderText("Search prompts…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(110)
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.search.returnPressed.connect(self._emit_now)

        self.sort = QComboBox(self)
        self.sort.setObjectName("gallerySort")
        self.sort.setAccessibleName("Sort order")
        for key, label in SORTS:
            self.sort.addItem(label, key)

        self.favourites = QToolButton(self)
        self.favourites.setObjectName("galleryFavouritesFilter")
        self.favourites.setText("♥ Favourites")
        self.favourites.setAccessibleName("Favourites only")
        self.favourites.setCheckable(True)

        self.rating = QComboBox(self)
        self.rating.setObjectName("galleryRatingFilter")
        self.rating.setAccessibleName("Minimum rating")
        self.rating.addItem("Any rating", 0)
        for stars in range(1, 6):
            self.rating.addItem("≥ " + "★" * stars, stars)

        self.model_filter = QComboBox(self)
        self.model_filter.setObjectName("galleryModelFilter")
        self.model_filter.setAccessibleName("Model")
        self.model_filter.addItem("Any model", None)
        for model in Model:
            self.model_filter.addItem(model.label, model.value)

        self.more = QToolButton(self)
        self.more.setObjectName("galleryMoreFilters")
        self.more.setText("Filters")
        self.more.setAccessibleName("More filters")
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.more)
        self.mode_actions = self._radio_group(menu, "Mode", [(None, "Any mode")] +
                                              [(m.value, m.label) for m in Mode])
        self.date_actions = self._radio_group(menu, "Date", list(DATE_PRESETS))
        self.refs_actions = self._radio_group(menu, "References", [(None, "With or without references"),
                                                                  (True, "With references"),
                                                                  (False, "Without references")])
        self.sets_actions = self._radio_group(menu, "Image sets", [(None, "Sets and single images"),
                                                                  (True, "Image sets only"),
                                                                  (False, "Single images only")])
        self.more.setMenu(menu)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("galleryCount")
        self.count_label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)

        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("thumbSizeSlider")
        self.slider.setAccessibleName("Thumbnail size")
        self.slider.setRange(THUMB_MIN, THUMB_MAX)
        self.slider.setSingleStep(8)
        self.slider.setPageStep(32)
        self.slider.setValue(THUMB_DEFAULT)
        self.slider.setFixedWidth(90)
        self.slider.valueChanged.connect(self.thumbSizeChanged)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(6)
        layout.addWidget(self.search, 3)
        for widget in (self.sort, self.favourites, self.rating, self.model_filter, self.more):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.slider)

        # Let the combos shrink to a few characters so the bar never forces the gallery (and so
        # the window) wider than the generation panel can afford on a 1280 px screen.
        for combo in (self.sort, self.rating, self.model_filter):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(7)
        for combo in (self.sort, self.rating, self.model_filter):
            combo.currentIndexChanged.connect(self._emit_now)
        self.favourites.toggled.connect(self._emit_now)

    def _radio_group(self, menu: QMenu, title: str, choices: list[tuple[object, str]]) -> list[QAction]:
        menu.addSection(title)
        actions: list[QAction] = []
        for value, label in choices:
            action = menu.addAction(label)
            action.setCheckable(True)
            action.setData(value)
            actions.append(action)
        actions[0].setChecked(True)
        for action in actions:
            action.triggered.connect(lambda _checked=False, a=action, group=actions: self._pick(group, a))
        return actions

    def _pick(self, group: list[QAction], chosen: QAction) -> None:
        for action in group:
            action.setChecked(action is chosen)
        if group is self.date_actions:
            self._custom_dates = None
        self._update_more_label()
        self._emit_now()

    @staticmethod
    def _value(group: list[QAction]) -> object:
        return next((a.data() for a in group if a.isChecked()), None)

    def _update_more_label(self) -> None:
        active = sum(1 for group in (self.mode_actions, self.date_actions, self.refs_actions, self.sets_actions)
                     if not group[0].isChecked()) + (1 if self._custom_dates else 0)
        self.more.setText(f"Filters ({active})" if active else "Filters")

    # --- public -------------------------------------------------------------------------------------
    def set_trashed(self, trashed: bool) -> None:
        self._trashed = trashed
        self._emit_now()

    def set_date_range(self, date_from: str | None, date_to: str | None) -> None:
        """A custom range (e.g. from the metadata panel's date); presets reset it."""
        self._custom_dates = (date_from, date_to) if (date_from or date_to) else None
        self._update_more_label()
        self._emit_now()

    def select(self, group: list[QAction], value: object) -> None:
        """Pick a menu filter by value (tests and the main window's menus use this)."""
        for action in group:
            if action.data() == value:
                self._pick(group, action)
                return
        raise ValueError(f"no filter choice {value!r}")

    def query(self) -> ImageQuery:
        preset = str(self._value(self.date_actions) or "any")
        date_from, date_to = self._custom_dates or date_range_for(preset)
        refs = self._value(self.refs_actions)
        sets = self._value(self.sets_actions)
        mode = self._value(self.mode_actions)
        model = self.model_filter.currentData()
        return ImageQuery(
            text=search_text(self.search.text()),
            favourites_only=self.favourites.isChecked(),
            min_rating=int(self.rating.currentData() or 0),
            model=str(model) if model else None,
            mode=str(mode) if mode else None,
            date_from=date_from,
            date_to=date_to,
            with_references=refs if isinstance(refs, bool) else None,
            image_sets=sets if isinstance(sets, bool) else None,
            trashed=self._trashed,
            sort=self.sort.currentData(),
        )

    def is_filtered(self) -> bool:
        q = self.query()
        return q != ImageQuery(trashed=q.trashed, sort=q.sort)

    def _emit_now(self) -> None:
        self._debounce.stop()
        self._emit()

    def _emit(self) -> None:
        self.queryChanged.emit(self.query())
