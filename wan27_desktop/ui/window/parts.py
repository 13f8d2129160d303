"""The main window's menus, theme, diagnostics and the glue to the panels it composes.

Kept apart from main_window.py so each module stays a readable size. The window's shell
(issue 7: painted before the panels are built) needs only `build_menu_bar` from here, so what the
rest needs (message box, shortcuts, image formats, platform details) is imported where it is used.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from wan27_desktop import __version__, config
from wan27_desktop.settings import Theme

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu, QMessageBox

    from wan27_desktop.ui.dialogs.about import AboutDialog
    from wan27_desktop.ui.dialogs.shortcuts import ShortcutsDialog
    from wan27_desktop.ui.gallery.panel import GalleryPanel
    from wan27_desktop.ui.generate.panel import GenerationPanel
    from wan27_desktop.ui.window.main_window import MainWindow
    from wan27_desktop.workspace.workspace import Workspace

log = logging.getLogger(__name__)
translate = QCoreApplication.translate  # pyside6-lupdate reads translate("Context", "text")


# -- panels ---------------------------------------------------------------------------------------
def make_generation_panel(window: MainWindow, workspace: Workspace) -> GenerationPanel:
    """The generation panel over the workspace's draft."""
    from wan27_desktop.ui.generate.panel import GenerationPanel

    panel = GenerationPanel(parent=window, draft=workspace.draft)
    panel.set_region(workspace.region)
    return panel


def make_centre(window: MainWindow, data_dir: Path, *, load: bool = True) -> GalleryPanel:
    """The gallery over the library in `data_dir` (reading nothing until `load()` when not `load`)."""
    from wan27_desktop.ui.gallery.panel import GalleryPanel

    return GalleryPanel(data_dir=data_dir, parent=window, load=load)


def show_error(parent: QWidget, title: str, text: str) -> QMessageBox:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorMessage")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.open()
    return box


# -- menus ----------------------------------------------------------------------------------------
Shortcut = QKeySequence | QKeySequence.StandardKey | str


def standard_keys(key: QKeySequence.StandardKey, *fallback: str) -> list[QKeySequence]:
    """The platform's bindings for `key`, or `fallback` where the platform has none (Quit and
    Preferences have no binding on Windows and most Linux desktops)."""
    keys = [k for k in QKeySequence.keyBindings(key) if not k.isEmpty()]
    return keys or [QKeySequence(k) for k in fallback]


def _action(
    window: MainWindow,
    name: str,
    text: str,
    slot: Callable[..., Any],
    shortcut: Shortcut | list[QKeySequence] | None = None,
    *,
    display_only: bool = False,
    tip: str | None = None,
) -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    if shortcut is not None:
        if isinstance(shortcut, list):
            action.setShortcuts(shortcut)
        else:
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
    """Edit menu items act on the focused widget: its method (undo, copy...) or, for the gallery
    grid, its `<method>Requested` signal (undoRequested)."""
    from PySide6.QtCore import SignalInstance

    def call() -> None:
        widget = QApplication.focusWidget()
        target = getattr(widget, method, None)
        if callable(target):
            target()
            return
        signal = getattr(widget, f"{method}Requested", None)
        if isinstance(signal, SignalInstance):
            signal.emit()

    return call


def adopt_gallery(window: MainWindow, gallery: GalleryPanel | None) -> None:
    """File ▸ Export and Edit ▸ Find work from anywhere in the window; the gallery's own actions
    with the same keys lose them (two bindings of one key are ambiguous: neither would fire).
    Call again for a gallery that replaces the first one (moving the library)."""
    for name in ("find_action", "export_action"):
        action = getattr(gallery, name, None)
        if isinstance(action, QAction):
            action.setShortcuts([])


def build_menus(window: MainWindow) -> None:
    from PySide6.QtGui import QActionGroup

    from wan27_desktop.ui.window.main_window import copy_diagnostics

    bar = window.menuBar()
    bar.setObjectName("menuBar")
    window.actions_by_name = {}

    def add(menu: QMenu, action: QAction) -> QAction:
        menu.addAction(action)
        window.actions_by_name[action.objectName()] = action
        return action

    file_menu = bar.addMenu(translate("MainWindow", "&File"))
    file_menu.setObjectName("menuFile")
    add(
        file_menu,
        _action(
            window,
            "actionNewDraft",
            translate("MainWindow", "&New"),
            window.new_draft,
            QKeySequence.StandardKey.New,
            tip=translate(
                "MainWindow", "Start an empty draft: prompt, references and parameters (Undo brings it back)"
            ),
        ),
    )
    file_menu.addSeparator()
    add(
        file_menu,
        _action(
            window,
            "actionImportFolder",
            translate("MainWindow", "&Import Folder…"),
            window.import_folder,
            "Ctrl+Shift+I",
            tip=translate("MainWindow", "Add existing images from a folder to the library"),
        ),
    )
    export = add(
        file_menu,
        _action(
            window,
            "actionExport",
            translate("MainWindow", "&Export Selection…"),
            window.export_selection,
            "Ctrl+E",
            tip=translate("MainWindow", "Copy the selected images out, metadata intact"),
        ),
    )
    file_menu.addSeparator()
    settings = add(
        file_menu,
        _action(
            window,
            "actionSettings",
            translate("MainWindow", "&Settings…"),
            window.open_settings,
            standard_keys(QKeySequence.StandardKey.Preferences, "Ctrl+,"),
        ),
    )
    settings.setMenuRole(QAction.MenuRole.PreferencesRole)
    file_menu.addSeparator()
    quit_action = add(
        file_menu,
        _action(
            window,
            "actionQuit",
            translate("MainWindow", "&Quit"),
            window.close,
            standard_keys(QKeySequence.StandardKey.Quit, "Ctrl+Q"),
        ),
    )
    quit_action.setMenuRole(QAction.MenuRole.QuitRole)

    edit_menu = bar.addMenu(translate("MainWindow", "&Edit"))
    edit_menu.setObjectName("menuEdit")
    for name, text, method, key in (
        ("actionUndo", translate("MainWindow", "&Undo"), "undo", QKeySequence.StandardKey.Undo),
        ("actionRedo", translate("MainWindow", "&Redo"), "redo", QKeySequence.StandardKey.Redo),
        ("actionCut", translate("MainWindow", "Cu&t"), "cut", QKeySequence.StandardKey.Cut),
        ("actionCopy", translate("MainWindow", "&Copy"), "copy", QKeySequence.StandardKey.Copy),
        ("actionPaste", translate("MainWindow", "&Paste"), "paste", QKeySequence.StandardKey.Paste),
        ("actionSelectAll", translate("MainWindow", "Select &All"), "selectAll", QKeySequence.StandardKey.SelectAll),
    ):
        if name == "actionCut":
            edit_menu.addSeparator()
        add(edit_menu, _action(window, name, text, _focus_call(method), key, display_only=True))
    edit_menu.addSeparator()
    find = add(
        edit_menu,
        _action(
            window,
            "actionFind",
            translate("MainWindow", "&Find in Library"),
            lambda: focus_library_search(window),
            QKeySequence.StandardKey.Find,
        ),
    )
    find.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    export.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    adopt_gallery(window, window.gallery)

    view_menu = bar.addMenu(translate("MainWindow", "&View"))
    view_menu.setObjectName("menuView")
    panel_action = _action(
        window,
        "actionShowGenerationPanel",
        translate("MainWindow", "&Generation Panel"),
        lambda: window.generation.setVisible(panel_action.isChecked()),
        "Ctrl+1",
    )
    panel_action.setCheckable(True)
    panel_action.setChecked(True)
    add(view_menu, panel_action)
    queue_action = window.queue_dock.toggleViewAction()
    queue_action.setObjectName("actionShowJobQueue")
    queue_action.setText(translate("MainWindow", "&Job Queue"))
    queue_action.setShortcut(QKeySequence("Ctrl+2"))
    add(view_menu, queue_action)
    add(
        view_menu,
        _action(window, "actionShowAllImages", translate("MainWindow", "Show &All Images"), window.show_all_images),
    )
    view_menu.addSeparator()
    full_screen = _action(
        window,
        "actionFullScreen",
        translate("MainWindow", "&Full Screen"),
        lambda: toggle_full_screen(window),
        standard_keys(QKeySequence.StandardKey.FullScreen, "F11"),
    )
    full_screen.setCheckable(True)
    add(view_menu, full_screen)
    theme_menu = view_menu.addMenu(translate("MainWindow", "&Theme"))
    theme_menu.setObjectName("menuTheme")
    group = QActionGroup(window)
    group.setExclusive(True)
    for theme, label in (
        (Theme.SYSTEM, translate("MainWindow", "Follow &System")),
        (Theme.LIGHT, translate("MainWindow", "&Light")),
        (Theme.DARK, translate("MainWindow", "&Dark")),
    ):
        action = _action(window, f"actionTheme{theme.value.title()}", label, lambda t=theme: window.set_theme(t))
        action.setCheckable(True)
        action.setData(theme.value)
        group.addAction(action)
        add(theme_menu, action)
    window.theme_group = group
    sync_theme_actions(window)

    jobs_menu = bar.addMenu(translate("MainWindow", "&Jobs"))
    jobs_menu.setObjectName("menuJobs")
    # Shown in the menu under one name, Ctrl+Enter (the Return key and keypad Enter both work); the
    # generation panel binds the keys itself (two window-wide bindings of one key would be
    # ambiguous). Qt maps Ctrl to Cmd on macOS.
    generate = _action(
        window,
        "actionGenerate",
        translate("MainWindow", "&Generate"),
        lambda: trigger_generate(window),
        "Ctrl+Enter",
        display_only=True,
    )
    add(jobs_menu, generate)
    add(
        jobs_menu,
        _action(
            window,
            "actionNewBatch",
            translate("MainWindow", "New &Batch…"),
            lambda: window.batch_ui.new_batch_from_selection(),
            "Ctrl+Shift+B",
            tip=translate("MainWindow", "One instruction over many images, a list of prompts, or a prompt matrix"),
        ),
    )
    add(
        jobs_menu,
        _action(window, "actionBatches", translate("MainWindow", "Batc&hes…"), lambda: window.batch_ui.show_batches()),
    )
    jobs_menu.addSeparator()
    add(
        jobs_menu,
        _action(
            window,
            "actionResumeUnfinished",
            translate("MainWindow", "&Resume Unfinished Jobs"),
            window.resume_unfinished,
        ),
    )
    add(jobs_menu, _action(window, "actionRetryJob", translate("MainWindow", "Re&try Selected Job"), window.retry_job))
    add(
        jobs_menu,
        _action(window, "actionCancelJob", translate("MainWindow", "&Cancel Selected Job"), window.cancel_job),
    )
    jobs_menu.addSeparator()
    add(
        jobs_menu,
        _action(
            window,
            "actionFetchTask",
            translate("MainWindow", "&Fetch a Task by Id…"),
            lambda: window.show_remote_tasks(fetch_by_id=True),
        ),
    )
    add(
        jobs_menu,
        _action(
            window, "actionRemoteTasks", translate("MainWindow", "Tasks at the &Service…"), window.show_remote_tasks
        ),
    )

    help_menu = bar.addMenu(translate("MainWindow", "&Help"))
    help_menu.setObjectName("menuHelp")
    help_keys = standard_keys(QKeySequence.StandardKey.HelpContents, "F1")
    help_keys += [k for k in (QKeySequence("Ctrl+/"),) if k not in help_keys]
    add(
        help_menu,
        _action(
            window,
            "actionShortcuts",
            translate("MainWindow", "&Keyboard Shortcuts"),
            lambda: show_shortcuts(window),
            help_keys,
        ),
    )
    if callable(getattr(window, "show_welcome", None)):
        add(
            help_menu,
            _action(
                window,
                "actionWelcome",
                translate("MainWindow", "&Welcome…"),
                window.show_welcome,
                tip=translate("MainWindow", "Region and key, a sample prompt, where the library lives"),
            ),
        )
    add(
        help_menu,
        _action(
            window,
            "actionCopyDiagnostics",
            translate("MainWindow", "Copy &Diagnostic Info"),
            lambda: copy_diagnostics(window),
            tip=translate("MainWindow", "Versions, platform, paths and recent errors for a bug report; never the key"),
        ),
    )
    help_menu.addSeparator()
    about = add(
        help_menu,
        _action(window, "actionAbout", translate("MainWindow", "&About Wan 2.7 Desktop"), lambda: show_about(window)),
    )
    about.setMenuRole(QAction.MenuRole.AboutRole)
    about_qt = add(
        help_menu, _action(window, "actionAboutQt", translate("MainWindow", "About &Qt"), QApplication.aboutQt)
    )
    about_qt.setMenuRole(QAction.MenuRole.AboutQtRole)

    for action in window.actions_by_name.values():
        if action.shortcutContext() != Qt.ShortcutContext.WidgetShortcut:
            window.addAction(action)  # keeps shortcuts alive while the menu bar is hidden (full screen)


def focus_library_search(window: MainWindow) -> None:
    search = window.gallery.filters.search  # looked up now: moving the library replaces the gallery
    search.setFocus(Qt.FocusReason.ShortcutFocusReason)
    search.selectAll()


def trigger_generate(window: MainWindow) -> None:
    button = window.generation.generate_button
    if button.isEnabled() and button.isVisible():
        button.click()


def toggle_full_screen(window: MainWindow) -> None:
    if window.isFullScreen():
        window.showNormal()
    else:
        window.showFullScreen()
    action = window.actions_by_name.get("actionFullScreen")
    if action is not None:
        action.setChecked(window.isFullScreen())


# -- theme ----------------------------------------------------------------------------------------
def apply_theme(theme: Theme) -> bool:
    """Light, dark or the system's scheme for the whole app, live (issue 9). See theme.py."""
    from wan27_desktop.ui.common.theme import apply_theme as apply

    return apply(theme)


def sync_theme_actions(window: MainWindow) -> None:
    group = window.theme_group
    if group is None:
        return
    for action in group.actions():
        action.setChecked(action.data() == window.settings.theme.value)


# -- help -----------------------------------------------------------------------------------------
def show_shortcuts(window: MainWindow) -> ShortcutsDialog:
    """Help ▸ Keyboard Shortcuts (F1, Ctrl+/): one non-modal window, made afresh from the actions."""
    from wan27_desktop.ui.dialogs.shortcuts import ShortcutsDialog

    old = window.shortcuts_dialog
    if old is not None:
        old.close()
        old.deleteLater()
    dialog = ShortcutsDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    window.shortcuts_dialog = dialog
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def show_about(window: QWidget) -> AboutDialog:
    from wan27_desktop.ui.dialogs.about import AboutDialog

    dialog = AboutDialog(window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def diagnostic_text(window: MainWindow) -> str:
    """For bug reports: versions, platform, paths, key origin, recent errors. Never the key.
    Deliberately not translated: it is read by the maintainers, in the issue tracker."""
    import platform

    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QGuiApplication, QImageReader

    formats = sorted(bytes(f.data()).decode() for f in QImageReader.supportedImageFormats())
    source = window.workspace.key_source
    lines = [
        f"Wan 2.7 Desktop {__version__}",
        f"Python {platform.python_version()} ({sys.executable})",
        f"PySide6 {pyside_version}, Qt {qVersion()}, platform plugin {QGuiApplication.platformName()}",
        f"OS: {platform.platform()}",
        f"Data dir: {config.data_dir()}",
        f"Library: {window.data_dir}",
        f"Settings: {window.settings.path}",
        f"Region: {window.settings.region.value}; endpoint: {window.api_base or 'default for region'}",
        f"Key source: {source.origin if source else 'not checked yet'}"
        + (f" ({source.problem})" if source and source.problem else ""),
        f"Env: {config.ENV_API_KEY} {'set' if config.env_api_key() else 'not set'}",
        f"Image formats: {', '.join(formats)}",
        f"Connectivity (last known): {window.status.connectivity_label.text()}",
    ]
    failed = [row for row in window.workspace.board.rows() if row.error_code][:5]
    if failed:
        lines.append("Recent errors:")
        for row in failed:
            lines.append(
                f"  job {row.job_id} {row.state.value}: {row.error_code}: {row.error_message} "
                f"(request id {row.request_id or '-'})"
            )
    return "\n".join(lines)
