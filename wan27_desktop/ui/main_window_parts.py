"""The main window's menus, theme, diagnostics and the glue to the panels it composes.

Kept apart from main_window.py so each module stays a readable size (STYLE.md).
"""

from __future__ import annotations

import logging
import platform
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QImageReader, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QMessageBox,
    QWidget,
)

from .. import __version__, config
from ..settings import Theme

if TYPE_CHECKING:
    from .gallery import GalleryPanel
    from .main_window import MainWindow
    from .results_strip import ResultsStrip

log = logging.getLogger(__name__)


# -- panels ---------------------------------------------------------------------------------------
def make_generation_panel(window: MainWindow) -> QWidget:
    from .generation_panel import GenerationPanel

    panel = GenerationPanel(parent=window)
    panel.set_region(window.settings.region)
    panel.params.set_request_mode(window.settings.request_mode)  # the default from Settings
    return panel


def make_centre(window: MainWindow, data_dir: Path) -> tuple[GalleryPanel | None, ResultsStrip | None]:
    try:
        from .gallery import GalleryPanel
    except ImportError as err:
        log.warning("gallery unavailable (%s); showing a results strip", err)
        from .results_strip import ResultsStrip

        return None, ResultsStrip(window)
    return GalleryPanel(data_dir=data_dir, parent=window), None


def call_panel(window: MainWindow, name: str, *args: Any) -> bool:
    """Call an optional method of the generation panel; False when it has none."""
    method = getattr(window.generation, name, None)
    if not callable(method):
        return False
    method(*args)
    return True


def generate_button(window: MainWindow) -> QAbstractButton | None:
    return window.generation.findChild(QAbstractButton, "generateButton")


def panel_handles_generate_shortcut(window: MainWindow) -> bool:
    """True when the panel already binds Ctrl+Return itself (two bindings would be ambiguous)."""
    wanted = QKeySequence("Ctrl+Return")
    panel = window.generation
    if any(wanted in action.shortcuts() for action in panel.findChildren(QAction)):
        return True
    return any(shortcut.key() == wanted for shortcut in panel.findChildren(QShortcut))


def show_error(parent: QWidget, title: str, text: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorMessage")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.open()
    return box


# -- menus ----------------------------------------------------------------------------------------
def _action(window: MainWindow, name: str, text: str, slot: Callable[..., Any],
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None, *,
            display_only: bool = False, tip: str | None = None) -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
        if display_only:
            # Shown in the menu, handled by the focused widget (prompt editor, gallery): a second,
            # window-wide binding of the same keys would make Qt call them ambiguous.
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def _focus_call(method: str) -> Callable[[], None]:
    def call() -> None:
        widget = QApplication.focusWidget()
        target = getattr(widget, method, None)
        if callable(target):
            target()
    return call


def build_menus(window: MainWindow) -> None:
    from .main_window import copy_diagnostics

    bar = window.menuBar()
    bar.setObjectName("menuBar")
    window.actions_by_name = {}

    def add(menu: Any, action: QAction) -> QAction:
        menu.addAction(action)
        window.actions_by_name[action.objectName()] = action
        return action

    file_menu = bar.addMenu("&File")
    file_menu.setObjectName("menuFile")
    add(file_menu, _action(window, "actionImportFolder", "&Import Folder…", window.import_folder,
                           "Ctrl+Shift+I", tip="Add existing images from a folder to the library"))
    add(file_menu, _action(window, "actionExport", "&Export Selection…", window.export_selection, "Ctrl+E",
                           display_only=True, tip="Copy the selected images out, metadata intact"))
    file_menu.addSeparator()
    settings = add(file_menu, _action(window, "actionSettings", "&Settings…", window.open_settings,
                                      QKeySequence.StandardKey.Preferences))
    settings.setMenuRole(QAction.MenuRole.PreferencesRole)
    if settings.shortcut().isEmpty():
        settings.setShortcut(QKeySequence("Ctrl+,"))
    file_menu.addSeparator()
    quit_action = add(file_menu, _action(window, "actionQuit", "&Quit", window.close, QKeySequence.StandardKey.Quit))
    quit_action.setMenuRole(QAction.MenuRole.QuitRole)
    if quit_action.shortcut().isEmpty():
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))

    edit_menu = bar.addMenu("&Edit")
    edit_menu.setObjectName("menuEdit")
    for name, text, method, key in (
        ("actionUndo", "&Undo", "undo", QKeySequence.StandardKey.Undo),
        ("actionRedo", "&Redo", "redo", QKeySequence.StandardKey.Redo),
        ("actionCut", "Cu&t", "cut", QKeySequence.StandardKey.Cut),
        ("actionCopy", "&Copy", "copy", QKeySequence.StandardKey.Copy),
        ("actionPaste", "&Paste", "paste", QKeySequence.StandardKey.Paste),
        ("actionSelectAll", "Select &All", "selectAll", QKeySequence.StandardKey.SelectAll),
    ):
        if name == "actionCut":
            edit_menu.addSeparator()
        add(edit_menu, _action(window, name, text, _focus_call(method), key, display_only=True))
    edit_menu.addSeparator()
    if window.gallery is not None:
        gallery = window.gallery
        add(edit_menu, _action(window, "actionFind", "&Find in Library", lambda: gallery.filters.search.setFocus(),
                               QKeySequence.StandardKey.Find, display_only=True))

    view_menu = bar.addMenu("&View")
    view_menu.setObjectName("menuView")
    panel_action = _action(window, "actionShowGenerationPanel", "&Generation Panel",
                           lambda: window.generation.setVisible(panel_action.isChecked()), "Ctrl+1")
    panel_action.setCheckable(True)
    panel_action.setChecked(True)
    add(view_menu, panel_action)
    queue_action = window.queue_dock.toggleViewAction()
    queue_action.setObjectName("actionShowJobQueue")
    queue_action.setText("&Job Queue")
    queue_action.setShortcut(QKeySequence("Ctrl+2"))
    add(view_menu, queue_action)
    add(view_menu, _action(window, "actionShowAllImages", "Show &All Images", window.show_all_images))
    view_menu.addSeparator()
    theme_menu = view_menu.addMenu("&Theme")
    theme_menu.setObjectName("menuTheme")
    group = QActionGroup(window)
    group.setExclusive(True)
    for theme, label in ((Theme.SYSTEM, "Follow &System"), (Theme.LIGHT, "&Light"), (Theme.DARK, "&Dark")):
        action = _action(window, f"actionTheme{theme.value.title()}", label,
                         lambda t=theme: window.set_theme(t))
        action.setCheckable(True)
        action.setData(theme.value)
        group.addAction(action)
        add(theme_menu, action)
    window.theme_group = group  # type: ignore[attr-defined]
    sync_theme_actions(window)

    jobs_menu = bar.addMenu("&Jobs")
    jobs_menu.setObjectName("menuJobs")
    generate = _action(window, "actionGenerate", "&Generate", lambda: trigger_generate(window),
                       "Ctrl+Return", display_only=panel_handles_generate_shortcut(window))
    # Qt maps Ctrl to Cmd on macOS: this is Cmd+Return there. Keypad Enter works too.
    if not panel_handles_generate_shortcut(window):
        generate.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
    add(jobs_menu, generate)
    jobs_menu.addSeparator()
    add(jobs_menu, _action(window, "actionResumeUnfinished", "&Resume Unfinished Jobs", window.resume_unfinished))
    add(jobs_menu, _action(window, "actionRetryJob", "Re&try Selected Job", window.retry_job))
    add(jobs_menu, _action(window, "actionCancelJob", "&Cancel Selected Job", window.cancel_job))

    help_menu = bar.addMenu("&Help")
    help_menu.setObjectName("menuHelp")
    add(help_menu, _action(window, "actionShortcuts", "&Keyboard Shortcuts", lambda: show_shortcuts(window),
                           QKeySequence.StandardKey.HelpContents))
    add(help_menu, _action(window, "actionCopyDiagnostics", "Copy &Diagnostic Info",
                           lambda: copy_diagnostics(window)))
    help_menu.addSeparator()
    about = add(help_menu, _action(window, "actionAbout", "&About Wan 2.7 Desktop", lambda: show_about(window)))
    about.setMenuRole(QAction.MenuRole.AboutRole)
    about_qt = add(help_menu, _action(window, "actionAboutQt", "About &Qt", QApplication.aboutQt))
    about_qt.setMenuRole(QAction.MenuRole.AboutQtRole)

    for action in window.actions_by_name.values():
        if action.shortcutContext() != Qt.ShortcutContext.WidgetShortcut:
            window.addAction(action)  # keeps shortcuts alive while the menu bar is hidden


def trigger_generate(window: MainWindow) -> None:
    button = generate_button(window)
    if button is not None and button.isEnabled() and button.isVisible():
        button.click()


# -- theme ----------------------------------------------------------------------------------------
def apply_theme(theme: Theme) -> None:
    """Qt 6.8+: follow or override the system colour scheme (issue 9: light / dark / system)."""
    hints = QGuiApplication.styleHints()
    setter = getattr(hints, "setColorScheme", None)
    if setter is None:
        return
    scheme = {Theme.LIGHT: Qt.ColorScheme.Light, Theme.DARK: Qt.ColorScheme.Dark}.get(theme, Qt.ColorScheme.Unknown)
    setter(scheme)


def sync_theme_actions(window: MainWindow) -> None:
    group: QActionGroup | None = getattr(window, "theme_group", None)
    if group is None:
        return
    for action in group.actions():
        action.setChecked(action.data() == window.settings.theme.value)


# -- help -----------------------------------------------------------------------------------------
SHORTCUTS = (
    ("Generate", "Ctrl+Return"),
    ("Settings", "Ctrl+,"),
    ("Import folder", "Ctrl+Shift+I"),
    ("Show / hide generation panel", "Ctrl+1"),
    ("Show / hide job queue", "Ctrl+2"),
    ("Find in library", "Ctrl+F"),
    ("Export selection", "Ctrl+E"),
    ("Cancel selected job (in the queue)", "Delete"),
    ("Copy job details (in the queue)", "Ctrl+C"),
    ("Rate / favourite / trash (in the gallery)", "1–5, 0, F, Delete"),
    ("Undo in the gallery", "Ctrl+Z"),
)


def show_shortcuts(window: QWidget) -> QMessageBox:
    native = QKeySequence.SequenceFormat.NativeText
    rows = "".join(f"<tr><td style='padding-right:24px'>{name}</td><td><b>{QKeySequence(keys).toString(native)}"
                   f"</b></td></tr>" for name, keys in SHORTCUTS)
    box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard Shortcuts", f"<table>{rows}</table>",
                      QMessageBox.StandardButton.Close, window)
    box.setObjectName("shortcutsDialog")
    box.open()
    return box


def show_about(window: QWidget) -> QMessageBox:
    text = (f"<h3>Wan 2.7 Desktop {__version__}</h3>"
            "<p>A desktop client for Alibaba Cloud Model Studio's Wan 2.7 image API.</p>"
            f"<p>Python {platform.python_version()} · PySide6 {pyside_version} · Qt {qVersion()}<br>"
            "Qt and PySide6 are used under the GNU LGPL v3; licence texts ship in resources/licenses.</p>")
    box = QMessageBox(QMessageBox.Icon.NoIcon, "About Wan 2.7 Desktop", text, QMessageBox.StandardButton.Close,
                      window)
    box.setObjectName("aboutDialog")
    box.setIconPixmap(QGuiApplication.windowIcon().pixmap(64, 64))
    box.open()
    return box


def diagnostic_text(window: MainWindow) -> str:
    """For bug reports: versions, platform, paths, key origin, recent errors. Never the key."""
    formats = sorted(bytes(f.data()).decode() for f in QImageReader.supportedImageFormats())
    source = window._key_source
    lines = [
        f"Wan 2.7 Desktop {__version__}",
        f"Python {platform.python_version()} ({sys.executable})",
        f"PySide6 {pyside_version}, Qt {qVersion()}, platform plugin {QGuiApplication.platformName()}",
        f"OS: {platform.platform()}",
        f"Data dir: {window.data_dir}",
        f"Settings: {window.settings.path}",
        f"Region: {window.settings.region.value}; endpoint: {window.api_base or 'default for region'}",
        f"Key source: {source.origin if source else 'not checked yet'}"
        + (f" ({source.problem})" if source and source.problem else ""),
        f"Env: {config.ENV_API_KEY} {'set' if config.env_api_key() else 'not set'}",
        f"Image formats: {', '.join(formats)}",
        f"Connectivity (last known): {window.status.connectivity_label.text()}",
    ]
    failed = [row for row in window.queue.model.jobs() if row.error_code][:5]
    if failed:
        lines.append("Recent errors:")
        for row in failed:
            lines.append(f"  job {row.job_id} {row.state.value}: {row.error_code}: {row.error_message} "
                         f"(request id {row.request_id or '-'})")
    return "\n".join(lines)
