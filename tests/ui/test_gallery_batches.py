"""The gallery's Batch filter (issue 17): the Filters menu's Batch submenu lists the library's batches
newest first; choosing one shows exactly its images, each row's in row order (the rows ran side by
side, so they landed in another order), with the batch's spend and its export; ✕ brings every image
back; the batch window's Show in Gallery uses the same filter; keyboard and accessible names.

Two batches run against the fake over real HTTP into a real library in tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from tests.jobs.batch.conftest import Run, wait_until
from tests.service_fixtures import fake  # noqa: F401 - fixture
from wan27_desktop.api.models import GenerationRequest, Model, Region, RequestMode
from wan27_desktop.api.pricing import format_cny
from wan27_desktop.jobs.batch import sources
from wan27_desktop.jobs.runner import Connection
from wan27_desktop.library import ImageQuery, Library
from wan27_desktop.ui.gallery.panel import GalleryPanel


def _plan(tmp_path: Path, name: str, prompts: list[str], n: int) -> sources.BatchPlan:
    path = tmp_path / name
    path.write_text("".join(f"{prompt}\n" for prompt in prompts), encoding="utf-8")
    return sources.from_list(path, GenerationRequest(prompt="", model=Model.PRO, size="1K", n=n))


class Batches:
    """Batch A (2 rows, one image each) ran in order; batch B (3 rows, two images each) ran side by
    side and its rows landed last row first."""

    def __init__(self, data_dir: Path, a: int, b: int) -> None:
        self.data_dir, self.a, self.b = data_dir, a, b

    def row_order(self, batch_id: int) -> list[int]:
        """The batch's image ids, row by row, each row's images in their set order."""
        with Library.open(self.data_dir, reconcile=False) as library:
            ids: list[int] = []
            for row in library.batches.rows(batch_id):
                assert row.job_id is not None
                ids += [image.id for image in library.images.of_job(row.job_id)]
            return ids

    def landing_order(self, batch_id: int) -> list[int]:
        with Library.open(self.data_dir, reconcile=False) as library:
            return library.images.ids(ImageQuery(batch_id=batch_id, sort="oldest"))


@pytest.fixture
def batches(
    fake: Any,  # noqa: F811 - the fixture imported above
    isolated_environment: Path,
    tmp_path: Path,
) -> Iterator[Batches]:
    fake.text_preset_aspects = ((1, 1),)
    connection = Connection(Region.SINGAPORE, fake.base_url, fake.api_key)
    with Library.open(isolated_environment) as library:
        first = Run(
            library, _plan(tmp_path, "first.txt", ["a red kite", "a blue kite"], 1), connection, RequestMode.ASYNC
        )
        first.run()
        fake.polls_pending = 1_000_000  # B's tasks wait at the service until released below
        second = Run(
            library,
            _plan(tmp_path, "second.txt", ["row one: a fox", "row two: a hare", "row three: an owl"], 2),
            connection,
            RequestMode.ASYNC,
        )
        second.start()

        def task_ids() -> list[str | None]:  # row by row: the rows' workers may submit in any order
            return [library.jobs.get(row.job_id).task_id if row.job_id else None for row in second.rows()]

        wait_until(lambda: all(task_ids()), what="batch B's three tasks at the service")
        landed = len(library.images.ids(ImageQuery()))
        for task_id in reversed(task_ids()):  # the last row first
            task = fake.tasks[task_id]
            task.polls_pending = task.queries
            landed += 2
            wait_until(lambda n=landed: len(library.images.ids(ImageQuery())) == n, what="a row's images")
        second.join()
        yield Batches(isolated_environment, first.batch_id, second.batch_id)


@pytest.fixture
def make_panel(qtbot: QtBot) -> Iterator[Callable[[Path], GalleryPanel]]:
    made: list[GalleryPanel] = []

    def make(data_dir: Path) -> GalleryPanel:
        panel = GalleryPanel(data_dir)
        qtbot.addWidget(panel)
        panel.resize(900, 600)
        panel.show()
        qtbot.waitUntil(panel.model.is_loaded)
        made.append(panel)
        return panel

    yield make
    for panel in made:
        panel.shutdown()


def _open_filters_menu(qtbot: QtBot, panel: GalleryPanel) -> QMenu:
    """Pops the Filters menu up (without a nested event loop) and waits for its Batch submenu."""
    filters = panel.filters
    filters.menu.popup(filters.more.mapToGlobal(QPoint(0, filters.more.height())))
    qtbot.waitUntil(lambda: filters.batch_menu.actions() and "Loading" not in filters.batch_menu.actions()[0].text())
    return filters.menu


def _shown_ids(qtbot: QtBot, panel: GalleryPanel) -> list[int]:
    model = panel.model
    qtbot.waitUntil(lambda: all(model.loaded_record(row) is not None for row in range(model.rowCount())))
    return [record.id for record in (model.loaded_record(row) for row in range(model.rowCount())) if record]


def test_choosing_a_batch_in_the_filters_menu_shows_its_rows_in_order_with_its_spend(
    qtbot: QtBot, batches: Batches, make_panel: Callable[[Path], GalleryPanel], tmp_path: Path
) -> None:
    panel = make_panel(batches.data_dir)
    filters = panel.filters
    everything = panel.model.image_count()
    assert everything == 2 + 6
    assert filters.more.text() == "Filters" and filters.batch_menu.actions() == []  # nothing read before

    menu = _open_filters_menu(qtbot, panel)
    entries = [a for a in filters.batch_menu.actions() if a.text()]
    texts = [a.text() for a in entries]
    assert texts[0] == "Any batch" and texts[0] == entries[0].text() and entries[0].isChecked()
    # Newest first; "row(s)": the English plural forms are the app's translator's, not installed here.
    assert texts[1].startswith(f"#{batches.b} second.txt — list, 3 row"), texts
    assert texts[2].startswith(f"#{batches.a} first.txt — list, 2 row"), texts
    choice = filters.batch_menu.findChild(type(entries[1]), f"galleryBatch{batches.b}")
    assert choice is entries[1]
    with qtbot.waitSignal(panel.model.queryApplied, timeout=5000):
        choice.trigger()
    menu.close()

    expected = batches.row_order(batches.b)
    assert len(expected) == 6
    assert batches.landing_order(batches.b) != expected  # the rows landed last first: order is the rows'
    assert _shown_ids(qtbot, panel) == expected
    assert panel.query().batch_id == batches.b and panel.query().sort == "rows"
    assert filters.sort.currentText() == "Row order"
    assert filters.more.text() == "Filters (1)"
    assert f"Batch: second.txt (#{batches.b})" in filters.active_label.text()
    assert 'href="batch"' in filters.active_label.text()
    assert filters.batch_menu.title() == f"Batch: second.txt (#{batches.b})"

    bar = panel.batch_bar
    qtbot.waitUntil(lambda: "spent" in bar.text())
    assert bar.isVisible()
    with Library.open(batches.data_dir, reconcile=False) as library:
        spent = library.batches.counts(batches.b).spent
    assert spent > 0
    assert bar.text().startswith(f"Batch #{batches.b} “second.txt”: 3 row"), bar.text()
    assert bar.text().endswith(f", 3 done · spent {format_cny(spent)}"), bar.text()

    out = tmp_path / "export"
    with qtbot.waitSignal(panel.statusMessage, timeout=10_000, check_params_cb=lambda t: "written" in t):
        panel.export_batch(out)
    assert (out / "batch.csv").is_file() and len(list(out.glob("*.png"))) == 6

    with qtbot.waitSignal(panel.model.queryApplied, timeout=5000):
        filters.active_label.linkActivated.emit("batch")  # its ✕
    assert panel.model.image_count() == everything and panel.query().batch_id is None
    assert filters.sort.currentData() == "newest" and filters.sort.findData("rows") < 0
    assert filters.more.text() == "Filters" and not filters.active_label.isVisibleTo(panel)
    assert not bar.isVisibleTo(panel)
    assert filters.batch_actions[0].isChecked()


def test_a_batch_combines_with_other_filters_and_clear_filters_removes_it(
    qtbot: QtBot, batches: Batches, make_panel: Callable[[Path], GalleryPanel]
) -> None:
    panel = make_panel(batches.data_dir)
    filters = panel.filters
    with qtbot.waitSignal(panel.model.queryApplied, timeout=5000):
        filters.set_batch(batches.a)
    assert panel.model.image_count() == 2
    with qtbot.waitSignal(panel.model.queryApplied, timeout=5000):
        filters.favourites.setChecked(True)
    assert panel.model.rowCount() == 0 and filters.more.text() == "Filters (2)"
    assert panel.view.empty_text().startswith("No images match")  # another filter hides them: not "no images yet"
    with qtbot.waitSignal(panel.model.queryApplied, timeout=5000):
        filters.clear_action.trigger()
    assert panel.query().batch_id is None and panel.model.image_count() == 8


def test_show_in_gallery_uses_the_batch_filter_and_show_all_images_leaves_it(
    qtbot: QtBot, batches: Batches, make_panel: Callable[[Path], GalleryPanel]
) -> None:
    panel = make_panel(batches.data_dir)
    filters = panel.filters
    with qtbot.waitSignal(panel.model.queryApplied, timeout=5000):
        filters.favourites.setChecked(True)
    panel.trash_toggle.setChecked(True)
    with qtbot.waitSignal(panel.model.queryApplied, timeout=5000):
        panel.show_batch(batches.b)  # the batch window's Show in Gallery
    assert not panel.query().trashed and not panel.query().favourites_only
    assert _shown_ids(qtbot, panel) == batches.row_order(batches.b)
    qtbot.waitUntil(lambda: f"Batch: second.txt (#{batches.b})" in filters.active_label.text())  # named once read
    with qtbot.waitSignal(panel.model.queryApplied, timeout=5000):
        panel.show_all_images()  # View ▸ Show All Images
    assert panel.query().batch_id is None and panel.model.image_count() == 8


def test_an_empty_library_shows_a_disabled_no_batches_yet(
    qtbot: QtBot, isolated_environment: Path, make_panel: Callable[[Path], GalleryPanel]
) -> None:
    with Library.open(isolated_environment):
        pass
    panel = make_panel(isolated_environment)
    menu = _open_filters_menu(qtbot, panel)
    (only,) = panel.filters.batch_menu.actions()
    assert only.text() == "No batches yet" and not only.isEnabled()
    assert only.objectName() == "galleryNoBatches"
    menu.close()


def test_the_batch_submenu_works_from_the_keyboard_and_is_named(
    qtbot: QtBot, batches: Batches, make_panel: Callable[[Path], GalleryPanel]
) -> None:
    panel = make_panel(batches.data_dir)
    filters = panel.filters
    assert filters.more.accessibleName() == "Filters"
    assert filters.batch_menu.accessibleName() == "Filter by batch"
    assert filters.batch_menu.objectName() == "galleryBatchMenu"
    filters.more.setFocus()
    assert filters.more.hasFocus()
    steps: list[str] = []

    def popup() -> QMenu | None:
        widget = QApplication.activePopupWidget()
        return widget if isinstance(widget, QMenu) else None

    def drive() -> None:  # runs inside the menu's own event loop
        menu = popup()
        assert menu is filters.menu
        qtbot.waitUntil(lambda: len(filters.batch_actions) == 3)
        # Down to the Batch submenu (after the menu's own entries), Right opens it.
        while menu.activeAction() is not filters.batch_menu.menuAction():
            qtbot.keyClick(menu, Qt.Key.Key_Down)
            steps.append(menu.activeAction().text() if menu.activeAction() else "")
            assert len(steps) < 20, steps
        qtbot.keyClick(menu, Qt.Key.Key_Right)
        qtbot.waitUntil(lambda: popup() is filters.batch_menu)
        submenu = filters.batch_menu
        while submenu.activeAction() is not filters.batch_actions[2]:  # batch A, the older one
            qtbot.keyClick(submenu, Qt.Key.Key_Down)
            assert len(steps) < 40, steps
            steps.append(submenu.activeAction().text() if submenu.activeAction() else "")
        qtbot.keyClick(submenu, Qt.Key.Key_Return)

    QTimer.singleShot(0, drive)
    with qtbot.waitSignal(panel.model.queryApplied, timeout=10_000):
        qtbot.keyClick(filters.more, Qt.Key.Key_Space)  # opens the menu (its loop returns once chosen)
    assert panel.query().batch_id == batches.a
    assert _shown_ids(qtbot, panel) == batches.row_order(batches.a)
    for name, text in (
        ("galleryBatchExport", "Export the batch's images and CSV"),
        ("galleryBatchOpen", "Open the batch's window"),
    ):
        button = panel.findChild(type(panel.batch_bar.export_button), name)
        assert button is not None and button.accessibleName() == text
        assert button.focusPolicy() & Qt.FocusPolicy.TabFocus


def test_the_submenu_lists_the_newest_batches_and_the_one_shown(
    qtbot: QtBot, isolated_environment: Path, make_panel: Callable[[Path], GalleryPanel]
) -> None:
    from tests.library.conftest import request
    from wan27_desktop.library.batches import NewRow
    from wan27_desktop.ui.gallery.filters import BATCH_MENU_SIZE

    with Library.open(isolated_environment) as library:
        ids = [
            library.batches.create_batch(
                name=f"list {number}.txt",
                kind="list",
                source=f"/tmp/list {number}.txt",
                request_mode="async",
                region="sg",
                endpoint="http://127.0.0.1:9/api/v1",
                rows=[NewRow(0, request("a lighthouse"))],
                estimated_cost="0.56",
            )
            for number in range(BATCH_MENU_SIZE + 2)
        ]
    panel = make_panel(isolated_environment)
    filters = panel.filters
    menu = _open_filters_menu(qtbot, panel)
    assert [a.data() for a in filters.batch_actions] == [None, *reversed(ids[-BATCH_MENU_SIZE:])]
    older = filters.batch_menu.actions()[-1]
    assert older.text() == "Older batches: Jobs ▸ Batches…" and not older.isEnabled()
    menu.close()

    with qtbot.waitSignal(panel.model.queryApplied, timeout=5000):
        panel.show_batch(ids[0])  # older than the list: it is added, checked
    assert filters.batch_actions[-1].data() == ids[0] and filters.batch_actions[-1].isChecked()
    assert panel.view.empty_text().startswith("This batch has no images in the library yet.")
    with qtbot.waitSignal(panel.model.queryApplied, timeout=5000):
        panel.view.empty_state.actionClicked.emit()  # "Show all images"
    assert panel.query().batch_id is None
    assert [a.data() for a in filters.batch_actions] == [None, *reversed(ids[-BATCH_MENU_SIZE:])]
