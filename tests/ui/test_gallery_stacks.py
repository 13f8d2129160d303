# ruff: noqa: F811 - pytest fixtures imported from test_gallery_fixtures are redefined as arguments
"""Image-set stacks in the grid: the badge and + / − open and close a set in place without moving
the rows around it, Del on a stack trashes its set (Ctrl+Z brings it all back), and stacks with
search, filters, the trash and newly landing images. Real library, offscreen widgets."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.test_gallery_fixtures import (  # noqa: F401 - fixtures
    ROWS,
    SET_JOBS,
    TOTAL,
    _png,
    gallery_data,
    lib,
    library_template,
    panel,
    request_json,
)
from wan27_desktop.library import ImageQuery, Library
from wan27_desktop.library.query import stacked_ids
from wan27_desktop.ui.gallery.model import GalleryModel, Role
from wan27_desktop.ui.gallery.panel import GalleryPanel
from wan27_desktop.ui.gallery.worker import DbWorker, LibraryAccess


def stack_rows(panel: GalleryPanel) -> list[int]:
    return [
        row
        for row in range(panel.model.rowCount())
        if panel.model.set_badge(row) is not None and not panel.model.set_badge(row).expanded
    ]  # type: ignore[union-attr]


def ids(panel: GalleryPanel, rows: range | list[int]) -> list[int | None]:
    return [panel.model.data(panel.model.index(r), Role.IMAGE_ID) for r in rows]


def apply(qtbot: QtBot, panel: GalleryPanel, change: object) -> None:
    with qtbot.waitSignal(panel.model.queryApplied, timeout=5000):
        change()  # type: ignore[operator]


def loaded(qtbot: QtBot, panel: GalleryPanel, rows: range) -> None:
    qtbot.waitUntil(lambda: all(panel.model.loaded_record(r) is not None for r in rows), timeout=5000)


def test_sets_are_stacked_by_default_with_a_count_badge(panel: GalleryPanel, lib: Library) -> None:  # noqa: F811
    assert panel.model.rowCount() == ROWS
    assert panel.model.image_count() == TOTAL
    rows = stack_rows(panel)
    assert len(rows) == SET_JOBS
    badge = panel.model.set_badge(rows[0])
    assert badge is not None and badge.size == 3 and badge.position == 1
    record = panel.model.loaded_record(rows[0])
    assert record is not None and record.index == 0  # the stack shows the set's first image
    assert "A set of 3 image" in panel.model.data(panel.model.index(rows[0]), Qt.ItemDataRole.ToolTipRole)
    assert ids(panel, range(ROWS)) == stacked_ids(lib.images, panel.model.query())


def test_badge_click_opens_the_set_after_its_stack_and_closes_it_again(qtbot: QtBot, panel: GalleryPanel) -> None:
    row = stack_rows(panel)[2]
    before = ids(panel, range(row + 1))
    rect = panel.view.visualRect(panel.model.index(row))
    badge = panel.model.set_badge(row)
    assert badge is not None
    point = panel.delegate.set_badge_rect(rect, panel.view.font(), badge).center().toPoint()
    with qtbot.waitSignal(panel.model.rowsInserted, timeout=5000):
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert panel.model.rowCount() == ROWS + 2
    assert ids(panel, range(row + 1)) == before  # nothing before the stack moved
    members = [panel.model.loaded_record(r) for r in range(row, row + 3)]
    assert [m.index for m in members if m is not None] == [0, 1, 2]
    assert len({m.job_id for m in members if m is not None}) == 1
    assert [panel.model.set_badge(r).position for r in range(row, row + 3)] == [1, 2, 3]  # type: ignore[union-attr]
    loaded(qtbot, panel, range(0, ROWS + 2 if ROWS + 2 < 60 else 60))
    with qtbot.waitSignal(panel.model.rowsRemoved, timeout=5000):
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert panel.model.rowCount() == ROWS
    assert ids(panel, range(row + 1)) == before
    assert panel.model.set_badge(row) is not None and not panel.model.set_badge(row).expanded  # type: ignore[union-attr]


def test_plus_and_minus_keys_open_and_close_without_moving_the_scroll(
    qtbot: QtBot, panel: GalleryPanel, lib: Library
) -> None:  # noqa: F811
    panel.filters.slider.setValue(96)  # small tiles: the stacks sit mid-screen, not at the top
    bar = panel.view.verticalScrollBar()
    row = stack_rows(panel)[-1]
    bar.setValue(panel.view.geometry_now().rect(row).top() - 150)
    scroll = bar.value()
    assert scroll > 0
    first, _ = panel.view.visible_rows()
    loaded(qtbot, panel, range(first, row + 1))
    y_above = panel.view.visualRect(panel.model.index(row - 1)).top()
    above = ids(panel, range(first, row + 1))
    panel.view.setCurrentIndex(panel.model.index(row))
    with qtbot.waitSignal(panel.model.rowsInserted, timeout=5000):
        qtbot.keyClick(panel.view, Qt.Key.Key_Plus)
    assert bar.value() == scroll
    assert ids(panel, range(first, row + 1)) == above
    assert panel.view.visualRect(panel.model.index(row - 1)).top() == y_above
    assert panel.model.query().expanded_jobs == {panel.model.loaded_record(row).job_id}  # type: ignore[union-attr]
    loaded(qtbot, panel, range(row, row + 3))
    panel.view.setCurrentIndex(panel.model.index(row + 2))  # the last image of the open set
    qtbot.keyClick(panel.view, Qt.Key.Key_Plus)  # already open: nothing happens
    assert panel.model.rowCount() == ROWS + 2
    with qtbot.waitSignal(panel.model.rowsRemoved, timeout=5000):
        qtbot.keyClick(panel.view, Qt.Key.Key_Minus)
    assert panel.model.rowCount() == ROWS
    assert bar.value() == scroll
    assert panel.view.currentIndex().row() == row  # the cursor goes back to the stack
    # The rows re-read after the edits agree with the library's own order.
    panel.model.refresh()
    qtbot.waitUntil(lambda: not panel.model.is_busy())
    assert ids(panel, range(first, row + 1)) == stacked_ids(lib.images, panel.model.query())[first : row + 1]


def test_open_sets_page_correctly_when_pages_end_inside_them(qtbot: QtBot, gallery_data: Path, lib: Library) -> None:  # noqa: F811
    worker = DbWorker(LibraryAccess(gallery_data))
    model = GalleryModel(worker, page_size=7, max_pages=4)
    with qtbot.waitSignal(model.queryApplied):
        model.set_query(ImageQuery(collapse_sets=True))
    order = stacked_ids(lib.images, model.query())
    sets = [row for row, image_id in enumerate(order) if lib.images.get(image_id).is_set][:3]
    for number, row in enumerate(sets):
        row += 2 * number  # the sets opened before this one pushed it down
        model.set_visible_range(row, row)
        qtbot.waitUntil(lambda row=row: model.set_badge(row) is not None)
        with qtbot.waitSignal(model.rowsInserted, timeout=5000):
            model.expand_set(row)
    expected = stacked_ids(lib.images, model.query())
    assert len(expected) == model.rowCount() == ROWS + 6
    assert model.layout().count == ROWS + 6 and len(model.layout().expansions) == 3
    for first in range(0, model.rowCount(), 7):  # every page, read again with the open sets
        last = min(first + 6, model.rowCount() - 1)
        model.set_visible_range(first, last)
        model.record(first)
        qtbot.waitUntil(
            lambda first=first, last=last: all(model.loaded_record(r) is not None for r in range(first, last + 1))
        )
        assert [model.loaded_record(r).id for r in range(first, last + 1)] == expected[first : last + 1]  # type: ignore[union-attr]
    with qtbot.waitSignal(model.queryApplied):
        model.refresh(reset=True)  # a refresh reads the layout again from the library: the same rows
    assert model.layout().expansions and model.rowCount() == ROWS + 6
    worker.shutdown()


def test_an_open_set_stays_open_while_searching(qtbot: QtBot, panel: GalleryPanel, lib: Library) -> None:  # noqa: F811
    apply(qtbot, panel, lambda: (panel.filters.search.setText("astronaut"), panel.filters.search.returnPressed.emit()))
    row = stack_rows(panel)[0]
    with qtbot.waitSignal(panel.model.rowsInserted, timeout=5000):
        panel.toggle_set(row)
    job = panel.model.set_badge(row).job_id  # type: ignore[union-attr]
    apply(qtbot, panel, lambda: panel.filters.search.clear())
    assert panel.model.query().expanded_jobs == {job}
    assert panel.model.rowCount() == ROWS + 2
    assert ids(panel, range(panel.model.rowCount())) == stacked_ids(lib.images, panel.model.query())


def test_delete_on_a_stack_trashes_the_whole_set_and_undo_restores_it(
    qtbot: QtBot, panel: GalleryPanel, lib: Library
) -> None:  # noqa: F811
    row = stack_rows(panel)[0]
    record = panel.model.loaded_record(row)
    assert record is not None and record.job_id is not None
    set_ids = [i.id for i in lib.images.of_job(record.job_id)]
    after = ids(panel, [row + 1])[0]
    panel.view.setCurrentIndex(panel.model.index(row))
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert panel.model.rowCount() == ROWS - 1
    assert ids(panel, [row])[0] == after
    qtbot.waitUntil(lambda: lib.images.count(ImageQuery(trashed=True)) == 3)
    assert all(lib.images.get(i).trashed_at for i in set_ids)
    qtbot.waitUntil(lambda: "3 image" in panel.undo_label.text())
    qtbot.keyClick(panel.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: lib.images.count(ImageQuery(trashed=True)) == 0)
    qtbot.waitUntil(lambda: panel.model.rowCount() == ROWS and ids(panel, [row])[0] == record.id)


def test_delete_inside_an_open_set_trashes_one_image(qtbot: QtBot, panel: GalleryPanel, lib: Library) -> None:  # noqa: F811
    row = stack_rows(panel)[0]
    with qtbot.waitSignal(panel.model.rowsInserted, timeout=5000):
        panel.toggle_set(row)
    loaded(qtbot, panel, range(row, row + 3))
    middle = ids(panel, [row + 1])[0]
    panel.view.setCurrentIndex(panel.model.index(row + 1))
    qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: lib.images.count(ImageQuery(trashed=True)) == 1)
    assert lib.images.get(middle).trashed_at  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: not panel.model.is_busy() and panel.model.rowCount() == ROWS + 1)
    loaded(qtbot, panel, range(row, row + 2))
    # The row leaves the open set at once; the set's size on its badges comes with the re-read that
    # follows, which may start after the row count already matches.
    qtbot.waitUntil(lambda: [panel.model.set_badge(r).size for r in (row, row + 1)] == [2, 2])  # type: ignore[union-attr]
    assert ids(panel, range(ROWS + 1)) == stacked_ids(lib.images, panel.model.query())


def test_search_and_filters_stack_the_matching_images(qtbot: QtBot, panel: GalleryPanel, lib: Library) -> None:  # noqa: F811
    apply(qtbot, panel, lambda: (panel.filters.search.setText("astronaut"), panel.filters.search.returnPressed.emit()))
    rows = stack_rows(panel)
    assert len(rows) == 1 and panel.model.set_badge(rows[0]).size == 3  # type: ignore[union-attr]
    assert panel.model.rowCount() == lib.images.count(panel.model.query())
    # Rating one image of that set: the rating filter shows a stack of one, i.e. a plain tile.
    record = panel.model.loaded_record(rows[0])
    assert record is not None and record.job_id is not None
    second = lib.images.of_job(record.job_id)[1]
    lib.curation.set_rating([second.id], 4)
    apply(qtbot, panel, lambda: panel.filters.select(panel.filters.rating_actions, 4))
    assert ids(panel, range(panel.model.rowCount())) == [second.id]
    assert panel.model.set_badge(0) is None


def test_the_trash_shows_each_image_of_a_trashed_set(qtbot: QtBot, panel: GalleryPanel, lib: Library) -> None:  # noqa: F811
    record = panel.model.loaded_record(stack_rows(panel)[0])
    assert record is not None and record.job_id is not None
    lib.curation.trash([i.id for i in lib.images.of_job(record.job_id)][:2])
    apply(qtbot, panel, panel.trash_toggle.click)
    assert panel.model.rowCount() == 2
    assert [panel.model.set_badge(r) for r in range(2)] == [None, None]
    assert panel.trash_bar.isVisibleTo(panel)
    apply(qtbot, panel, panel.trash_toggle.click)
    row = next(r for r in range(panel.model.rowCount()) if ids(panel, [r])[0] == lib.images.of_job(record.job_id)[2].id)
    assert panel.model.set_badge(row) is None  # the one image left of the set is a plain tile


def test_images_landing_in_a_set_grow_its_stack(
    qtbot: QtBot, panel: GalleryPanel, lib: Library, tmp_path: Path
) -> None:  # noqa: F811
    body = request_json("a three-panel comic of a lighthouse", n=3, sequential=True)
    job_id = lib.jobs.create(
        body,
        model="wan2.7-image-pro",
        request_mode="sync",
        region="sg",
        endpoint="http://127.0.0.1/api/v1",
        n=3,
        estimated_cost="0.56",
    )
    landed = []
    for index in range(3):
        image = lib.images.add(job_id, None, index, _png(tmp_path / f"n{index}.png", 900 + index), metadata={})
        landed.append(image.id)
        panel.notify_image_added(image.id)
        qtbot.waitUntil(
            lambda: (
                not panel.model.is_busy()
                and ids(panel, [0])[0] == landed[0]
                and (panel.model.set_badge(0).size if panel.model.set_badge(0) else 1) == len(landed)
            )
        )
        assert panel.model.rowCount() == ROWS + 1
    assert panel.model.image_count() == TOTAL + 3
