"""GenerationPanel: the request it builds, the Generate button, reorder/renumber, reuse round-trip."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtWidgets import QWidget

from tests.ui.test_generation_strip import drop, make_image, tile_centre
from wan27_desktop.api import validation
from wan27_desktop.api.errors import ValidationIssue
from wan27_desktop.api.models import (
    Box,
    GenerationRequest,
    ImageInput,
    Mode,
    Model,
    PaletteColor,
    Region,
    RequestMode,
)
from wan27_desktop.ui.common.widgets import is_marked_invalid
from wan27_desktop.ui.generate.history import MemoryPromptHistory
from wan27_desktop.ui.generate.palette_store import PaletteStore
from wan27_desktop.ui.generate.panel import GenerationPanel

OBJECT_NAMES = [
    "promptEdit",
    "generateButton",
    "referenceStrip",
    "modelCombo",
    "sizeCombo",
    "countSpin",
    "seedSpin",
    "seedDiceButton",
    "thinkingCheck",
    "imageSetCheck",
    "watermarkCheck",
    "requestModeCombo",
    "paletteCheck",
    "referenceAddButton",
    "referenceRemoveButton",
    "referenceBoxesButton",
    "insertReferenceButton",
    "promptHistoryButton",
    "generationScroll",
]


@pytest.fixture
def panel(qtbot: Any, tmp_path: Path) -> GenerationPanel:
    widget = GenerationPanel(MemoryPromptHistory(), PaletteStore(tmp_path / "palettes.json"))
    qtbot.addWidget(widget)
    widget.resize(440, 900)
    widget.show()
    return widget


def wait_ready(qtbot: Any, panel: GenerationPanel, count: int) -> None:
    qtbot.waitUntil(lambda: panel.strip.count() == count and not panel.strip.busy(), timeout=10000)


def test_every_interactive_control_is_named(panel: GenerationPanel) -> None:
    for name in OBJECT_NAMES:
        widget = panel.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName(), name


def test_empty_prompt_disables_generate_with_reason(panel: GenerationPanel) -> None:
    assert not panel.generate_button.isEnabled()
    assert "prompt is empty" in panel.generate_button.toolTip()
    assert panel.reason.isVisible() and "prompt is empty" in panel.reason.text()


def test_typing_enables_generate_and_the_label_shows_the_estimate(qtbot: Any, panel: GenerationPanel) -> None:
    qtbot.keyClicks(panel.editor, "a lighthouse at dawn")
    assert panel.generate_button.isEnabled()
    assert panel.generate_button.text() == "Generate 1 · ≈ ¥0.56"
    panel.params.count_spin.setValue(4)
    assert panel.generate_button.text() == "Generate 4 · ≈ ¥2.25"  # 4 × ¥0.562065 (§6, Singapore)
    panel.set_region(Region.BEIJING)
    assert panel.generate_button.text() == "Generate 4 · ≈ ¥2.00"
    panel.params.model_combo.setCurrentIndex(panel.params.model_combo.findData(Model.STANDARD.value))
    assert panel.generate_button.text() == "Generate 4 · ≈ ¥0.80"
    assert not panel.reason.isVisible()


def test_set_mode_label_says_up_to(qtbot: Any, panel: GenerationPanel) -> None:
    panel.editor.setPlainText("a four-panel comic")
    panel.params.image_set_check.setChecked(True)
    panel.params.count_spin.setValue(12)
    assert panel.generate_button.text() == "Generate up to 12 · ≤ ¥6.74"


def test_ctrl_enter_generates_a_valid_request(qtbot: Any, panel: GenerationPanel) -> None:
    qtbot.keyClicks(panel.editor, "a red bicycle")
    seen: list[object] = []
    panel.generateRequested.connect(lambda request, mode: seen.append(request))
    with qtbot.waitSignal(panel.generateRequested, timeout=1000) as emitted:
        qtbot.keyClick(panel.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(seen) == 1  # the editor's key handling and the panel shortcut never both fire
    request, mode = emitted.args
    assert isinstance(request, GenerationRequest) and request.prompt == "a red bicycle"
    assert mode is RequestMode.AUTO  # the default: recoverable (issue 14)
    assert validation.check(request) == []
    assert panel.editor.history.recent(1) == ["a red bicycle"]


def test_generate_refuses_when_invalid(qtbot: Any, panel: GenerationPanel) -> None:
    panel.editor.setPlainText("x" * 5001)
    assert not panel.generate_button.isEnabled()
    with qtbot.assertNotEmitted(panel.generateRequested):
        assert not panel.generate()
    assert is_marked_invalid(panel.editor)


def test_adding_a_reference_removes_4k_and_disables_thinking(
    qtbot: Any, panel: GenerationPanel, tmp_path: Path
) -> None:
    panel.editor.setPlainText("edit this")
    panel.params.size_combo.setCurrentIndex(panel.params.size_combo.findData("4K"))
    assert panel.current_request().size == "4K" and panel.params.thinking_check.isEnabled()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(make_image(tmp_path / "ref.png")))])
    drop(panel.strip, mime)
    wait_ready(qtbot, panel, 1)
    request = panel.current_request()
    assert request.mode is Mode.EDIT and request.size == "2K"
    assert not panel.params.thinking_check.isEnabled()
    assert panel.params.info.isVisible()
    assert validation.check(request) == [] and panel.generate_button.isEnabled()


def test_set_mode_disables_palette_and_boxes_and_keeps_request_valid(
    qtbot: Any, panel: GenerationPanel, tmp_path: Path
) -> None:
    panel.editor.setPlainText("a storyboard")
    panel.add_reference(str(make_image(tmp_path / "a.png", 800, 600)))
    wait_ready(qtbot, panel, 1)
    panel.strip.set_boxes(0, (Box(10, 10, 200, 200),))
    panel.palette_editor.set_on(True)
    assert panel.current_request().color_palette and panel.current_request().images[0].boxes
    panel.params.image_set_check.setChecked(True)
    assert panel.params.count_spin.maximum() == 12
    assert not panel.palette_editor.enable_check.isEnabled()
    assert not panel.strip.boxes_button.isEnabled()
    request = panel.current_request()
    assert request.mode is Mode.IMAGE_SET
    assert request.color_palette == () and request.images[0].boxes == ()
    assert validation.check(request) == []
    assert "kept but not sent" in panel.strip.inline.text()
    panel.params.image_set_check.setChecked(False)  # back: boxes and palette are sent again
    assert panel.current_request().images[0].boxes == (Box(10, 10, 200, 200),)
    assert len(panel.current_request().color_palette) == 3


def test_reorder_updates_prompt_references_and_boxes(qtbot: Any, panel: GenerationPanel, tmp_path: Path) -> None:
    a = str(make_image(tmp_path / "mug.png", 800, 600))
    b = str(make_image(tmp_path / "logo.png", 500, 500, "#AA0000"))
    panel.strip.add_references([a, b])
    wait_ready(qtbot, panel, 2)
    panel.strip.set_boxes(0, (Box(100, 100, 300, 300),))
    panel.editor.setPlainText("Put the logo from image 2 on the mug in image 1; 图2 stays sharp")
    tiles = panel.strip.tiles
    qtbot.mousePress(tiles, Qt.MouseButton.LeftButton, pos=tile_centre(1))
    qtbot.mouseMove(tiles, tile_centre(0) + QPoint(3, 0))
    qtbot.mouseMove(tiles, tile_centre(0))
    qtbot.mouseRelease(tiles, Qt.MouseButton.LeftButton, pos=tile_centre(0))
    assert panel.editor.toPlainText() == "Put the logo from image 1 on the mug in image 2; 图1 stays sharp"
    request = panel.current_request()
    assert [i.source for i in request.images] == [b, a]
    assert request.images[1].boxes == (Box(100, 100, 300, 300),) and request.images[0].boxes == ()
    panel.editor.undo()  # the renumbering is one undoable step
    assert panel.editor.toPlainText() == "Put the logo from image 2 on the mug in image 1; 图2 stays sharp"


def test_removing_a_referenced_image_flags_it_and_blocks(qtbot: Any, panel: GenerationPanel, tmp_path: Path) -> None:
    panel.strip.add_references([str(make_image(tmp_path / f"{i}.png")) for i in range(2)])
    wait_ready(qtbot, panel, 2)
    panel.editor.setPlainText("blend image 1 with image 2")
    panel.strip.remove_at(0)
    assert panel.editor.toPlainText() == "blend [removed image 1] with image 1"
    assert not panel.generate_button.isEnabled()
    assert "removed image" in panel.generate_button.toolTip()


def test_image_problem_blocks_generate(qtbot: Any, panel: GenerationPanel, tmp_path: Path) -> None:
    panel.editor.setPlainText("edit")
    panel.add_reference(str(make_image(tmp_path / "tiny.png", 100, 100)))
    wait_ready(qtbot, panel, 1)
    assert not panel.generate_button.isEnabled()
    assert "Reference 1 (tiny.png)" in panel.generate_button.toolTip()


def test_checking_blocks_until_done(qtbot: Any, panel: GenerationPanel, tmp_path: Path) -> None:
    panel.editor.setPlainText("edit")
    panel.add_reference(str(make_image(tmp_path / "ok.png")))
    assert not panel.generate_button.isEnabled() and "Checking image 1" in panel.generate_button.toolTip()
    wait_ready(qtbot, panel, 1)
    assert panel.generate_button.isEnabled()


def test_set_request_round_trips(qtbot: Any, panel: GenerationPanel, tmp_path: Path) -> None:
    a = str(make_image(tmp_path / "a.png", 1000, 800))
    b = str(make_image(tmp_path / "b.png", 600, 600))
    original = GenerationRequest(
        prompt="Put image 2 into the box on image 1",
        model=Model.STANDARD,
        images=(ImageInput(a, (Box(10, 20, 300, 400), Box(500, 500, 900, 700))), ImageInput(b)),
        n=3,
        size="1536*1024",
        seed=12345,
        watermark=True,
        thinking_mode=False,
        enable_sequential=False,
        color_palette=(PaletteColor("#1f3a5f", 33.33), PaletteColor("#F2C14E", 33.33), PaletteColor("#FAFAF7", 33.34)),
    )
    panel.set_request(original, RequestMode.ASYNC)
    assert panel.current_request() == original
    assert panel.request_mode() is RequestMode.ASYNC
    wait_ready(qtbot, panel, 2)
    assert panel.current_request() == original
    assert panel.generate_button.isEnabled()


@pytest.mark.parametrize(
    "original",
    [
        GenerationRequest(prompt="a 4K poster", model=Model.PRO, size="4K", n=4, thinking_mode=True),
        GenerationRequest(prompt="comic", enable_sequential=True, n=12, size="1K"),
        GenerationRequest(
            prompt="web ref", images=(ImageInput("https://example.com/x.jpg"),), size="2K", n=2, thinking_mode=True
        ),
    ],
)
def test_set_request_round_trips_other_modes(panel: GenerationPanel, original: GenerationRequest) -> None:
    panel.set_request(original)
    assert panel.current_request() == original


def test_show_issues_marks_the_right_controls(qtbot: Any, panel: GenerationPanel, tmp_path: Path) -> None:
    panel.strip.add_references([str(make_image(tmp_path / f"{i}.png")) for i in range(2)])
    wait_ready(qtbot, panel, 2)
    panel.show_issues(
        [
            ValidationIssue("size", "size bad"),
            ValidationIssue("n", "n bad"),
            ValidationIssue("seed", "seed bad"),
            ValidationIssue("images[2].boxes", "box bad"),
            ValidationIssue("model", "model bad"),
        ]
    )
    assert is_marked_invalid(panel.params.size_combo)
    assert is_marked_invalid(panel.params.count_spin)
    assert is_marked_invalid(panel.params.seed_spin)
    assert is_marked_invalid(panel.params.model_combo)
    assert "box bad" in panel.strip.items()[1].problems
    assert "size bad" in panel.reason.text()
    assert not panel.generate_button.isEnabled()  # the marked image problem blocks
    panel.params.count_spin.setValue(2)  # any edit clears the marks
    assert not is_marked_invalid(panel.params.size_combo)
    assert panel.strip.items()[1].problems == []


def test_palette_from_reference_image(qtbot: Any, panel: GenerationPanel, tmp_path: Path) -> None:
    path = str(make_image(tmp_path / "flat.png", 300, 300, "#00AA00"))
    panel.editor.setPlainText("x")
    panel.palette_editor.set_on(False)
    with qtbot.waitSignal(panel.palette_editor.message, timeout=5000) as said:
        panel.set_palette_from_image(path)
    assert "distinct colour" in said.args[0]  # a one-colour image cannot make a 3-colour palette
    assert panel.current_request().color_palette == ()


def test_layout_fits_420_px(qtbot: Any, panel: GenerationPanel, tmp_path: Path) -> None:
    panel.resize(420, 700)
    panel.strip.add_references([str(make_image(tmp_path / f"{i}.png")) for i in range(5)])
    panel.palette_editor.set_on(True)
    qtbot.waitUntil(lambda: not panel.strip.busy(), timeout=10000)
    content = panel.scroll_area.widget()
    assert content.width() <= panel.scroll_area.viewport().width()
    assert content.minimumSizeHint().width() <= 420
