"""Every `parameters` field of §3, offering only what the mode matrix (§3.4) allows.

The mode is derived from the inputs (`Mode.of(image count, image set)`), never chosen. All rules
come from `api.rules` / `api.validation`; when a mode change makes the current choice invalid
(4K after adding a reference, n=12 after leaving image-set mode ...) the panel adjusts it and
says so in `parametersInfoLabel`, so nothing invalid is ever sent.
"""

from __future__ import annotations

import random

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop import i18n
from wan27_desktop.api import rules, validation
from wan27_desktop.api.models import Mode, Model, RequestMode
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.ui.common.widgets import InlineMessage, dice_icon, mark_invalid, named, set_text_role, small_font

CUSTOM = "custom"
# The aspect-ratio picker; `rules.size_for_ratio` turns a choice into a valid W*H for the mode.
ASPECTS: tuple[tuple[str, int, int], ...] = (
    ("1:1", 1, 1),
    ("4:3", 4, 3),
    ("3:4", 3, 4),
    ("16:9", 16, 9),
    ("9:16", 9, 16),
    ("3:2", 3, 2),
    ("2:3", 2, 3),
    ("21:9", 21, 9),
)
PRESET_LABELS = {"1K": "1K  (≈1024 × 1024)", "2K": "2K  (≈2048 × 2048)", "4K": "4K  (≈4096 × 4096)"}
# Translated where they are shown (self.tr in ParametersPanel).
MODEL_LABELS = {
    Model.PRO: QT_TRANSLATE_NOOP("ParametersPanel", "Wan 2.7 Pro"),
    Model.STANDARD: QT_TRANSLATE_NOOP("ParametersPanel", "Wan 2.7 Standard"),
}
MODEL_TIPS = {
    Model.PRO: QT_TRANSLATE_NOOP(
        "ParametersPanel", "wan2.7-image-pro: higher quality; up to 4K for pure text-to-image"
    ),
    Model.STANDARD: QT_TRANSLATE_NOOP("ParametersPanel", "wan2.7-image: faster and cheaper; up to 2K"),
}


class ParametersPanel(QWidget):
    changed = Signal()
    modeChanged = Signal(object)  # Mode

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "parametersPanel", self.tr("Parameters"))
        self._image_count = 0
        self._mode = Mode.TEXT_TO_IMAGE
        self._custom_size = rules.size_for_ratio(1, 1, Model.PRO, Mode.TEXT_TO_IMAGE)
        self._updating = False

        self.model_combo = named(QComboBox(self), "modelCombo", self.tr("Model"))
        for model in Model:
            self.model_combo.addItem(self.tr(MODEL_LABELS[model]), model.value)
            self.model_combo.setItemData(
                self.model_combo.count() - 1, self.tr(MODEL_TIPS[model]), Qt.ItemDataRole.ToolTipRole
            )
        self.mode_label = named(QLabel(self), "modeLabel", self.tr("Mode"))
        self.mode_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.size_combo = named(QComboBox(self), "sizeCombo", self.tr("Output size"))
        self.aspect_combo = named(
            QComboBox(self),
            "aspectCombo",
            self.tr("Aspect ratio"),
            self.tr("Pick an aspect ratio; width and height are chosen to fit the pixel budget"),
        )
        for label, w, h in ASPECTS:
            self.aspect_combo.addItem(label, (w, h))
        self.aspect_combo.addItem(self.tr("Custom"), None)
        self.width_spin = self._side_spin("widthSpin", self.tr("Custom width in pixels"))
        self.height_spin = self._side_spin("heightSpin", self.tr("Custom height in pixels"))
        times = QLabel("×", self)
        self.custom_row = QWidget(self)
        self.custom_row.setObjectName("customSizeRow")
        custom = QHBoxLayout(self.custom_row)
        custom.setContentsMargins(0, 0, 0, 0)
        custom.setSpacing(4)
        custom.addWidget(self.aspect_combo)
        custom.addWidget(self.width_spin, 1)
        custom.addWidget(times)
        custom.addWidget(self.height_spin, 1)
        self.size_hint = named(QLabel(self), "sizeHintLabel", self.tr("Output size note"))
        self.size_hint.setWordWrap(True)
        self.size_hint.setFont(small_font(self))
        size_box = QVBoxLayout()
        size_box.setSpacing(3)
        size_box.addWidget(self.size_combo)
        size_box.addWidget(self.custom_row)
        size_box.addWidget(self.size_hint)

        self.count_spin = named(
            QSpinBox(self),
            "countSpin",
            self.tr("Number of images"),
            self.tr("How many images to generate; each one is billed"),
        )
        self.count_spin.setValue(1)
        self.count_range = QLabel(self)
        self.count_range.setFont(small_font(self))
        set_text_role(self.count_range, "muted")
        count_row = QHBoxLayout()
        count_row.addWidget(self.count_spin)
        count_row.addWidget(self.count_range, 1)

        self.seed_lock = named(
            QCheckBox(self.tr("Fixed"), self),
            "seedLockCheck",
            self.tr("Fixed seed"),
            self.tr(
                "Off: a new random seed each time. On: reuse this seed to repeat a result (similar, not bit-identical)"
            ),
        )
        self.seed_spin = named(QSpinBox(self), "seedSpin", self.tr("Seed"))
        self.seed_spin.setRange(rules.SEED_MIN, rules.SEED_MAX)
        self.seed_spin.setGroupSeparatorShown(False)
        self.seed_spin.setSpecialValueText(self.tr("Random each time"))
        self._last_seed = 0
        self.seed_dice = named(
            QToolButton(self), "seedDiceButton", self.tr("Roll a random seed"), self.tr("Pick a random seed and fix it")
        )
        self.seed_dice.setIcon(dice_icon(self.palette()))
        self.seed_dice.setAutoRaise(True)
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed_lock)
        seed_row.addWidget(self.seed_spin, 1)
        seed_row.addWidget(self.seed_dice)

        self.image_set_check = named(
            QCheckBox(self.tr("Image set (several coherent images)"), self),
            "imageSetCheck",
            self.tr("Image set"),
            self.tr(
                "A storyboard or series from one prompt; n becomes a ceiling of up to "
                "{count} (no thinking mode, palette or boxes)"
            ).format(count=rules.n_range(Mode.TEXT_TO_IMAGE_SET)[1]),
        )
        self.thinking_check = named(
            QCheckBox(self.tr("Thinking mode"), self), "thinkingCheck", self.tr("Thinking mode")
        )
        self.thinking_check.setChecked(True)
        self.watermark_check = named(
            QCheckBox(self.tr("Watermark (“AI generated” mark)"), self),
            "watermarkCheck",
            self.tr("Watermark"),
            self.tr("Add the service's “AI生成 / AI Generated” mark in the corner"),
        )
        options = QVBoxLayout()
        options.setSpacing(2)
        for check in (self.image_set_check, self.thinking_check, self.watermark_check):
            options.addWidget(check)

        self.request_combo = named(QComboBox(self), "requestModeCombo", self.tr("Request mode"))
        for mode, text, tip in (
            (
                RequestMode.AUTO,
                self.tr("Automatic (recommended)"),
                self.tr(
                    "Sends a task and checks on it closely: the images arrive about as soon as with "
                    "Synchronous, and nothing paid for is lost if the app closes"
                ),
            ),
            (
                RequestMode.SYNC,
                self.tr("Synchronous (wait for the result)"),
                self.tr("One call that returns the images"),
            ),
            (
                RequestMode.ASYNC,
                self.tr("Asynchronous (queued task)"),
                self.tr("Creates a task and checks on it every 5 to 10 seconds"),
            ),
        ):
            self.request_combo.addItem(text, mode.value)
            self.request_combo.setItemData(self.request_combo.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        # Said next to the choice: the one window Automatic closes and Synchronous cannot (§5).
        self.request_note = named(QLabel(self), "requestModeNote", self.tr("Request mode note"))
        self.request_note.setText(self.tr("A sync job cannot be recovered if the app dies mid-request."))
        self.request_note.setWordWrap(True)
        self.request_note.setFont(small_font(self))
        set_text_role(self.request_note, "muted")

        self.info = InlineMessage("parametersInfoLabel", self.tr("Parameter adjustments"), self)

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setVerticalSpacing(6)
        form.addRow(self.tr("Model"), self.model_combo)
        form.addRow(self.tr("Mode"), self.mode_label)
        form.addRow(self.tr("Size"), size_box)
        form.addRow(self.tr("Number"), count_row)
        form.addRow(self.tr("Seed"), seed_row)
        form.addRow(self.tr("Options"), options)
        form.addRow(self.tr("Request"), self.request_combo)
        form.addRow("", self.request_note)
        for row in range(form.rowCount()):
            label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            caption = label_item.widget() if label_item is not None else None
            field = field_item.widget() if field_item is not None else None
            if isinstance(caption, QLabel) and field is not None:
                caption.setBuddy(field)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.info)

        self.model_combo.currentIndexChanged.connect(self._on_model_changed)
        self.size_combo.currentIndexChanged.connect(self._on_size_changed)
        self.aspect_combo.currentIndexChanged.connect(self._on_aspect_changed)
        self.width_spin.valueChanged.connect(self._on_custom_edited)
        self.height_spin.valueChanged.connect(self._on_custom_edited)
        self.count_spin.valueChanged.connect(self._user_changed)
        self.seed_lock.toggled.connect(self._on_seed_lock)
        self.seed_spin.valueChanged.connect(self._user_changed)
        self.seed_dice.clicked.connect(self.roll_seed)
        self.image_set_check.toggled.connect(lambda _on: self._apply_mode(user=True))
        self.thinking_check.toggled.connect(self._user_changed)
        self.watermark_check.toggled.connect(self._user_changed)
        self.request_combo.currentIndexChanged.connect(self._user_changed)
        self.request_combo.currentIndexChanged.connect(self._show_request_note)

        self._set_custom_fields(*self._custom_size)
        self._fill_sizes("2K")
        self._on_seed_lock(False)
        self._apply_mode()
        self._show_request_note()

    def _side_spin(self, name: str, accessible: str) -> QSpinBox:
        spin = named(QSpinBox(self), name, accessible)
        spin.setRange(16, 16384)
        spin.setSingleStep(16)
        spin.setSuffix(" px")
        spin.setKeyboardTracking(False)
        spin.setGroupSeparatorShown(False)
        return spin

    # --- reading -------------------------------------------------------------------------------
    def model(self) -> Model:
        # Item data holding a str-enum comes back as plain str: convert back.
        return Model(self.model_combo.currentData())

    def mode(self) -> Mode:
        return self._mode

    def sequential(self) -> bool:
        return self.image_set_check.isChecked()

    def size_text(self) -> str:
        data = self.size_combo.currentData()
        if data == CUSTOM:
            return f"{self.width_spin.value()}*{self.height_spin.value()}"
        return str(data)

    def n(self) -> int:
        return self.count_spin.value()

    def seed(self) -> int | None:
        return self.seed_spin.value() if self.seed_lock.isChecked() else None

    def _show_seed(self, locked: bool, value: int | None = None) -> None:
        # Unlocked, the spin box shows "Random each time" (its special value at minimum -1).
        self._updating, was_updating = True, self._updating
        try:
            if locked:
                self.seed_spin.setMinimum(rules.SEED_MIN)
                self.seed_spin.setValue(self._last_seed if value is None else value)
            else:
                if self.seed_spin.value() >= rules.SEED_MIN:
                    self._last_seed = self.seed_spin.value()
                self.seed_spin.setMinimum(-1)
                self.seed_spin.setValue(-1)
        finally:
            self._updating = was_updating

    def thinking(self) -> bool:
        return self.thinking_check.isChecked()

    def watermark(self) -> bool:
        return self.watermark_check.isChecked()

    def request_mode(self) -> RequestMode:
        return RequestMode(self.request_combo.currentData())

    def field_widget(self, name: str) -> QWidget | None:
        """The control a validation field concerns (for `show_issues`)."""
        if name == "size" and self.size_combo.currentData() == CUSTOM:
            return self.width_spin
        return {"model": self.model_combo, "size": self.size_combo, "n": self.count_spin, "seed": self.seed_spin}.get(
            name
        )

    # --- writing -------------------------------------------------------------------------------
    def set_image_count(self, count: int) -> None:
        if count != self._image_count:
            self._image_count = count
            self._apply_mode()

    def set_values(
        self,
        *,
        model: Model,
        size: str,
        n: int,
        seed: int | None,
        thinking: bool,
        sequential: bool,
        watermark: bool,
        image_count: int | None = None,
    ) -> None:
        """Show a whole request's parameters (reuse from the gallery)."""
        self._updating = True
        try:
            if image_count is not None:
                self._image_count = image_count
            self.model_combo.setCurrentIndex(self.model_combo.findData(Model(model).value))
            self.image_set_check.setChecked(sequential)
            self._mode = Mode.of(self._image_count, sequential)
            self.count_spin.setRange(*rules.n_range(self._mode))
            normalised = rules.normalise_size(size)
            if normalised in rules.PRESETS:
                self._fill_sizes(normalised)
            else:
                parsed = rules.parse_custom_size(normalised)
                if parsed is not None:
                    self._set_custom_fields(*parsed)
                self._fill_sizes(CUSTOM)
            self.count_spin.setValue(n)
            self.seed_lock.setChecked(seed is not None)
            self._show_seed(seed is not None, seed)
            self.thinking_check.setChecked(thinking)
            self.watermark_check.setChecked(watermark)
        finally:
            self._updating = False
        self.info.clear_message()
        self._apply_mode()

    def _show_request_note(self, *_args: object) -> None:
        self.request_note.setVisible(self.request_mode() is RequestMode.SYNC)

    def set_request_mode(self, mode: RequestMode) -> None:
        self.request_combo.setCurrentIndex(self.request_combo.findData(RequestMode(mode).value))

    def roll_seed(self) -> None:
        value = random.randint(rules.SEED_MIN, rules.SEED_MAX)
        self._last_seed = value
        self.seed_lock.setChecked(True)
        self._show_seed(True, value)
        self._user_changed()

    # --- behaviour -----------------------------------------------------------------------------
    def _user_changed(self, *_args: object) -> None:
        if self._updating:
            return
        self.info.clear_message()
        for widget in (self.count_spin, self.seed_spin, self.model_combo):
            mark_invalid(widget, None)
        self.changed.emit()

    def _on_model_changed(self, _index: int) -> None:
        if not self._updating:
            self._apply_mode(user=True)

    def _on_seed_lock(self, locked: bool) -> None:
        self._show_seed(locked)
        self.seed_spin.setEnabled(locked)
        self.seed_spin.setToolTip(
            self.tr("The seed sent with every generation ({low} to {high})").format(
                low=rules.SEED_MIN, high=rules.SEED_MAX
            )
            if locked
            else self.tr("Random each time: tick “Fixed” or roll the dice to repeat a result")
        )
        self._user_changed()

    def _fill_sizes(self, wanted: str) -> None:
        """Offer only the presets the model and mode allow (§3.1), then "Custom…"."""
        self._updating, was_updating = True, self._updating
        try:
            self.size_combo.clear()
            for preset in rules.allowed_presets(self.model(), self._mode):
                self.size_combo.addItem(PRESET_LABELS[preset], preset)
            self.size_combo.addItem(self.tr("Custom size…"), CUSTOM)
            index = self.size_combo.findData(wanted)
            self.size_combo.setCurrentIndex(index if index >= 0 else self.size_combo.findData("2K"))
        finally:
            self._updating = was_updating
        self._show_size_state()

    def _on_size_changed(self, _index: int) -> None:
        if self._updating:
            return
        self._show_size_state()
        self._user_changed()

    def _on_aspect_changed(self, _index: int) -> None:
        ratio = self.aspect_combo.currentData()
        if self._updating or ratio is None:
            return
        width, height = rules.size_for_ratio(ratio[0], ratio[1], self.model(), self._mode)
        self._set_custom_fields(width, height)
        self._show_size_state()
        self._user_changed()

    def _on_custom_edited(self, _value: int) -> None:
        if self._updating:
            return
        self._custom_size = (self.width_spin.value(), self.height_spin.value())
        self._sync_aspect()
        self._show_size_state()
        self._user_changed()

    def _set_custom_fields(self, width: int, height: int) -> None:
        self._updating, was_updating = True, self._updating
        try:
            self.width_spin.setValue(width)
            self.height_spin.setValue(height)
            self._custom_size = (width, height)
            self._sync_aspect()
        finally:
            self._updating = was_updating

    def _sync_aspect(self) -> None:
        width, height = self._custom_size
        match = next((i for i, (_l, w, h) in enumerate(ASPECTS) if abs(width / height - w / h) < 0.01), len(ASPECTS))
        self.aspect_combo.blockSignals(True)
        self.aspect_combo.setCurrentIndex(match)
        self.aspect_combo.blockSignals(False)

    def _show_size_state(self) -> None:
        custom = self.size_combo.currentData() == CUSTOM
        self.custom_row.setVisible(custom)
        issues = validation.check_size(self.size_text(), self.model(), self._mode)
        target = self.width_spin if custom else self.size_combo
        if issues:
            self.size_hint.setText(i18n.issue_text(issues[0]))
            set_text_role(self.size_hint, "error")
            mark_invalid(target, i18n.issue_text(issues[0]))
            return
        mark_invalid(self.width_spin, None)
        mark_invalid(self.size_combo, None)
        set_text_role(self.size_hint, "muted")
        budget = rules.max_custom_pixels(self.model(), self._mode)
        if custom:
            width, height = self._custom_size
            side = 4096 if budget == rules.MAX_CUSTOM_PIXELS_4K else 2048
            self.size_hint.setText(
                self.tr(
                    "{pixels} MP of at most {side} × {side} ({budget} MP); the service may "
                    "deliver slightly different sides."
                ).format(pixels=f"{width * height / 1e6:.1f}", side=side, budget=f"{budget / 1e6:.1f}")
            )
        elif self._mode.has_images:
            self.size_hint.setText(
                self.tr("Presets keep the pixel budget and take the aspect ratio of the last reference image.")
            )
        else:
            self.size_hint.setText(
                self.tr(
                    "With a preset the service picks the aspect ratio (not always square); choose a custom "
                    "size for an exact frame."
                )
            )

    def _apply_mode(self, user: bool = False) -> None:
        """Re-derive the mode and bring every control back inside what it allows (§3.4)."""
        old_mode = self._mode
        self._mode = Mode.of(self._image_count, self.sequential())
        notes: list[str] = []

        size = self.size_text()
        if self.size_combo.currentData() == CUSTOM:
            self._fill_sizes(CUSTOM)
            width, height = self._custom_size
            budget = rules.max_custom_pixels(self.model(), self._mode)
            if width * height > budget:
                new = rules.size_for_ratio(width, height, self.model(), self._mode, target_pixels=budget)
                self._set_custom_fields(*new)
                side = 4096 if budget == rules.MAX_CUSTOM_PIXELS_4K else 2048
                notes.append(
                    self.tr(
                        "Custom size {width} × {height} is over the {side} × {side} budget in this "
                        "mode; reduced to {new_width} × {new_height}."
                    ).format(width=width, height=height, side=side, new_width=new[0], new_height=new[1])
                )
        else:
            issues = validation.check_size(size, self.model(), self._mode)
            self._fill_sizes(size if not issues else "2K")
            if issues:
                notes.append(
                    self.tr("Size {size} switched to 2K: {reason}").format(size=size, reason=i18n.issue_text(issues[0]))
                )

        low, high = rules.n_range(self._mode)
        n = self.count_spin.value()
        self._updating, was_updating = True, self._updating
        try:
            self.count_spin.setRange(low, high)
        finally:
            self._updating = was_updating
        if n > high:
            notes.append(
                self.tr("Number of images reduced from {n} to {high}: without an image set it is {low}–{high}.").format(
                    n=n, low=low, high=high
                )
            )
        if self._mode.is_set:
            self.count_range.setText(
                self.tr("{low}–{high} (a ceiling: the set may have fewer)").format(low=low, high=high)
            )
        else:
            self.count_range.setText(f"{low}–{high}")

        applies = rules.thinking_applies(self._mode)
        self.thinking_check.setEnabled(applies)
        self.thinking_check.setToolTip(
            self.tr("An extra reasoning step: better quality, longer wait (text to image only)")
            if applies
            else i18n.api_text(rules.thinking_disabled_reason(self._mode))
        )

        count = self._image_count
        refs = self.tr("%n reference images", "", count) if count else self.tr("no reference images")
        self.mode_label.setText(f"{i18n.mode_name(self._mode)}  ·  {refs}")
        self.mode_label.setToolTip(
            self.tr("Derived from the inputs: add reference images to edit, tick “Image set” for a series (§3.4).")
        )
        self._show_size_state()
        if notes:
            self.info.show_message("ⓘ " + " ".join(notes), "warn")
        elif user:
            self.info.clear_message()
        if self._mode is not old_mode:
            self.modeChanged.emit(self._mode)
        if not self._updating:
            self.changed.emit()
