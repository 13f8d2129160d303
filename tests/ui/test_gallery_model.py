# ruff: noqa: F811 - pytest fixtures imported from test_gallery_fixtures are redefined as arguments
"""Gallery model windowing, grid arithmetic, and sort/filter/search against a real library."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from tests.ui.test_gallery_fixtures import (  # noqa: F401 - fixtures
    EDIT_JOBS,
    SET_JOBS,
    TOTAL,
    gallery_data,
    lib,
    library_template,
    panel,
)
from wan27_desktop.library import ImageQuery, Library
from wan27_desktop.library.query import stacked_ids
from wan27_desktop.ui.gallery.model import (
    GalleryModel,
    Role,
    rows_to_ranges,
    shift_after_insertion,
    shift_after_removal,
)
from wan27_desktop.ui.gallery.panel import GalleryPanel
from wan27_desktop.ui.gallery.view import GridGeometry
from wan27_desktop.ui.gallery.worker import DbWorker, LibraryAccess


@pytest.fixture
def small_pages(qtbot: QtBot, gallery_data: Path) -> Iterator[GalleryModel]:  # noqa: F811
    worker = DbWorker(LibraryAccess(gallery_data))
    model = GalleryModel(worker, page_size=10, max_pages=3)
    yield model
    worker.shutdown()


# --- pure helpers ---------------------------------------------------------------------------------------
def test_rows_to_ranges_merges_runs() -> None:
    assert rows_to_ranges([7, 1, 2, 3, 9, 8]) == [(1, 3), (7, 9)]
    assert rows_to_ranges([]) == []


def test_shift_after_removal_and_insertion() -> None:
    assert shift_after_removal(5, [1, 2]) == 3
    assert shift_after_removal(2, [1, 2]) is None
    assert shift_after_removal(0, [1, 2]) == 0
    assert shift_after_insertion(0, [0]) == 1
    assert shift_after_insertion(3, [0, 2]) == 5
    assert shift_after_insertion(3, [10]) == 3


def test_grid_geometry_round_trips_rows_and_points() -> None:
    grid = GridGeometry(count=1000, width=1000, cell=150)
    assert grid.columns == 6
    for row in (0, 5, 6, 517, 999):
        rect = grid.rect(row)
        assert grid.row_at(rect.center().x(), rect.center().y()) == row
    assert grid.row_at(int(grid.gap) // 2, grid.rect(0).center().y()) == -1  # the gap left of a cell
    first, last = grid.rows_between(grid.rect(60).top(), grid.rect(60).top() + 10)
    assert first == 60 and last == 65
    assert grid.content_height == 167 * grid.row_height + grid.spacing


# --- windowing ------------------------------------------------------------------------------------------
def test_model_reads_count_and_only_the_first_page(qtbot: QtBot, small_pages: GalleryModel) -> None:
    with qtbot.waitSignal(small_pages.queryApplied):
        small_pages.set_query(ImageQuery())
    assert small_pages.rowCount() == TOTAL
    assert small_pages.loaded_pages() == [0]
    assert small_pages.loaded_row_count() == 10


def test_first_rows_show_once_and_the_count_completes_them(qtbot: QtBot, small_pages: GalleryModel) -> None:
    shown: list[int] = []
    small_pages.rowsShown.connect(lambda: shown.append(small_pages.rowCount()))
    with qtbot.waitSignal(small_pages.queryApplied):
        small_pages.set_query(ImageQuery())
    # A full first page may be shown before the count (10 rows), else with it: once either way.
    assert len(shown) == 1 and shown[0] in (10, TOTAL)
    assert small_pages.rowCount() == TOTAL and not small_pages.count_pending() and not small_pages.is_busy()
    small_pages.set_visible_range(TOTAL - 10, TOTAL - 1)
    qtbot.waitUntil(lambda: small_pages.loaded_record(TOTAL - 1) is not None)


def test_unloaded_rows_are_placeholders_until_their_page_arrives(qtbot: QtBot, small_pages: GalleryModel) -> None:
    with qtbot.waitSignal(small_pages.queryApplied):
        small_pages.set_query(ImageQuery())
    small_pages.set_visible_range(100, 109)
    index = small_pages.index(105)
    assert small_pages.data(index, Role.RECORD) is None  # placeholder, and a page request
    qtbot.waitUntil(lambda: small_pages.data(index, Role.RECORD) is not None)
    assert 10 in small_pages.loaded_pages()


def test_pages_in_memory_stay_bounded_while_scrolling(qtbot: QtBot, small_pages: GalleryModel, lib: Library) -> None:  # noqa: F811
    with qtbot.waitSignal(small_pages.queryApplied):
        small_pages.set_query(ImageQuery())
    expected = lib.images.ids(ImageQuery())
    for first in range(0, TOTAL, 10):
        small_pages.set_visible_range(first, first + 9)
        small_pages.record(first)
        qtbot.waitUntil(lambda first=first: small_pages.loaded_record(first) is not None)
        assert small_pages.loaded_record(first).id == expected[first]  # type: ignore[union-attr]
        assert len(small_pages.loaded_pages()) <= 3
    assert small_pages.loaded_row_count() <= 30


def test_pages_scrolled_away_before_their_turn_are_not_fetched(qtbot: QtBot, small_pages: GalleryModel) -> None:
    with qtbot.waitSignal(small_pages.queryApplied):
        small_pages.set_query(ImageQuery())
    fetched = small_pages.pages_fetched
    for first in range(0, TOTAL, 10):  # a fast scroll: every page asked for in one event-loop turn
        small_pages.set_visible_range(first, first + 9)
        small_pages.record(first)
    small_pages.set_visible_range(TOTAL - 10, TOTAL - 1)
    qtbot.waitUntil(lambda: small_pages.loaded_record(TOTAL - 1) is not None)
    small_pages.worker.wait()
    assert small_pages.pages_fetched - fetched <= 4


def test_an_image_landing_during_a_refresh_still_appears_at_the_top(
    qtbot: QtBot,
    small_pages: GalleryModel,
    lib: Library,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A refresh reads the count and the rows on two threads. When an image lands between the two
    reads, the count has it and the rows do not; its own landing notice must then still put it at
    the top (in a view without stacks too: a job's or a batch's), not leave the old first page."""
    import threading

    from tests.ui.test_gallery_fixtures import add_job
    from wan27_desktop.library import query as library_query

    model = small_pages
    model.set_visible_range(0, 9)
    with qtbot.waitSignal(model.queryApplied):
        model.set_query(ImageQuery(collapse_sets=False))
    before = model.rowCount()
    page_read, landed = threading.Event(), threading.Event()
    real_layout, real_page = library_query.stack_layout, library_query.stacked_page

    def layout_after_landing(*args: object, **kwargs: object) -> object:
        if not landed.is_set():
            assert landed.wait(10), "the test did not land its image"
        return real_layout(*args, **kwargs)  # type: ignore[arg-type]

    def page_before_landing(*args: object, **kwargs: object) -> object:
        page = real_page(*args, **kwargs)  # type: ignore[arg-type]
        page_read.set()
        return page

    monkeypatch.setattr(library_query, "stack_layout", layout_after_landing)
    monkeypatch.setattr(library_query, "stacked_page", page_before_landing)
    with qtbot.waitSignal(model.queryApplied, timeout=10_000):
        model.refresh()
        qtbot.waitUntil(page_read.is_set)
        scratch = tmp_path / "scratch"
        scratch.mkdir()
        new_id = lib.images.of_job(add_job(lib, scratch, 997))[0].id
        landed.set()
    assert model.rowCount() == before + 1  # the count has it ...
    assert model.loaded_record(0).id != new_id  # type: ignore[union-attr]  # ... the rows read before did not
    monkeypatch.undo()
    model.notify_image_added(new_id)
    qtbot.waitUntil(lambda: getattr(model.loaded_record(0), "id", None) == new_id, timeout=5000)
    assert model.rowCount() == before + 1


@pytest.mark.parametrize("stacks", [True, False], ids=["stacked", "rows"])
def test_a_refresh_read_before_an_image_was_inserted_does_not_drop_it(
    qtbot: QtBot,
    gallery_data: Path,  # noqa: F811
    lib: Library,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    stacks: bool,
) -> None:
    """A refresh's reads and a landed image's insertion run on different worker threads. When the
    refresh read the library before the image landed but answers after the image was inserted, its
    answer is older than the rows on screen: applying it would drop the image from the gallery (it
    was seen in the UI-stall benchmark: a paid image shown, then gone). It must read again."""
    import threading

    from tests.ui.test_gallery_fixtures import add_job
    from wan27_desktop.library import query as library_query

    worker = DbWorker(LibraryAccess(gallery_data), max_threads=3)
    model = GalleryModel(worker, page_size=10, max_pages=3)
    try:
        model.set_visible_range(0, 9)
        with qtbot.waitSignal(model.queryApplied):
            model.set_query(ImageQuery(collapse_sets=stacks))
        before = model.rowCount()
        arrived, release = threading.Semaphore(0), threading.Event()
        held = {"layout": 1, "page": 1}  # the refresh's two reads; later reads pass
        lock = threading.Lock()
        real_layout, real_page = library_query.stack_layout, library_query.stacked_page

        def hold(kind: str, answer: object) -> object:
            with lock:
                mine = held[kind] > 0
                held[kind] -= 1
            if mine:  # read now (before the landing), answer after the insertion
                arrived.release()
                assert release.wait(10)
            return answer

        monkeypatch.setattr(library_query, "stack_layout", lambda *a, **k: hold("layout", real_layout(*a, **k)))
        monkeypatch.setattr(library_query, "stacked_page", lambda *a, **k: hold("page", real_page(*a, **k)))
        model.refresh()
        for _ in range(2):
            assert arrived.acquire(timeout=10)
        scratch = tmp_path / "scratch"
        scratch.mkdir()
        new_id = lib.images.of_job(add_job(lib, scratch, 996))[0].id
        model.notify_image_added(new_id)
        qtbot.waitUntil(lambda: getattr(model.loaded_record(0), "id", None) == new_id, timeout=5000)
        assert model.rowCount() == before + 1
        release.set()  # the old refresh answers now
        qtbot.waitUntil(lambda: not model.is_busy() and worker.pending() == 0, timeout=5000)
        assert getattr(model.loaded_record(0), "id", None) == new_id
        assert model.rowCount() == before + 1
    finally:
        release.set()
        monkeypatch.undo()
        worker.shutdown()


def test_rows_not_loaded_resolve_to_their_ids_unless_the_library_moved_meanwhile(
    qtbot: QtBot,
    small_pages: GalleryModel,
    lib: Library,  # noqa: F811
    tmp_path: Path,
) -> None:
    """A selection of rows not loaded yet is read as ids on the worker (to trash, rate or export
    them). If an image landed that the rows do not show yet, every row names the image before it:
    acting then would hit the wrong images, so nothing is done and the user is told."""
    from tests.ui.test_gallery_fixtures import add_job

    model = small_pages
    model.set_visible_range(0, 9)
    query = ImageQuery(collapse_sets=False)
    with qtbot.waitSignal(model.queryApplied):
        model.set_query(query)
    rows = [25, 26, 40]
    assert all(model.loaded_record(r) is None for r in rows)
    expected = [lib.images.ids(query)[r] for r in rows]
    got: list[list[int]] = []
    model.resolve_ids(rows, got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    assert got == [expected]

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    add_job(lib, scratch, 995)  # landed; the model has not been told yet
    got.clear()
    with qtbot.waitSignal(model.selectionStale, timeout=5000):
        model.resolve_ids(rows, got.append)
    assert got == []


def test_view_reports_visible_range_and_grid_shows_loaded_rows(qtbot: QtBot, panel: GalleryPanel) -> None:
    first, last = panel.view.visible_rows()
    assert first == 0 and 0 < last < TOTAL
    qtbot.waitUntil(lambda: panel.model.visible_range() == (first, last))
    qtbot.waitUntil(lambda: panel.loader.cached_count() >= last - first)
    assert panel.loader.cached_count() <= last + 1 + 10


def test_thumbnail_cache_is_bounded_by_bytes(qtbot: QtBot, panel: GalleryPanel) -> None:
    panel.loader.max_bytes = 200_000
    panel.view.verticalScrollBar().setValue(panel.view.verticalScrollBar().maximum())
    qtbot.waitUntil(lambda: panel.loader.pending_count() == 0 and panel.loader.decoded_count > 0)
    assert panel.loader.cached_bytes() <= 200_000


def test_a_new_query_holds_new_thumbnail_decodes_until_its_rows_are_shown(qtbot: QtBot, panel: GalleryPanel) -> None:
    """A search's first page is what the person waits for: no new decode starts while it is read."""
    loader = panel.loader
    qtbot.waitUntil(lambda: loader.pending_count() == 0 and loader.decoded_count > 0)
    loader.clear()
    started: list[int] = []
    real_start = loader.pool.start
    loader.pool.start = lambda fn: (started.append(1), real_start(fn))  # type: ignore[method-assign]
    shown: list[int] = []
    panel.model.modelAboutToBeReset.connect(lambda: shown.append(len(started)))  # the new rows arrive
    panel.set_query(panel.model.query().replace(sort="oldest"))
    panel.view.viewport().repaint()  # the old rows ask again for what clear() dropped: held
    assert loader.pending_count() > 0 and not started
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert shown[0] == 0  # nothing started before the new rows came
    qtbot.waitUntil(lambda: bool(started) and loader.pending_count() == 0, timeout=10_000)
    loader.hold(50)  # a hold that is never released ends by itself
    loader.image(panel.model.loaded_record(0), 31)  # type: ignore[arg-type]
    assert loader.pending_count() == 1
    qtbot.waitUntil(lambda: loader.pending_count() == 0, timeout=5000)


def test_thumbnail_slider_changes_tile_size(qtbot: QtBot, panel: GalleryPanel) -> None:
    before = panel.view.visible_rows()[1]
    panel.filters.slider.setValue(64)
    assert panel.view.cell_size() == 64
    assert panel.view.visible_rows()[1] > before
    index = panel.model.index(0)
    assert panel.view.visualRect(index).width() == 64


# --- sort, filters, search --------------------------------------------------------------------------------
def ids_on_screen(panel: GalleryPanel, count: int) -> list[int]:
    return [panel.model.data(panel.model.index(row), Role.IMAGE_ID) for row in range(count)]


def apply(qtbot: QtBot, panel: GalleryPanel, change: object) -> None:
    with qtbot.waitSignal(panel.model.queryApplied, timeout=5000):
        change()  # type: ignore[operator]


def test_sort_orders_match_the_library(qtbot: QtBot, panel: GalleryPanel, lib: Library) -> None:  # noqa: F811
    lib.curation.set_rating([lib.images.ids(ImageQuery(sort="oldest"))[3]], 5)
    for sort in ("oldest", "rating", "newest"):
        apply(qtbot, panel, lambda sort=sort: panel.filters.sort.setCurrentIndex(panel.filters.sort.findData(sort)))
        assert panel.model.query().collapse_sets  # the default: image sets stacked
        assert ids_on_screen(panel, 20) == stacked_ids(lib.images, panel.model.query())[:20]


def test_filters_narrow_the_grid(qtbot: QtBot, panel: GalleryPanel, lib: Library) -> None:  # noqa: F811
    filters = panel.filters
    apply(qtbot, panel, lambda: filters.select(filters.sets_actions, True))
    assert panel.model.rowCount() == SET_JOBS  # one stack per set
    assert panel.model.image_count() == SET_JOBS * 3
    apply(qtbot, panel, lambda: filters.stack_action.setChecked(False))
    assert panel.model.rowCount() == SET_JOBS * 3
    apply(qtbot, panel, lambda: filters.stack_action.setChecked(True))
    apply(qtbot, panel, lambda: filters.select(filters.sets_actions, None))
    apply(qtbot, panel, lambda: filters.select(filters.refs_actions, True))
    assert panel.model.rowCount() == EDIT_JOBS
    apply(qtbot, panel, lambda: filters.select(filters.refs_actions, None))
    apply(qtbot, panel, lambda: filters.select(filters.model_actions, "wan2.7-image"))
    assert panel.model.rowCount() == lib.images.count(panel.model.query()) > 0
    assert panel.model.query().model == "wan2.7-image"
    apply(qtbot, panel, lambda: filters.select(filters.model_actions, None))
    ids = lib.images.ids(ImageQuery())[:4]
    lib.curation.set_favourite(ids[:2], True)
    lib.curation.set_rating(ids[1:4], 4)
    apply(qtbot, panel, lambda: filters.favourites.setChecked(True))
    assert sorted(ids_on_screen(panel, panel.model.rowCount())) == sorted(ids[:2])
    apply(qtbot, panel, lambda: filters.favourites.setChecked(False))
    apply(qtbot, panel, lambda: filters.select(filters.rating_actions, 4))
    assert sorted(ids_on_screen(panel, panel.model.rowCount())) == sorted(ids[1:4])
    apply(qtbot, panel, lambda: filters.select(filters.date_actions, "today"))
    assert panel.model.rowCount() == 3  # everything was made today


def test_search_as_you_type_shows_matching_prompts(qtbot: QtBot, panel: GalleryPanel, lib: Library) -> None:  # noqa: F811
    with qtbot.waitSignal(panel.model.queryApplied, timeout=5000):
        qtbot.keyClicks(panel.filters.search, "astronaut")
    expected = lib.images.count(panel.model.query())
    images = lib.images.count(ImageQuery(text="astronaut"))
    assert 0 < expected < images < TOTAL  # one of the matching jobs is an image set: one stack
    assert panel.model.rowCount() == expected
    assert all(
        "astronaut" in (panel.model.data(panel.model.index(r), Role.RECORD).prompt or "") for r in range(expected)
    )
    assert panel.filters.count_label.full_text().startswith(f"{images} image")


def test_search_debounce_runs_one_query_for_a_burst_of_keys(qtbot: QtBot, panel: GalleryPanel) -> None:
    applied: list[ImageQuery] = []
    panel.filters.queryChanged.connect(applied.append)
    qtbot.keyClicks(panel.filters.search, "blue dog")
    qtbot.waitUntil(lambda: len(applied) >= 1)
    qtbot.waitUntil(lambda: panel.model.query().text == "blue dog")
    assert [q.text for q in applied] == ["blue dog"]


def test_no_match_and_empty_library_show_what_to_do(qtbot: QtBot, panel: GalleryPanel, tmp_path: Path) -> None:
    apply(
        qtbot,
        panel,
        lambda: panel.filters.search.setText("zzzz-no-such-prompt") or panel.filters.search.returnPressed.emit(),
    )
    assert panel.model.rowCount() == 0
    assert "No images match" in panel.view.empty_text()
    empty = GalleryPanel(tmp_path / "empty-data")
    qtbot.addWidget(empty)
    qtbot.waitUntil(empty.model.is_loaded)
    assert "Ctrl+Enter" in empty.view.empty_text()
    empty.shutdown()


def test_model_drag_mime_and_flags(panel: GalleryPanel) -> None:
    index = panel.model.index(0)
    assert panel.model.flags(index) & Qt.ItemFlag.ItemIsDragEnabled
    assert not panel.model.flags(QModelIndex()) & Qt.ItemFlag.ItemIsDragEnabled


def test_a_deferred_gallery_makes_its_tile_painter_with_the_first_rows(qtbot: QtBot, gallery_data: Path) -> None:
    """The main window builds its gallery with `load=False` and paints it before reading anything:
    the thumbnail loader and the tile painter (and their modules) come with `load()`, at the size
    the slider chose meanwhile, and then the grid shows thumbnails as before."""
    from wan27_desktop.ui.gallery.delegate import ThumbnailDelegate

    panel = GalleryPanel(gallery_data, load=False)
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    qtbot.waitExposed(panel)
    assert panel._loader is None and panel._delegate is None  # nothing to paint yet
    panel.filters.slider.setValue(96)  # before any row: remembered by the view
    assert panel._delegate is None and panel.view.cell_size() == 96
    panel.load()
    assert isinstance(panel.view.itemDelegate(), ThumbnailDelegate)
    assert panel.view.itemDelegate() is panel.delegate and panel.delegate.tile == 96
    qtbot.waitUntil(panel.model.is_loaded)
    first, last = panel.view.visible_rows()
    qtbot.waitUntil(lambda: panel.loader.cached_count() >= last - first)
    panel.filters.slider.setValue(128)
    assert panel.delegate.tile == 128 and panel.view.cell_size() == 128
    panel.shutdown()


def test_the_search_box_gets_its_clear_button_when_the_gallery_loads(qtbot: QtBot, gallery_data: Path) -> None:
    """Its icon is looked up in the desktop's icon theme (~8 ms under X11): a deferred gallery adds
    it with `load()`, after the window's first full paint; a gallery that reads at once, at once."""
    panel = GalleryPanel(gallery_data, load=False)
    qtbot.addWidget(panel)
    assert not panel.filters.search.isClearButtonEnabled()
    panel.load()
    assert panel.filters.search.isClearButtonEnabled()
    loaded = GalleryPanel(gallery_data)
    qtbot.addWidget(loaded)
    assert loaded.filters.search.isClearButtonEnabled()
    for each in (panel, loaded):
        qtbot.waitUntil(each.model.is_loaded)
        each.shutdown()
