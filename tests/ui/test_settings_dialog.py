# ruff: noqa: F811  (pytest fixtures are imported from tests/ui/main_window_support.py)
"""SettingsDialog: shows AppSettings, applies on OK only, validates the endpoint, manages the key."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QPushButton, QWidget

from tests.fake_dashscope import FakeDashScope
from tests.ui.main_window_support import (  # noqa: F401 - fixtures
    RecordingNotifier,
    child,
    click,
    env_key,
    fake,
    make_window,
    notifier,
    wait_for_job,
)
from wan27_desktop import config, keys
from wan27_desktop.api.models import GenerationRequest, Region, RequestMode
from wan27_desktop.library import JobState, Library
from wan27_desktop.settings import AppSettings, Language, Theme
from wan27_desktop.ui.dialogs.key import KeyDialog
from wan27_desktop.ui.dialogs.settings import SettingsDialog
from wan27_desktop.ui.window.main_window import MainWindow

KEY = "sk-settings0dialog0key0dddddd4d4d"
OBJECT_NAMES = [
    "settingsRegionCombo",
    "settingsEndpointEdit",
    "settingsKeySourceLabel",
    "settingsKeyMaskedLabel",
    "settingsKeyReplaceButton",
    "settingsKeyRemoveButton",
    "settingsConcurrencySpin",
    "settingsRequestModeCombo",
    "settingsLibraryPathLabel",
    "settingsLibraryMoveButton",
    "settingsThemeCombo",
    "settingsLanguageCombo",
    "settingsOkButton",
    "settingsCancelButton",
]


@pytest.fixture(autouse=True)
def no_session_keys() -> Iterator[None]:
    yield
    for region in Region:
        keys.set_session_key(region, None)


@pytest.fixture
def settings() -> AppSettings:
    return AppSettings()


def open_dialog(qtbot: Any, settings: AppSettings, **kwargs: Any) -> SettingsDialog:
    dialog = SettingsDialog(settings, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot, dialog)
    return dialog


def wait_idle(qtbot: Any, dialog: SettingsDialog) -> None:
    qtbot.waitUntil(lambda: not dialog._calls.busy)


def choose(combo: Any, data: object) -> None:
    combo.setCurrentIndex(combo.findData(data))


def test_every_control_has_an_object_name_and_accessible_name(qtbot: Any, settings: AppSettings) -> None:
    dialog = open_dialog(qtbot, settings)
    for name in OBJECT_NAMES:
        assert child(dialog, name).accessibleName(), name


def test_shows_the_stored_settings(qtbot: Any, settings: AppSettings, tmp_path: Path) -> None:
    settings.region = Region.BEIJING
    settings.custom_endpoint = "https://gw.example.com/api/v1"
    settings.concurrency = 4
    settings.request_mode = RequestMode.ASYNC
    settings.theme = Theme.DARK
    settings.language = Language.CHINESE_SIMPLIFIED
    settings.library_dir = tmp_path / "lib"
    dialog = open_dialog(qtbot, settings)
    assert child(dialog, "settingsRegionCombo").currentData() == Region.BEIJING
    assert child(dialog, "settingsEndpointEdit").text() == "https://gw.example.com/api/v1"
    assert child(dialog, "settingsConcurrencySpin").value() == 4
    assert child(dialog, "settingsRequestModeCombo").currentData() == RequestMode.ASYNC
    assert child(dialog, "settingsThemeCombo").currentData() == Theme.DARK
    assert child(dialog, "settingsLanguageCombo").currentData() == Language.CHINESE_SIMPLIFIED
    assert child(dialog, "settingsLibraryPathLabel").text() == str(tmp_path / "lib")


def test_ok_applies_every_change(qtbot: Any, settings: AppSettings) -> None:
    dialog = open_dialog(qtbot, settings)
    choose(child(dialog, "settingsRegionCombo"), Region.BEIJING)
    qtbot.keyClicks(child(dialog, "settingsEndpointEdit"), "http://127.0.0.1:8765/api/v1")
    spin = child(dialog, "settingsConcurrencySpin")
    spin.selectAll()
    qtbot.keyClicks(spin, "5")
    choose(child(dialog, "settingsRequestModeCombo"), RequestMode.ASYNC)
    choose(child(dialog, "settingsThemeCombo"), Theme.LIGHT)
    choose(child(dialog, "settingsLanguageCombo"), Language.ENGLISH)
    wait_idle(qtbot, dialog)
    with qtbot.waitSignal(dialog.applied):
        click(qtbot, child(dialog, "settingsOkButton"))
    reread = AppSettings(settings.path)
    assert reread.region is Region.BEIJING
    assert reread.custom_endpoint == "http://127.0.0.1:8765/api/v1"
    assert reread.concurrency == 5
    assert reread.request_mode is RequestMode.ASYNC
    assert reread.theme is Theme.LIGHT
    assert reread.language is Language.ENGLISH


def test_cancel_changes_nothing(qtbot: Any, settings: AppSettings) -> None:
    dialog = open_dialog(qtbot, settings)
    choose(child(dialog, "settingsThemeCombo"), Theme.DARK)
    child(dialog, "settingsConcurrencySpin").setValue(5)
    click(qtbot, child(dialog, "settingsCancelButton"))
    reread = AppSettings(settings.path)
    assert reread.theme is Theme.SYSTEM and reread.concurrency == 2


def test_concurrency_is_limited_to_the_services_five_tasks(qtbot: Any, settings: AppSettings) -> None:
    dialog = open_dialog(qtbot, settings)  # kept: pytest-qt holds widgets only weakly
    spin = child(dialog, "settingsConcurrencySpin")
    assert (spin.minimum(), spin.maximum(), spin.value()) == (1, 5, 2)
    assert "5 tasks" in spin.toolTip()


def test_plain_http_to_a_remote_host_blocks_ok_with_a_reason(qtbot: Any, settings: AppSettings) -> None:
    dialog = open_dialog(qtbot, settings)
    edit = child(dialog, "settingsEndpointEdit")
    qtbot.keyClicks(edit, "http://gateway.example.com/api/v1")
    error = child(dialog, "settingsEndpointError")
    assert error.isVisible() and "localhost" in error.text()
    assert not child(dialog, "settingsOkButton").isEnabled()
    edit.clear()
    qtbot.keyClicks(edit, "https://gateway.example.com/api/v1")
    assert not error.isVisible()
    assert child(dialog, "settingsOkButton").isEnabled()


@pytest.mark.parametrize("url", ["http://localhost.localdomain:8080/api/v1", "http://app.localhost:8080/api/v1"])
def test_plain_http_to_a_name_the_client_refuses_blocks_ok(qtbot: Any, settings: AppSettings, url: str) -> None:
    dialog = open_dialog(qtbot, settings)
    qtbot.keyClicks(child(dialog, "settingsEndpointEdit"), url)
    error = child(dialog, "settingsEndpointError")
    assert error.isVisible() and "localhost" in error.text()
    assert not child(dialog, "settingsOkButton").isEnabled()
    click(qtbot, child(dialog, "settingsOkButton"))
    assert AppSettings(settings.path).custom_endpoint is None


def test_key_section_shows_source_and_masked_key_only(qtbot: Any, settings: AppSettings) -> None:
    keys.set_session_key(Region.SINGAPORE, KEY)
    dialog = open_dialog(qtbot, settings)
    assert "session only" in child(dialog, "settingsKeySourceLabel").text()
    assert child(dialog, "settingsKeyMaskedLabel").text() == "sk-…4d4d"
    shown = [w.text() for w in dialog.findChildren(QWidget) if hasattr(w, "text")]
    assert all(KEY[3:-4] not in text for text in shown)


def test_key_section_follows_the_selected_region(qtbot: Any, settings: AppSettings) -> None:
    keys.set_session_key(Region.SINGAPORE, KEY)
    dialog = open_dialog(qtbot, settings)
    choose(child(dialog, "settingsRegionCombo"), Region.BEIJING)
    wait_idle(qtbot, dialog)
    assert "No key" in child(dialog, "settingsKeySourceLabel").text()
    assert not child(dialog, "settingsKeyRemoveButton").isEnabled()


def test_a_key_from_the_environment_cannot_be_replaced_or_removed_here(
    qtbot: Any, settings: AppSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHSCOPE_API_KEY", KEY)
    dialog = open_dialog(qtbot, settings)
    assert "DASHSCOPE_API_KEY" in child(dialog, "settingsKeySourceLabel").text()
    assert not child(dialog, "settingsKeyReplaceButton").isEnabled()
    assert not child(dialog, "settingsKeyRemoveButton").isEnabled()
    assert "DASHSCOPE_API_KEY" in child(dialog, "settingsKeyRemoveButton").toolTip()


def answer_remove_confirmation(qtbot: Any, dialog: SettingsDialog, button: QMessageBox.StandardButton) -> None:
    click(qtbot, child(dialog, "settingsKeyRemoveButton"))
    box = dialog.findChild(QMessageBox, "settingsKeyRemoveConfirm")
    assert box is not None and box.isVisible()
    click(qtbot, box.button(button))
    wait_idle(qtbot, dialog)


@pytest.mark.usefixtures("no_keyring")
def test_remove_asks_first_and_cancel_keeps_the_key(qtbot: Any, settings: AppSettings) -> None:
    keys.set_session_key(Region.SINGAPORE, KEY)
    dialog = open_dialog(qtbot, settings)
    answer_remove_confirmation(qtbot, dialog, QMessageBox.StandardButton.Cancel)
    assert keys.resolve_key(Region.SINGAPORE).key == KEY


@pytest.mark.usefixtures("no_keyring")
def test_remove_confirmed_forgets_a_session_key(qtbot: Any, settings: AppSettings) -> None:
    keys.set_session_key(Region.SINGAPORE, KEY)
    dialog = open_dialog(qtbot, settings)
    with qtbot.waitSignal(dialog.keyChanged):
        answer_remove_confirmation(qtbot, dialog, QMessageBox.StandardButton.Yes)
    wait_idle(qtbot, dialog)
    assert keys.resolve_key(Region.SINGAPORE).key is None
    assert child(dialog, "settingsKeyMaskedLabel").text() == "—"


@pytest.mark.keyring
@pytest.mark.usefixtures("real_keyring")
def test_remove_confirmed_deletes_the_key_from_the_keyring(qtbot: Any, settings: AppSettings) -> None:
    keys.store_key(Region.SINGAPORE, KEY)
    dialog = open_dialog(qtbot, settings)
    assert "System keyring" in child(dialog, "settingsKeySourceLabel").text()
    with qtbot.waitSignal(dialog.keyChanged, timeout=10_000):
        answer_remove_confirmation(qtbot, dialog, QMessageBox.StandardButton.Yes)
    wait_idle(qtbot, dialog)
    assert keys.resolve_key(Region.SINGAPORE).origin == "none"
    assert "No key" in child(dialog, "settingsKeySourceLabel").text()


@pytest.mark.keyring
@pytest.mark.usefixtures("real_keyring")
def test_replace_opens_the_key_dialog_and_refreshes_after_saving(qtbot: Any, settings: AppSettings) -> None:
    with FakeDashScope(region="cn", api_key=KEY) as cn:
        dialog = open_dialog(qtbot, settings, bases={Region.SINGAPORE: cn.base_url, Region.BEIJING: cn.base_url})
        choose(child(dialog, "settingsRegionCombo"), Region.BEIJING)
        wait_idle(qtbot, dialog)
        click(qtbot, child(dialog, "settingsKeyReplaceButton"))
        key_dialog = dialog.findChild(KeyDialog)
        assert key_dialog is not None and key_dialog.isVisible()
        assert key_dialog.region() is Region.BEIJING
        qtbot.waitUntil(lambda: not key_dialog._calls.busy)
        qtbot.keyClicks(child(key_dialog, "keyEdit"), KEY)
        with qtbot.waitSignal(dialog.keyChanged, timeout=10_000):
            click(qtbot, child(key_dialog, "keySaveButton"))
        wait_idle(qtbot, dialog)
    assert keys.resolve_key(Region.BEIJING).origin == "keyring"
    assert child(dialog, "settingsKeyMaskedLabel").text() == "sk-…4d4d"


def test_move_library_emits_the_chosen_folder(qtbot: Any, settings: AppSettings, tmp_path: Path) -> None:
    target = tmp_path / "new-library"
    target.mkdir()
    dialog = open_dialog(qtbot, settings)
    click(qtbot, child(dialog, "settingsLibraryMoveButton"))
    picker = dialog.findChild(QFileDialog, "settingsLibraryFolderDialog")
    assert picker is not None
    picker.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    picker.selectFile(str(target))
    with qtbot.waitSignal(dialog.libraryMoveRequested) as moved:
        picker.accept()
    assert moved.args == [target]
    # The move itself is the app's job; the dialog only shows the folder it is told about.
    assert child(dialog, "settingsLibraryPathLabel").text() == str(settings.library_dir)
    dialog.set_library_dir(target)
    assert child(dialog, "settingsLibraryPathLabel").text() == str(target)


# -- Library ▸ Move…, end to end: the real main window, a real library, the fake service ------------


def seed_library(root: Path, tmp_path: Path, prompts: tuple[str, ...] = ("a red kite", "a grey beach")) -> None:
    from tests.library.conftest import Maker

    with Library.open(root) as library:
        maker = Maker(library, tmp_path / "downloads")
        for prompt in prompts:
            maker.image(prompt)


def gallery_paths(qtbot: Any, window: Any, count: int) -> list[Path]:
    gallery = window.gallery
    qtbot.waitUntil(lambda: gallery.model.rowCount() == count and gallery.wait_idle(50), timeout=10_000)
    records = [gallery.model.record(row) for row in range(count)]
    assert all(record is not None for record in records)
    return [record.path for record in records]


def pick_folder(qtbot: Any, dialog: SettingsDialog, folder: Path) -> None:
    click(qtbot, child(dialog, "settingsLibraryMoveButton"))
    picker = dialog.findChild(QFileDialog, "settingsLibraryFolderDialog")
    assert picker is not None
    picker.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    picker.selectFile(str(folder))
    picker.accept()


def message_box(qtbot: Any, parent: QWidget, name: str) -> QMessageBox:
    def shown() -> QMessageBox:
        box = next((b for b in parent.findChildren(QMessageBox, name) if b.isVisible()), None)
        assert box is not None, f"no visible {name}"
        return box

    qtbot.waitUntil(lambda: shown() is not None, timeout=20_000)
    return shown()


def test_move_library_end_to_end(
    qtbot: Any, make_window: Any, env_key: Any, isolated_environment: Path, tmp_path: Path
) -> None:
    seed_library(isolated_environment, tmp_path)
    window = make_window()
    old_paths = gallery_paths(qtbot, window, 2)
    assert all(isolated_environment in path.parents for path in old_paths)
    target = (tmp_path / "Pictures" / "Wan library").resolve()
    target.mkdir(parents=True)

    dialog = window.open_settings()
    assert child(dialog, "settingsLibraryPathLabel").text() == str(isolated_environment)
    pick_folder(qtbot, dialog, target)
    confirm = message_box(qtbot, dialog, "libraryMoveConfirm")
    assert str(target) in confirm.text()
    plan = window._move_flow.plan
    assert plan.file_count >= 3  # two images, the database, thumbnails the gallery made
    assert f"{plan.file_count} file" in confirm.informativeText()
    assert "removed" in confirm.informativeText()
    with qtbot.waitSignal(window._move_flow.finished, timeout=30_000) as finished:
        click(qtbot, confirm.findChild(QWidget, "libraryMoveConfirmButton"))
    assert finished.args == [True]
    result = message_box(qtbot, dialog, "libraryMoveResult")
    assert f"now in\n{target}" in result.text()
    result.accept()

    # The setting names the new place, for the app and the wan27 command alike.
    assert AppSettings(window.settings.path).library_dir == target
    assert config.library_root(isolated_environment) == target
    assert child(dialog, "settingsLibraryPathLabel").text() == str(target)
    # The old copy is gone; settings and the rest of the data dir stay.
    assert not (isolated_environment / "library").exists()
    assert (isolated_environment / "settings.ini").exists()
    # The window reopened there: the gallery shows the same images from the new folder...
    new_paths = gallery_paths(qtbot, window, 2)
    assert sorted(p.name for p in new_paths) == sorted(p.name for p in old_paths)
    assert all(target in path.parents and path.is_file() for path in new_paths)
    assert window.splitter.indexOf(window.gallery) == 1
    # ... and a new job lands there too.
    dialog.reject()
    window.activateWindow()
    window.actions_by_name["actionFind"].trigger()  # Edit ▸ Find reaches the new gallery
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.gallery.filters.search)
    window.submit_request(GenerationRequest(prompt="after the move", size="1K"), RequestMode.SYNC)
    qtbot.waitUntil(
        lambda: any(row.prompt == "after the move" and row.state is JobState.DONE for row in window.queue.model.jobs()),
        timeout=20_000,
    )
    with Library.open(target, reconcile=False) as library:
        landed = [image for job in library.jobs.find() for image in library.images.of_job(job.id)]
    assert "after the move" in [image.prompt for image in landed]
    assert all(target in image.path.parents for image in landed)
    assert not (isolated_environment / "library").exists()
    gallery_paths(qtbot, window, 3)


def test_a_new_window_opens_the_moved_library(
    qtbot: Any, make_window: Any, isolated_environment: Path, tmp_path: Path
) -> None:
    """What the next start sees: MainWindow without a data dir follows the setting."""
    seed_library(isolated_environment, tmp_path, ("one image",))
    target = tmp_path / "moved"
    from wan27_desktop.library.move import move_library

    def switch(folder: Path) -> None:
        settings = AppSettings()
        settings.library_dir = folder
        settings.sync()

    move_library(isolated_environment, target, switch, app_data_dir=isolated_environment)
    window = MainWindow(settings=AppSettings(), notifier=RecordingNotifier())
    qtbot.addWidget(window)
    assert window.data_dir == target.resolve()
    assert window.jobs.data_dir == target.resolve()
    window.show()
    with qtbot.waitSignal(window.journalLoaded, timeout=10_000):
        window.start(check_key=False)
    assert gallery_paths(qtbot, window, 1)[0].is_file()
    window.shutdown()


def test_an_unfinished_job_resumes_in_the_moved_library(
    qtbot: Any, make_window: Any, env_key: Any, isolated_environment: Path, tmp_path: Path
) -> None:
    """A job left unfinished (here: submitted, its task still on the service) is picked up where the
    library now is, as the next start would, and its images land there."""
    from wan27_desktop.api.client import DashScopeClient
    from wan27_desktop.api.request_body import build_body
    from wan27_desktop.library.move import move_library

    request = GenerationRequest(prompt="waiting across the move", size="1K")
    with DashScopeClient(env_key.api_key, env_key.base_url) as client:
        task = client.submit_task(build_body(request))
    with Library.open(isolated_environment) as library:
        job_id = library.jobs.create(
            build_body(request),
            model=request.model.value,
            request_mode="async",
            region="sg",
            endpoint=env_key.base_url,
            n=1,
            estimated_cost="0.2",
            state=JobState.SUBMITTED,
        )
        library.jobs.update(job_id, task_id=task.task_id)
    window = make_window(start=False)
    with qtbot.waitSignal(window.journalLoaded, timeout=10_000):
        window.start(resume=False)  # as when the job had stopped: it waits in the queue
    assert next(row for row in window.queue.model.jobs() if row.job_id == job_id).state is JobState.SUBMITTED
    target = tmp_path / "moved"
    move_library(isolated_environment, target, lambda folder: None, app_data_dir=isolated_environment)
    window.reopen_library(target.resolve())
    qtbot.waitUntil(
        lambda: any(row.job_id == job_id and row.state is JobState.DONE for row in window.queue.model.jobs()),
        timeout=20_000,
    )
    with Library.open(target, reconcile=False) as library:
        images = library.images.of_job(job_id)
    assert len(images) == 1 and target.resolve() in images[0].path.parents
    assert env_key.created_count == 1  # resumed by its task id, never sent again


def test_move_is_refused_while_a_job_runs(
    qtbot: Any, make_window: Any, env_key: Any, isolated_environment: Path, tmp_path: Path
) -> None:
    env_key.polls_pending = 10**6  # the task stays PENDING on the "server"
    window = make_window()
    window.submit_request(GenerationRequest(prompt="a slow task", size="1K"), RequestMode.ASYNC)
    (job,) = wait_for_job(qtbot, window)
    qtbot.waitUntil(lambda: window.queue.model.job(job.job_id).server_status == "PENDING", timeout=10_000)
    target = tmp_path / "target"
    target.mkdir()

    dialog = window.open_settings()
    pick_folder(qtbot, dialog, target)
    refused = message_box(qtbot, dialog, "libraryMoveResult")
    assert "1 job(s) are still running" in refused.text() or "1 job is still running" in refused.text()
    assert "cancel them" in refused.text()
    assert list(target.iterdir()) == []
    assert AppSettings(window.settings.path).library_dir == isolated_environment
    refused.accept()

    # Once the job is canceled the same move goes through.
    window.cancel_job(job.job_id)
    qtbot.waitUntil(lambda: window.jobs_in_progress() == 0, timeout=20_000)
    flow = window.move_library(target, dialog)
    confirm = message_box(qtbot, dialog, "libraryMoveConfirm")
    with qtbot.waitSignal(flow.finished, timeout=30_000) as finished:
        click(qtbot, confirm.findChild(QWidget, "libraryMoveConfirmButton"))
    assert finished.args == [True]
    assert config.library_root(isolated_environment) == target.resolve()


def test_cancel_during_the_copy_keeps_the_library_where_it_was(
    qtbot: Any, make_window: Any, isolated_environment: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wan27_desktop.library import move as library_move

    seed_library(isolated_environment, tmp_path)
    window = make_window()
    gallery_paths(qtbot, window, 2)
    before = sorted(p.relative_to(isolated_environment) for p in (isolated_environment / "library").rglob("*"))
    # The copy thread waits in its first file until the test has pressed Cancel: no race.
    pressed = threading.Event()
    real_copy = library_move._copy_file

    def held_copy(src: Path, dst: Path, counter: Any) -> int:
        assert pressed.wait(20)
        return real_copy(src, dst, counter)

    monkeypatch.setattr(library_move, "_copy_file", held_copy)
    target = tmp_path / "target"
    flow = window.move_library(target, window)
    confirm = message_box(qtbot, window, "libraryMoveConfirm")
    click(qtbot, confirm.findChild(QWidget, "libraryMoveConfirmButton"))
    qtbot.waitUntil(lambda: flow.progress_dialog is not None and flow.progress_dialog.maximum() > 0)
    with qtbot.waitSignal(flow.finished, timeout=30_000) as finished:
        click(qtbot, flow.progress_dialog.findChild(QPushButton))  # its Cancel button
        assert flow.progress_dialog.labelText() == "Canceling…"
        pressed.set()
    assert finished.args == [False]
    result = message_box(qtbot, window, "libraryMoveResult")
    assert "not moved" in result.text() and str(isolated_environment) in result.text()
    assert not target.exists()
    after = sorted(p.relative_to(isolated_environment) for p in (isolated_environment / "library").rglob("*"))
    assert [p for p in after if "sessions" not in p.parts] == [p for p in before if "sessions" not in p.parts]
    assert AppSettings(window.settings.path).library_dir == isolated_environment
    assert window.data_dir == isolated_environment
