"""ParametersPanel: only what §3.4 allows is offered, and mode changes adjust and explain."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from wan27_desktop.api import rules, validation
from wan27_desktop.api.models import Mode, Model, RequestMode
from wan27_desktop.ui.generate.parameters import ASPECTS, CUSTOM, ParametersPanel


@pytest.fixture
def panel(qtbot: Any) -> ParametersPanel:
    widget = ParametersPanel()
    qtbot.addWidget(widget)
    widget.resize(420, 500)
    widget.show()
    return widget


def presets(panel: ParametersPanel) -> list[str]:
    return [panel.size_combo.itemData(i) for i in range(panel.size_combo.count())]


def test_defaults(panel: ParametersPanel) -> None:
    assert panel.model() is Model.PRO and panel.mode() is Mode.TEXT_TO_IMAGE
    assert panel.size_text() == "2K" and panel.n() == 1 and panel.seed() is None
    assert panel.request_mode() is RequestMode.AUTO
    assert presets(panel) == ["1K", "2K", "4K", CUSTOM]
    assert panel.thinking_check.isEnabled()


def test_adding_a_reference_removes_4k_and_says_so(panel: ParametersPanel) -> None:
    panel.size_combo.setCurrentIndex(panel.size_combo.findData("4K"))
    assert panel.size_text() == "4K"
    with_signal = []
    panel.modeChanged.connect(with_signal.append)
    panel.set_image_count(1)
    assert with_signal == [Mode.EDIT]
    assert presets(panel) == ["1K", "2K", CUSTOM]
    assert panel.size_text() == "2K"
    assert panel.info.isVisible() and "4K" in panel.info.text() and "2K" in panel.info.text()
    assert "Edit" in panel.mode_label.text()


def test_thinking_disabled_with_references_and_tooltip_says_why(panel: ParametersPanel) -> None:
    panel.set_image_count(2)
    assert not panel.thinking_check.isEnabled()
    assert panel.thinking_check.toolTip() == rules.thinking_disabled_reason(Mode.EDIT)
    panel.set_image_count(0)
    panel.image_set_check.setChecked(True)
    assert not panel.thinking_check.isEnabled()
    assert panel.thinking_check.toolTip() == rules.thinking_disabled_reason(Mode.TEXT_TO_IMAGE_SET)


def test_set_mode_raises_n_to_12_and_back_clamps(qtbot: Any, panel: ParametersPanel) -> None:
    assert panel.count_spin.maximum() == 4
    qtbot.mouseClick(panel.image_set_check, Qt.MouseButton.LeftButton)
    assert panel.mode() is Mode.TEXT_TO_IMAGE_SET
    assert panel.count_spin.maximum() == 12
    panel.count_spin.setValue(12)
    qtbot.mouseClick(panel.image_set_check, Qt.MouseButton.LeftButton)
    assert panel.n() == 4
    assert "12 to 4" in panel.info.text()


def test_standard_model_has_no_4k(panel: ParametersPanel) -> None:
    panel.size_combo.setCurrentIndex(panel.size_combo.findData("4K"))
    panel.model_combo.setCurrentIndex(panel.model_combo.findData(Model.STANDARD.value))
    assert panel.model() is Model.STANDARD
    assert "4K" not in presets(panel) and panel.size_text() == "2K"


@pytest.mark.parametrize(("label", "rw", "rh"), ASPECTS)
def test_aspect_picker_gives_valid_custom_sizes(panel: ParametersPanel, label: str, rw: int, rh: int) -> None:
    panel.size_combo.setCurrentIndex(panel.size_combo.findData(CUSTOM))
    assert panel.custom_row.isVisible()
    panel.aspect_combo.setCurrentIndex(panel.aspect_combo.findText(label))
    width, height = rules.parse_custom_size(panel.size_text())  # type: ignore[misc]
    assert abs(width / height - rw / rh) < 0.03
    for mode in (Mode.TEXT_TO_IMAGE, Mode.EDIT):
        assert validation.check_size(panel.size_text(), panel.model(), mode) == []


def test_free_width_height_and_error_shown_inline(panel: ParametersPanel) -> None:
    panel.size_combo.setCurrentIndex(panel.size_combo.findData(CUSTOM))
    panel.width_spin.setValue(1536)
    panel.height_spin.setValue(1024)
    assert panel.size_text() == "1536*1024"
    assert panel.aspect_combo.currentText() == "3:2"
    panel.width_spin.setValue(100)
    assert panel.aspect_combo.currentText() == "Custom"
    assert panel.size_hint.property("textRole") == "error"
    assert validation.check_size(panel.size_text(), panel.model(), panel.mode())


def test_big_custom_size_is_reduced_when_a_reference_is_added(panel: ParametersPanel) -> None:
    panel.size_combo.setCurrentIndex(panel.size_combo.findData(CUSTOM))
    panel.width_spin.setValue(4096)
    panel.height_spin.setValue(2304)
    assert validation.check_size(panel.size_text(), Model.PRO, Mode.TEXT_TO_IMAGE) == []
    panel.set_image_count(1)
    assert validation.check_size(panel.size_text(), Model.PRO, Mode.EDIT) == []
    assert "reduced" in panel.info.text()
    width, height = rules.parse_custom_size(panel.size_text())  # type: ignore[misc]
    assert abs(width / height - 16 / 9) < 0.02


def test_seed_random_locked_and_dice(qtbot: Any, panel: ParametersPanel) -> None:
    assert panel.seed() is None and not panel.seed_spin.isEnabled()
    qtbot.mouseClick(panel.seed_dice, Qt.MouseButton.LeftButton)
    assert panel.seed_lock.isChecked() and panel.seed() == panel.seed_spin.value()
    assert rules.SEED_MIN <= panel.seed() <= rules.SEED_MAX  # type: ignore[operator]
    panel.seed_spin.setValue(rules.SEED_MAX)
    assert panel.seed() == 2147483647
    panel.seed_lock.setChecked(False)
    assert panel.seed() is None


def test_request_mode_combo(panel: ParametersPanel) -> None:
    panel.set_request_mode(RequestMode.ASYNC)
    assert panel.request_mode() is RequestMode.ASYNC


def test_every_control_has_names(panel: ParametersPanel) -> None:
    for name in (
        "modelCombo",
        "sizeCombo",
        "countSpin",
        "seedSpin",
        "seedDiceButton",
        "thinkingCheck",
        "imageSetCheck",
        "watermarkCheck",
        "requestModeCombo",
        "aspectCombo",
        "widthSpin",
        "heightSpin",
        "seedLockCheck",
    ):
        widget = panel.findChild(object, name)
        assert widget is not None, name
        assert widget.accessibleName(), name
