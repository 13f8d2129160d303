"""KeyDialog driven like a person: type a key, check it against two fake regions, save it.

The "Save" tests use the real OS keyring (run under `.ci/keyring-session.sh`); the fake
DashScope servers run over real HTTP on 127.0.0.1, one per region with its own key.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from typing import Any

import keyring
import keyring.backend
import keyring.errors
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget

from tests.fake_dashscope import FakeDashScope, Fault
from tests.test_keys import LockedKeyring
from wan27_desktop import keys
from wan27_desktop.api.models import Region
from wan27_desktop.ui.dialogs.key import KeyDialog

KEY_SG = "sk-dialog0sg0key0aaaaaaaaaa1111"
KEY_CN = "sk-dialog0cn0key0bbbbbbbbbb2222"
IDLE_TIMEOUT_MS = 30_000  # the keyring probe and key checks are real calls (see the `dialog` fixture)
OBJECT_NAMES = [
    "keyRegionCombo",
    "keyEdit",
    "keyShowButton",
    "keyCheckButton",
    "keySaveButton",
    "keySessionButton",
    "keyStatusLabel",
]


@pytest.fixture(autouse=True)
def no_session_keys() -> Iterator[None]:
    yield
    for region in Region:
        keys.set_session_key(region, None)


@pytest.fixture
def regions() -> Iterator[dict[Region, Any]]:
    """Two fake services: Singapore accepts KEY_SG, Beijing accepts KEY_CN."""
    with FakeDashScope(region="sg", api_key=KEY_SG) as sg, FakeDashScope(region="cn", api_key=KEY_CN) as cn:
        yield {Region.SINGAPORE: sg, Region.BEIJING: cn}


@pytest.fixture
def dialog(qtbot: Any, regions: dict[Region, Any]) -> Iterator[KeyDialog]:
    widget = KeyDialog(bases={region: fake.base_url for region, fake in regions.items()})
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    # No worker outlives the test. The dialog's first call is a real Secret Service read, which a
    # machine busy with the rest of the suite has been seen to hold for over 5 s: wait like a person would.
    qtbot.waitUntil(lambda: not widget._calls.busy, timeout=IDLE_TIMEOUT_MS)


def child(dialog: QWidget, name: str) -> Any:
    widget = dialog.findChild(QWidget, name)
    assert widget is not None, name
    return widget


def status(dialog: KeyDialog) -> str:
    return child(dialog, "keyStatusLabel").text()


def type_key(qtbot: Any, dialog: KeyDialog, key: str) -> None:
    edit = child(dialog, "keyEdit")
    edit.clear()
    qtbot.keyClicks(edit, key)


def click(qtbot: Any, dialog: KeyDialog, name: str) -> None:
    qtbot.mouseClick(child(dialog, name), Qt.MouseButton.LeftButton)


def wait_idle(qtbot: Any, dialog: KeyDialog) -> None:
    qtbot.waitUntil(
        lambda: not dialog._calls.busy and child(dialog, "keyRegionCombo").isEnabled(), timeout=IDLE_TIMEOUT_MS
    )


def test_every_control_has_an_object_name_and_accessible_name(dialog: KeyDialog) -> None:
    for name in OBJECT_NAMES:
        assert child(dialog, name).accessibleName(), name


def test_key_is_hidden_until_show_is_pressed(qtbot: Any, dialog: KeyDialog) -> None:
    edit = child(dialog, "keyEdit")
    assert edit.echoMode() == QLineEdit.EchoMode.Password
    click(qtbot, dialog, "keyShowButton")
    assert edit.echoMode() == QLineEdit.EchoMode.Normal
    click(qtbot, dialog, "keyShowButton")
    assert edit.echoMode() == QLineEdit.EchoMode.Password


def test_singapore_is_the_default_region(dialog: KeyDialog) -> None:
    assert dialog.region() is Region.SINGAPORE


def test_check_reports_a_key_valid_for_the_selected_region(
    qtbot: Any, dialog: KeyDialog, regions: dict[Region, Any]
) -> None:
    wait_idle(qtbot, dialog)
    type_key(qtbot, dialog, KEY_SG)
    click(qtbot, dialog, "keyCheckButton")
    qtbot.waitUntil(lambda: "Valid for Singapore" in status(dialog))
    sent = [r for r in regions[Region.SINGAPORE].requests if r.path.startswith("/api/v1/tasks/")]
    assert sent and sent[0].method == "GET"
    assert not regions[Region.BEIJING].requests  # Singapore was asked first and said yes


def test_check_disables_the_button_and_shows_progress_while_waiting(
    qtbot: Any, dialog: KeyDialog, regions: dict[Region, Any]
) -> None:
    wait_idle(qtbot, dialog)
    regions[Region.SINGAPORE].add_fault(Fault("query", "slow", delay=1.0))
    type_key(qtbot, dialog, KEY_SG)
    click(qtbot, dialog, "keyCheckButton")
    assert not child(dialog, "keyCheckButton").isEnabled()
    assert not child(dialog, "keySaveButton").isEnabled()
    assert child(dialog, "keyBusyIndicator").isVisible()
    qtbot.waitUntil(lambda: "Valid for Singapore" in status(dialog), timeout=10_000)
    assert child(dialog, "keyCheckButton").isEnabled()
    assert not child(dialog, "keyBusyIndicator").isVisible()


def test_check_offers_to_switch_when_the_key_belongs_to_beijing(qtbot: Any, dialog: KeyDialog) -> None:
    wait_idle(qtbot, dialog)
    type_key(qtbot, dialog, KEY_CN)
    click(qtbot, dialog, "keyCheckButton")
    qtbot.waitUntil(lambda: "belongs to Beijing" in status(dialog))
    switch = child(dialog, "keySwitchRegionButton")
    assert switch.isVisible()
    qtbot.mouseClick(switch, Qt.MouseButton.LeftButton)
    assert dialog.region() is Region.BEIJING
    assert "Valid for Beijing" in status(dialog)
    assert not switch.isVisible()


def test_check_reports_an_invalid_key(qtbot: Any, dialog: KeyDialog, regions: dict[Region, Any]) -> None:
    wait_idle(qtbot, dialog)
    type_key(qtbot, dialog, "sk-not0a0real0key0cccccccccc3333")
    click(qtbot, dialog, "keyCheckButton")
    qtbot.waitUntil(lambda: "Invalid key" in status(dialog))
    assert regions[Region.SINGAPORE].requests and regions[Region.BEIJING].requests


def test_check_reports_a_network_failure(qtbot: Any) -> None:
    with socket.socket() as sock:  # a port nothing listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dead = f"http://127.0.0.1:{port}/api/v1"
    widget = KeyDialog(bases={Region.SINGAPORE: dead, Region.BEIJING: dead})
    qtbot.addWidget(widget)
    wait_idle(qtbot, widget)
    type_key(qtbot, widget, KEY_SG)
    click(qtbot, widget, "keyCheckButton")
    qtbot.waitUntil(lambda: "Could not check the key" in status(widget), timeout=10_000)
    wait_idle(qtbot, widget)


def test_a_malformed_key_is_refused_before_anything_is_sent(
    qtbot: Any, dialog: KeyDialog, regions: dict[Region, Any]
) -> None:
    wait_idle(qtbot, dialog)
    type_key(qtbot, dialog, "Bearer sk-something")
    click(qtbot, dialog, "keyCheckButton")
    assert "spaces" in status(dialog)
    assert not regions[Region.SINGAPORE].requests and not regions[Region.BEIJING].requests


def test_buttons_need_a_key_to_be_typed(qtbot: Any, dialog: KeyDialog) -> None:
    wait_idle(qtbot, dialog)
    assert not child(dialog, "keyCheckButton").isEnabled()
    assert not child(dialog, "keySaveButton").isEnabled()
    type_key(qtbot, dialog, "s")
    assert child(dialog, "keyCheckButton").isEnabled()


@pytest.mark.keyring
@pytest.mark.usefixtures("real_keyring")
def test_save_stores_the_key_in_the_system_keyring(qtbot: Any, dialog: KeyDialog) -> None:
    wait_idle(qtbot, dialog)
    assert not child(dialog, "keySessionButton").isVisible()  # a working keyring: no fallback offered
    child(dialog, "keyRegionCombo").setCurrentIndex(child(dialog, "keyRegionCombo").findData(Region.BEIJING))
    type_key(qtbot, dialog, f"  {KEY_CN}  ")
    with qtbot.waitSignal(dialog.keySaved, timeout=10_000) as saved:
        click(qtbot, dialog, "keySaveButton")
    source = saved.args[0]
    assert (source.origin, source.region) == ("keyring", Region.BEIJING)
    assert keyring.get_password(keys.service_name(Region.BEIJING), keys.USERNAME) == KEY_CN
    assert keys.resolve_key(Region.BEIJING).origin == "keyring"
    assert "Saved sk-…2222" in status(dialog)


@pytest.mark.keyring
@pytest.mark.usefixtures("real_keyring")
def test_after_saving_the_key_is_never_shown_in_full(qtbot: Any, dialog: KeyDialog) -> None:
    wait_idle(qtbot, dialog)
    type_key(qtbot, dialog, KEY_SG)
    click(qtbot, dialog, "keyShowButton")
    with qtbot.waitSignal(dialog.keySaved, timeout=10_000):
        click(qtbot, dialog, "keySaveButton")
    edit = child(dialog, "keyEdit")
    assert edit.text() == "" and edit.echoMode() == QLineEdit.EchoMode.Password
    shown = [w.text() for w in dialog.findChildren(QWidget) if hasattr(w, "text")]
    assert all(KEY_SG[3:-4] not in text for text in shown)
    qtbot.mouseClick(child(dialog, "keyCloseButton"), Qt.MouseButton.LeftButton)
    assert dialog.result() == KeyDialog.DialogCode.Accepted


@pytest.mark.usefixtures("no_keyring")
def test_without_a_keyring_the_dialog_explains_and_offers_session_only(qtbot: Any, dialog: KeyDialog) -> None:
    qtbot.waitUntil(lambda: child(dialog, "keySessionButton").isVisible())
    assert "No system keyring" in status(dialog) and "DASHSCOPE_API_KEY" in status(dialog)
    type_key(qtbot, dialog, KEY_SG)
    with qtbot.waitSignal(dialog.keySaved) as saved:
        click(qtbot, dialog, "keySessionButton")
    assert saved.args[0].origin == "session"
    assert keys.resolve_key(Region.SINGAPORE).key == KEY_SG
    assert "session only" in status(dialog)
    assert child(dialog, "keyEdit").text() == ""


class ReadOnlyKeyring(keyring.backend.KeyringBackend):
    """Reads work, writes are refused (e.g. a keyring whose collection is read-only)."""

    viable = False  # never picked by keyring's auto-detection
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("Collection is read-only")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError("Collection is read-only")


@contextlib.contextmanager
def backend(instance: keyring.backend.KeyringBackend) -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(instance)
    try:
        yield
    finally:
        keyring.set_keyring(previous)


def test_a_locked_keyring_disables_save_and_offers_session_only(qtbot: Any, regions: dict[Region, Any]) -> None:
    with backend(LockedKeyring()):
        widget = KeyDialog(bases={region: fake.base_url for region, fake in regions.items()})
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitUntil(lambda: "keyring is locked" in status(widget))
        assert "KeyringLocked" not in status(widget)  # said in plain words, not as a class name
        type_key(qtbot, widget, KEY_SG)
        assert child(widget, "keySessionButton").isVisible() and child(widget, "keySessionButton").isEnabled()
        assert not child(widget, "keySaveButton").isEnabled()
        assert child(widget, "keyCheckButton").isEnabled()  # checking needs no keyring


def test_a_failed_save_explains_and_offers_session_only(qtbot: Any, regions: dict[Region, Any]) -> None:
    with backend(ReadOnlyKeyring()):
        widget = KeyDialog(bases={region: fake.base_url for region, fake in regions.items()})
        qtbot.addWidget(widget)
        widget.show()
        wait_idle(qtbot, widget)
        assert not child(widget, "keySessionButton").isVisible()
        type_key(qtbot, widget, KEY_SG)
        click(qtbot, widget, "keySaveButton")
        qtbot.waitUntil(lambda: "could not save" in status(widget))
        wait_idle(qtbot, widget)
        assert "DASHSCOPE_API_KEY" in status(widget)
        assert child(widget, "keySessionButton").isVisible()
        assert widget.saved_source is None
        assert child(widget, "keyEdit").text() == KEY_SG  # nothing lost: the key can still be used


def test_current_key_is_shown_masked(qtbot: Any, regions: dict[Region, Any]) -> None:
    current = keys.KeySource(KEY_SG, "keyring", Region.SINGAPORE)
    widget = KeyDialog(bases={r: f.base_url for r, f in regions.items()}, current=current)
    qtbot.addWidget(widget)
    label = child(widget, "keyCurrentLabel")
    assert "sk-…1111" in label.text() and KEY_SG not in label.text()
    wait_idle(qtbot, widget)
