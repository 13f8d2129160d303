"""The generation panel against the workspace's draft: what a person edits goes into the draft,
and whatever changes the draft (reuse, a restored draft, File > New) shows in the widgets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.ui.test_generation_strip import make_image
from wan27_desktop.api.models import Box, GenerationRequest, ImageInput, Model, PaletteColor, RequestMode
from wan27_desktop.ui.generate.history import MemoryPromptHistory
from wan27_desktop.ui.generate.palette_store import PaletteStore
from wan27_desktop.ui.generate.panel import GenerationPanel
from wan27_desktop.workspace.draft import Draft, DraftReference, Parameters


@pytest.fixture
def draft(qapp: Any) -> Draft:
    return Draft()


@pytest.fixture
def panel(qtbot: Any, tmp_path: Path, draft: Draft) -> GenerationPanel:
    widget = GenerationPanel(MemoryPromptHistory(), PaletteStore(tmp_path / "palettes.json"), draft=draft)
    qtbot.addWidget(widget)
    widget.resize(440, 900)
    widget.show()
    return widget


def test_typing_and_ticking_go_into_the_draft(qtbot: Any, panel: GenerationPanel, draft: Draft) -> None:
    qtbot.keyClicks(panel.editor, "a fox in snow")
    assert draft.prompt == "a fox in snow"
    panel.params.count_spin.setValue(3)
    qtbot.mouseClick(panel.params.watermark_check, Qt.MouseButton.LeftButton)
    assert (draft.parameters.n, draft.parameters.watermark) == (3, True)
    panel.params.request_combo.setCurrentIndex(panel.params.request_combo.findData(RequestMode.ASYNC.value))
    assert draft.request_mode is RequestMode.ASYNC
    panel.palette_editor.enable_check.setChecked(True)
    assert draft.palette_on
    assert panel.current_request() == draft.request()


def test_a_reference_added_in_the_strip_joins_the_draft_with_its_boxes(
    qtbot: Any, panel: GenerationPanel, draft: Draft, tmp_path: Path
) -> None:
    image = make_image(tmp_path / "lighthouse.png", 640, 480)
    assert panel.add_reference(str(image))
    assert draft.references == (DraftReference(str(image), (), "lighthouse.png"),)
    qtbot.waitUntil(lambda: panel.strip.items()[0].pixel_size is not None)
    panel.strip.set_boxes(0, (Box(10, 10, 200, 200),))
    assert draft.references[0].boxes == (Box(10, 10, 200, 200),)


def test_a_changed_draft_shows_in_every_widget(
    qtbot: Any, panel: GenerationPanel, draft: Draft, tmp_path: Path
) -> None:
    image = make_image(tmp_path / "a.png", 640, 480)
    request = GenerationRequest(
        prompt="reuse me",
        model=Model.STANDARD,
        images=(ImageInput(str(image), (Box(0, 0, 100, 100),)),),
        n=2,
        size="1K",
        seed=99,
        color_palette=(PaletteColor("#102030", 100.0),),
    )
    draft.set_request(request, RequestMode.ASYNC)
    assert panel.editor.toPlainText() == "reuse me"
    assert [item.source for item in panel.strip.items()] == [str(image)]
    assert panel.strip.items()[0].boxes == (Box(0, 0, 100, 100),)
    assert panel.params.model() is Model.STANDARD and panel.params.n() == 2 and panel.params.seed() == 99
    assert panel.params.request_mode() is RequestMode.ASYNC
    assert panel.palette_editor.is_on() and panel.palette_editor.editing_colors() == request.color_palette
    assert panel.current_request() == request


def test_a_restored_reference_keeps_the_name_it_was_added_under(
    qtbot: Any, panel: GenerationPanel, draft: Draft, tmp_path: Path
) -> None:
    stored = make_image(tmp_path / "0f3a9c.png", 640, 480)  # as the library's inputs name it
    draft.references = (DraftReference(str(stored), (), "harbour.png"),)
    assert panel.strip.names() == ["harbour.png"]


def test_setting_the_same_references_again_keeps_the_checked_tiles(
    qtbot: Any, panel: GenerationPanel, draft: Draft, tmp_path: Path
) -> None:
    image = make_image(tmp_path / "a.png", 640, 480)
    panel.add_reference(str(image))
    qtbot.waitUntil(lambda: panel.strip.items()[0].pixel_size is not None)
    item = panel.strip.items()[0]
    draft.references = (*draft.references, DraftReference(str(make_image(tmp_path / "b.png", 480, 640))))
    assert panel.strip.items()[0] is item  # not re-checked: the same tile, its check result kept
    assert panel.strip.count() == 2


def test_parameters_outside_the_mode_are_brought_back_and_the_draft_follows(
    qtbot: Any, panel: GenerationPanel, draft: Draft
) -> None:
    draft.parameters = Parameters(n=12, sequential=False)
    assert panel.params.n() == 4  # without an image set, 1-4
    assert draft.parameters.n == 4
