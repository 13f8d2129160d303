# ruff: noqa: F811  (pytest fixtures are imported from tests/ui/main_window_support.py)
"""Keyboard: the shortcuts window (made from the real actions, filterable, F1 / Ctrl+/), standard keys per
platform, menu mnemonics without clashes, and no key bound twice."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMenu

from tests.ui.main_window_support import make_window, notifier, prompt_edit  # noqa: F401 - fixtures
from wan27_desktop import i18n
from wan27_desktop.settings import Language
from wan27_desktop.ui.dialogs.shortcuts import NATIVE, ShortcutsDialog, plain_text
from wan27_desktop.ui.viewer.window import ImageViewer
from wan27_desktop.ui.window import parts as parts

StandardKey = QKeySequence.StandardKey


@pytest.fixture
def window(make_window: Any) -> Any:
    return make_window(start=False)


def menus(window: Any) -> Iterator[tuple[str, QMenu]]:
    """(path, menu) for every menu and submenu of the menu bar."""

    def walk(menu: QMenu, path: str) -> Iterator[tuple[str, QMenu]]:
        yield path, menu
        for action in menu.actions():
            if isinstance(action.menu(), QMenu):
                yield from walk(action.menu(), f"{path} ▸ {plain_text(action.text())}")

    for top in window.menuBar().actions():
        yield from walk(top.menu(), plain_text(top.text()))


def menu_actions(window: Any) -> list[QAction]:
    return [
        a
        for _path, menu in menus(window)
        for a in menu.actions()
        if not a.isSeparator() and not isinstance(a.menu(), QMenu)
    ]


def mnemonic(text: str) -> str | None:
    found = re.search(r"(?<!&)&([^&\s])", text)
    return found.group(1).casefold() if found else None


def open_dialog(qtbot: Any, window: Any) -> ShortcutsDialog:
    dialog = parts.show_shortcuts(window)
    qtbot.waitExposed(dialog)
    return dialog


def entries_of(dialog: ShortcutsDialog, group: str) -> dict[str, str]:
    return {entry.name: entry.keys for title, entry in dialog.visible_entries() if title == group}


# -- opening --------------------------------------------------------------------------------------
@pytest.mark.parametrize("keys", ["F1", "Ctrl+/"])
def test_f1_and_ctrl_slash_open_the_shortcuts_window(qtbot: Any, window: Any, keys: str) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    prompt_edit(window).setFocus()
    sequence = QKeySequence(keys)[0]
    qtbot.keyClick(QApplication.focusWidget(), sequence.key(), sequence.keyboardModifiers())
    qtbot.waitUntil(
        lambda: getattr(window, "shortcuts_dialog", None) is not None and window.shortcuts_dialog.isVisible()
    )
    assert window.shortcuts_dialog.objectName() == "shortcutsDialog"
    assert window.findChild(QAction, "actionShortcuts") in window.menuBar().actions()[-1].menu().actions()


def test_opening_twice_keeps_one_window(qtbot: Any, window: Any) -> None:
    first = open_dialog(qtbot, window)
    second = open_dialog(qtbot, window)
    assert not first.isVisible() and second.isVisible()


# -- content --------------------------------------------------------------------------------------
def test_every_menu_action_is_listed_with_its_native_shortcut(qtbot: Any, window: Any) -> None:
    dialog = open_dialog(qtbot, window)
    listed = {entry.name: entry for _title, entry in dialog.visible_entries()}
    for path, menu in menus(window):
        prefix = " ▸ ".join(path.split(" ▸ ")[1:])
        for action in menu.actions():
            if action.isSeparator() or isinstance(action.menu(), QMenu):
                continue
            name = " ▸ ".join(p for p in (prefix, plain_text(action.text())) if p)
            assert name in listed, f"{path} ▸ {action.text()} is missing"
            if not action.shortcut().isEmpty():
                assert listed[name].keys.split(", ")[0] == action.shortcut().toString(NATIVE), name
            else:
                assert listed[name].via_menu and listed[name].keys, f"{name}: no way to reach it by keyboard"


def test_panel_actions_and_keys_handled_in_code_are_listed(qtbot: Any, window: Any) -> None:
    window.queue_dock.show()  # the job queue's own keys are listed once it exists
    dialog = open_dialog(qtbot, window)
    gallery = entries_of(dialog, "Gallery")
    native = {k: QKeySequence(k).toString(NATIVE) for k in ("Ctrl+Z", "Ctrl+Shift+C", "Ctrl+Up", "Ctrl+R")}
    assert gallery["Rate the selected images 1 to 5 stars"] == "1 – 5"
    assert gallery["Clear the rating"] == "0"
    assert gallery["Mark or unmark as favourite"] == "F"
    assert gallery["Open / close the image set under the cursor (or click its ▣ badge)"] == "+ / −"
    assert gallery["Undo the last rating, favourite or trash"] == native["Ctrl+Z"]
    assert gallery["Copy prompt"] == native["Ctrl+Shift+C"]  # a QAction of the grid
    assert "Cancel job" in entries_of(dialog, "Job queue")
    prompt = entries_of(dialog, "Prompt")
    assert prompt["Previous prompt from the history"] == native["Ctrl+Up"]
    assert prompt["Search the prompt history"] == native["Ctrl+R"]
    assert entries_of(dialog, "Reference images")["Draw boxes on the selected reference"] == "B"
    assert "Delete the selected box" in entries_of(dialog, "Box editor")


def test_viewer_entries_match_a_real_viewer(qtbot: Any, window: Any) -> None:
    gallery = window.gallery
    viewer = ImageViewer(gallery.model, gallery.worker, gallery.loader)
    qtbot.addWidget(viewer)
    listed = entries_of(open_dialog(qtbot, window), "Viewer")
    shown_keys = {key for keys in listed.values() for key in keys.split(", ")}
    for action in viewer.actions():
        for sequence in action.shortcuts():
            assert sequence.toString(NATIVE) in shown_keys, f"viewer {action.text()}: {sequence.toString()}"
    assert len(listed) == len([a for a in viewer.actions() if a.shortcuts()])


def test_filter_narrows_by_command_and_by_key(qtbot: Any, window: Any) -> None:
    dialog = open_dialog(qtbot, window)
    everything = len(dialog.visible_entries())
    qtbot.keyClicks(dialog.filter_edit, "trash")
    names = [entry.name for _title, entry in dialog.visible_entries()]
    assert names and all("trash" in name.casefold() for name in names)
    dialog.filter_edit.clear()
    assert len(dialog.visible_entries()) == everything
    qtbot.keyClicks(dialog.filter_edit, "Ctrl+Shift+")
    keys = [entry.portable for _title, entry in dialog.visible_entries()]
    assert keys and all("ctrl+shift+" in k.casefold() for k in keys)
    dialog.filter_edit.clear()
    qtbot.keyClicks(dialog.filter_edit, "zzzz")
    assert dialog.visible_entries() == []
    assert dialog.empty_label.isVisible() and "zzzz" in dialog.empty_label.text()
    assert not dialog.tree.isVisible()


def test_a_group_title_in_the_filter_shows_the_whole_group(qtbot: Any, window: Any) -> None:
    dialog = open_dialog(qtbot, window)
    qtbot.keyClicks(dialog.filter_edit, "viewer")
    titles = {title for title, _entry in dialog.visible_entries()}
    assert "Viewer" in titles and len(entries_of(dialog, "Viewer")) > 5


# -- keyboard reachability ------------------------------------------------------------------------
@pytest.fixture(params=["en", "zh_CN"])
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    """Menus in English and in Chinese (translated texts pick their own mnemonics: 文件(&F))."""
    assert i18n.install_translators(qapp, Language(request.param)) == request.param
    yield request.param
    i18n.uninstall_translators(qapp)


def test_no_two_items_in_one_menu_share_a_mnemonic(language: str, make_window: Any) -> None:
    window = make_window(start=False)
    assert window.menuBar().actions()[0].text() == ("文件(&F)" if language == "zh_CN" else "&File")
    bar = [mnemonic(a.text()) for a in window.menuBar().actions()]
    assert None not in bar and len(set(bar)) == len(bar), [a.text() for a in window.menuBar().actions()]
    for path, menu in menus(window):
        letters = [(mnemonic(a.text()), a.text()) for a in menu.actions() if not a.isSeparator()]
        missing = [text for letter, text in letters if letter is None]
        assert not missing, f"{path}: no mnemonic in {missing}"
        clashes = [letter for letter, count in Counter(letter for letter, _t in letters).items() if count > 1]
        assert not clashes, f"{path}: {clashes} used twice in {[t for _l, t in letters]}"


def test_no_two_menu_actions_share_a_shortcut(window: Any) -> None:
    seen: dict[str, str] = {}
    for action in menu_actions(window):
        for sequence in action.shortcuts():
            key = sequence.toString()
            assert key not in seen, f"{key}: {seen.get(key)} and {action.text()}"
            seen[key] = action.text()


def test_window_wide_shortcuts_are_not_bound_again_anywhere_in_the_window(window: Any) -> None:
    """A window-wide key and a panel's key with the same sequence are ambiguous: neither fires."""
    wide = [
        a
        for a in window.actions()
        if a.shortcutContext() in (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)
    ]
    others: list[tuple[str, list[QKeySequence]]] = [
        (a.text(), a.shortcuts())
        for a in window.findChildren(QAction)
        if a not in wide and a.shortcutContext() != Qt.ShortcutContext.WidgetShortcut
    ]
    others += [(f"QShortcut {s.key().toString()}", [s.key()]) for s in window.findChildren(QShortcut)]
    for action in wide:
        for sequence in action.shortcuts():
            clashes = [text for text, keys in others if sequence in keys]
            assert not clashes, f"{action.text()} {sequence.toString()} is also bound by {clashes}"


@pytest.mark.parametrize(
    ("name", "standard", "fallback"),
    [
        ("actionQuit", StandardKey.Quit, "Ctrl+Q"),
        ("actionSettings", StandardKey.Preferences, "Ctrl+,"),
        ("actionFind", StandardKey.Find, None),
        ("actionCopy", StandardKey.Copy, None),
        ("actionUndo", StandardKey.Undo, None),
        ("actionRedo", StandardKey.Redo, None),
        ("actionFullScreen", StandardKey.FullScreen, "F11"),
        ("actionShortcuts", StandardKey.HelpContents, "F1"),
    ],
)
def test_menu_actions_use_the_platforms_standard_keys(
    window: Any, name: str, standard: StandardKey, fallback: str | None
) -> None:
    bindings = QKeySequence.keyBindings(standard)
    expected = bindings[0] if bindings else QKeySequence(fallback)
    assert window.actions_by_name[name].shortcuts()[0] == expected


def test_ctrl_slash_also_opens_the_shortcuts_window(window: Any) -> None:
    assert QKeySequence("Ctrl+/") in window.actions_by_name["actionShortcuts"].shortcuts()


def test_find_works_from_the_prompt_not_only_from_the_gallery(qtbot: Any, window: Any) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    edit = prompt_edit(window)
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    find = QKeySequence(StandardKey.Find)[0]
    qtbot.keyClick(edit, find.key(), find.keyboardModifiers())
    qtbot.waitUntil(lambda: window.gallery.filters.search.hasFocus())
    window.gallery.view.setFocus()
    qtbot.keyClick(window.gallery.view, find.key(), find.keyboardModifiers())
    qtbot.waitUntil(lambda: window.gallery.filters.search.hasFocus())
