"""AboutDialog: version, components, licence files and the diagnostic-info button."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import PySide6
import pytest
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QWidget

from tests.test_diagnostics import KEY, assert_no_secret, fresh_diagnostics, key_in_env  # noqa: F401
from tests.ui.test_crash_dialog import UrlRecorder, opened_urls  # noqa: F401
from wan27_desktop import __version__
from wan27_desktop.ui.dialogs import about as about_dialog
from wan27_desktop.ui.dialogs.about import AboutDialog, licence_path

CONTROLS = [
    "componentsTable",
    "openLgplButton",
    "openGplButton",
    "openNoticesButton",
    "copyDiagnosticsButton",
    "aboutCloseButton",
]


@pytest.fixture
def dialog(qtbot: object, fresh_diagnostics: None) -> AboutDialog:  # noqa: F811
    widget = AboutDialog()
    qtbot.addWidget(widget)  # type: ignore[attr-defined]
    widget.show()
    return widget


def test_shows_name_version_and_icon(dialog: AboutDialog) -> None:
    assert dialog.findChild(QLabel, "aboutNameLabel").text() == "Wan 2.7 Desktop"  # type: ignore[union-attr]
    assert __version__ in dialog.findChild(QLabel, "aboutVersionLabel").text()  # type: ignore[union-attr]
    icon = dialog.findChild(QLabel, "aboutIcon")
    assert icon is not None and not icon.pixmap().isNull()


def test_lists_every_component_with_its_running_version(dialog: AboutDialog) -> None:
    components = dialog.components()
    assert list(components) == ["Python", "Qt", "PySide6", "httpx", "keyring", "platformdirs", "SQLite"]
    assert components["Qt"] == qVersion()
    assert components["PySide6"] == PySide6.__version__
    assert components["httpx"] == httpx.__version__
    assert components["SQLite"] == sqlite3.sqlite_version


def test_every_control_has_an_object_name_and_accessible_name(dialog: AboutDialog) -> None:
    for name in CONTROLS:
        control = dialog.findChild(QWidget, name)
        assert control is not None, name
        assert control.accessibleName(), name


@pytest.mark.parametrize(
    ("button", "which"), [("openLgplButton", "lgpl"), ("openGplButton", "gpl"), ("openNoticesButton", "notices")]
)
def test_licence_buttons_open_the_shipped_files(
    qtbot: object,
    dialog: AboutDialog,
    opened_urls: UrlRecorder,  # noqa: F811
    button: str,
    which: str,
) -> None:
    qtbot.mouseClick(dialog.findChild(QWidget, button), Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert [Path(url.toLocalFile()) for url in opened_urls.urls] == [licence_path(which)]
    assert licence_path(which).is_file()


def test_shipped_licence_texts_are_the_real_ones() -> None:
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in licence_path("lgpl").read_text(encoding="utf-8")
    assert "GNU GENERAL PUBLIC LICENSE" in licence_path("gpl").read_text(encoding="utf-8")
    notices = licence_path("notices").read_text(encoding="utf-8")
    for component in (
        "PySide6",
        "Qt",
        "httpx",
        "httpcore",
        "h11",
        "anyio",
        "idna",
        "sniffio",
        "certifi",
        "keyring",
        "jaraco",
        "SecretStorage",
        "jeepney",
        "platformdirs",
    ):
        assert component in notices, component
    assert "separate shared libraries" in notices


def test_a_missing_licence_file_is_explained(
    qtbot: object,
    dialog: AboutDialog,
    opened_urls: UrlRecorder,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(about_dialog, "resource", lambda *parts: tmp_path.joinpath(*parts))
    assert dialog.open_licence("lgpl") is False
    assert opened_urls.urls == []
    assert "missing" in dialog.status_label.text() and dialog.status_label.isVisible()


def test_copy_diagnostic_info_fills_the_clipboard_without_the_key(qtbot: object, key_in_env: str) -> None:  # noqa: F811
    widget = AboutDialog()
    qtbot.addWidget(widget)  # type: ignore[attr-defined]
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(widget.copy_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    text = QGuiApplication.clipboard().text()
    assert f"Wan 2.7 Desktop {__version__}" in text and "key for sg: environment" in text
    assert_no_secret(text)


def test_shows_which_build_is_running(dialog: AboutDialog) -> None:
    """Issue 18: commit (and for a frozen build, the build date) beside the version."""
    from wan27_desktop import buildinfo

    label = dialog.findChild(QLabel, "aboutBuildLabel")
    assert label is not None and label.accessibleName()
    info = buildinfo.current()
    assert info.origin == buildinfo.SOURCE and info.commit  # the tests run from a checkout
    changes = " with local changes" if info.dirty else ""
    assert label.text() == f"Source checkout, commit {info.commit[:12]}{changes}"
    frozen = buildinfo.BuildInfo("1.2.3", buildinfo.FROZEN, "ab" * 20, True, "2026-01-02T03:04:05Z")
    assert dialog.build_text(frozen) == "Commit abababababab with local changes, built 2026-01-02 03:04:05 UTC"
    unknown = buildinfo.BuildInfo("1.2.3", buildinfo.FROZEN)
    assert dialog.build_text(unknown) == "Commit unknown, built unknown"
    assert dialog.build_text(buildinfo.BuildInfo("1.2.3", buildinfo.INSTALLED)) == "Installed package (commit unknown)"
