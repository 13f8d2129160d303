"""The generation panel: prompt, reference images, parameters, palette and the Generate button.

Its widgets are bound to a `Draft` (workspace/draft.py): what the user edits goes into the draft,
and whatever changes the draft (reuse from the gallery, File ▸ New, a restored draft) shows here.
It asks `api.validation` whether the draft's request can be sent; the button says what it will
cost (`api.pricing`) and, when disabled, why. Emits `generateRequested(GenerationRequest,
RequestMode)`; it never builds an HTTP request itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QMetaObject, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop import i18n
from wan27_desktop.api import pricing, rules, validation
from wan27_desktop.api.errors import ValidationIssue
from wan27_desktop.api.models import GenerationRequest, Mode, Region, RequestMode
from wan27_desktop.ui.common.widgets import Hairline, InlineMessage, SectionHeader, mark_invalid, named
from wan27_desktop.ui.generate.history import JsonPromptHistory, PromptHistory
from wan27_desktop.ui.generate.parameters import ParametersPanel
from wan27_desktop.ui.generate.prompt_editor import PromptSection
from wan27_desktop.ui.generate.reference_item import ItemState
from wan27_desktop.ui.generate.reference_strip import ReferenceStrip
from wan27_desktop.ui.stage.activity import GenerateActivity

if TYPE_CHECKING:
    from wan27_desktop.ui.generate.palette_editor import PaletteEditor
    from wan27_desktop.ui.generate.palette_store import PaletteStore
from wan27_desktop.workspace.draft import Draft
from wan27_desktop.workspace.properties import Binding, bind, bind_toggle

_IMAGE_FIELD = re.compile(r"^images\[(\d+)\](\.boxes)?$")


class GenerationPanel(QWidget):
    generateRequested = Signal(object, object)  # GenerationRequest, RequestMode

    def __init__(
        self,
        history: PromptHistory | None = None,
        palette_store: PaletteStore | None = None,
        parent: QWidget | None = None,
        draft: Draft | None = None,
    ) -> None:
        super().__init__(parent)
        named(self, "generationPanel", self.tr("Generation"))
        self._region = Region.SINGAPORE
        self._marked: list[QWidget] = []
        self.draft = draft if draft is not None else Draft(self)

        self.prompt = PromptSection(history if history is not None else JsonPromptHistory(), self)
        self.editor = self.prompt.editor
        self.strip = ReferenceStrip(self)
        self.params = ParametersPanel(self)
        # The palette section starts closed (below the fold, and most requests have none): its editor
        # is built the first time it is opened, or when the draft turns a palette on.
        self._palette_store = palette_store
        self._palette: PaletteEditor | None = None
        self._palette_sources: list[tuple[str, str]] = []
        self._palette_applicable: tuple[bool, str] = (True, "")
        self.palette_toggle = named(
            QToolButton(self),
            "paletteSectionToggle",
            self.tr("Colour palette"),
            self.tr("Show or hide the colour palette"),
        )
        self.palette_toggle.setText(self.tr("Colour palette"))
        self.palette_toggle.setCheckable(True)
        self.palette_toggle.setAutoRaise(True)
        self.palette_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.palette_toggle.setArrowType(Qt.ArrowType.RightArrow)
        bold = QFont(self.palette_toggle.font())
        bold.setBold(True)
        self.palette_toggle.setFont(bold)
        self.palette_toggle.toggled.connect(self._palette_toggled)

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
        palette_header = QHBoxLayout()
        palette_header.setContentsMargins(0, 6, 0, 0)
        palette_header.setSpacing(8)
        palette_header.addWidget(self.palette_toggle)
        palette_header.addWidget(Hairline(content), 1)
        column.addLayout(palette_header)
        self._palette_slot = QVBoxLayout()
        self._palette_slot.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self._palette_slot)
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
        self.undo_bar = QWidget(footer)
        self.undo_bar.setObjectName("draftUndoBar")
        self.undo_label = named(QLabel(self.undo_bar), "draftUndoLabel", self.tr("Draft notice"))
        self.undo_label.setWordWrap(True)
        self.undo_button = named(
            QPushButton(self.tr("Undo"), self.undo_bar),
            "draftUndoButton",
            self.tr("Undo new draft"),
            self.tr("Bring back the prompt, references and settings that File ▸ New cleared"),
        )
        undo_row = QHBoxLayout(self.undo_bar)
        undo_row.setContentsMargins(0, 0, 0, 0)
        undo_row.addWidget(self.undo_label, 1)
        undo_row.addWidget(self.undo_button)
        self.undo_bar.hide()
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
        self.activity = GenerateActivity(footer)
        foot.addWidget(self.undo_bar)
        foot.addWidget(self.reason)
        foot.addWidget(self.generate_button)
        foot.addWidget(self.activity)

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

        # Bound before the panel's own handlers are connected: Qt calls slots in the order they
        # were connected, so the draft is current whenever the panel re-checks the request.
        self.bindings = self._bind(self.draft)
        self.generate_button.clicked.connect(self.generate)
        self.editor.submitRequested.connect(self.generate)
        self.editor.textChanged.connect(self._on_input_changed)
        self.strip.referencesChanged.connect(self._on_references_changed)
        self.strip.reordered.connect(self.editor.renumber)
        self.strip.paletteRequested.connect(self.set_palette_from_image)
        self.strip.insertReferenceRequested.connect(self.editor.insert_reference)
        self.params.changed.connect(self._on_input_changed)
        self.params.modeChanged.connect(self._on_mode_changed)
        self.params.noteShown.connect(self._bring_into_view)
        self.draft.palette_on_changed.connect(self._palette_on_changed)
        self.setFocusProxy(self.editor)
        self._on_mode_changed(self.params.mode())
        if self.draft.palette_on:
            self.palette_toggle.setChecked(True)
        self._update()

    def _bring_into_view(self, note: QWidget) -> None:
        # After the layout has placed the note that was just shown (its geometry is stale until then).
        QTimer.singleShot(0, self, lambda: self.scroll_area.ensureWidgetVisible(note, 0, 24))

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

    def _bind(self, draft: Draft) -> list[Binding]:
        return [
            bind(draft, "references", self.strip, "references"),
            bind(draft, "parameters", self.params, "parameters", signal=self.params.changed),
            bind(
                draft,
                "request_mode",
                self.params,
                "request_mode",
                signal=self.params.request_combo.currentIndexChanged,
            ),
            bind(draft, "prompt", self.editor, "prompt", signal=self.editor.textChanged),
        ]

    # --- the palette section --------------------------------------------------------------------
    @property
    def palette_editor(self) -> PaletteEditor:
        """The palette editor, built on first use (in the section, shown when the section is open)."""
        if self._palette is None:
            from wan27_desktop.ui.generate.palette_editor import PaletteEditor
            from wan27_desktop.ui.generate.palette_store import PaletteStore

            editor = PaletteEditor(self._palette_store if self._palette_store is not None else PaletteStore(), self)
            editor.setVisible(self.palette_toggle.isChecked())
            self._palette_slot.addWidget(editor)
            self.bindings += [
                bind(self.draft, "palette", editor, "editing_colors", signal=editor.paletteChanged),
                bind_toggle(self.draft, "palette_on", editor.enable_check),
            ]
            editor.paletteChanged.connect(self._on_input_changed)
            editor.set_image_sources(self._palette_sources)
            editor.set_applicable(*self._palette_applicable)
            self._palette = editor
        return self._palette

    def palette_built(self) -> bool:
        return self._palette is not None

    def open_palette(self) -> PaletteEditor:
        self.palette_toggle.setChecked(True)
        return self.palette_editor

    def _palette_toggled(self, opened: bool) -> None:
        self.palette_toggle.setArrowType(Qt.ArrowType.DownArrow if opened else Qt.ArrowType.RightArrow)
        if opened or self._palette is not None:
            self.palette_editor.setVisible(opened)
        if opened:
            self.scroll_area.ensureWidgetVisible(self.palette_editor)

    def _palette_on_changed(self, on: bool) -> None:
        if on:  # turned on by a reused request or a restored draft: show it
            self.palette_toggle.setChecked(True)

    # --- public API ----------------------------------------------------------------------------
    def current_request(self) -> GenerationRequest:
        """What Generate would send. Boxes and palette that the mode does not allow are kept in
        the draft but left out here (§3.2, §3.3), so the request is never invalid for that."""
        return self.draft.request()

    def request_mode(self) -> RequestMode:
        return self.draft.request_mode

    def set_request(self, request: GenerationRequest, request_mode: RequestMode | None = None) -> None:
        """Fill every control from a request ("reuse all parameters"): prompt, references with
        their boxes, parameters and palette."""
        self.draft.set_request(request, request_mode)
        self._update()

    def set_region(self, region: Region) -> None:
        self._region = region
        self._update()

    def region(self) -> Region:
        return self._region

    def offer_undo(self, text: str, undo: Callable[[], object], forget: Callable[[], object]) -> None:
        """Say what was just done to the draft (File ▸ New) with an Undo button, until the undo is
        used or the draft is edited again (`forget` is called then)."""
        self.undo_label.setText(text)
        self.undo_bar.show()
        connections: list[QMetaObject.Connection] = []

        def close(*_args: object) -> None:
            for connection in connections:
                QObject.disconnect(connection)
            self.undo_bar.hide()

        def undone() -> None:
            close()
            undo()
            self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

        def edited(_name: str) -> None:
            close()
            forget()

        connections.append(self.undo_button.clicked.connect(undone))
        connections.append(self.draft.modified.connect(edited))

    def add_reference(self, path: str) -> bool:
        return self.strip.add_reference(path)

    def set_palette_from_image(self, path: str) -> None:
        self.open_palette().set_from_image(path)

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
            self.open_palette().inline.show_message(i18n.issue_text(issue), "error")
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
        self._palette_sources = sources
        if self._palette is not None:
            self._palette.set_image_sources(sources)
        self._on_mode_changed(self.params.mode())
        self._on_input_changed()

    def _on_mode_changed(self, mode: Mode) -> None:
        # Boxes, palette and thinking mode say it the same way when the mode cannot use them: the
        # control is disabled, keeps its value, and one line under it says why (not sent).
        boxes = rules.boxes_apply(mode) or not mode.has_images
        why_boxes = self.tr("Region boxes do not apply to image sets: kept, not sent.")
        self.strip.set_boxes_allowed(boxes, why_boxes)
        if not boxes:
            self.strip.inline.show_message(why_boxes, "muted")
        elif self.strip.inline.text() == why_boxes:
            self.strip.inline.clear_message()
        self._palette_applicable = (
            rules.palette_applies(mode),
            self.tr("The colour palette does not apply to image sets: kept, not sent."),
        )
        if self._palette is not None:
            self._palette.set_applicable(*self._palette_applicable)

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
