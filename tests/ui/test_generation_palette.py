"""Palette editor (§3.3): ratios always total exactly 100.00%, 3-10 colours, extraction, saving."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QColor, QImage, QPainter

from wan27_desktop.api import validation
from wan27_desktop.api.models import Mode, PaletteColor
from wan27_desktop.ui.generate.palette_editor import PaletteEditor
from wan27_desktop.ui.generate.palette_math import MIN_SHARE, rebalance, with_added, without
from wan27_desktop.ui.generate.palette_store import PaletteStore


def total(ratios: list[float]) -> Decimal:
    return sum((validation.format_ratio_decimal(r) for r in ratios), Decimal("0"))


ratio_lists = st.lists(st.floats(0.5, 100), min_size=3, max_size=10).map(validation.balance_ratios)


@given(ratio_lists, st.data())
def test_rebalance_always_totals_100(ratios: list[float], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(ratios) - 1))
    value = data.draw(st.floats(-10, 120))
    result = rebalance(ratios, index, value)
    assert total(result) == Decimal("100.00")
    assert all(r >= MIN_SHARE for r in result)
    assert all(r == round(r, 2) for r in result)
    palette = tuple(PaletteColor("#112233", r) for r in result)
    assert validation.check_palette(palette, Mode.TEXT_TO_IMAGE) == []


def test_rebalance_scales_the_others_proportionally() -> None:
    assert rebalance([40.0, 35.0, 25.0], 0, 60.0) == [60.0, 23.33, 16.67]
    assert rebalance([50.0, 25.0, 25.0], 2, 50.0) == [33.33, 16.67, 50.0]


def test_add_and_remove_keep_100() -> None:
    added = with_added([40.0, 35.0, 25.0])
    assert len(added) == 4 and total(added) == Decimal("100.00")
    removed = without(added, 1)
    assert len(removed) == 3 and total(removed) == Decimal("100.00")


def make_editor(qtbot: Any, tmp_path: Path) -> PaletteEditor:
    editor = PaletteEditor(PaletteStore(tmp_path / "palettes.json"))
    qtbot.addWidget(editor)
    editor.resize(420, 300)
    editor.show()
    editor.set_on(True)
    return editor


# Each example builds its own editor; qtbot only tracks widgets for cleanup.
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=st.lists(st.tuples(st.integers(0, 9), st.integers(1, 9999)), min_size=1, max_size=8))
def test_slider_moves_always_total_100(qtbot: Any, tmp_path_factory: Any, moves: list[tuple[int, int]]) -> None:
    editor = make_editor(qtbot, tmp_path_factory.mktemp("pal"))
    for hex_colour in ("#FF0000", "#00FF00"):
        editor.add_color(hex_colour)
    for index, value in moves:
        row = editor._rows[index % len(editor._rows)]
        row.slider.setValue(value)  # what dragging the slider does
        ratios = [c.ratio for c in editor.colors()]
        assert total(ratios) == Decimal("100.00")
        assert validation.check_palette(editor.colors(), Mode.TEXT_TO_IMAGE) == []
        shown = [r.spin.value() for r in editor._rows]
        assert shown == ratios  # the spin boxes show exactly what is sent


def test_spin_edit_rebalances(qtbot: Any, tmp_path: Path) -> None:
    editor = make_editor(qtbot, tmp_path)
    editor._rows[1].spin.setValue(50.0)
    assert [c.ratio for c in editor.colors()] == [30.77, 50.0, 19.23]
    assert editor.total_label.text().endswith("total 100.00%")


def test_three_to_ten_colours(qtbot: Any, tmp_path: Path) -> None:
    editor = make_editor(qtbot, tmp_path)
    assert not editor._rows[0].remove.isEnabled()
    assert not editor.remove_color(0)
    for i in range(7):
        assert editor.add_color(f"#0000{i:02X}")
    assert len(editor.colors()) == 10 and not editor.add_button.isEnabled()
    assert not editor.add_color("#FFFFFF")
    assert "at most 10" in editor.inline.text()
    assert editor.remove_color(3)
    assert len(editor.colors()) == 9
    assert total([c.ratio for c in editor.colors()]) == Decimal("100.00")


def test_off_means_no_palette(qtbot: Any, tmp_path: Path) -> None:
    editor = make_editor(qtbot, tmp_path)
    assert len(editor.colors()) == 3
    editor.set_on(False)
    assert editor.colors() == ()
    assert not editor.body.isVisible()


def test_hex_edit_accepts_and_refuses(qtbot: Any, tmp_path: Path) -> None:
    editor = make_editor(qtbot, tmp_path)
    assert editor.set_color(0, "abcdef")
    assert editor.colors()[0].hex == "#ABCDEF"
    assert not editor.set_color(0, "#12")
    assert editor.colors()[0].hex == "#ABCDEF"


def test_extract_palette_from_image(qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "stripes.png"
    image = QImage(300, 300, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    for i, colour in enumerate(("#E63946", "#F1FAEE", "#1D3557", "#457B9D")):
        painter.fillRect(0, i * 75, 300, 75, QColor(colour))
    painter.end()
    assert image.save(str(path))
    editor = make_editor(qtbot, tmp_path)
    editor.set_on(False)
    with qtbot.waitSignal(editor.paletteChanged, timeout=5000, check_params_cb=lambda *a: len(editor.colors()) >= 3):
        editor.set_from_image(str(path))
    hexes = {c.hex for c in editor.colors()}
    assert {"#E63946", "#F1FAEE", "#1D3557", "#457B9D"} <= hexes
    assert total([c.ratio for c in editor.colors()]) == Decimal("100.00")
    assert editor.is_on()


def test_saved_palettes_persist(qtbot: Any, tmp_path: Path) -> None:
    editor = make_editor(qtbot, tmp_path)
    editor.set_colors((PaletteColor("#101010", 50.0), PaletteColor("#808080", 30.0), PaletteColor("#F0F0F0", 20.0)))
    assert editor.save_current("Greys")
    editor._store.flush()  # type: ignore[union-attr]
    other = PaletteEditor(PaletteStore(tmp_path / "palettes.json"))
    qtbot.addWidget(other)
    assert other.saved_combo.findData("Greys") == 1
    assert other.apply_saved("Greys")
    assert other.colors() == (
        PaletteColor("#101010", 50.0),
        PaletteColor("#808080", 30.0),
        PaletteColor("#F0F0F0", 20.0),
    )


def test_not_applicable_in_set_mode_keeps_but_says_so(qtbot: Any, tmp_path: Path) -> None:
    editor = make_editor(qtbot, tmp_path)
    editor.set_applicable(False, "Image sets cannot use a colour palette (§3.3).")
    assert not editor.enable_check.isEnabled()
    assert "kept but not sent" in editor.inline.text()
    editor.set_applicable(True)
    assert editor.enable_check.isEnabled() and not editor.inline.isVisible()
