# ruff: noqa: F811  (pytest fixtures are imported from tests/ui/main_window_support.py)
"""The first run, as the app starts it: no key anywhere → the welcome → the key dialog → Check key
against the fake service → Save → the key is in the real OS keyring (Secret Service on Linux).
With DASHSCOPE_API_KEY set, or once the welcome was closed, nothing is asked."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import keyring
import pytest
from PySide6.QtWidgets import QApplication, QDialog

from tests.ui.main_window_support import child, click, make_window, notifier  # noqa: F401 - fixtures
from wan27_desktop import keys
from wan27_desktop.api.models import Region
from wan27_desktop.settings import AppSettings
from wan27_desktop.ui.dialogs.first_run import install_first_run
from wan27_desktop.ui.dialogs.key import KeyDialog
from wan27_desktop.ui.dialogs.onboarding import WelcomeDialog
from wan27_desktop.ui.window.main_window import MainWindow


@pytest.fixture(autouse=True)
def no_session_keys() -> Iterator[None]:
    yield
    for region in Region:
        keys.set_session_key(region, None)


def start_like_the_app(qtbot: Any, make_window: Any, **kwargs: Any) -> MainWindow:
    """What app.run_gui does: first-run hook, show, then start after the first paint."""
    window = make_window(start=False, **kwargs)
    install_first_run(window)
    with qtbot.waitSignal(window.keyOriginChanged, timeout=10_000):
        window.start()
    return window


def visible_dialogs() -> list[QDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]


@pytest.mark.keyring
@pytest.mark.usefixtures("real_keyring")
def test_first_run_welcome_leads_to_a_key_stored_in_the_os_keyring(
    qtbot: Any, make_window: Any, fake_dashscope: Any
) -> None:
    window = start_like_the_app(qtbot, make_window, api_base=fake_dashscope.base_url)
    assert window.key_origin() == "none"
    qtbot.waitUntil(lambda: window.findChild(WelcomeDialog) is not None and window.findChild(WelcomeDialog).isVisible())
    welcome = window.findChild(WelcomeDialog)
    assert child(welcome, "welcomeKeyState").text() == "No key yet."

    click(qtbot, child(welcome, "welcomeKeyButton"))
    dialog = welcome.findChild(KeyDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog._calls.busy)  # the keyring probe
    region_combo = child(dialog, "keyRegionCombo")
    region_combo.setCurrentIndex(region_combo.findData(Region.SINGAPORE))
    qtbot.keyClicks(child(dialog, "keyEdit"), fake_dashscope.api_key)
    click(qtbot, child(dialog, "keyCheckButton"))
    qtbot.waitUntil(lambda: "Valid for Singapore" in child(dialog, "keyStatusLabel").text(), timeout=10_000)
    assert any(r.path.startswith("/api/v1/tasks/") for r in fake_dashscope.requests), "Check key asked nobody"

    with qtbot.waitSignal(window.keyOriginChanged, timeout=10_000) as changed:
        click(qtbot, child(dialog, "keySaveButton"))
    assert changed.args == ["keyring"]
    assert keyring.get_password(keys.service_name(Region.SINGAPORE), keys.USERNAME) == fake_dashscope.api_key
    assert "saved in the system keyring" in child(welcome, "welcomeKeyState").text()
    assert window.status.key_label.text() != "No key"

    click(qtbot, dialog.close_button)  # "Done"
    click(qtbot, child(welcome, "welcomeDoneButton"))
    qtbot.waitUntil(lambda: not welcome.isVisible())
    assert AppSettings(window.settings.path).onboarding_done


@pytest.mark.usefixtures("no_keyring")
def test_no_welcome_and_no_key_prompt_when_dashscope_api_key_is_set(
    qtbot: Any, make_window: Any, fake_dashscope: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHSCOPE_API_KEY", fake_dashscope.api_key)
    window = start_like_the_app(qtbot, make_window, api_base=fake_dashscope.base_url)
    assert window.key_origin() == "environment"
    QApplication.processEvents()  # the welcome would be posted (singleShot 0) by now
    QApplication.processEvents()
    assert window.findChild(WelcomeDialog) is None
    assert window.findChild(KeyDialog) is None
    assert visible_dialogs() == []


@pytest.mark.usefixtures("no_keyring")
def test_no_welcome_once_it_was_closed(qtbot: Any, make_window: Any) -> None:
    settings = AppSettings()
    settings.onboarding_done = True
    settings.sync()
    window = start_like_the_app(qtbot, make_window)
    assert window.key_origin() == "none"
    QApplication.processEvents()
    QApplication.processEvents()
    assert window.findChild(WelcomeDialog) is None
    assert window.findChild(KeyDialog) is None  # later runs ask at the first Generate


@pytest.mark.usefixtures("no_keyring")
def test_the_welcome_opens_after_the_window_has_painted(qtbot: Any, make_window: Any) -> None:
    window = make_window(start=False, show=False)
    install_first_run(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.findChild(WelcomeDialog) is None  # nothing before start(): painting is not held up
    window.start()
    qtbot.waitUntil(lambda: window.findChild(WelcomeDialog) is not None, timeout=10_000)
    assert window.findChild(WelcomeDialog).isVisible()
