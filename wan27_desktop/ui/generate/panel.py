"""The generation panel: prompt, reference images, parameters, palette and the Generate button.

It composes the widgets and asks `api.validation` whether the request can be sent; the button
says what it will cost (`api.pricing`) and, when disabled, why. Emits
`generateRequested(GenerationRequest, RequestMode)`; it never builds an HTTP request itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import QFrame, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from wan27_desktop import i18n
from wan27_desktop.api import pricing, rules, validation
from wan27_desktop.api.errors import ValidationIssue
from wan27_desktop.api.models import GenerationRequest, ImageInput, Mode, Region, RequestMode
from wan27_desktop.ui.common.widgets import Hairline, InlineMessage, SectionHeader, mark_invalid, named
from wan27_desktop.ui.generate.history import JsonPromptHistory, PromptHistory
from wan27_desktop.ui.generate.palette_editor import PaletteEditor
from wan27_desktop.ui.generate.palette_store import PaletteStore
from wan27_desktop.ui.generate.parameters import ParametersPanel
from wan27_desktop.ui.generate.prompt_editor import PromptSection
from wan27_desktop.ui.generate.reference_item import ItemState
from wan27_desktop.ui.generate.reference_strip import ReferenceStrip

_IMAGE_FIELD = re.compile(r"^images\[(\d+)\](\.boxes)?$")


class GenerationPanel(QWidget):
    generateRequested = Signal(object, object)  # GenerationRequest, RequestMode

    def __init__(
        self,
        history: PromptHistory | None = None,
        palette_store: PaletteStore | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        named(self, "generationPanel", self.tr("Generation"))
        self._region = Region.SINGAPORE
        self._marked: list[QWidget] = []

        self.prompt = PromptSection(history if history is not None else JsonPromptHistory(), self)
        self.editor = self.prompt.editor
        self.strip = ReferenceStrip(self)
        self.params = ParametersPanel(self)
        self.palette_editor = PaletteEditor(palette_store if palette_store is not None else PaletteStore(), self)

        content = QWidget()
        content.setObjectName("generationContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(12, 6, 12, 12)
        column.setSpacing(6)
        column.addWidget(SectionHeader(self.tr("Prompt")))
        column.addWidget(self.prompt, 1)
        column.addWidget(SectionHeader(self.tr("Reference images")))
        column.addWidget(self.strip)
        column.addWidget(SectionHeader(self.tr("Parameters")))
        column.addWidget(self.params)
        column.addWidget(SectionHeader(self.tr("Colour palette")))
        column.addWidget(self.palette_editor)
        column.addStretch(0)
        self.scroll_area = named(QScrollArea(self), "generationScroll", self.tr("Generation settings"))
        self.scroll_area.setWidget(content)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        footer = QFrame(self)
        footer.setObjectName("generationFooter")
        footer.setFrameShape(QFrame.Shape.NoFrame)
        line = Hairline(self)
        self.reason = InlineMessage("generateReason", self.tr("Why Generate is unavailable"), footer)
        self.generate_button = named(QPushButton(self.tr("Generate"), footer), "generateButton", self.tr("Generate"))
        self.generate_button.setMinimumHeight(36)
        self.generate_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        font = QFont(self.generate_button.font())
        font.setBold(True)
        self.generate_button.setFont(font)
        self._accent(self.generate_button)
        foot = QVBoxLayout(footer)
        foot.setContentsMargins(12, 6, 12, 10)
        foot.setSpacing(4)
        foot.addWidget(self.reason)
        foot.addWidget(self.generate_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(line)
        layout.addWidget(footer)

        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.generate)

        self.generate_button.clicked.connect(self.generate)
        self.editor.submitRequested.connect(self.generate)
        self.editor.textChanged.connect(self._on_input_changed)
        self.strip.referencesChanged.connect(self._on_references_changed)
        self.strip.reordered.connect(self.editor.renumber)
        self.strip.paletteRequested.connect(self.set_palette_from_image)
        self.strip.insertReferenceRequested.connect(self.editor.insert_reference)
        self.params.changed.connect(self._on_input_changed)
        self.params.modeChanged.connect(self._on_mode_changed)
        self.palette_editor.paletteChanged.connect(self._on_input_changed)
        self.setFocusProxy(self.editor)
        self._on_mode_changed(self.params.mode())
        self._update()

    def _accent(self, button: QPushButton) -> None:
        # The primary action in the palette's accent colours (follows light/dark themes); the
        # disabled group is left alone so a disabled button looks disabled.
        palette = QPalette(button.palette())
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.Button, palette.color(group, QPalette.ColorRole.Highlight))
            palette.setColor(
                group, QPalette.ColorRole.ButtonText, palette.color(group, QPalette.ColorRole.HighlightedText)
            )
        button.setPalette(palette)

    # --- public API ----------------------------------------------------------------------------
    def current_request(self) -> GenerationRequest:
        """What Generate would send. Boxes and palette that the mode does not allow are kept in
        the editors but left out here (§3.2, §3.3), so the request is never invalid for that."""
        mode = self.params.mode()
        keep_boxes = rules.boxes_apply(mode)
        images = tuple(ImageInput(item.source, item.boxes if keep_boxes else ()) for item in self.strip.items())
        palette = self.palette_editor.colors() if rules.palette_applies(mode) else ()
        return GenerationRequest(
            prompt=self.editor.toPlainText(),
            model=self.params.model(),
            images=images,
            n=self.params.n(),
            size=self.params.size_text(),
            seed=self.params.seed(),
            watermark=self.params.watermark(),
            thinking_mode=self.params.thinking(),
            enable_sequential=self.params.sequential(),
            color_palette=palette,
        )

    def request_mode(self) -> RequestMode:
        return self.params.request_mode()

    def set_request(self, request: GenerationRequest, request_mode: RequestMode | None = None) -> None:
        """Fill every control from a request ("reuse all parameters"): prompt, references with
        their boxes, parameters and palette."""
        self.params.set_values(
            model=request.model,
            size=request.size,
            n=request.n,
            seed=request.seed,
            thinking=request.thinking_mode,
            sequential=request.enable_sequential,
            watermark=request.watermark,
            image_count=len(request.images),
        )
        self.strip.set_references(request.images)
        self.editor.replace_text(request.prompt)
        self.palette_editor.set_colors(request.color_palette)
        if request_mode is not None:
            self.params.set_request_mode(request_mode)
        self._update()

    def set_region(self, region: Region) -> None:
        self._region = region
        self._update()

    def region(self) -> Region:
        return self._region

    def add_reference(self, path: str) -> bool:
        return self.strip.add_reference(path)

    def set_palette_from_image(self, path: str) -> None:
        self.palette_editor.set_from_image(path)

    def blocking_reasons(self) -> list[str]:
        """Why Generate is unavailable right now (empty when it can be sent)."""
        reasons = list(self.prompt.problems())
        prompt_checked = bool(reasons)
        for issue in validation.check(self.current_request()):
            if issue.field == "prompt" and prompt_checked:
                continue
            text = i18n.issue_text(issue)
            if text not in reasons:
                reasons.append(text)
        for number, item in enumerate(self.strip.items(), start=1):
            if item.state is ItemState.SAVING:
                reasons.append(self.tr("Saving image {number}…").format(number=number))
            elif item.state is ItemState.CHECKING:
                reasons.append(self.tr("Checking image {number}…").format(number=number))
        names = self.strip.names()
        reasons += [
            self.tr("Reference {number} ({name}): {problem}").format(
                number=number, name=names[number - 1], problem=problem
            )
            for number, problem in self.strip.problems()
        ]
        return reasons

    def generate(self) -> bool:
        """Emit generateRequested if the request is valid; otherwise show why. True when emitted."""
        request = self.current_request()
        issues = validation.check(request)
        if issues or self.blocking_reasons():
            if issues:
                self.show_issues(issues)
            self._update()
            return False
        self.editor.remember()
        self.generateRequested.emit(request, self.request_mode())
        return True

    def show_issues(self, issues: Sequence[ValidationIssue]) -> None:
        """Mark the controls that `issues` name (validation or service errors) and list them."""
        self._clear_marks()
        first: QWidget | None = None
        for issue in issues:
            widget = self._widget_for(issue)
            if widget is not None:
                mark_invalid(widget, i18n.issue_text(issue))
                self._marked.append(widget)
                first = first or widget
        if issues:
            self.reason.show_message(i18n.issues_text(issues), "error")
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll_area.ensureWidgetVisible(first)

    # --- internals -----------------------------------------------------------------------------
    def _widget_for(self, issue: ValidationIssue) -> QWidget | None:
        field = issue.field
        if field == "prompt":
            return self.editor
        if field == "color_palette":
            self.palette_editor.inline.show_message(i18n.issue_text(issue), "error")
            return self.palette_editor.body if self.palette_editor.is_on() else self.palette_editor.enable_check
        if field == "images":
            self.strip.inline.show_message(i18n.issue_text(issue), "error")
            return self.strip.tiles
        match = _IMAGE_FIELD.match(field)
        if match:
            self.strip.mark_issue(int(match.group(1)), i18n.issue_text(issue))
            return self.strip.tiles
        return self.params.field_widget(field)

    def _clear_marks(self) -> None:
        for widget in self._marked:
            mark_invalid(widget, None)
        self._marked.clear()
        self.strip.clear_issues()

    def _on_input_changed(self, *_args: object) -> None:
        if self._marked:
            self._clear_marks()
        self._update()

    def _on_references_changed(self) -> None:
        self.params.set_image_count(self.strip.count())
        self.prompt.set_reference_names(self.strip.names())
        sources = [
            (self.tr("image {number} — {name}").format(number=n, name=item.name), item.source)
            for n, item in enumerate(self.strip.items(), start=1)
            if item.state is ItemState.READY and not item.is_url and not item.problems
        ]
        self.palette_editor.set_image_sources(sources)
        self._on_mode_changed(self.params.mode())
        self._on_input_changed()

    def _on_mode_changed(self, mode: Mode) -> None:
        boxes = rules.boxes_apply(mode) or not mode.has_images
        self.strip.set_boxes_allowed(boxes, self.tr("Region boxes cannot be used with image sets (§3.2)."))
        kept = self.tr("Region boxes are kept but not sent: image sets cannot use them (§3.2).")
        if mode.is_set and any(item.boxes for item in self.strip.items()):
            self.strip.inline.show_message(kept, "warn")
        elif self.strip.inline.property("textRole") == "warn" and self.strip.inline.text() == kept:
            self.strip.inline.clear_message()
        self.palette_editor.set_applicable(
            rules.palette_applies(mode), self.tr("Image sets cannot use a colour palette (§3.3).")
        )

    def _update(self) -> None:
        n = self.params.n()
        model = self.params.model()
        estimate = pricing.format_cny(pricing.estimate(self._region, model, n))
        per_image = pricing.format_cny(pricing.price_per_image(self._region, model))
        is_set = self.params.mode().is_set
        if is_set:
            text = self.tr("Generate up to {n} · ≤ {cost}").format(n=n, cost=estimate)
        else:
            text = self.tr("Generate {n} · ≈ {cost}").format(n=n, cost=estimate)
        self.generate_button.setText(text)
        reasons = self.blocking_reasons()
        self.generate_button.setEnabled(not reasons)
        price_note = self.tr("{price} per image in {region}; only generated images are billed. Ctrl+Enter").format(
            price=per_image, region=i18n.region_name(self._region)
        )
        if reasons:
            self.generate_button.setToolTip("\n".join(reasons))
            self.generate_button.setAccessibleDescription(" ".join(reasons))
            only_empty = len(reasons) == 1 and not self.editor.toPlainText().strip()
            if not self._marked:
                first = (
                    reasons[0]
                    if len(reasons) == 1
                    else self.tr("{reason} (+{count} more)").format(reason=reasons[0], count=len(reasons) - 1)
                )
                self.reason.show_message(first, "muted" if only_empty else "error")
        else:
            self.generate_button.setToolTip(price_note)
            self.generate_button.setAccessibleDescription(price_note)
            if not self._marked:
                self.reason.clear_message()
