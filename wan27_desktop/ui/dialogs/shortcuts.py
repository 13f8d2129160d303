"""Help ▸ Keyboard Shortcuts: every command and its keys, with a filter box.

Generated when it opens from the window's real QActions (menus first, in menu order, then the
panels' own actions), so it can never disagree with what the keys do. Keys that widgets handle
in keyPressEvent (gallery culling, prompt history, reference tiles, box editor) and the viewer's
actions (the viewer is built only when an image is opened) come from `fixed_groups()`; the tests
check that list against a real viewer. Keys are shown in the platform's own notation
(QKeySequence.NativeText: "Ctrl+Z" here, "⌘Z" on macOS).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop import assets
from wan27_desktop.ui.common.widgets import set_text_role

translate = QCoreApplication.translate  # pyside6-lupdate reads translate("Context", "text")
NATIVE = QKeySequence.SequenceFormat.NativeText
PORTABLE = QKeySequence.SequenceFormat.PortableText
MAX_SEQUENCES = 2  # Copy has Ctrl+C, Ctrl+Ins and the Copy key: the first two are what people use


@dataclass(frozen=True)
class ShortcutEntry:
    name: str
    keys: str  # as shown, native text
    portable: str = ""  # "Ctrl+Z" whatever the platform, so a filter typed from docs matches too
    via_menu: bool = False  # no shortcut: `keys` is the menu path by mnemonics (Alt+J, R)
    tooltip: str = ""

    def matches(self, needle: str) -> bool:
        needle = needle.casefold().strip()
        return not needle or any(needle in text.casefold() for text in (self.name, self.keys, self.portable))


@dataclass(frozen=True)
class ShortcutGroup:
    title: str
    entries: tuple[ShortcutEntry, ...]


def plain_text(text: str) -> str:
    """Menu text without mnemonics ("&File", "文件(&F)") or a trailing ellipsis."""
    text = re.sub(r"\s*\(&[^)]\)", "", text)  # the CJK style: 文件(&F)
    text = re.sub(r"&(.)", r"\1", text)  # "&&" stays one "&"
    return text.rstrip(".…").strip()


def _on_common_keyboards(sequence: QKeySequence) -> bool:
    """False for bindings to keys few keyboards have (Help, Copy, Find, Undo... on Sun keyboards):
    Qt lists them among the standard keys, but they would only clutter the list."""
    if sequence.isEmpty():
        return False
    return sequence[0].key().value < Qt.Key.Key_Help.value  # type: ignore[index]  # (stubs lack [])


def key_text(sequences: Sequence[QKeySequence], fmt: QKeySequence.SequenceFormat = NATIVE) -> str:
    shown = [s.toString(fmt) for s in sequences if _on_common_keyboards(s)][:MAX_SEQUENCES]
    return ", ".join(dict.fromkeys(shown))


def _keys(*portable: str) -> list[QKeySequence]:
    return [QKeySequence(k) for k in portable]


def _fixed(name: str, *portable: str, span: bool = False) -> ShortcutEntry:
    """An entry for keys handled in code; `span` shows a range like 1 – 5."""
    sequences = _keys(*portable)
    if span:
        keys = f"{sequences[0].toString(NATIVE)} – {sequences[-1].toString(NATIVE)}"
        return ShortcutEntry(name, keys, f"{portable[0]} – {portable[-1]}")
    return ShortcutEntry(name, ", ".join(k.toString(NATIVE) for k in sequences), ", ".join(portable))


# -- from the window's actions --------------------------------------------------------------------
def _mnemonic(text: str) -> str:
    """The key of a menu text's mnemonic ("&Jobs" -> "J"); empty when it has none."""
    match = re.search(r"(?<!&)&([^&\s])", text)
    return match.group(1).upper() if match else ""


def _menus_have_mnemonics() -> bool:
    # Empty on macOS, where menus have no mnemonics.
    return not QKeySequence.mnemonic("&F").isEmpty()


def action_entry(action: QAction, path: Sequence[str] = (), menu_keys: Sequence[str] = ()) -> ShortcutEntry:
    name = " ▸ ".join([*path, plain_text(action.text())])
    sequences = action.shortcuts()
    if any(_on_common_keyboards(s) for s in sequences):
        return ShortcutEntry(name, key_text(sequences), key_text(sequences, PORTABLE), tooltip=action.statusTip())
    if menu_keys and _menus_have_mnemonics() and all(menu_keys):
        first = QKeySequence.mnemonic(f"&{menu_keys[0]}").toString(NATIVE)
        keys = ", ".join([first, *menu_keys[1:]])
        tip = translate("ShortcutsDialog", "Through the menus: press these keys in turn")
        return ShortcutEntry(name, keys, keys, via_menu=True, tooltip=tip)
    return ShortcutEntry(name, "", "", via_menu=True)


def _menu_entries(menu: QMenu, path: list[str], menu_keys: list[str]) -> list[ShortcutEntry]:
    entries: list[ShortcutEntry] = []
    for action in menu.actions():
        if action.isSeparator() or not action.isVisible() or not action.text():
            continue
        keys = [*menu_keys, _mnemonic(action.text())]
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            entries.extend(_menu_entries(submenu, [*path, plain_text(action.text())], keys))
        else:
            entries.append(action_entry(action, path, keys))
    return entries


def menu_groups(window: QMainWindow) -> tuple[list[ShortcutGroup], set[QAction]]:
    """One group per menu of the menu bar, in order; and the actions seen there."""
    groups: list[ShortcutGroup] = []
    seen: set[QAction] = set()
    for top in window.menuBar().actions():
        menu = top.menu()
        if not isinstance(menu, QMenu) or not top.isVisible():
            continue
        entries = _menu_entries(menu, [], [_mnemonic(top.text())])
        seen.update(_all_actions(menu))
        if entries:
            groups.append(ShortcutGroup(plain_text(top.text()), tuple(entries)))
    return groups, seen


def _all_actions(menu: QMenu) -> Iterable[QAction]:
    for action in menu.actions():
        yield action
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            yield from _all_actions(submenu)


def _owner_title(action: QAction, window: QWidget) -> str | None:
    """The panel an action belongs to, by walking up its parents; None when it is in another window."""
    owners = [
        (getattr(window, "gallery", None), translate("ShortcutsDialog", "Gallery")),
        (getattr(window, "_queue", None), translate("ShortcutsDialog", "Job queue")),  # when built
        (getattr(window, "generation", None), translate("ShortcutsDialog", "Generation panel")),
    ]
    parent: QObject | None = action.parent()
    widgets = [w for w in action.associatedObjects() if isinstance(w, QWidget)]
    start = widgets[0] if widgets else parent
    if isinstance(start, QWidget) and start.window() is not window:
        return None
    node: QObject | None = start
    while node is not None:
        for owner, title in owners:
            if owner is not None and node is owner:
                return title
        node = node.parent()
    return translate("ShortcutsDialog", "Main window")


def panel_groups(window: QMainWindow, skip: set[QAction]) -> list[ShortcutGroup]:
    """Actions with shortcuts that live on panels (gallery, job queue...), not in the menus."""
    by_title: dict[str, list[ShortcutEntry]] = {}
    for action in window.findChildren(QAction):
        if action in skip or not action.text() or all(s.isEmpty() for s in action.shortcuts()):
            continue
        title = _owner_title(action, window)
        if title is None:
            continue
        entry = action_entry(action)
        if entry not in by_title.setdefault(title, []):
            by_title[title].append(entry)
    return [ShortcutGroup(title, tuple(entries)) for title, entries in by_title.items()]


# -- keys handled in code -------------------------------------------------------------------------
def fixed_groups() -> list[ShortcutGroup]:
    """Keys that are not QActions of the main window. Keep in step with gallery/view.py,
    generate/prompt_editor.py, generate/reference_tiles.py, generate/box_editor.py and
    viewer/window.py (tests/ui/test_shortcuts.py checks the viewer's)."""
    return [
        ShortcutGroup(
            translate("ShortcutsDialog", "Gallery"),
            (
                _fixed(translate("ShortcutsDialog", "Rate the selected images 1 to 5 stars"), "1", "5", span=True),
                _fixed(translate("ShortcutsDialog", "Clear the rating"), "0"),
                _fixed(translate("ShortcutsDialog", "Mark or unmark as favourite"), "F"),
                _fixed(translate("ShortcutsDialog", "Move to the trash"), "Del", "Backspace"),
                _fixed(translate("ShortcutsDialog", "Undo the last rating, favourite or trash"), "Ctrl+Z"),
                _fixed(translate("ShortcutsDialog", "Open the current image in the viewer"), "Return"),
                # gallery/view.py: + (or =) opens the set under the cursor, − (or _) closes it.
                ShortcutEntry(
                    translate("ShortcutsDialog", "Open / close the image set under the cursor (or click its ▣ badge)"),
                    "+ / −",
                    "+ / -",
                ),
                _fixed(translate("ShortcutsDialog", "Move between images"), "Left", "Right", "Up", "Down"),
                _fixed(translate("ShortcutsDialog", "Extend the selection"), "Shift+Left", "Shift+Right"),
            ),
        ),
        ShortcutGroup(
            translate("ShortcutsDialog", "Prompt"),
            (
                _fixed(translate("ShortcutsDialog", "Generate"), "Ctrl+Enter"),
                _fixed(translate("ShortcutsDialog", "Previous prompt from the history"), "Ctrl+Up"),
                _fixed(translate("ShortcutsDialog", "Next prompt from the history"), "Ctrl+Down"),
                _fixed(translate("ShortcutsDialog", "Search the prompt history"), "Ctrl+R"),
            ),
        ),
        ShortcutGroup(
            translate("ShortcutsDialog", "Reference images"),
            (
                _fixed(translate("ShortcutsDialog", "Paste an image as a reference"), "Ctrl+V"),
                _fixed(translate("ShortcutsDialog", "Select the previous or next reference"), "Left", "Right"),
                _fixed(translate("ShortcutsDialog", "Move the selected reference"), "Ctrl+Left", "Ctrl+Right"),
                _fixed(translate("ShortcutsDialog", "Open the selected reference"), "Return", "Space"),
                _fixed(translate("ShortcutsDialog", "Draw boxes on the selected reference"), "B"),
                _fixed(translate("ShortcutsDialog", "Remove the selected reference"), "Del", "Backspace"),
            ),
        ),
        ShortcutGroup(
            translate("ShortcutsDialog", "Box editor"),
            (
                _fixed(
                    translate("ShortcutsDialog", "Nudge the selected box by one pixel"), "Left", "Right", "Up", "Down"
                ),
                _fixed(
                    translate("ShortcutsDialog", "Nudge the selected box by ten pixels"),
                    "Shift+Left",
                    "Shift+Right",
                    "Shift+Up",
                    "Shift+Down",
                ),
                _fixed(translate("ShortcutsDialog", "Delete the selected box"), "Del", "Backspace"),
            ),
        ),
        ShortcutGroup(
            translate("ShortcutsDialog", "Viewer"),
            (
                _fixed(translate("ShortcutsDialog", "Previous image"), "Left", "PgUp"),
                _fixed(translate("ShortcutsDialog", "Next image"), "Right", "PgDown", "Space"),
                _fixed(translate("ShortcutsDialog", "Fit to the window"), "Ctrl+0", "0"),
                _fixed(translate("ShortcutsDialog", "Actual size (100%)"), "Ctrl+1", "1"),
                _fixed(translate("ShortcutsDialog", "Zoom in"), "Ctrl++", "+", "="),
                _fixed(translate("ShortcutsDialog", "Zoom out"), "Ctrl+-", "-"),
                _fixed(translate("ShortcutsDialog", "Full screen"), "F11"),
                _fixed(translate("ShortcutsDialog", "Compare with the next image"), "C"),
                _fixed(translate("ShortcutsDialog", "Reuse the prompt"), "Ctrl+R"),
                _fixed(translate("ShortcutsDialog", "Reuse all parameters"), "Ctrl+Shift+R"),
                _fixed(translate("ShortcutsDialog", "Close the viewer"), "Esc"),
            ),
        ),
    ]


def collect(window: QMainWindow) -> list[ShortcutGroup]:
    """Menus, then panel actions, then keys handled in code; groups with one title are merged."""
    groups, in_menus = menu_groups(window)
    merged: dict[str, list[ShortcutEntry]] = {}
    for group in [*groups, *panel_groups(window, in_menus), *fixed_groups()]:
        bucket = merged.setdefault(group.title, [])
        for entry in group.entries:
            if all(entry.name != e.name or entry.keys != e.keys for e in bucket):
                bucket.append(entry)
    return [ShortcutGroup(title, tuple(entries)) for title, entries in merged.items()]


# -- the window -----------------------------------------------------------------------------------
class ShortcutsDialog(QDialog):
    """A non-modal help window; type in the filter to narrow the list by command or key."""

    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent if parent is not None else window)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard Shortcuts"))
        self.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.groups = collect(window)

        icon = QLabel(self)
        icon.setObjectName("shortcutsIcon")
        icon.setPixmap(assets.icon("keyboard").pixmap(32, 32))
        icon.setAccessibleName(self.tr("Keyboard"))
        title = QLabel(self.tr("Keyboard Shortcuts"), self)
        font = QFont(title.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        title.setFont(font)
        hint = QLabel(
            self.tr(
                "Every command is also in the menus. Keys listed under a panel work "
                "while that panel has the keyboard focus."
            ),
            self,
        )
        hint.setObjectName("shortcutsHint")
        hint.setWordWrap(True)
        set_text_role(hint, "muted")

        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("shortcutsFilter")
        self.filter_edit.setAccessibleName(self.tr("Filter shortcuts"))
        self.filter_edit.setPlaceholderText(self.tr("Filter by command or key…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.addAction(assets.icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.filter_edit.textChanged.connect(self.apply_filter)
        self.filter_edit.returnPressed.connect(self._focus_first_match)

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("shortcutsTree")
        self.tree.setAccessibleName(self.tr("Commands and their keys"))
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Command"), self.tr("Keys")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.empty_label = QLabel(self)
        self.empty_label.setObjectName("shortcutsEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.hide()
        set_text_role(self.empty_label, "muted")
        self._fill()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.addWidget(title)
        titles.addWidget(hint)
        top.addLayout(titles, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(buttons)
        self.resize(600, 640)
        self.filter_edit.setFocus()

    def _fill(self) -> None:
        self.tree.clear()
        self._rows: list[tuple[QTreeWidgetItem, list[QTreeWidgetItem]]] = []
        bold = QFont(self.tree.font())
        bold.setBold(True)
        row = QSize(0, self.tree.fontMetrics().height() + 6)  # room to breathe; scales with the font
        for group in self.groups:
            head = QTreeWidgetItem(self.tree, [group.title])
            head.setFont(0, bold)
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            head.setFirstColumnSpanned(True)
            head.setSizeHint(0, row)
            children = []
            for entry in group.entries:
                item = QTreeWidgetItem(head, [entry.name, entry.keys])
                item.setData(0, Qt.ItemDataRole.UserRole, entry)
                item.setSizeHint(0, row)
                item.setTextAlignment(1, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                if entry.tooltip:
                    item.setToolTip(0, entry.tooltip)
                    item.setToolTip(1, entry.tooltip)
                children.append(item)
            head.setExpanded(True)
            self._rows.append((head, children))
        self._tint_menu_paths()

    @staticmethod
    def _entry(item: QTreeWidgetItem) -> ShortcutEntry:
        entry: ShortcutEntry = item.data(0, Qt.ItemDataRole.UserRole)
        return entry

    def _tint_menu_paths(self) -> None:
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
        for _head, children in self._rows:
            for item in children:
                if self._entry(item).via_menu:
                    item.setForeground(1, muted)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "_rows"):  # a theme switch while open
            self._tint_menu_paths()

    def apply_filter(self, text: str) -> int:
        """Show only entries matching `text` (in the command, its group or its keys). Returns how many."""
        needle = text.casefold().strip()
        shown = 0
        for head, children in self._rows:
            group_match = bool(needle) and needle in head.text(0).casefold()
            visible = 0
            for item in children:
                hide = not (group_match or self._entry(item).matches(text))
                item.setHidden(hide)
                visible += not hide
            head.setHidden(visible == 0)
            shown += visible
        self.empty_label.setText(self.tr("No command or key matches “%1”.").replace("%1", text.strip()))
        self.empty_label.setVisible(shown == 0)
        self.tree.setVisible(shown > 0)
        return shown

    def visible_entries(self) -> list[tuple[str, ShortcutEntry]]:
        """(group title, entry) of every row shown."""
        return [
            (head.text(0), self._entry(item))
            for head, children in self._rows
            if not head.isHidden()
            for item in children
            if not item.isHidden()
        ]

    def _focus_first_match(self) -> None:
        for _head, children in self._rows:
            for item in children:
                if not item.isHidden():
                    self.tree.setCurrentItem(item)
                    self.tree.setFocus()
                    return
