# ruff: noqa: F811  (pytest fixtures are imported from tests/ui/main_window_support.py)
"""File > New on the window: it clears the draft, Undo brings it back, an edit drops the undo; and a
new window restores the draft the last one left."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from tests.ui.main_window_support import make_window, notifier  # noqa: F401 - fixtures
from tests.ui.test_generation_strip import make_image


def test_file_new_clears_the_draft_and_undo_brings_it_back(qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    window = make_window()
    panel = window.generation
    panel.editor.setFocus()
    qtbot.keyClicks(panel.editor, "keep this")
    panel.add_reference(str(make_image(tmp_path / "a.png", 320, 320)))
    panel.params.count_spin.setValue(3)
    window.actions_by_name["actionNewDraft"].trigger()
    assert panel.editor.toPlainText() == "" and panel.strip.count() == 0 and panel.params.n() == 1
    assert panel.undo_bar.isVisible() and panel.undo_button.accessibleName() == "Undo new draft"
    panel.undo_button.setFocus()
    qtbot.keyClick(panel.undo_button, Qt.Key.Key_Space)  # reachable and usable from the keyboard
    assert panel.editor.toPlainText() == "keep this" and panel.strip.count() == 1 and panel.params.n() == 3
    assert not panel.undo_bar.isVisible()


def test_editing_after_file_new_drops_the_undo(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    panel = window.generation
    panel.editor.setFocus()
    qtbot.keyClicks(panel.editor, "old")
    qtbot.keyClick(panel.editor, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # File > New by its key
    assert panel.editor.toPlainText() == "" and panel.undo_bar.isVisible()
    qtbot.keyClicks(panel.editor, "new")
    assert not panel.undo_bar.isVisible() and not window.workspace.can_undo_new_draft()


def test_file_new_on_an_empty_draft_offers_nothing_to_undo(qtbot: Any, make_window: Any) -> None:
    window = make_window()
    assert not window.new_draft()
    assert not window.generation.undo_bar.isVisible()


def test_a_new_window_restores_the_draft_of_the_last_one(qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    first = make_window()
    first.generation.editor.setFocus()
    qtbot.keyClicks(first.generation.editor, "carry me over")
    first.generation.add_reference(str(make_image(tmp_path / "ref.png", 320, 320)))
    first.close()
    second = make_window()
    assert second.generation.editor.toPlainText() == "carry me over"
    assert second.generation.strip.names() == ["ref.png"]
