"""Light, dark or follow-the-system: the Fusion style with an explicit palette for each scheme.

Why not just `QStyleHints.setColorScheme`: it only asks the platform theme, and many platforms
(offscreen, X11 without a portal, Windows' classic styles) ignore it, so the app would stay light.
An explicit Fusion palette looks the same everywhere. We still pass the choice on to the platform,
which lets native window frames, menus and file dialogs follow where the platform supports it.

With Theme.SYSTEM the scheme comes from `QStyleHints.colorScheme()` and follows
`colorSchemeChanged` live; where the platform cannot tell (Unknown), the lightness of the palette
the platform gave us at start decides.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from wan27_desktop.settings import Theme
from wan27_desktop.ui.common.style import contrast_ratio, relative_luminance

log = logging.getLogger(__name__)

__all__ = [
    "DARK",
    "LIGHT",
    "ThemeController",
    "apply_theme",
    "build_palette",
    "contrast_ratio",
    "controller",
    "relative_luminance",
]

STYLE_NAME = "Fusion"
# Set (True) on the QApplication by app.create_application, which starts it in STYLE_NAME (Qt's
# `-style` argument): the controller then takes the style's name from here instead of asking Qt for
# the style object, whose first appearance in Python costs PySide ~5 ms before the first paint
# (QStyle's eleven enums, ~500 members); nothing else needs it until the gallery paints its rows.
STARTED_IN_STYLE = "wan27StartedInFusion"

Role = QPalette.ColorRole
Group = QPalette.ColorGroup


class Scheme:
    """The colours of one scheme. Text colours meet WCAG AA (4.5:1) on their backgrounds;
    tests/ui/test_theme.py checks every pair. A plain class: this module loads before the first
    paint, where a frozen dataclass of 20 fields costs ~3 ms to define (its methods are compiled at
    run time) and a NamedTuple ~0.5 ms."""

    window: str
    window_text: str
    base: str
    alternate_base: str
    button: str
    button_text: str
    tooltip_base: str
    tooltip_text: str
    placeholder: str
    light: str
    midlight: str
    mid: str
    dark: str
    shadow: str
    highlight: str
    highlighted_text: str
    link: str
    link_visited: str
    disabled_text: str
    disabled_highlight: str

    def __init__(self, **colours: str) -> None:
        if colours.keys() != self.__annotations__.keys():
            raise TypeError(f"a Scheme needs exactly these colours: {', '.join(self.__annotations__)}")
        self.__dict__.update(colours)


LIGHT = Scheme(
    window="#eff0f3",
    window_text="#1d2025",
    base="#ffffff",
    alternate_base="#f5f6f8",
    button="#f8f9fa",
    button_text="#1d2025",
    tooltip_base="#ffffff",
    tooltip_text="#1d2025",
    placeholder="#656a73",
    light="#ffffff",
    midlight="#e3e5e9",
    mid="#b9bdc5",
    dark="#8d939c",
    shadow="#4f545c",
    highlight="#2463c7",
    highlighted_text="#ffffff",
    link="#1b58b8",
    link_visited="#6c3eb3",
    disabled_text="#90959d",
    disabled_highlight="#c5cad3",
)

DARK = Scheme(
    window="#2a2c30",
    window_text="#e7e8eb",
    base="#1d1f22",
    alternate_base="#25272b",
    button="#35383d",
    button_text="#e7e8eb",
    tooltip_base="#3c3f45",
    tooltip_text="#f1f2f4",
    placeholder="#9ca1aa",
    light="#4b4e55",
    midlight="#3d4046",
    mid="#5a5e66",
    dark="#17181b",
    shadow="#0c0d0f",
    highlight="#3373dc",
    highlighted_text="#ffffff",
    link="#7fb2ff",
    link_visited="#c09cff",
    disabled_text="#6f737b",
    disabled_highlight="#464a51",
)


def build_palette(scheme: Scheme) -> QPalette:
    """A complete palette (every role in every group), so nothing falls back to the platform's."""
    palette = QPalette()
    c = QColor
    for group in (Group.Active, Group.Inactive, Group.Disabled):
        palette.setColor(group, Role.Window, c(scheme.window))
        palette.setColor(group, Role.WindowText, c(scheme.window_text))
        palette.setColor(group, Role.Base, c(scheme.base))
        palette.setColor(group, Role.AlternateBase, c(scheme.alternate_base))
        palette.setColor(group, Role.ToolTipBase, c(scheme.tooltip_base))
        palette.setColor(group, Role.ToolTipText, c(scheme.tooltip_text))
        palette.setColor(group, Role.PlaceholderText, c(scheme.placeholder))
        palette.setColor(group, Role.Text, c(scheme.window_text))
        palette.setColor(group, Role.Button, c(scheme.button))
        palette.setColor(group, Role.ButtonText, c(scheme.button_text))
        palette.setColor(group, Role.BrightText, c("#ffffff"))
        palette.setColor(group, Role.Light, c(scheme.light))
        palette.setColor(group, Role.Midlight, c(scheme.midlight))
        palette.setColor(group, Role.Mid, c(scheme.mid))
        palette.setColor(group, Role.Dark, c(scheme.dark))
        palette.setColor(group, Role.Shadow, c(scheme.shadow))
        palette.setColor(group, Role.Highlight, c(scheme.highlight))
        palette.setColor(group, Role.Accent, c(scheme.highlight))
        palette.setColor(group, Role.HighlightedText, c(scheme.highlighted_text))
        palette.setColor(group, Role.Link, c(scheme.link))
        palette.setColor(group, Role.LinkVisited, c(scheme.link_visited))
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(Group.Disabled, role, c(scheme.disabled_text))
    palette.setColor(Group.Disabled, Role.Highlight, c(scheme.disabled_highlight))
    palette.setColor(Group.Disabled, Role.Accent, c(scheme.disabled_highlight))
    palette.setColor(Group.Disabled, Role.HighlightedText, c(scheme.disabled_text))
    palette.setColor(Group.Disabled, Role.PlaceholderText, c(scheme.disabled_text))
    palette.setColor(Group.Disabled, Role.Base, c(scheme.window))  # disabled fields recede
    return palette


class ThemeController(QObject):
    """Owns the application's style and palette. One per QApplication: use `controller()`."""

    changed = Signal(bool)  # dark

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName("themeController")
        self._app = app
        # What the platform gave us, for Theme.SYSTEM when it cannot name its scheme (and for tests).
        self._platform_palette = QPalette(app.palette())
        self._known_style: str | None = STYLE_NAME if app.property(STARTED_IN_STYLE) else None  # None: ask Qt
        self._platform_style = self._style_name()
        self.theme = Theme.SYSTEM
        self.dark = False
        self._applied = False
        app.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)

    def apply(self, theme: Theme) -> bool:
        """Apply `theme` now (live: every open window repaints). Returns True when dark."""
        self.theme = Theme(theme)
        self._request_platform_scheme(self.theme)
        return self._apply_scheme(self._wants_dark(self._system_scheme()))

    def restore_platform(self) -> None:
        """Back to the platform's own style and palette (tests; not used by the app)."""
        self._request_platform_scheme(Theme.SYSTEM)
        if self._style_name().lower() != self._platform_style.lower():
            self._app.setStyle(self._platform_style)
            self._known_style = None
        self._app.setPalette(self._platform_palette)
        self.theme, self._applied = Theme.SYSTEM, False
        self.dark = self._platform_palette.color(Role.Window).lightnessF() < 0.5
        _refresh_widgets()

    # -- internals --------------------------------------------------------------------------------
    def _style_name(self) -> str:
        return self._known_style if self._known_style is not None else self._app.style().name()

    def _system_scheme(self) -> Qt.ColorScheme:
        return self._app.styleHints().colorScheme()

    def _wants_dark(self, scheme: Qt.ColorScheme) -> bool:
        if self.theme is not Theme.SYSTEM:
            return self.theme is Theme.DARK
        if scheme == Qt.ColorScheme.Dark:
            return True
        if scheme == Qt.ColorScheme.Light:
            return False
        return self._platform_palette.color(Role.Window).lightnessF() < 0.5

    def _request_platform_scheme(self, theme: Theme) -> None:
        # Qt 6.8+: an override the platform may honour (window frames, native dialogs); Unknown
        # removes the override, so colorScheme() reports the system's own choice again.
        setter = getattr(self._app.styleHints(), "setColorScheme", None)
        if setter is not None:
            setter(
                {Theme.LIGHT: Qt.ColorScheme.Light, Theme.DARK: Qt.ColorScheme.Dark}.get(theme, Qt.ColorScheme.Unknown)
            )

    def _system_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        if self.theme is Theme.SYSTEM and self._applied:
            self._apply_scheme(self._wants_dark(scheme))

    def _apply_scheme(self, dark: bool) -> bool:
        fusion = self._style_name().lower() == STYLE_NAME.lower()
        changed = not self._applied or dark != self.dark
        if fusion and not changed:
            return dark  # already showing it: spare every window a repaint
        if not fusion:
            self._app.setStyle(STYLE_NAME)
            self._known_style = None
        self._app.setPalette(build_palette(DARK if dark else LIGHT))
        self.dark, self._applied = dark, True
        _refresh_widgets()
        if changed:
            log.debug("theme %s applied (%s)", self.theme.value, "dark" if dark else "light")
            self.changed.emit(dark)
        return dark


def _refresh_widgets() -> None:
    """Widgets that copied a colour out of the old palette take it again from the new one."""
    from wan27_desktop.ui.common.widgets import refresh_text_roles

    # Qt hands the new palette to widgets through posted events: deliver them now, so every widget
    # (and the parents set_text_role reads from) has it before we recolour, and callers see it at once.
    QApplication.sendPostedEvents(None, QEvent.Type.ApplicationPaletteChange)
    for widget in QApplication.allWidgets():
        if widget.styleSheet():
            # Qt quirk: a widget with its own style sheet keeps the palette it was polished with
            # (dark text on a dark window after a switch); setting the sheet again re-polishes it.
            widget.setStyleSheet(widget.styleSheet())
    refresh_text_roles()


def controller(app: QApplication | None = None) -> ThemeController:
    """The application's ThemeController (made on first use; lives as long as the app)."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    if not isinstance(app, QApplication):
        raise RuntimeError("the theme needs a QApplication")
    existing = app.findChild(ThemeController, "themeController", Qt.FindChildOption.FindDirectChildrenOnly)
    return existing if existing is not None else ThemeController(app)


def apply_theme(theme: Theme) -> bool:
    """Apply light, dark or the system's scheme to the whole app; True when the result is dark."""
    return controller().apply(theme)
