"""The prompt: a plain-text editor with a live count against §2.1's 5,000 characters, history
recall (Ctrl+Up / Ctrl+Down, Ctrl+R to search) and "image N" references that follow reordering.

Over the limit the editor refuses rather than truncates: the overflow is highlighted, the count
turns red and the panel is invalid until the user shortens the text (§2.1: the service would
silently cut it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop.api import rules
from wan27_desktop.ui.common.widgets import (
    InlineMessage,
    error_color,
    mark_invalid,
    named,
    set_text_role,
    small_font,
    warn_color,
)
from wan27_desktop.ui.generate.history import MemoryPromptHistory, PromptHistory

if TYPE_CHECKING:
    from wan27_desktop.ui.generate.history_popup import PromptHistoryPopup
from wan27_desktop.ui.generate.prompt_refs import (
    reference_spans,
    reference_token,
    referenced_numbers,
    removed_markers,
    renumber_references,
)

WARN_FRACTION = 0.9  # the count turns amber from 4,500 characters


class PromptEditor(QPlainTextEdit):
    """objectName `promptEdit`. Undo/redo are QPlainTextEdit's own; every programmatic change
    (history recall, reference insertion, renumbering) goes through the undo stack too."""

    submitRequested = Signal()
    countChanged = Signal(int)

    def __init__(self, history: PromptHistory | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "promptEdit", self.tr("Prompt"))
        self.setAccessibleDescription(
            self.tr("Describe the image to generate or the edit to make. Ctrl+Enter generates.")
        )
        self.setPlaceholderText(
            self.tr(
                "Describe the image, or the edit to make to the reference images…\n\n"
                "Refer to references as “image 1”, “image 2” (or 图1). Ctrl+Enter generates."
            )
        )
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.history: PromptHistory = history if history is not None else MemoryPromptHistory()
        self._recall: list[str] | None = None  # snapshot while browsing, newest first
        self._recall_index = -1
        self._draft = ""
        self._recalling = False
        self.textChanged.connect(self._on_text_changed)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        # About seven lines: the panel gives the editor any spare height, but it should not push
        # the parameters below the fold on a small screen.
        return QSize(super().sizeHint().width(), self.fontMetrics().lineSpacing() * 7 + 12)

    # --- limit ---------------------------------------------------------------------------------
    def char_count(self) -> int:
        return len(self.toPlainText())

    def _on_text_changed(self) -> None:
        if not self._recalling:
            self._recall = None
        self._highlight()
        self.countChanged.emit(self.char_count())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._highlight()  # "image N" link and warning colours follow a theme switch

    def _highlight(self) -> None:
        text = self.toPlainText()
        selections: list[QTextEdit.ExtraSelection] = []
        link = self.palette().color(self.palette().ColorRole.Link)
        for start, length in reference_spans(text):
            selections.append(self._selection(start, length, foreground=link, bold=True))
        for start, length in removed_markers(text):
            selections.append(self._selection(start, length, foreground=warn_color(self.palette()), bold=True))
        if len(text) > rules.MAX_PROMPT_CHARS:
            tint = QColor(error_color(self.palette()))
            tint.setAlpha(70)
            selections.append(
                self._selection(rules.MAX_PROMPT_CHARS, len(text) - rules.MAX_PROMPT_CHARS, background=tint)
            )
        self.setExtraSelections(selections)

    def _selection(
        self,
        start: int,
        length: int,
        *,
        foreground: QColor | None = None,
        background: QColor | None = None,
        bold: bool = False,
    ) -> QTextEdit.ExtraSelection:
        # The text-format classes load with the first highlight, not with the window (~2 ms of enums).
        from PySide6.QtGui import QTextCharFormat, QTextCursor, QTextFormat

        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        fmt = QTextCharFormat()
        if foreground is not None:
            fmt.setForeground(foreground)
        if background is not None:
            fmt.setBackground(background)
            fmt.setProperty(QTextFormat.Property.FullWidthSelection, False)
        if bold:
            fmt.setFontWeight(600)
        selection.format = fmt
        return selection

    # --- the draft's prompt (workspace binding) -------------------------------------------------
    def prompt(self) -> str:
        return self.toPlainText()

    def set_prompt(self, text: str) -> None:
        """Show `text` (reuse, File ▸ New, a restored draft) as one undoable step."""
        if text != self.toPlainText():
            self.replace_text(text)

    # --- editing helpers (all undoable) --------------------------------------------------------
    def replace_text(self, text: str) -> None:
        """Replace the whole prompt as one undoable step (setPlainText would clear undo)."""
        from PySide6.QtGui import QTextCursor

        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        cursor.endEditBlock()
        self.setTextCursor(cursor)

    def insert_reference(self, number: int) -> None:
        """Insert "image N" (or "图N" in a Chinese prompt) at the cursor, spaced from its neighbours."""
        text = self.toPlainText()
        token = reference_token(number, text)
        cursor = self.textCursor()
        before = text[cursor.selectionStart() - 1] if cursor.selectionStart() > 0 else ""
        after = text[cursor.selectionEnd()] if cursor.selectionEnd() < len(text) else ""
        if token.startswith("image"):
            token = (" " if before and not before.isspace() else "") + token
            token += " " if after and not after.isspace() and after not in ",.;:!?)" else ""
        cursor.beginEditBlock()  # its own undo step, not merged into the typing before it
        cursor.insertText(token)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.setFocus()

    def renumber(self, mapping: Mapping[int, int | None]) -> bool:
        """Follow reordered/removed references (undoable). True when the text changed."""
        text = self.toPlainText()
        updated = renumber_references(text, mapping)
        if updated == text:
            return False
        position = self.textCursor().position()
        self.replace_text(updated)
        cursor = self.textCursor()
        cursor.setPosition(min(position, len(updated)))
        self.setTextCursor(cursor)
        return True

    # --- history -------------------------------------------------------------------------------
    def remember(self) -> None:
        """Add the current prompt to the history (called when a generation is requested)."""
        self.history.add(self.toPlainText())
        self._recall = None

    def recall_previous(self) -> bool:
        """Ctrl+Up: the next older prompt; the unsent draft is kept to come back to."""
        if self._recall is None:
            self._recall = self.history.recent(10_000)
            self._recall_index = -1
            self._draft = self.toPlainText()
        if self._recall_index + 1 >= len(self._recall):
            return False
        self._recall_index += 1
        self._show_recalled(self._recall[self._recall_index])
        return True

    def recall_next(self) -> bool:
        """Ctrl+Down: the next newer prompt, and finally the draft."""
        if self._recall is None or self._recall_index < 0:
            return False
        self._recall_index -= 1
        self._show_recalled(self._draft if self._recall_index < 0 else self._recall[self._recall_index])
        return True

    def _show_recalled(self, text: str) -> None:
        self._recalling = True
        try:
            self.replace_text(text)
        finally:
            self._recalling = False

    def open_history_search(self) -> PromptHistoryPopup:
        from wan27_desktop.ui.generate.history_popup import PromptHistoryPopup

        previous = self.findChild(PromptHistoryPopup, "promptHistoryPopup")
        if previous is not None:
            previous.deleteLater()  # one popup at a time; a closed one is not kept around
        popup = PromptHistoryPopup(self.history, "", self)
        popup.chosen.connect(self._show_chosen)
        popup.open()
        return popup

    def _show_chosen(self, text: str) -> None:
        self.replace_text(text)
        self.setFocus()

    # --- keys ----------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if ctrl and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submitRequested.emit()  # on macOS Qt maps Cmd to ControlModifier: Cmd+Return
            return
        if ctrl and key == Qt.Key.Key_Up:
            self.recall_previous()
            return
        if ctrl and key == Qt.Key.Key_Down:
            self.recall_next()
            return
        if ctrl and key == Qt.Key.Key_R:
            self.open_history_search()
            return
        super().keyPressEvent(event)


class PromptSection(QWidget):
    """The editor with its footer: insert-reference menu, history, the live count and messages."""

    def __init__(self, history: PromptHistory | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = PromptEditor(history, self)
        self.editor.setMinimumHeight(120)
        self._reference_names: list[str] = []

        self.insert_button = named(
            QToolButton(self),
            "insertReferenceButton",
            self.tr("Insert image reference"),
            self.tr("Insert “image N” for a reference image at the cursor"),
        )
        self.insert_button.setText(self.tr("Insert image ref"))
        self.insert_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.insert_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.insert_button.setAutoRaise(True)
        self._menu = QMenu(self.insert_button)
        self._menu.aboutToShow.connect(self._fill_menu)
        self.insert_button.setMenu(self._menu)

        self.history_button = named(
            QToolButton(self),
            "promptHistoryButton",
            self.tr("Prompt history"),
            self.tr("Search earlier prompts (Ctrl+R); Ctrl+Up / Ctrl+Down recall them"),
        )
        self.history_button.setText(self.tr("History…"))
        self.history_button.setAutoRaise(True)
        self.history_button.clicked.connect(self.editor.open_history_search)

        self.count_label = named(QLabel(self), "promptCountLabel", self.tr("Prompt length"))
        self.count_label.setFont(small_font(self))
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.message = InlineMessage("promptMessage", self.tr("Prompt problem"), self)

        footer = QHBoxLayout()
        footer.setContentsMargins(0, 0, 0, 0)
        footer.setSpacing(2)
        footer.addWidget(self.insert_button)
        footer.addWidget(self.history_button)
        footer.addStretch(1)
        footer.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.editor, 1)
        layout.addLayout(footer)
        layout.addWidget(self.message)
        self.editor.countChanged.connect(self._update_state)
        self.set_reference_names([])
        self._update_state()

    def set_reference_names(self, names: list[str]) -> None:
        """Names of the current references, in order (image 1 first), for the insert menu."""
        self._reference_names = list(names)
        self.insert_button.setEnabled(bool(names))
        self.insert_button.setToolTip(
            self.tr("Insert “image N” for a reference image at the cursor")
            if names
            else self.tr("Add reference images first, then refer to them as “image 1”, “image 2”…")
        )
        self._update_state()

    def _fill_menu(self) -> None:
        self._menu.clear()
        for number, name in enumerate(self._reference_names, start=1):
            action = self._menu.addAction(self.tr("image {number}  —  {name}").format(number=number, name=name))
            action.triggered.connect(lambda _checked=False, n=number: self.editor.insert_reference(n))

    def problems(self) -> list[str]:
        """Why the prompt cannot be sent as it is (over the limit, mentions a removed image)."""
        text = self.editor.toPlainText()
        found: list[str] = []
        count = len(text)
        if count > rules.MAX_PROMPT_CHARS:
            found.append(
                self.tr(
                    "The prompt is {over:,} characters over the {limit:,} limit; shorten it "
                    "(the service would cut the rest)."
                ).format(over=count - rules.MAX_PROMPT_CHARS, limit=rules.MAX_PROMPT_CHARS)
            )
        if removed_markers(text):
            found.append(
                self.tr(
                    "The prompt still refers to a removed image (marked “[removed image N]”); "
                    "edit or delete that reference."
                )
            )
        return found

    def warnings(self) -> list[str]:
        count = len(self._reference_names)
        missing = [n for n in referenced_numbers(self.editor.toPlainText()) if n > count]
        if not missing:
            return []
        names = self.tr(", ").join(self.tr("image {number}").format(number=n) for n in missing)
        if count:
            text = self.tr("The prompt mentions {names}, but only %n reference images are attached.", "", count)
        else:
            text = self.tr("The prompt mentions {names}, but there are no reference images.")
        return [text.format(names=names)]

    def _update_state(self, _count: int | None = None) -> None:
        count = self.editor.char_count()
        limit = rules.MAX_PROMPT_CHARS
        self.count_label.setText(f"{count:,} / {limit:,}")
        role = "error" if count > limit else "warn" if count >= WARN_FRACTION * limit else "muted"
        set_text_role(self.count_label, role)
        self.count_label.setAccessibleDescription(
            self.tr("{count} of {limit} characters").format(count=count, limit=limit)
        )
        problems = self.problems()
        if problems:
            self.message.show_message(" ".join(problems), "error")
            mark_invalid(self.editor, problems[0])
        else:
            mark_invalid(self.editor, None)
            warnings = self.warnings()
            self.message.show_message(" ".join(warnings), "warn" if warnings else "muted")
