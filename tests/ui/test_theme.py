# ruff: noqa: F811  (pytest fixtures are imported from tests/ui/main_window_support.py)
"""Light / dark / system theme: legible palettes, live switching, following the system's colour
scheme, and icons that read in both."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QImage, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from tests.ui.main_window_support import make_window, notifier  # noqa: F401 - fixtures
from wan27_desktop import assets
from wan27_desktop.settings import Theme
from wan27_desktop.ui.common import theme
from wan27_desktop.ui.common.style import Tone, contrast_ratio, text_on, tone_color
from wan27_desktop.ui.common.widgets import InlineMessage, error_color
from wan27_desktop.ui.window import parts as parts

Role = QPalette.ColorRole
SCHEMES = {"light": theme.LIGHT, "dark": theme.DARK}


@pytest.fixture(autouse=True)
def platform_theme_after(qapp: QApplication) -> Iterator[None]:
    """The application palette is global: every test leaves the platform's own behind."""
    yield
    theme.controller().restore_platform()


def window_color() -> QColor:
    return QGuiApplication.palette().color(Role.Window)


# -- the palettes ---------------------------------------------------------------------------------
TEXT_PAIRS = [
    (Role.WindowText, Role.Window),
    (Role.Text, Role.Base),
    (Role.Text, Role.AlternateBase),
    (Role.ButtonText, Role.Button),
    (Role.ToolTipText, Role.ToolTipBase),
    (Role.PlaceholderText, Role.Base),
    (Role.PlaceholderText, Role.Window),
    (Role.HighlightedText, Role.Highlight),
    (Role.Link, Role.Base),
    (Role.LinkVisited, Role.Base),
]


@pytest.mark.parametrize("name", SCHEMES)
def test_every_text_colour_meets_wcag_aa_on_its_background(qapp: QApplication, name: str) -> None:
    palette = theme.build_palette(SCHEMES[name])
    for fore, back in TEXT_PAIRS:
        ratio = contrast_ratio(palette.color(fore), palette.color(back))
        assert ratio >= 4.5, f"{name}: {fore.name} on {back.name} is {ratio:.2f}:1"


@pytest.mark.parametrize("name", SCHEMES)
def test_selection_and_rules_are_visible_on_the_window(qapp: QApplication, name: str) -> None:
    palette = theme.build_palette(SCHEMES[name])
    # Non-text UI (selection frames, focus rings) needs 3:1 (WCAG 1.4.11).
    assert contrast_ratio(palette.color(Role.Highlight), palette.color(Role.Window)) >= 3.0
    assert contrast_ratio(palette.color(Role.Highlight), palette.color(Role.Base)) >= 3.0
    # Hairlines in Mid must show, but stay quiet.
    assert 1.4 <= contrast_ratio(palette.color(Role.Mid), palette.color(Role.Window)) < 3.5


@pytest.mark.parametrize("name", SCHEMES)
def test_status_colours_read_as_text_in_both_schemes(qapp: QApplication, name: str) -> None:
    palette = theme.build_palette(SCHEMES[name])
    for tone in (Tone.SUCCESS, Tone.WARNING, Tone.ERROR, Tone.MUTED):
        colour = tone_color(tone, palette)
        for back in (Role.Window, Role.Base):
            ratio = contrast_ratio(colour, palette.color(back))
            assert ratio >= 4.5, f"{name}: {tone.value} {colour.name()} on {back.name} is {ratio:.2f}:1"
        assert contrast_ratio(text_on(colour), colour) >= 4.5, f"{name}: glyph on a {tone.value} badge"


def test_the_two_schemes_really_differ(qapp: QApplication) -> None:
    light, dark = theme.build_palette(theme.LIGHT), theme.build_palette(theme.DARK)
    assert light.color(Role.Window).lightnessF() > 0.85
    assert dark.color(Role.Window).lightnessF() < 0.25
    assert dark.color(Role.Base).lightnessF() < dark.color(Role.Window).lightnessF()  # fields sit lower


# -- applying -------------------------------------------------------------------------------------
def test_dark_then_light_repaints_open_widgets_with_the_fusion_style(qtbot: Any) -> None:
    widget = QLabel("sample")
    qtbot.addWidget(widget)
    widget.show()
    assert parts.apply_theme(Theme.DARK) is True  # the name app.py imports keeps working
    assert QApplication.style().name().lower() == "fusion"
    assert widget.palette().color(Role.Window) == QColor(theme.DARK.window)
    assert widget.palette().color(Role.WindowText) == QColor(theme.DARK.window_text)
    assert theme.apply_theme(Theme.LIGHT) is False
    assert widget.palette().color(Role.Window) == QColor(theme.LIGHT.window)


def test_an_app_started_in_fusion_is_themed_without_asking_qt_for_its_style(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    """app.create_application starts in Fusion and says so: the controller then never asks Qt for
    the style object (its first appearance in Python costs PySide ~5 ms of enums at start)."""
    import shiboken6

    def no_style() -> None:
        raise AssertionError("QApplication.style() was called")

    qapp.setProperty(theme.STARTED_IN_STYLE, True)
    monkeypatch.setattr(QApplication, "style", staticmethod(no_style))
    controller = theme.ThemeController(qapp)
    try:
        assert controller.apply(Theme.DARK) is True
        assert window_color() == QColor(theme.DARK.window)
        assert controller.apply(Theme.LIGHT) is False
        assert window_color() == QColor(theme.LIGHT.window)
    finally:
        qapp.setProperty(theme.STARTED_IN_STYLE, None)
        shiboken6.delete(controller)
    monkeypatch.undo()
    assert QApplication.style().name().lower() == "fusion"


def test_switching_announces_the_change_once(qtbot: Any) -> None:
    controller = theme.controller()
    theme.apply_theme(Theme.LIGHT)
    with qtbot.waitSignal(controller.changed, timeout=1000) as blocker:
        theme.apply_theme(Theme.DARK)
    assert blocker.args == [True]
    with qtbot.assertNotEmitted(controller.changed):
        theme.apply_theme(Theme.DARK)


def test_system_follows_the_colour_scheme_live(qtbot: Any) -> None:
    hints = QGuiApplication.styleHints()
    theme.apply_theme(Theme.SYSTEM)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # what the platform sends when the user switches
    assert window_color() == QColor(theme.DARK.window)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert window_color() == QColor(theme.LIGHT.window)


def test_an_explicit_choice_ignores_system_changes(qtbot: Any) -> None:
    theme.apply_theme(Theme.LIGHT)
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert window_color() == QColor(theme.LIGHT.window)


def test_system_with_an_unknown_scheme_uses_the_platform_palette_lightness(qtbot: Any) -> None:
    # Offscreen (like X11 without a desktop portal) reports Unknown; its own palette is light.
    assert QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Unknown
    assert theme.apply_theme(Theme.SYSTEM) is False
    assert window_color() == QColor(theme.LIGHT.window)


def test_coloured_labels_take_the_new_colour_after_a_switch(qtbot: Any) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    message = InlineMessage("testMessage", "Test message", parent)
    theme.apply_theme(Theme.LIGHT)
    message.show_message("The size is too large.", "error")
    light_red = message.palette().color(Role.WindowText)
    theme.apply_theme(Theme.DARK)
    dark_red = message.palette().color(Role.WindowText)
    assert dark_red == error_color(QGuiApplication.palette()) != light_red
    assert contrast_ratio(dark_red, QGuiApplication.palette().color(Role.Window)) >= 4.5


# -- icons ----------------------------------------------------------------------------------------
def opaque_colours(image: QImage) -> list[QColor]:
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    return [
        image.pixelColor(x, y)
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).alpha() >= 250
    ]


@pytest.mark.parametrize("name", assets.icon_names())
@pytest.mark.parametrize("scheme", [Theme.LIGHT, Theme.DARK])
def test_every_icon_is_readable_in_both_themes(qtbot: Any, name: str, scheme: Theme) -> None:
    theme.apply_theme(scheme)
    icon = assets.icon(name)
    pixmap = icon.pixmap(QSize(24, 24), 2.0)
    assert (pixmap.width(), pixmap.height()) == (48, 48), "drawn at device pixels"
    assert pixmap.devicePixelRatio() == 2.0
    solid = opaque_colours(pixmap.toImage())
    assert len(solid) >= 40, f"{name} draws almost nothing"
    background = window_color()
    if b"currentColor" in assets.icon_path(name).read_bytes():
        worst = min(contrast_ratio(colour, background) for colour in solid)
        assert worst >= 4.5, f"{name} in {scheme.value}: {worst:.2f}:1 on the window"
    else:
        # A full-colour icon carries its own background: what matters is contrast inside it.
        luminance = sorted(contrast_ratio(colour, QColor("black")) for colour in solid)
        assert luminance[-1] / luminance[0] >= 3.0, f"{name} has too little contrast of its own"


def test_a_tinted_icon_follows_a_theme_switch_without_being_reloaded(qtbot: Any) -> None:
    theme.apply_theme(Theme.LIGHT)
    icon = assets.icon("dice")
    light = opaque_colours(icon.pixmap(QSize(24, 24), 1.0).toImage())[0]
    theme.apply_theme(Theme.DARK)
    dark = opaque_colours(icon.pixmap(QSize(24, 24), 1.0).toImage())[0]
    assert light.lightnessF() < 0.3 < 0.7 < dark.lightnessF()
    disabled = icon.pixmap(QSize(24, 24), 1.0, QIcon.Mode.Disabled).toImage()
    assert opaque_colours(disabled)[0] == QGuiApplication.palette().color(QPalette.ColorGroup.Disabled, Role.WindowText)


# -- in the window --------------------------------------------------------------------------------
def test_view_menu_switches_theme_live_and_remembers_it(qtbot: Any, make_window: Any) -> None:
    window = make_window(start=False)
    window.actions_by_name["actionThemeDark"].trigger()
    assert window.settings.theme is Theme.DARK
    assert window.palette().color(Role.Window) == QColor(theme.DARK.window)
    assert window.gallery.view.viewport().palette().color(Role.Base) == QColor(theme.DARK.base)
    assert window.actions_by_name["actionThemeDark"].isChecked()
    window.actions_by_name["actionThemeLight"].trigger()
    assert window.palette().color(Role.Window) == QColor(theme.LIGHT.window)
    assert window.settings.theme is Theme.LIGHT


def test_palette_swatches_keep_a_visible_outline_in_both_themes(qtbot: Any, tmp_path: Any) -> None:
    # A dark colour (§3.3's navy) on the dark theme needs a light outline, as the palette bar has.
    from wan27_desktop.api.models import PaletteColor
    from wan27_desktop.ui.generate.palette_editor import PaletteEditor
    from wan27_desktop.ui.generate.palette_store import PaletteStore

    editor = PaletteEditor(PaletteStore(tmp_path / "palettes.json"))
    qtbot.addWidget(editor)
    editor.set_colors([PaletteColor("#1F3A5F", 40.0), PaletteColor("#F2C14E", 35.0), PaletteColor("#FAFAF7", 25.0)])

    def outline() -> QColor:
        image = editor._rows[0].swatch.icon().pixmap(18, 18).toImage()
        return image.pixelColor(9, 0)  # the middle of the top edge

    try:
        for choice, spec in ((Theme.DARK, theme.DARK), (Theme.LIGHT, theme.LIGHT)):
            theme.apply_theme(choice)
            qtbot.waitUntil(lambda spec=spec: editor.palette().color(Role.Window) == QColor(spec.window))
            edge, background = outline(), QColor(spec.window)
            assert abs(edge.lightness() - background.lightness()) >= 40, (choice, edge.name(), background.name())
            assert edge.name() != QColor("#1F3A5F").name()
    finally:
        theme.apply_theme(Theme.LIGHT)
