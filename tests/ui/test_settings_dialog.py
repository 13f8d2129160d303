"""SettingsDialog: shows AppSettings, applies on OK only, validates the endpoint, manages the key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from tests.fake_dashscope import FakeDashScope
from wan27_desktop import keys
from wan27_desktop.api.models import Region, RequestMode
from wan27_desktop.settings import AppSettings, Language, Theme
from wan27_desktop.ui.key_dialog import KeyDialog
from wan27_desktop.ui.settings_dialog import SettingsDialog

KEY = "sk-settings0dialog0key0dddddd4d4d"
OBJECT_NAMES = ["settingsRegionCombo", "settingsEndpointEdit", "settingsKeySourceLabel", "settingsKeyMaskedLabel",
                "settingsKeyReplaceButton", "settingsKeyRemoveButton", "settingsConcurrencySpin",
                "settingsRequestModeCombo", "settingsLibraryPathLabel", "settingsLibraryMoveButton",
                "settingsThemeCombo", "settingsLanguageCombo", "settingsOkButton", "settingsCancelButton"]


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


def child(dialog: QWidget, name: str) -> Any:
    widget = dialog.findChild(QWidget, name)
    assert widget is not None, name
    return widget


def choose(combo: Any, data: object) -> None:
    combo.setCurrentIndex(combo.findData(data))


def click(qtbot: Any, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


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
        qtbot: Any, settings: AppSettings, monkeypatch: pytest.MonkeyPatch) -> None:
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

