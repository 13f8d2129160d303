# ruff: noqa: F811 - pytest fixtures imported from test_gallery_fixtures are redefined as arguments
"""The gallery's filter bar: narrow enough for a 1280 px window, the Filters menu with its count,
the active-filter line with ✕ links, the custom date range picker (validation and filtering by
dates), and what the empty grid says. Real library, offscreen widgets."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from tests.ui.main_window_support import make_window, notifier  # noqa: F401 - fixtures
from tests.ui.test_gallery_fixtures import (  # noqa: F401 - fixtures
    ROWS,
    TOTAL,
    gallery_data,
    lib,
    library_template,
    panel,
)
from wan27_desktop.library import ImageQuery, Library
from wan27_desktop.ui.gallery.dates import DateRangeDialog
from wan27_desktop.ui.gallery.filters import GalleryFilters
from wan27_desktop.ui.gallery.panel import GalleryPanel, display_path


def apply(qtbot: QtBot, panel: GalleryPanel, change: object) -> None:
    with qtbot.waitSignal(panel.model.queryApplied, timeout=5000):
        change()  # type: ignore[operator]


def backdate(data_dir: Path, image_ids: list[int], day: date) -> None:
    """Move images to noon (local time) of another day, straight in the real database."""
    moment = datetime(day.year, day.month, day.day, 12).astimezone().astimezone(timezone.utc)
    conn = sqlite3.connect(data_dir / "library" / "library.sqlite3")
    with conn:
        conn.executemany(
            "UPDATE images SET created_at = ? WHERE id = ?",
            [(moment.isoformat(timespec="microseconds"), i) for i in image_ids],
        )
    conn.close()


def test_filter_bar_needs_at_most_480_px(qtbot: QtBot) -> None:
    bar = GalleryFilters()
    qtbot.addWidget(bar)
    from PySide6.QtWidgets import QToolButton

    bar.insert_bar_widget(QToolButton(text="Trash"))  # as the panel does
    bar.add_clear_button()  # as the panel does once it loads
    assert bar.minimumSizeHint().width() <= 480
    bar.select(bar.rating_actions, 3)
    bar.favourites.setChecked(True)
    bar.set_date_range("2026-01-01", "2026-01-31")
    assert bar.minimumSizeHint().width() <= 480  # active filters wrap under the bar, never widen it
    bar.resize(480, 80)
    bar.show()
    qtbot.waitExposed(bar)
    for widget in (bar.search, bar.sort, bar.more, bar.slider, bar.count_label):
        assert widget.isVisible() and widget.width() >= widget.minimumSizeHint().width(), widget.objectName()


def test_filters_menu_counts_active_filters_and_the_line_removes_them(
    qtbot: QtBot, panel: GalleryPanel, lib: Library
) -> None:  # noqa: F811
    filters = panel.filters
    assert filters.more.text() == "Filters" and not filters.active_label.isVisibleTo(panel)
    image_ids = lib.images.ids(ImageQuery())[:3]
    lib.curation.set_favourite(image_ids, True)
    lib.curation.set_rating(image_ids[:2], 4)
    apply(qtbot, panel, lambda: filters.favourites.setChecked(True))
    apply(qtbot, panel, lambda: filters.select(filters.rating_actions, 4))
    assert panel.model.rowCount() == 2
    assert filters.more.text().startswith("Filters (2")
    assert filters.rating_menu.title() == "Rating: ≥ ★★★★"
    assert filters.active_label.isVisibleTo(panel)
    assert "Favourites" in filters.active_label.text() and "≥ ★★★★" in filters.active_label.text()
    apply(qtbot, panel, lambda: filters.active_label.linkActivated.emit("rating"))
    assert panel.model.rowCount() == 3 and filters.more.text().startswith("Filters (1")
    assert panel.model.query().min_rating == 0 and filters.rating_actions[0].isChecked()
    apply(qtbot, panel, lambda: filters.active_label.linkActivated.emit("all"))
    assert panel.model.rowCount() == ROWS and filters.more.text() == "Filters"
    assert not filters.active_label.isVisibleTo(panel)


def test_stacking_is_a_view_option_not_a_filter(qtbot: QtBot, panel: GalleryPanel) -> None:
    filters = panel.filters
    apply(qtbot, panel, lambda: filters.stack_action.setChecked(False))
    assert panel.model.rowCount() == TOTAL and not panel.model.query().collapse_sets
    assert filters.more.text() == "Filters" and not filters.is_filtered()
    assert panel.filters.count_label.toolTip() == ""
    apply(qtbot, panel, lambda: filters.stack_action.setChecked(True))
    assert panel.model.rowCount() == ROWS
    assert "tile" in panel.filters.count_label.toolTip()


def test_the_stacking_choice_is_kept_for_the_next_session(qtbot: QtBot, make_window: Any) -> None:  # noqa: F811
    first = make_window(start=False)
    assert first.gallery.filters.stack_action.isChecked() and first.gallery.query().collapse_sets  # default
    first.gallery.filters.stack_action.trigger()  # Filters ▸ Stack image sets, as a click does
    assert not first.gallery.query().collapse_sets
    first.close()  # quitting saves the window's state
    assert "stack_sets=false" in first.settings.path.read_text(encoding="utf-8")

    second = make_window(start=False)  # the same settings file
    assert not second.gallery.filters.stack_action.isChecked() and not second.gallery.query().collapse_sets
    second.reopen_library(second.data_dir)  # as after a library move: a new gallery is built
    assert not second.gallery.filters.stack_action.isChecked() and not second.gallery.query().collapse_sets
    second.gallery.filters.stack_action.trigger()
    second.close()

    third = make_window(start=False)
    assert third.gallery.filters.stack_action.isChecked() and third.gallery.query().collapse_sets


def open_dialog(qtbot: QtBot, filters: GalleryFilters) -> DateRangeDialog:
    filters.custom_range_action.trigger()  # Filters ▸ Date ▸ Custom range…
    dialog = filters.date_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_date_range_picker_refuses_a_backwards_range_with_a_clear_message(qtbot: QtBot, panel: GalleryPanel) -> None:
    dialog = open_dialog(qtbot, panel.filters)
    assert dialog.start.calendarPopup() and dialog.end.calendarPopup()
    dialog.start.setDate(QDate(2026, 3, 10))
    dialog.end.setDate(QDate(2026, 3, 1))
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    assert "2026-03-10" in dialog.message.text() and "after the last day" in dialog.message.text()
    assert dialog.message.property("textRole") == "error"
    qtbot.keyClick(dialog.end, Qt.Key.Key_Return)  # Enter does not slip a bad range through
    assert dialog.isVisible() and panel.model.query().date_from is None
    dialog.end.setDate(QDate(2026, 3, 10))
    assert ok.isEnabled() and "1 day" in dialog.message.text()
    dialog.reject()
    assert panel.model.query().date_from is None
    assert not panel.filters.custom_range_action.isChecked() and panel.filters.date_actions[0].isChecked()


def test_custom_date_range_filters_by_day_and_can_be_cleared(qtbot: QtBot, gallery_data: Path, lib: Library) -> None:  # noqa: F811
    old_ids = lib.images.ids(ImageQuery(sort="oldest"))[:5]  # single images (the oldest jobs)
    backdate(gallery_data, old_ids[:3], date(2025, 1, 10))
    backdate(gallery_data, old_ids[3:], date(2025, 1, 21))
    panel = GalleryPanel(gallery_data)
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    qtbot.waitUntil(panel.model.is_loaded)
    dialog = open_dialog(qtbot, panel.filters)
    dialog.start.setDate(QDate(2025, 1, 10))
    dialog.end.setDate(QDate(2025, 1, 20))
    with qtbot.waitSignal(panel.model.queryApplied, timeout=5000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    query = panel.model.query()
    assert (query.date_from, query.date_to) == ("2025-01-10", "2025-01-20")
    assert sorted(r.id for r in (panel.model.loaded_record(i) for i in range(panel.model.rowCount())) if r) == sorted(
        old_ids[:3]
    )
    filters = panel.filters
    assert "2025-01-10 – 2025-01-20" in filters.active_label.text()
    assert filters.date_menu.title() == "Date: 2025-01-10 – 2025-01-20"
    assert filters.custom_range_action.isChecked() and not any(a.isChecked() for a in filters.date_actions)
    assert filters.more.text().startswith("Filters (1")
    # The last day counts whole: widening the end to the 21st takes in the two from that day.
    dialog = open_dialog(qtbot, filters)
    assert dialog.start.date() == QDate(2025, 1, 10)  # the picker opens on the range that applies
    dialog.end.setDate(QDate(2025, 1, 21))
    with qtbot.waitSignal(panel.model.queryApplied, timeout=5000):
        dialog.accept()
    assert panel.model.rowCount() == 5
    apply(qtbot, panel, lambda: filters.active_label.linkActivated.emit("date"))
    assert panel.model.query().date_from is None and panel.model.rowCount() == ROWS
    assert filters.date_actions[0].isChecked() and not filters.custom_range_action.isChecked()
    panel.shutdown()


def test_a_date_preset_replaces_a_custom_range(qtbot: QtBot, panel: GalleryPanel) -> None:
    filters = panel.filters
    apply(qtbot, panel, lambda: filters.set_date_range("2020-01-01", "2020-01-02"))
    assert panel.model.rowCount() == 0
    apply(qtbot, panel, lambda: filters.select(filters.date_actions, "7"))
    assert panel.model.rowCount() == ROWS
    today = date.today()
    assert panel.model.query().date_from == (today - timedelta(days=6)).isoformat()
    assert not filters.custom_range_action.isChecked()


def test_empty_states_say_what_to_do(qtbot: QtBot, panel: GalleryPanel, tmp_path: Path) -> None:
    apply(
        qtbot,
        panel,
        lambda: (panel.filters.search.setText("zzzz-no-such-prompt"), panel.filters.search.returnPressed.emit()),
    )
    assert panel.model.rowCount() == 0
    empty = panel.view.empty_state
    assert "No images match" in panel.view.empty_text()
    assert empty.isVisible() and empty.button.isVisible() and empty.button.text() == "Clear filters"
    apply(qtbot, panel, empty.button.click)  # the way out clears the search and every filter
    assert panel.model.rowCount() == ROWS and panel.filters.search.text() == ""
    assert not empty.isVisible()
    apply(qtbot, panel, panel.trash_toggle.click)
    assert panel.view.empty_text().startswith("Trash is empty")
    assert not empty.button.isVisible()

    fresh = GalleryPanel(tmp_path / "empty-data")
    qtbot.addWidget(fresh)
    fresh.resize(700, 500)
    fresh.show()
    qtbot.waitUntil(fresh.model.is_loaded)
    text = fresh.view.empty_text()
    assert "No images yet" in text and "Ctrl+Enter" in text
    assert display_path(tmp_path / "empty-data" / "library") in text
    assert fresh.view.empty_state.isVisible() and not fresh.view.empty_state.button.isVisible()
    fresh.shutdown()


@pytest.mark.parametrize("key", ["favourites", "model", "mode", "refs", "sets"])
def test_each_menu_filter_shows_up_in_the_count_and_the_line(qtbot: QtBot, key: str) -> None:
    filters = GalleryFilters()
    qtbot.addWidget(filters)
    if key == "favourites":
        filters.favourites.setChecked(True)
    else:
        group = {
            "model": filters.model_actions,
            "mode": filters.mode_actions,
            "refs": filters.refs_actions,
            "sets": filters.sets_actions,
        }[key]
        filters.select(group, group[1].data())
    assert filters.active_count() == 1 and filters.is_filtered()
    assert f'href="{key}"' in filters.active_label.text()
    filters.active_label.linkActivated.emit(key)
    assert filters.active_count() == 0 and filters.query() == ImageQuery(collapse_sets=True)
