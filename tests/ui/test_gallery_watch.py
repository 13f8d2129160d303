"""An open gallery shows images that another process lands in its library (the `wan27` command
here, run for real in a child process against the fake service), as it shows its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.cli_helpers import cli_env, run_cli
from wan27_desktop.library import ImageQuery, Library
from wan27_desktop.ui.gallery.panel import GalleryPanel


def generate(env: dict[str, str], prompt: str, n: int = 1) -> None:
    result = run_cli(["generate", prompt, "-n", str(n), "--size", "1K"], env)
    assert result.returncode == 0, result.stderr


ROWS = ImageQuery(collapse_sets=False)  # every image its own row


def newest_first(data_dir: Path) -> list[int]:
    with Library.open(data_dir) as library:
        return sorted((image.id for image in library.images.query(ROWS, 0, 100)), reverse=True)


@pytest.fixture
def env(fake_dashscope: Any, isolated_environment: Path) -> dict[str, str]:
    fake_dashscope.result_image_mode = "small"
    return cli_env(fake_dashscope, isolated_environment)


@pytest.fixture
def open_gallery(qtbot: QtBot, env: dict[str, str], isolated_environment: Path) -> Iterator[GalleryPanel]:
    generate(env, "a lighthouse at dusk")  # the library exists, with one image, before the window opens
    panel = GalleryPanel(isolated_environment)
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    qtbot.waitUntil(lambda: panel.model.is_loaded() and panel.model.rowCount() == 1, timeout=10_000)
    panel.model.stop_watching()
    panel.model.watch_library(interval_ms=100)
    yield panel
    panel.shutdown()


def test_images_the_wan27_command_lands_appear_at_the_top_of_an_open_gallery(
    qtbot: QtBot, open_gallery: GalleryPanel, env: dict[str, str], isolated_environment: Path
) -> None:
    panel = open_gallery
    generate(env, "a red fox in snow")
    generate(env, "a fishing boat in fog")
    expected = newest_first(isolated_environment)
    assert len(expected) == 3
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3, timeout=10_000)
    qtbot.waitUntil(
        lambda: [getattr(panel.model.loaded_record(row), "id", None) for row in range(3)] == expected,
        timeout=10_000,
    )


def test_an_image_reported_twice_is_applied_once(
    qtbot: QtBot, open_gallery: GalleryPanel, env: dict[str, str], isolated_environment: Path
) -> None:
    """Our own landing and the watch can both report an image: it is shown once, and the second
    report reads nothing again."""
    panel = open_gallery
    panel.model.stop_watching()
    generate(env, "a red fox in snow")
    new_id = newest_first(isolated_environment)[0]
    panel.notify_image_added(new_id)  # as the job runner's landing would
    qtbot.waitUntil(lambda: getattr(panel.model.loaded_record(0), "id", None) == new_id, timeout=10_000)
    qtbot.waitUntil(lambda: not panel.model.is_busy() and panel.worker.pending() == 0, timeout=10_000)
    fetched = panel.model.pages_fetched
    panel.model.watch_library(interval_ms=100)  # its next look finds the same image
    qtbot.wait(500)
    assert panel.model.pages_fetched == fetched
    assert panel.model.rowCount() == 2
    assert [getattr(panel.model.loaded_record(row), "id", None) for row in range(2)] == newest_first(
        isolated_environment
    )


def test_a_library_that_cannot_be_read_is_reported_once_and_watched_again_when_it_can(
    qtbot: QtBot,
    open_gallery: GalleryPanel,
    env: dict[str, str],
    isolated_environment: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    import sqlite3

    from wan27_desktop.library.images import ImageStore

    panel = open_gallery
    looks: list[int] = []

    def busy(self: ImageStore) -> tuple[int, str]:
        looks.append(1)
        raise sqlite3.OperationalError("database is locked")

    with monkeypatch.context() as patch:
        patch.setattr(ImageStore, "newest", busy)
        qtbot.waitUntil(lambda: len(looks) >= 4, timeout=10_000)
    said = [r for r in caplog.records if "cannot look for new images" in r.getMessage()]
    assert len(said) == 1 and "database is locked" in said[0].getMessage()
    generate(env, "a red fox in snow")
    new_id = newest_first(isolated_environment)[0]
    qtbot.waitUntil(lambda: getattr(panel.model.loaded_record(0), "id", None) == new_id, timeout=10_000)


def empty_the_trash_of(data_dir: Path, image_id: int) -> None:
    """Another process deletes an image for good (Trash, then Empty Trash)."""
    with Library.open(data_dir) as library:
        library.curation.trash([image_id])
        library.curation.empty_trash(on_gone=lambda _sha: None)


def shown_top(panel: GalleryPanel) -> tuple[int, str] | None:
    record = panel.model.loaded_record(0)
    return (record.id, record.sha256) if record is not None else None


def newest_image(data_dir: Path) -> tuple[int, str]:
    with Library.open(data_dir) as library:
        return library.images.newest()


@pytest.mark.parametrize("between_looks", [False, True], ids=["seen-gone", "replaced-between-looks"])
def test_an_image_that_takes_a_deleted_images_id_is_shown(
    qtbot: QtBot,
    open_gallery: GalleryPanel,
    env: dict[str, str],
    isolated_environment: Path,
    monkeypatch: pytest.MonkeyPatch,
    between_looks: bool,
) -> None:
    """SQLite gives a new image the highest free id: after the newest image is deleted, the next
    one takes its id. It must still be shown, whether the watch saw the deletion first or both
    happened between two looks; and a landing report of the reused id is not taken for the old one."""
    from wan27_desktop.ui.gallery import model as gallery_model

    monkeypatch.setattr(gallery_model, "HEARD_WINDOW_S", 0.2)
    panel = open_gallery
    with qtbot.waitSignal(panel.model.queryApplied, timeout=10_000):  # rows, not stacks: no refresh for a set
        panel.set_query(ROWS)
    generate(env, "a red fox in snow")
    first = newest_image(isolated_environment)
    qtbot.waitUntil(lambda: shown_top(panel) == first, timeout=10_000)
    if between_looks:
        panel.model.stop_watching()
    empty_the_trash_of(isolated_environment, first[0])
    if not between_looks:
        qtbot.waitUntil(lambda: panel.model._newest is not None and panel.model._newest[0] < first[0], timeout=5000)
    qtbot.wait(300)  # past the window in which a second report of `first` is ignored
    generate(env, "a fishing boat in fog")
    second = newest_image(isolated_environment)
    assert second[0] == first[0] and second != first
    if between_looks:
        panel.model.watch_library(interval_ms=100)  # its next look finds the same newest id, another image
    else:
        panel.notify_image_added(second[0])  # as this window's own landing would report it
    qtbot.waitUntil(lambda: shown_top(panel) == second, timeout=10_000)


def test_another_processs_trash_restore_and_rating_show_in_an_open_gallery(
    qtbot: QtBot, open_gallery: GalleryPanel, env: dict[str, str], isolated_environment: Path
) -> None:
    """Edits of images already shown, made by the `wan27` command (a real child process) or another
    window's connection, appear without a refresh by hand: the library's edit stamp moved."""
    panel = open_gallery
    (image_id,) = newest_first(isolated_environment)
    trashed = run_cli(["library", "trash", str(image_id)], env)
    assert trashed.returncode == 0, trashed.stderr
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=10_000)  # the library view hides the trash
    restored = run_cli(["library", "restore", str(image_id)], env)
    assert restored.returncode == 0, restored.stderr
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10_000)
    qtbot.waitUntil(lambda: getattr(panel.model.loaded_record(0), "id", None) == image_id, timeout=10_000)
    with Library.open(isolated_environment, reconcile=False) as other_window:
        other_window.curation.set_rating([image_id], 4)
    qtbot.waitUntil(lambda: getattr(panel.model.loaded_record(0), "rating", None) == 4, timeout=10_000)


def test_a_quiet_library_is_not_read_again(
    qtbot: QtBot, open_gallery: GalleryPanel, isolated_environment: Path
) -> None:
    """Nothing changed: the watch's looks read no page (its cost stays one small query a look)."""
    panel = open_gallery
    qtbot.waitUntil(lambda: not panel.model.is_busy() and panel.worker.pending() == 0, timeout=10_000)
    fetched = panel.model.pages_fetched
    qtbot.wait(600)  # several looks at 100 ms
    assert panel.model.pages_fetched == fetched
