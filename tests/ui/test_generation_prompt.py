"""PromptEditor / PromptSection: live count, refusal over 5,000, history recall and persistence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from wan27_desktop.api import rules
from wan27_desktop.ui.common.widgets import is_marked_invalid
from wan27_desktop.ui.generate.history import JsonPromptHistory, MemoryPromptHistory
from wan27_desktop.ui.generate.history_popup import PromptHistoryPopup
from wan27_desktop.ui.generate.prompt_editor import PromptSection


def make_section(qtbot: Any, history: Any = None) -> PromptSection:
    section = PromptSection(history if history is not None else MemoryPromptHistory())
    qtbot.addWidget(section)
    section.resize(420, 300)
    section.show()
    return section


def test_typing_updates_the_count(qtbot: Any) -> None:
    section = make_section(qtbot)
    qtbot.keyClicks(section.editor, "A red fox")
    assert section.editor.toPlainText() == "A red fox"
    assert section.count_label.text() == "9 / 5,000"
    assert section.count_label.property("textRole") == "muted"
    assert section.problems() == []


def test_count_warns_from_ninety_percent(qtbot: Any) -> None:
    section = make_section(qtbot)
    section.editor.setPlainText("x" * 4499)
    assert section.count_label.property("textRole") == "muted"
    qtbot.keyClicks(section.editor, "y")
    assert section.count_label.text() == "4,500 / 5,000"
    assert section.count_label.property("textRole") == "warn"


def test_over_the_limit_is_refused_not_truncated(qtbot: Any) -> None:
    section = make_section(qtbot)
    section.editor.setPlainText("x" * rules.MAX_PROMPT_CHARS)
    assert section.problems() == []
    section.editor.moveCursor(section.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(section.editor, "abc")
    assert section.editor.char_count() == rules.MAX_PROMPT_CHARS + 3  # nothing was cut
    assert section.count_label.property("textRole") == "error"
    assert "3 characters over" in section.problems()[0]
    assert section.message.isVisible() and "over" in section.message.text()
    assert is_marked_invalid(section.editor)
    overflow = [s for s in section.editor.extraSelections() if s.cursor.selectionStart() == rules.MAX_PROMPT_CHARS]
    assert overflow and overflow[0].cursor.selectionEnd() == rules.MAX_PROMPT_CHARS + 3
    qtbot.keyClick(section.editor, Qt.Key.Key_Backspace)
    qtbot.keyClick(section.editor, Qt.Key.Key_Backspace)
    qtbot.keyClick(section.editor, Qt.Key.Key_Backspace)
    assert section.problems() == [] and not is_marked_invalid(section.editor)


def test_undo_and_redo(qtbot: Any) -> None:
    section = make_section(qtbot)
    qtbot.keyClicks(section.editor, "cat")
    section.editor.insert_reference(1)
    assert section.editor.toPlainText() == "cat image 1"
    section.editor.undo()
    assert section.editor.toPlainText() == "cat"
    section.editor.redo()
    assert section.editor.toPlainText() == "cat image 1"


def test_insert_reference_uses_chinese_token_in_chinese_prompt(qtbot: Any) -> None:
    section = make_section(qtbot)
    section.editor.setPlainText("把标志放到")
    section.editor.moveCursor(section.editor.textCursor().MoveOperation.End)
    section.editor.insert_reference(2)
    assert section.editor.toPlainText() == "把标志放到图2"


def test_ctrl_up_down_recall_history_and_keep_the_draft(qtbot: Any) -> None:
    history = MemoryPromptHistory(["newest prompt", "older prompt"])
    section = make_section(qtbot, history)
    qtbot.keyClicks(section.editor, "my draft")
    qtbot.keyClick(section.editor, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert section.editor.toPlainText() == "newest prompt"
    qtbot.keyClick(section.editor, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert section.editor.toPlainText() == "older prompt"
    qtbot.keyClick(section.editor, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert section.editor.toPlainText() == "older prompt"  # no older one
    qtbot.keyClick(section.editor, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert section.editor.toPlainText() == "newest prompt"
    qtbot.keyClick(section.editor, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert section.editor.toPlainText() == "my draft"
    section.editor.undo()  # recall went through the undo stack
    assert section.editor.toPlainText() == "newest prompt"


def test_ctrl_enter_requests_submit(qtbot: Any) -> None:
    section = make_section(qtbot)
    qtbot.keyClicks(section.editor, "a lighthouse")
    with qtbot.waitSignal(section.editor.submitRequested, timeout=1000):
        qtbot.keyClick(section.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert section.editor.toPlainText() == "a lighthouse"  # no newline inserted


def test_ctrl_r_opens_a_searchable_history(qtbot: Any) -> None:
    history = MemoryPromptHistory(["a red fox in snow", "blue whale", "Red panda eating"])
    section = make_section(qtbot, history)
    qtbot.keyClick(section.editor, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    popup = section.findChild(PromptHistoryPopup, "promptHistoryPopup")
    assert popup is not None and popup.isVisible()
    assert popup.list.count() == 3
    qtbot.keyClicks(popup.search, "red")
    shown = [popup.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(popup.list.count())]
    assert shown == ["a red fox in snow", "Red panda eating"]
    qtbot.keyClick(popup.search, Qt.Key.Key_Down)
    qtbot.keyClick(popup.search, Qt.Key.Key_Return)
    assert section.editor.toPlainText() == "Red panda eating"
    assert not popup.isVisible()


def test_warns_when_prompt_mentions_a_missing_image(qtbot: Any) -> None:
    section = make_section(qtbot)
    section.set_reference_names(["mug.jpg"])
    section.editor.setPlainText("put image 2 on image 1")
    assert section.warnings() and "image 2" in section.warnings()[0]
    assert section.problems() == []  # a warning, not a refusal


def test_removed_reference_marker_blocks(qtbot: Any) -> None:
    section = make_section(qtbot)
    section.editor.setPlainText("image 1 and image 2")
    assert section.editor.renumber({1: None, 2: 1})
    assert section.editor.toPlainText() == "[removed image 1] and image 1"
    assert any("removed image" in p for p in section.problems())


def test_memory_history_dedupes_and_searches() -> None:
    history = MemoryPromptHistory(max_entries=3)
    for text in ["one", "two", "three", "two", "four", "   "]:
        history.add(text)
    assert history.recent(10) == ["four", "two", "three"]
    assert history.search("T") == ["two", "three"]
    assert history.search("") == ["four", "two", "three"]


def test_json_history_persists_bounded_and_atomically(tmp_path: Path) -> None:
    path = tmp_path / "prompt_history.json"
    history = JsonPromptHistory(path, max_entries=5)
    for i in range(8):
        history.add(f"prompt {i}")
    history.flush()
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["prompts"] == [f"prompt {i}" for i in range(7, 2, -1)]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    reloaded = JsonPromptHistory(path, max_entries=5)
    assert reloaded.recent(2) == ["prompt 7", "prompt 6"]


def test_json_history_defaults_to_the_data_dir(isolated_environment: Path) -> None:
    history = JsonPromptHistory()
    history.add("城市夜景")
    history.flush()
    assert json.loads((isolated_environment / "prompt_history.json").read_text(encoding="utf-8"))["prompts"] == [
        "城市夜景"
    ]


def test_damaged_history_file_is_set_aside(tmp_path: Path) -> None:
    path = tmp_path / "prompt_history.json"
    path.write_text("{not json", encoding="utf-8")
    history = JsonPromptHistory(path)
    assert history.recent(5) == []
    assert (tmp_path / "prompt_history.json.damaged").exists()
