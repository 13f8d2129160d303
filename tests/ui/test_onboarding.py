# ruff: noqa: F811  (pytest fixtures are imported from tests/ui/main_window_support.py)
"""The welcome dialog: what it says about region and key, the sample prompt, the library folder,
that it is shown once, and how it looks (resources/screenshots/onboarding.png)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator, QUrl
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel

from tests.ui.main_window_support import child, click, env_key, fake, make_window, notifier, prompt_edit, shots  # noqa: F401 - fixtures
from tests.ui.url_recorder import UrlRecorder, opened_urls  # noqa: F401
from wan27_desktop.settings import AppSettings
from wan27_desktop.ui.dialogs.key import KeyDialog
from wan27_desktop.ui.dialogs.onboarding import KEY_HELP_CHINA, KEY_HELP_INTERNATIONAL, WelcomeDialog, sample_prompt


@pytest.fixture
def window(qtbot: Any, make_window: Any, no_keyring: None) -> Any:
    window = make_window()
    qtbot.waitUntil(lambda: window.key_origin() == "none")
    return window


@pytest.fixture
def welcome(qtbot: Any, window: Any) -> WelcomeDialog:
    dialog = window.show_welcome()
    qtbot.waitExposed(dialog)
    return dialog


def test_it_explains_region_and_key_and_where_to_get_one(welcome: WelcomeDialog) -> None:
    text = child(welcome, "welcomeKeyText").text()
    assert "Singapore (International)" in text and "China (Beijing)" in text
    assert "only in its own region" in text
    assert KEY_HELP_INTERNATIONAL in text and KEY_HELP_CHINA in text
    assert "keyring" in text and "never in a file" in text
    assert child(welcome, "welcomeKeyText").openExternalLinks()
    assert child(welcome, "welcomeKeyState").text() == "No key yet."
    assert child(welcome, "welcomeKeyButton").isDefault()


def test_add_key_opens_the_key_dialog_on_top_of_the_welcome(qtbot: Any, window: Any, welcome: WelcomeDialog) -> None:
    click(qtbot, child(welcome, "welcomeKeyButton"))
    dialog = welcome.findChild(KeyDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.region() is window.settings.region
    qtbot.waitUntil(lambda: not dialog._calls.busy)
    dialog.reject()


def test_the_sample_prompt_goes_into_the_prompt_editor(qtbot: Any, window: Any, welcome: WelcomeDialog) -> None:
    edit = prompt_edit(window)
    assert edit.toPlainText() == ""
    click(qtbot, child(welcome, "welcomeSampleButton"))
    assert edit.toPlainText() == sample_prompt()
    assert len(sample_prompt()) < 500 and "fox" in sample_prompt()
    assert child(welcome, "welcomeSamplePrompt").text() == f"“{sample_prompt()}”"
    assert "In the prompt editor" in child(welcome, "welcomeSampleButton").text()


def test_it_shows_the_library_folder_and_opens_it(
    qtbot: Any, window: Any, welcome: WelcomeDialog, opened_urls: UrlRecorder
) -> None:
    assert child(welcome, "welcomeLibraryPath").text() == str(window.data_dir)
    click(qtbot, child(welcome, "welcomeOpenFolderButton"))
    assert opened_urls.urls == [QUrl.fromLocalFile(str(window.data_dir))]


def test_closing_it_remembers_that_onboarding_is_done(qtbot: Any, window: Any, welcome: WelcomeDialog) -> None:
    assert not window.settings.onboarding_done
    click(qtbot, child(welcome, "welcomeDoneButton"))
    qtbot.waitUntil(lambda: not welcome.isVisible())
    assert AppSettings(window.settings.path).onboarding_done
    # Help ▸ Welcome… shows it again, once at a time.
    again = window.show_welcome()
    assert again.isVisible() and window.show_welcome() is again


def test_with_a_key_from_the_environment_it_says_so(qtbot: Any, make_window: Any, env_key: Any) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: window.key_origin() == "environment")
    welcome = window.show_welcome()
    assert "DASHSCOPE_API_KEY" in child(welcome, "welcomeKeyState").text()
    assert not child(welcome, "welcomeKeyButton").isEnabled()
    assert child(welcome, "welcomeDoneButton").isDefault()


class Marking(QTranslator):
    """Wraps every text of the given contexts in ‹›: whatever shows unmarked bypassed tr()."""

    def __init__(self, contexts: set[str]) -> None:
        super().__init__()
        self.contexts = contexts

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return f"‹{source}›" if context in self.contexts else ""

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False


def test_every_text_it_shows_is_translatable(qtbot: Any, window: Any) -> None:
    marking = Marking({"WelcomeDialog", "ApiText"})
    QCoreApplication.installTranslator(marking)
    try:
        welcome = window.show_welcome()
        qtbot.waitExposed(welcome)
        assert welcome.windowTitle().startswith("‹")
        shown = [
            w
            for w in welcome.findChildren(QLabel) + welcome.findChildren(QAbstractButton)
            if w.isVisible() and w.text().strip()
        ]
        assert len(shown) >= 12
        untranslated = [
            w.text()
            for w in shown
            if "‹" not in w.text() and w.objectName() not in ("welcomeLibraryPath", "welcomeStepNumber")
        ]
        assert untranslated == []
        welcome.reject()
    finally:
        QCoreApplication.removeTranslator(marking)


def test_onboarding_screenshot_shows_every_step_unclipped(
    qtbot: Any, window: Any, welcome: WelcomeDialog, shots: Path
) -> None:
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    labels = [w for w in welcome.findChildren(QLabel) if w.isVisible() and w.wordWrap()]
    for label in labels:
        assert label.height() >= label.heightForWidth(label.width()), f"clipped: {label.text()[:40]}"
    for name in ("welcomeKeyButton", "welcomeSampleButton", "welcomeOpenFolderButton", "welcomeDoneButton"):
        button = child(welcome, name)
        assert button.isVisible() and button.width() >= button.sizeHint().width(), name
    assert welcome.height() <= 640, "too tall for a 768 px screen"
    image = welcome.grab().toImage()
    assert image.save(str(shots / "onboarding.png"), "PNG")
