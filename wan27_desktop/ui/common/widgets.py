"""Small look-and-feel helpers for the generation panel: semantic colours, names, outlines.

Colours come from the widget's palette; the error and warning colours are style.py's tones, whose
lightness adapts to the palette, so they read well in both themes. Labels coloured with
`set_text_role` take their colour again when the theme changes (`refresh_text_roles`).
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QSizePolicy, QWidget

from wan27_desktop import assets
from wan27_desktop.ui.common.style import Tone, text_on, tone_color
from wan27_desktop.ui.common.style import is_dark as _is_dark

_W = TypeVar("_W", bound=QWidget)


def named(widget: _W, object_name: str, accessible_name: str, tooltip: str | None = None) -> _W:
    """A stable objectName (tests, automation) and an accessible name (screen readers)."""
    widget.setObjectName(object_name)
    widget.setAccessibleName(accessible_name)
    if tooltip:
        widget.setToolTip(tooltip)
    return widget


def is_dark(palette: QPalette) -> bool:
    return _is_dark(palette)


def error_color(palette: QPalette) -> QColor:
    return tone_color(Tone.ERROR, palette)


def warn_color(palette: QPalette) -> QColor:
    return tone_color(Tone.WARNING, palette)


def badge_text_color(background: QColor) -> QColor:
    """Text drawn on a filled badge of `background` (black or white, whichever reads)."""
    return text_on(background)


def muted_color(palette: QPalette) -> QColor:
    return palette.color(QPalette.ColorRole.PlaceholderText)


def set_text_role(label: QLabel, role: str) -> None:
    """Colour a label as 'error', 'warn', 'muted' or '' (normal), via its own palette."""
    parent = label.parentWidget()
    base = parent.palette() if parent is not None else label.palette()
    palette = QPalette(base)
    colour = {"error": error_color, "warn": warn_color, "muted": muted_color}.get(role)
    if colour is not None:
        palette.setColor(QPalette.ColorRole.WindowText, colour(base))
    label.setPalette(palette)
    label.setProperty("textRole", role)


def refresh_text_roles() -> None:
    """After a theme change: labels coloured by `set_text_role` take their colour from the new
    palette (they hold a copy of the old one). Called by theme.py once the palette is applied."""
    for widget in QApplication.allWidgets():
        role = widget.property("textRole")
        if isinstance(widget, QLabel) and isinstance(role, str):
            set_text_role(widget, role)


def small_font(widget: QWidget, delta: float = -1.0) -> QFont:
    font = QFont(widget.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(max(7.0, font.pointSizeF() + delta))
    return font


class InlineMessage(QLabel):
    """A wrapped, selectable one-liner under a control: hidden when empty."""

    def __init__(self, object_name: str, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, object_name, accessible_name)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setFont(small_font(self))
        self.hide()

    def show_message(self, text: str, role: str = "muted") -> None:
        self.setText(text)
        set_text_role(self, role)
        self.setVisible(bool(text))

    def clear_message(self) -> None:
        self.show_message("")


class ErrorOutline(QWidget):
    """A red rounded frame drawn over a control's border (any style; stylesheets would change
    how native combos and spin boxes look). Transparent for the mouse; follows the target."""

    def __init__(self, target: QWidget) -> None:
        parent = target.parentWidget()
        super().__init__(parent)
        self._target = target
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        target.installEventFilter(self)
        self._follow()
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self._target and event.type() in (
            QEvent.Type.Move,
            QEvent.Type.Resize,
            QEvent.Type.Show,
            QEvent.Type.Hide,
        ):
            self._follow()
        return False

    def _follow(self) -> None:
        self.setGeometry(self._target.geometry().adjusted(-2, -2, 2, 2))
        self.setVisible(self._target.isVisible())
        self.raise_()

    def paintEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(error_color(self.palette()), 2))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 4, 4)


def mark_invalid(widget: QWidget, message: str | None) -> None:
    """Outline `widget` and put `message` in its tooltip and accessible description; None clears."""
    outline: ErrorOutline | None = getattr(widget, "_gen_error_outline", None)
    if message is None:
        if outline is not None:
            outline.deleteLater()
            widget._gen_error_outline = None  # type: ignore[attr-defined]
            widget.setToolTip(getattr(widget, "_gen_plain_tooltip", widget.toolTip()))
            widget.setAccessibleDescription("")
        widget.setProperty("invalid", False)
        return
    if outline is None:
        widget._gen_plain_tooltip = widget.toolTip()  # type: ignore[attr-defined]
        widget._gen_error_outline = ErrorOutline(widget)  # type: ignore[attr-defined]
    plain = getattr(widget, "_gen_plain_tooltip", "")
    widget.setToolTip(f"{message}\n\n{plain}".strip() if plain else message)
    widget.setAccessibleDescription(message)
    widget.setProperty("invalid", True)


def is_marked_invalid(widget: QWidget) -> bool:
    return bool(widget.property("invalid"))


class Hairline(QWidget):
    """A 1 px rule in the palette's Mid colour (QFrame's sunken line uses Light/Dark, which many
    dark palettes leave bright)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedHeight(1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        # Qt fills it with the palette's Mid (and follows a theme switch); no paint code of ours.
        self.setBackgroundRole(QPalette.ColorRole.Mid)
        self.setAutoFillBackground(True)


class SectionHeader(QWidget):
    """A section title with a hairline and optional trailing widgets (counts, toggles)."""

    def __init__(self, title: str, *trailing: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(8)
        self.title = QLabel(title, self)
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        layout.addWidget(Hairline(self), 1)
        for widget in trailing:
            layout.addWidget(widget)


def dice_icon(palette: QPalette | None = None, size: int = 18) -> QIcon:
    """A die face (an emoji glyph is missing from some systems' fonts). The SVG is tinted with the
    application palette's text colour whenever it is painted, so it follows theme switches; the
    arguments are kept for callers written before that."""
    del palette, size
    return assets.icon("dice")
