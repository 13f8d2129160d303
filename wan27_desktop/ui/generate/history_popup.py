"""Ctrl+R in the prompt: type to filter earlier prompts, Enter to use one. Loaded the first time it
opens (a dialog is not on screen when the window first paints)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop.text import one_line
from wan27_desktop.ui.common.widgets import named, set_text_role
from wan27_desktop.ui.generate.history import PromptHistory


class PromptHistoryPopup(QDialog):
    """Ctrl+R: type to filter earlier prompts, Enter to use one."""

    chosen = Signal(str)

    def __init__(self, history: PromptHistory, query: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "promptHistoryPopup", self.tr("Prompt history"))
        self.setWindowTitle(self.tr("Prompt history"))
        self.resize(520, 360)
        self._history = history
        layout = QVBoxLayout(self)
        self.search = named(QLineEdit(query, self), "historySearchEdit", self.tr("Search prompt history"))
        self.search.setPlaceholderText(self.tr("Search earlier prompts…"))
        self.search.setClearButtonEnabled(True)
        self.list = named(QListWidget(self), "historyList", self.tr("Earlier prompts"))
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.empty = QLabel(self)
        set_text_role(self.empty, "muted")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Use prompt"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.search.textChanged.connect(self._refresh)
        self.search.installEventFilter(self)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self._refresh()

    def _refresh(self) -> None:
        self.list.clear()
        for text in self._history.search(self.search.text())[:200]:
            item = QListWidgetItem(one_line(text, 240))
            item.setData(Qt.ItemDataRole.UserRole, text)
            item.setToolTip(text[:2000])
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.empty.setText("" if self.list.count() else self.tr("No earlier prompt matches."))

    def eventFilter(self, watched: object, event: object) -> bool:  # noqa: N802 (Qt API)
        # Up/Down in the search field move through the list, like a command palette.
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == QKeyEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
        ):
            row = self.list.currentRow() + (1 if event.key() == Qt.Key.Key_Down else -1)
            if 0 <= row < self.list.count():
                self.list.setCurrentRow(row)
            return True
        return False

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen.emit(item.data(Qt.ItemDataRole.UserRole))
        super().accept()
