"""Colour palette (§3.3): 3-10 swatches whose ratios always total exactly 100.00%.

Moving one slider rebalances the others proportionally (`palette_math.rebalance`, rounded by
`validation.balance_ratios`). Palettes can be extracted from any reference (off the UI thread)
and saved by name. `colors()` is empty while the palette is off.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QRectF, QRegularExpression, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPaintEvent, QPalette, QPixmap, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop.api import rules
from wan27_desktop.api.models import PaletteColor
from wan27_desktop.ui.common.widgets import InlineMessage, named, set_text_role, small_font
from wan27_desktop.ui.generate.palette_math import rebalance, with_added, without
from wan27_desktop.ui.generate.palette_store import PaletteStore
from wan27_desktop.ui.generate.workers import Worker

# §3.3's example palette: a neutral, readable starting point when the palette is switched on.
DEFAULT_PALETTE = (PaletteColor("#1F3A5F", 40.0), PaletteColor("#F2C14E", 35.0), PaletteColor("#FAFAF7", 25.0))
STEPS = 100  # slider/spin resolution: hundredths of a percent (§3.3: two decimals)


def _swatch_icon(hex_colour: str, palette: QPalette, size: int = 18) -> QIcon:
    """A rounded swatch, outlined in the theme's Mid colour so a dark colour stays visible on a dark
    theme and a light one on a light theme (as the palette bar's outline)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(palette.color(QPalette.ColorRole.Mid))
    painter.setBrush(QColor(hex_colour))
    painter.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 4, 4)
    painter.end()
    return QIcon(pixmap)


class PaletteBar(QWidget):
    """The palette as one proportional strip: what the ratios mean at a glance."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colors: tuple[PaletteColor, ...] = ()
        self.setFixedHeight(14)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(Qt.PenStyle.NoPen)
        x = rect.left()
        for color in self.colors:
            width = rect.width() * color.ratio / 100
            painter.setBrush(QColor(color.hex))
            painter.drawRect(QRectF(x, rect.top(), width + 0.6, rect.height()))
            x += width
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawRoundedRect(rect, 3, 3)


class PaletteRow(QWidget):
    def __init__(self, editor: PaletteEditor, index: int) -> None:
        super().__init__(editor)
        self.index = index
        self._hex = ""
        n = index + 1
        self.swatch = named(
            QToolButton(self), f"paletteSwatch{index}", self.tr("Colour {n}").format(n=n), self.tr("Choose this colour")
        )
        self.swatch.setIconSize(QSize(18, 18))
        self.swatch.setAutoRaise(True)
        self.hex_edit = named(QLineEdit(self), f"paletteHexEdit{index}", self.tr("Colour {n} hex value").format(n=n))
        self.hex_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"#?[0-9A-Fa-f]{0,6}"), self))
        self.hex_edit.setMaxLength(7)
        self.hex_edit.setFixedWidth(self.hex_edit.fontMetrics().horizontalAdvance("#DDDDDD") + 16)
        self.slider = named(
            QSlider(Qt.Orientation.Horizontal, self), f"paletteSlider{index}", self.tr("Colour {n} share").format(n=n)
        )
        self.slider.setRange(1, 100 * STEPS - 1)
        self.slider.setMinimumWidth(60)
        self.spin = named(
            QDoubleSpinBox(self), f"paletteRatioSpin{index}", self.tr("Colour {n} share in percent").format(n=n)
        )
        self.spin.setRange(0.01, 99.99)
        self.spin.setDecimals(2)
        self.spin.setSuffix(" %")
        self.spin.setKeyboardTracking(False)
        self.spin.setButtonSymbols(QDoubleSpinBox.ButtonSymbols.NoButtons)
        self.spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.spin.setFixedWidth(self.spin.fontMetrics().horizontalAdvance("100.00 %") + 14)
        self.remove = named(
            QToolButton(self),
            f"paletteRemoveButton{index}",
            self.tr("Remove colour {n}").format(n=n),
            self.tr("Remove this colour"),
        )
        self.remove.setText("✕")
        self.remove.setAutoRaise(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.swatch)
        layout.addWidget(self.hex_edit)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.spin)
        layout.addWidget(self.remove)
        self.swatch.clicked.connect(lambda: editor.pick_color(self.index))
        self.hex_edit.editingFinished.connect(lambda: editor.set_color(self.index, self.hex_edit.text()))
        self.slider.valueChanged.connect(lambda v: editor.set_ratio(self.index, v / STEPS))
        self.spin.valueChanged.connect(lambda v: editor.set_ratio(self.index, v))
        self.remove.clicked.connect(lambda: editor.remove_color(self.index))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._hex:
            self.swatch.setIcon(_swatch_icon(self._hex, self.palette()))  # the outline follows a theme switch

    def show_color(self, color: PaletteColor, can_remove: bool) -> None:
        for widget in (self.slider, self.spin):
            widget.blockSignals(True)
        self._hex = color.hex
        self.swatch.setIcon(_swatch_icon(color.hex, self.palette()))
        if not self.hex_edit.hasFocus():
            self.hex_edit.setText(color.hex)
        self.slider.setValue(round(color.ratio * STEPS))
        self.spin.setValue(color.ratio)
        for widget in (self.slider, self.spin):
            widget.blockSignals(False)
        self.remove.setEnabled(can_remove)
        self.remove.setToolTip(
            self.tr("Remove this colour")
            if can_remove
            else self.tr("A palette needs at least {count} colours (§3.3)").format(count=rules.PALETTE_MIN)
        )


class PaletteEditor(QWidget):
    paletteChanged = Signal()
    message = Signal(str)

    def __init__(self, store: PaletteStore | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "paletteEditor", self.tr("Colour palette"))
        self._store = store
        self._colors: list[PaletteColor] = list(DEFAULT_PALETTE)
        self._rows: list[PaletteRow] = []
        self._sources: list[tuple[str, str]] = []
        self._applicable = True
        self._extract = Worker(self)
        self._extract.done.connect(self._on_extracted)
        self._extract.failed.connect(
            lambda _t, msg: self._say(self.tr("Could not extract a palette: {reason}").format(reason=msg), "error")
        )

        self.enable_check = named(
            QCheckBox(self.tr("Use a colour palette"), self),
            "paletteCheck",
            self.tr("Use a colour palette"),
            self._check_tip(),
        )
        self.saved_combo = named(QComboBox(self), "paletteSavedCombo", self.tr("Saved palettes"))
        self.saved_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.saved_combo.setMinimumContentsLength(8)
        self.save_button = named(
            QToolButton(self), "paletteSaveButton", self.tr("Save palette"), self.tr("Save this palette by name")
        )
        self.save_button.setText(self.tr("Save…"))
        self.save_button.setAutoRaise(True)
        self.delete_button = named(
            QToolButton(self),
            "paletteDeleteButton",
            self.tr("Delete saved palette"),
            self.tr("Delete the chosen saved palette"),
        )
        self.delete_button.setText(self.tr("Delete"))
        self.delete_button.setAutoRaise(True)

        self.body = QWidget(self)
        self.bar = PaletteBar(self.body)
        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(2)
        self.add_button = named(
            QToolButton(self.body),
            "paletteAddButton",
            self.tr("Add colour"),
            self.tr("Add a colour (up to {count})").format(count=rules.PALETTE_MAX),
        )
        self.add_button.setText(self.tr("+ Colour"))
        self.add_button.setAutoRaise(True)
        self.extract_button = named(
            QToolButton(self.body),
            "paletteExtractButton",
            self.tr("Extract palette from image"),
            self.tr("Take the main colours of a reference image"),
        )
        self.extract_button.setText(self.tr("From image"))
        self.extract_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.extract_button.setAutoRaise(True)
        self._extract_menu = QMenu(self.extract_button)
        self._extract_menu.aboutToShow.connect(self._fill_extract_menu)
        self.extract_button.setMenu(self._extract_menu)
        self.total_label = named(QLabel(self.body), "paletteTotalLabel", self.tr("Palette total"))
        self.total_label.setFont(small_font(self))
        set_text_role(self.total_label, "muted")
        self.inline = InlineMessage("paletteMessage", self.tr("Palette message"), self)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.enable_check)
        top.addStretch(1)
        top.addWidget(self.saved_combo)
        top.addWidget(self.save_button)
        top.addWidget(self.delete_button)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.add_button)
        bottom.addWidget(self.extract_button)
        bottom.addStretch(1)
        bottom.addWidget(self.total_label)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 2, 0, 0)
        body.setSpacing(4)
        body.addWidget(self.bar)
        body.addLayout(self.rows_box)
        body.addLayout(bottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.body)
        layout.addWidget(self.inline)

        self.enable_check.toggled.connect(self._on_toggled)
        self.add_button.clicked.connect(self.pick_new_color)
        self.save_button.clicked.connect(self._ask_save)
        self.delete_button.clicked.connect(self._delete_saved)
        self.saved_combo.activated.connect(self._on_saved_chosen)
        self._reload_saved()
        self._rebuild()
        self._on_toggled(False)

    def _check_tip(self) -> str:
        return self.tr("Guide the colours of the result with {low} to {high} colours and their shares (§3.3)").format(
            low=rules.PALETTE_MIN, high=rules.PALETTE_MAX
        )

    # --- state ---------------------------------------------------------------------------------
    def is_on(self) -> bool:
        return self.enable_check.isChecked()

    def set_on(self, on: bool) -> None:
        self.enable_check.setChecked(on)

    def colors(self) -> tuple[PaletteColor, ...]:
        """The palette to send, or () while it is off."""
        return tuple(self._colors) if self.is_on() else ()

    def set_colors(self, colors: tuple[PaletteColor, ...] | list[PaletteColor]) -> None:
        """Show `colors` as given (ratios kept exactly); an empty palette switches it off."""
        if not colors:
            self.set_on(False)
            return
        # Kept exactly as given (hex case, ratios): reusing a request must reproduce it.
        self._colors = [PaletteColor(c.hex, float(c.ratio)) for c in colors][: rules.PALETTE_MAX]
        self._rebuild()
        self.set_on(True)
        self.paletteChanged.emit()

    def set_applicable(self, applicable: bool, reason: str = "") -> None:
        """§3.3: no palette with image sets; kept but not sent, and said so."""
        self._applicable = applicable
        self.enable_check.setEnabled(applicable)
        self.body.setEnabled(applicable)
        self.enable_check.setToolTip(self._check_tip() if applicable else reason)
        if not applicable and self.is_on():
            self.inline.show_message(
                self.tr("{reason} The palette is kept but not sent.").format(reason=reason), "warn"
            )
        elif applicable and self.inline.property("textRole") == "warn":
            self.inline.clear_message()

    # --- editing -------------------------------------------------------------------------------
    def set_ratio(self, index: int, value: float) -> None:
        if not 0 <= index < len(self._colors):
            return
        ratios = rebalance([c.ratio for c in self._colors], index, value)
        self._colors = [PaletteColor(c.hex, r) for c, r in zip(self._colors, ratios, strict=True)]
        self._refresh_rows()
        self.paletteChanged.emit()

    def set_color(self, index: int, hex_colour: str) -> bool:
        text = hex_colour.strip().upper()
        text = text if text.startswith("#") else f"#{text}"
        if not QRegularExpression(r"^#[0-9A-F]{6}$").match(text).hasMatch() or not 0 <= index < len(self._colors):
            self._say(self.tr("“{text}” is not a colour like #1F3A5F.").format(text=hex_colour), "error")
            self._refresh_rows()
            return False
        self._colors[index] = PaletteColor(text, self._colors[index].ratio)
        self.inline.clear_message()
        self._refresh_rows()
        self.paletteChanged.emit()
        return True

    def add_color(self, hex_colour: str) -> bool:
        if len(self._colors) >= rules.PALETTE_MAX:
            self._say(self._at_most(), "error")
            return False
        ratios = with_added([c.ratio for c in self._colors])
        self._colors = [PaletteColor(c.hex, r) for c, r in zip(self._colors, ratios, strict=False)]
        self._colors.append(PaletteColor("#000000", ratios[-1]))
        self._rebuild()
        return self.set_color(len(self._colors) - 1, hex_colour)

    def remove_color(self, index: int) -> bool:
        if len(self._colors) <= rules.PALETTE_MIN or not 0 <= index < len(self._colors):
            self._say(
                self.tr("A palette needs at least {count} colours (§3.3).").format(count=rules.PALETTE_MIN), "error"
            )
            return False
        ratios = without([c.ratio for c in self._colors], index)
        del self._colors[index]
        self._colors = [PaletteColor(c.hex, r) for c, r in zip(self._colors, ratios, strict=True)]
        self._rebuild()
        self.paletteChanged.emit()
        return True

    def pick_color(self, index: int) -> None:
        dialog = QColorDialog(QColor(self._colors[index].hex), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.colorSelected.connect(lambda c: self.set_color(index, c.name()))
        dialog.open()

    def pick_new_color(self) -> None:
        if len(self._colors) >= rules.PALETTE_MAX:
            self._say(self._at_most(), "error")
            return
        dialog = QColorDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.colorSelected.connect(lambda c: self.add_color(c.name()))
        dialog.open()

    def _at_most(self) -> str:
        return self.tr("A palette has at most {count} colours (§3.3).").format(count=rules.PALETTE_MAX)

    # --- from an image -------------------------------------------------------------------------
    def set_image_sources(self, sources: list[tuple[str, str]]) -> None:
        """(label, local path) of images the palette can be extracted from (the references)."""
        self._sources = list(sources)
        self.extract_button.setEnabled(bool(sources))
        self.extract_button.setToolTip(
            self.tr("Take the main colours of a reference image")
            if sources
            else self.tr("Add a reference image to extract its colours")
        )

    def _fill_extract_menu(self) -> None:
        self._extract_menu.clear()
        for label, path in self._sources:
            self._extract_menu.addAction(label, self._extract_action(path))

    def _extract_action(self, path: str) -> Callable[[], None]:
        return lambda: self.set_from_image(path)

    def set_from_image(self, path: str, count: int = 5) -> None:
        """Extract `count` main colours from an image, off the UI thread (the gallery uses this too)."""
        from wan27_desktop import imaging  # deferred: loads image plugins

        self.inline.show_message(self.tr("Extracting colours…"), "muted")
        self._extract.submit(lambda: imaging.extract_palette(path, count))

    def _on_extracted(self, _token: int, result: object) -> None:
        colours = [PaletteColor(hex_, float(pct)) for hex_, pct in result]  # type: ignore[attr-defined]
        if len(colours) < rules.PALETTE_MIN:
            self._say(
                self.tr(
                    "The image has only %n distinct colours; a palette needs {count}. The palette was not changed.",
                    "",
                    len(colours),
                ).format(count=rules.PALETTE_MIN),
                "warn",
            )
            return
        self.inline.clear_message()
        self.set_colors(colours)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "saved_combo"):
            self._reload_saved(self.saved_combo.currentData() or "")  # swatch outlines follow the theme

    # --- saved palettes ------------------------------------------------------------------------
    def _reload_saved(self, current: str = "") -> None:
        self.saved_combo.blockSignals(True)
        self.saved_combo.clear()
        self.saved_combo.addItem(self.tr("Saved…"))
        names = self._store.names() if self._store is not None else []
        for name in names:
            colors = self._store.get(name) if self._store is not None else None
            self.saved_combo.addItem(_swatch_icon(colors[0].hex, self.palette(), 12) if colors else QIcon(), name, name)
        if current in names:
            self.saved_combo.setCurrentIndex(names.index(current) + 1)
        self.saved_combo.blockSignals(False)
        self.saved_combo.setEnabled(bool(names))
        self.delete_button.setEnabled(bool(names))
        self.save_button.setEnabled(self._store is not None)

    def save_current(self, name: str) -> bool:
        if self._store is None or not name.strip():
            return False
        self._store.save(name, tuple(self._colors))
        self._reload_saved(name.strip())
        self._say(self.tr("Saved palette “{name}”.").format(name=name.strip()), "muted")
        return True

    def apply_saved(self, name: str) -> bool:
        colors = self._store.get(name) if self._store is not None else None
        if not colors:
            return False
        self.set_colors(colors)
        return True

    def _ask_save(self) -> None:
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Save palette"))
        dialog.setLabelText(self.tr("Name:"))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.textValueSelected.connect(self.save_current)
        dialog.open()

    def _delete_saved(self) -> None:
        name = self.saved_combo.currentData()
        if self._store is not None and name:
            self._store.delete(name)
            self._reload_saved()

    def _on_saved_chosen(self, index: int) -> None:
        name = self.saved_combo.itemData(index)
        if name:
            self.apply_saved(name)

    # --- view ----------------------------------------------------------------------------------
    def _on_toggled(self, on: bool) -> None:
        self.body.setVisible(on)
        for widget in (self.saved_combo, self.save_button, self.delete_button):
            widget.setVisible(on)
        if not on:
            self.inline.clear_message()
        self.paletteChanged.emit()

    def _rebuild(self) -> None:
        while len(self._rows) > len(self._colors):
            row = self._rows.pop()
            self.rows_box.removeWidget(row)
            row.deleteLater()
        while len(self._rows) < len(self._colors):
            row = PaletteRow(self, len(self._rows))
            self.rows_box.addWidget(row)
            self._rows.append(row)
        self._refresh_rows()

    def _refresh_rows(self) -> None:
        can_remove = len(self._colors) > rules.PALETTE_MIN
        for row, color in zip(self._rows, self._colors, strict=True):
            row.show_color(color, can_remove)
        self.bar.colors = tuple(self._colors)
        self.bar.update()
        total = sum(round(c.ratio * 100) for c in self._colors) / 100
        self.total_label.setText(
            self.tr("%n colours · total {total}%", "", len(self._colors)).format(total=f"{total:.2f}")
        )
        self.add_button.setEnabled(len(self._colors) < rules.PALETTE_MAX)

    def _say(self, text: str, role: str) -> None:
        self.inline.show_message(text, role)
        self.message.emit(text)
