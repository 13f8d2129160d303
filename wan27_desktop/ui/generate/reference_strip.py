"""Reference images (0-9, §2.3): thumbnails with number badges, drop/paste/pick to add, drag to
reorder, remove, open large, region boxes per image. Each image is checked at once, off the UI
thread (`imaging.inspect_reference`), and a problem is shown on its thumbnail.

The strip never modifies an original: dropped or pasted image data is saved under
`data_dir()/refs/` by content hash and referenced from there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

import shiboken6
from PySide6.QtCore import QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QPixmap,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolButton, QVBoxLayout, QWidget

from wan27_desktop.api import rules
from wan27_desktop.api.models import Box, ImageInput
from wan27_desktop.ui.common.widgets import InlineMessage, named, set_text_role, small_font
from wan27_desktop.ui.generate.reference_item import ItemState, ReferenceItem
from wan27_desktop.ui.generate.reference_tiles import ReferenceTiles
from wan27_desktop.ui.generate.workers import (
    PREVIEW_SIDE,
    Worker,
    cached_preview,
    inspect_with_thumbnail,
    save_image_data,
)
from wan27_desktop.workspace.draft import DraftReference

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

    from wan27_desktop.imaging import ReferenceInfo

    # Dialogs: loaded when first opened (they are not on screen at start).
    from wan27_desktop.ui.generate.box_editor import BoxEditor
    from wan27_desktop.ui.generate.drop import DropContent
    from wan27_desktop.ui.generate.reference_viewer import ReferenceViewer

Mapping = dict[int, "int | None"]


def _can_accept(mime: QMimeData) -> bool:
    # The drop module loads at the first drag or paste, not with the window.
    from wan27_desktop.ui.generate.drop import can_accept

    return can_accept(mime)


class ReferenceStrip(QWidget):
    """objectName `referenceStrip`; accepts drops anywhere on it."""

    referencesChanged = Signal()
    reordered = Signal(object)  # {old number: new number or None (removed)}, 1-based (§2.2)
    message = Signal(str)
    paletteRequested = Signal(str)  # a local path whose colours the palette should take
    insertReferenceRequested = Signal(int)  # image number to insert into the prompt

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "referenceStrip", self.tr("Reference images"))
        self.setAcceptDrops(True)
        self._items: list[ReferenceItem] = []
        self._next_uid = 0
        self._boxes_allowed = True
        self._boxes_reason = ""
        self._inspect = Worker(self)
        self._inspect.done.connect(self._on_inspected)
        self._inspect.failed.connect(self._on_inspect_failed)
        self._save = Worker(self)
        self._save.done.connect(self._on_saved)
        self._save.failed.connect(self._on_save_failed)
        self._preview = Worker(self)
        self._preview.done.connect(self._on_preview)
        self._preview.failed.connect(self._on_preview_failed)
        self._tokens: dict[tuple[str, int], object] = {}  # (worker, token) -> uid or dialog

        self.tiles = ReferenceTiles(lambda: self._items, self)
        self.add_button = self._tool(
            "referenceAddButton",
            self.tr("Add reference images"),
            self.tr("Add…"),
            self.tr("Choose image files (or drop them here, or paste with Ctrl+V)"),
        )
        self.boxes_button = self._tool(
            "referenceBoxesButton", self.tr("Edit region boxes"), self.tr("Boxes…"), self._boxes_tip()
        )
        self.view_button = self._tool(
            "referenceViewButton",
            self.tr("Open reference large"),
            self.tr("View"),
            self.tr("Open the selected image large (double click)"),
        )
        self.remove_button = self._tool(
            "referenceRemoveButton",
            self.tr("Remove reference image"),
            self.tr("Remove"),
            self.tr("Remove the selected image (Del)"),
        )
        self.count_label = named(QLabel(self), "referenceCountLabel", self.tr("Reference image count"))
        self.count_label.setFont(small_font(self))
        set_text_role(self.count_label, "muted")
        self.inline = InlineMessage("referenceMessage", self.tr("Reference images message"), self)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(2)
        for button in (self.add_button, self.boxes_button, self.view_button, self.remove_button):
            bar.addWidget(button)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.tiles)
        layout.addLayout(bar)
        layout.addWidget(self.inline)

        self.add_button.clicked.connect(self.choose_files)
        self.boxes_button.clicked.connect(lambda: self.open_box_editor(self.tiles.selected))
        self.view_button.clicked.connect(lambda: self.open_viewer(self.tiles.selected))
        self.remove_button.clicked.connect(lambda: self.remove_at(self.tiles.selected))
        self.tiles.addRequested.connect(self.choose_files)
        self.tiles.removeRequested.connect(self.remove_at)
        self.tiles.moveRequested.connect(self.move_reference)
        self.tiles.activated.connect(self.open_viewer)
        self.tiles.selectionChanged.connect(lambda _i: self._update_controls())
        self.tiles.contextRequested.connect(self._context_menu)
        self.tiles.keyAction.connect(self._on_key_action)
        self._update_controls()

    def _boxes_tip(self) -> str:
        return self.tr("Draw up to {count} region boxes on the selected image (B)").format(
            count=rules.MAX_BOXES_PER_IMAGE
        )

    def _tool(self, name: str, accessible: str, text: str, tip: str) -> QToolButton:
        button = named(QToolButton(self), name, accessible, tip)
        button.setText(text)
        button.setAutoRaise(True)
        return button

    # --- reading -------------------------------------------------------------------------------
    def items(self) -> list[ReferenceItem]:
        return list(self._items)

    def count(self) -> int:
        return len(self._items)

    def image_inputs(self) -> tuple[ImageInput, ...]:
        return tuple(item.image_input() for item in self._items)

    def references(self) -> tuple[DraftReference, ...]:
        """The draft's view of the strip: every image with a source (pasted data being saved has
        none yet, and joins once it is saved)."""
        return tuple(item.draft_reference() for item in self._items if item.source)

    def names(self) -> list[str]:
        return [item.name for item in self._items]

    def busy(self) -> bool:
        return any(item.busy for item in self._items)

    def problems(self) -> list[tuple[int, str]]:
        """(image number, message) for every problem that makes the request unsendable."""
        return [(number, problem) for number, item in enumerate(self._items, start=1) for problem in item.problems]

    def select(self, index: int) -> None:
        self.tiles.select(index)

    # --- adding --------------------------------------------------------------------------------
    def _room(self, wanted: int) -> int:
        room = rules.MAX_IMAGES - len(self._items)
        if wanted > room:
            refused = wanted - room
            if room <= 0:
                text = self.tr(
                    "Not added: at most {limit} reference images are allowed. Remove one to add another."
                ).format(limit=rules.MAX_IMAGES)
            else:
                text = self.tr(
                    "Only {limit} reference images are allowed: %n images were not added.", "", refused
                ).format(limit=rules.MAX_IMAGES)
            self._say(text, "error")
        return max(0, min(wanted, room))

    def _new_item(self, source: str, boxes: tuple[Box, ...] = (), label: str = "") -> ReferenceItem:
        self._next_uid += 1
        item = ReferenceItem(self._next_uid, source, tuple(boxes), label=label)
        if not source:
            item.state = ItemState.SAVING
        elif item.is_url:
            item.state = ItemState.REMOTE
        else:
            self._start_inspect(item)
        return item

    def _start_inspect(self, item: ReferenceItem) -> None:
        item.state = ItemState.CHECKING
        path = item.source
        token = self._inspect.submit(lambda: inspect_with_thumbnail(path))
        self._tokens[("inspect", token)] = item.uid

    def add_reference(self, source: str, boxes: tuple[Box, ...] = ()) -> bool:
        """Add a local path or an http(s) URL; False (with a message) when 9 are already there."""
        return self.add_references([source], boxes) == 1

    def add_references(self, sources: Sequence[str], boxes: tuple[Box, ...] = ()) -> int:
        sources = [s for s in sources if s]
        room = self._room(len(sources))
        if room == 0:
            return 0
        if room == len(sources):
            self.inline.clear_message()
        for source in sources[:room]:
            self._items.append(self._new_item(source, boxes))
        self.tiles.select(len(self._items) - 1)
        self._changed()
        return room

    def add_mime(self, mime: QMimeData) -> int:
        """Add what a drop or paste offers (files, image data or web URLs). Returns how many."""
        from wan27_desktop.ui.generate.drop import read_mime

        content = read_mime(mime)
        if content.empty:
            if content.skipped:
                text = self.tr(
                    "Nothing to add ({reasons}): drop or paste image files, web images or image data."
                ).format(reasons=self.tr("; ").join(content.skipped))
            else:
                text = self.tr("Nothing to add: drop or paste image files, web images or image data.")
            self._say(text, "error")
            return 0
        if content.paths or content.urls:
            added = self.add_references(content.paths or content.urls)
        else:
            added = self._add_data(content)
        if added and content.skipped:
            self._say(self.tr("Skipped: {reasons}.").format(reasons=self.tr("; ").join(content.skipped)), "warn")
        return added

    def _add_data(self, content: DropContent) -> int:
        if self._room(1) == 0:
            return 0
        item = self._new_item("")
        self._items.append(item)
        data = content.data
        assert data is not None
        token = self._save.submit(lambda: save_image_data(data))
        self._tokens[("save", token)] = item.uid
        self.inline.clear_message()
        self.tiles.select(len(self._items) - 1)
        self._changed()
        return 1

    def paste(self) -> int:
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None or not _can_accept(mime):
            self._say(self.tr("The clipboard holds no image, image file or image URL."), "error")
            return 0
        return self.add_mime(mime)

    def choose_files(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # loads when first used, not with the window

        image_filter = self.tr("Images (*.png *.jpg *.jpeg *.bmp *.webp);;All files (*)")
        paths, _filter = QFileDialog.getOpenFileNames(self, self.tr("Add reference images"), "", image_filter)
        if paths:
            self.add_references(paths)

    def set_references(self, images: Sequence[ImageInput | DraftReference]) -> None:
        """Replace every reference (reuse, a restored draft, File ▸ New); boxes come along. No
        renumbering. An image already in the strip keeps its tile and what its check found."""
        if tuple(images) == self.references() and not any(not item.source for item in self._items):
            return
        reusable = {item.source: item for item in self._items if item.source}
        items = []
        for image in images[: rules.MAX_IMAGES]:
            label = image.name if isinstance(image, DraftReference) else ""
            item = reusable.pop(image.source, None)
            if item is None:
                item = self._new_item(image.source, tuple(image.boxes), label)
            else:
                item.boxes, item.label = tuple(image.boxes), label or item.label
            items.append(item)
        selected = self.tiles.selected
        self._items = items
        self.inline.clear_message()
        self.tiles.select(min(selected, len(items) - 1) if 0 <= selected < len(items) else len(items) - 1)
        self._changed()

    def clear(self) -> None:
        self.set_references([])

    # --- changing ------------------------------------------------------------------------------
    def remove_at(self, index: int) -> None:
        if not 0 <= index < len(self._items):
            return
        del self._items[index]
        mapping: Mapping = {index + 1: None}
        for old in range(index + 2, len(self._items) + 2):
            mapping[old] = old - 1
        for old in range(1, index + 1):
            mapping[old] = old
        self.inline.clear_message()
        self.tiles.select(min(index, len(self._items) - 1))
        self.reordered.emit(mapping)
        self._changed()

    def move_reference(self, source: int, target: int) -> None:
        """Move image `source` to position `target` (0-based); its boxes go with it (§3.2)."""
        count = len(self._items)
        if not (0 <= source < count and 0 <= target < count) or source == target:
            return
        before = list(self._items)
        item = self._items.pop(source)
        self._items.insert(target, item)
        mapping: Mapping = {before.index(it) + 1: new + 1 for new, it in enumerate(self._items)}
        self.tiles.select(target)
        self.reordered.emit(mapping)
        self._changed()

    def set_boxes(self, index: int, boxes: tuple[Box, ...]) -> None:
        if 0 <= index < len(self._items):
            self._items[index].boxes = tuple(boxes)[: rules.MAX_BOXES_PER_IMAGE]
            self._changed()

    def boxes(self, index: int) -> tuple[Box, ...]:
        return self._items[index].boxes

    def set_boxes_allowed(self, allowed: bool, reason: str = "") -> None:
        """§3.2: boxes need edit mode; in image-set mode they are kept but not editable or sent."""
        self._boxes_allowed, self._boxes_reason = allowed, reason
        self._update_controls()

    def mark_issue(self, number: int, message: str | None) -> None:
        """Show a validation issue on image `number` (1-based); None clears it."""
        if 1 <= number <= len(self._items):
            self._items[number - 1].issue = message or ""
            self.tiles.update()

    def clear_issues(self) -> None:
        for item in self._items:
            item.issue = ""
        self.tiles.update()

    def _changed(self) -> None:
        self.tiles.refresh()
        self._update_controls()
        self.referencesChanged.emit()

    def _update_controls(self) -> None:
        count = len(self._items)
        selected = self.tiles.selected
        item = self._items[selected] if 0 <= selected < count else None
        self.count_label.setText(f"{count} / {rules.MAX_IMAGES}")
        self.add_button.setEnabled(count < rules.MAX_IMAGES)
        self.remove_button.setEnabled(item is not None)
        self.view_button.setEnabled(item is not None and not item.is_url and item.state is ItemState.READY)
        can_box, why = self._can_edit_boxes(item)
        self.boxes_button.setEnabled(can_box)
        self.boxes_button.setToolTip(self._boxes_tip() if can_box else why)
        summary = self.tr(", ").join(
            (self.tr("image {number}: {name} (problem)") if it.problems else self.tr("image {number}: {name}")).format(
                number=n, name=it.name
            )
            for n, it in enumerate(self._items, start=1)
        )
        self.tiles.setAccessibleDescription(summary or self.tr("No reference images: text to image."))

    def _can_edit_boxes(self, item: ReferenceItem | None) -> tuple[bool, str]:
        if item is None:
            return False, self.tr("Select a reference image to draw region boxes on it.")
        if not self._boxes_allowed:
            return False, self._boxes_reason or self.tr("Region boxes do not apply in this mode.")
        if item.is_url:
            return False, self.tr("Region boxes need a local image (its pixel size); web images cannot take boxes.")
        if item.pixel_size is None:
            return False, self.tr("This image is still being checked, or cannot be read.")
        return True, ""

    def _say(self, text: str, role: str = "muted") -> None:
        self.inline.show_message(text, role)
        self.message.emit(text)

    # --- worker results ------------------------------------------------------------------------
    def _item_by_uid(self, uid: object) -> ReferenceItem | None:
        return next((item for item in self._items if item.uid == uid), None)

    def _on_inspected(self, token: int, result: object) -> None:
        item = self._item_by_uid(self._tokens.pop(("inspect", token), None))
        if item is None:
            return
        info, thumb = cast("tuple[ReferenceInfo, QImage]", result)
        item.info = info
        item.thumb = QPixmap.fromImage(thumb) if not thumb.isNull() else None  # UI thread: QPixmap is safe here
        item.state = ItemState.READY
        self._changed()

    def _on_inspect_failed(self, token: int, message: str) -> None:
        item = self._item_by_uid(self._tokens.pop(("inspect", token), None))
        if item is not None:
            item.error, item.state = message, ItemState.READY
            self._changed()

    def _on_saved(self, token: int, path: object) -> None:
        item = self._item_by_uid(self._tokens.pop(("save", token), None))
        if item is not None:
            item.source = str(path)
            self._start_inspect(item)
            self._changed()

    def _on_save_failed(self, token: int, message: str) -> None:
        item = self._item_by_uid(self._tokens.pop(("save", token), None))
        if item is not None:
            item.error = self.tr("The dropped image could not be saved: {reason}").format(reason=message)
            item.state = ItemState.READY
            self._changed()

    # --- dialogs -------------------------------------------------------------------------------
    def open_viewer(self, index: int) -> ReferenceViewer | None:
        from wan27_desktop.ui.generate.reference_viewer import ReferenceViewer

        if not 0 <= index < len(self._items):
            return None
        item = self._items[index]
        if item.is_url or not item.source:
            self._say(self.tr("Web images are downloaded by the service; there is nothing local to show."), "muted")
            return None
        title = self.tr("image {number} — {name}").format(number=index + 1, name=item.name)
        viewer = ReferenceViewer(title, self.tiles.tooltip_for(index), self)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._load_preview(item.source, viewer)
        viewer.open()
        return viewer

    def open_box_editor(self, index: int) -> BoxEditor | None:
        from wan27_desktop.ui.generate.box_editor import BoxEditor

        item = self._items[index] if 0 <= index < len(self._items) else None
        allowed, why = self._can_edit_boxes(item)
        if item is None or not allowed:
            self._say(why, "warn")
            return None
        width, height = item.pixel_size or (0, 0)
        title = self.tr("image {number} ({name})").format(number=index + 1, name=item.name)
        editor = BoxEditor(width, height, item.boxes, title, self)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        uid = item.uid

        def store() -> None:
            target = self._item_by_uid(uid)  # the image may have moved while the dialog was open
            if target is not None:
                target.boxes = editor.boxes()
                self._changed()

        editor.accepted.connect(store)
        self._load_preview(item.source, editor)
        editor.open()
        return editor

    def _load_preview(self, path: str, dialog: BoxEditor | ReferenceViewer) -> None:
        token = self._preview.submit(lambda: cached_preview(path, PREVIEW_SIDE))
        self._tokens[("preview", token)] = dialog

    def _on_preview(self, token: int, image: object) -> None:
        dialog = self._tokens.pop(("preview", token), None)
        if dialog is not None and shiboken6.isValid(dialog):
            cast("BoxEditor | ReferenceViewer", dialog).set_image(cast("QImage", image))

    def _on_preview_failed(self, token: int, message: str) -> None:
        dialog = self._tokens.pop(("preview", token), None)
        from wan27_desktop.ui.generate.box_editor import BoxEditor
        from wan27_desktop.ui.generate.reference_viewer import ReferenceViewer

        if isinstance(dialog, BoxEditor) and shiboken6.isValid(dialog):
            dialog.canvas.set_loading_text(self.tr("Cannot show the image: {reason}").format(reason=message))
        elif isinstance(dialog, ReferenceViewer) and shiboken6.isValid(dialog):
            dialog.set_failed(self.tr("Cannot show the image: {reason}").format(reason=message))

    # --- menus and keys ------------------------------------------------------------------------
    def _on_key_action(self, action: str) -> None:
        if action == "paste":
            self.paste()
        elif action == "boxes":
            self.open_box_editor(self.tiles.selected)

    def _context_menu(self, index: int, global_pos: QPoint) -> None:
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if index < 0:
            menu.addAction(self.tr("Add images…"), self.choose_files).setEnabled(len(self._items) < rules.MAX_IMAGES)
            menu.addAction(self.tr("Paste"), self.paste)
        else:
            item = self._items[index]
            menu.addAction(self.tr("Open large"), lambda: self.open_viewer(index)).setEnabled(not item.is_url)
            boxes = menu.addAction(self.tr("Region boxes…"), lambda: self.open_box_editor(index))
            boxes.setEnabled(self._can_edit_boxes(item)[0])
            colours = menu.addAction(
                self.tr("Use its colours for the palette"), lambda: self.paletteRequested.emit(item.source)
            )
            colours.setEnabled(not item.is_url and item.state is ItemState.READY and not item.problems)
            menu.addAction(
                self.tr("Insert “image {number}” in the prompt").format(number=index + 1),
                lambda: self.insertReferenceRequested.emit(index + 1),
            )
            menu.addSeparator()
            menu.addAction(self.tr("Move left"), lambda: self.move_reference(index, index - 1)).setEnabled(index > 0)
            last = len(self._items) - 1
            menu.addAction(self.tr("Move right"), lambda: self.move_reference(index, index + 1)).setEnabled(
                index < last
            )
            menu.addSeparator()
            menu.addAction(self.tr("Remove"), lambda: self.remove_at(index))
        menu.popup(global_pos)

    # --- drag and drop -------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        if _can_accept(event.mimeData()):
            # Always copy: a file manager told "move" would delete the user's original.
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self.tiles.drop_highlight = True
            self.tiles.update()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 (Qt API)
        if _can_accept(event.mimeData()):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802 (Qt API)
        self.tiles.drop_highlight = False
        self.tiles.update()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        self.tiles.drop_highlight = False
        self.tiles.update()
        if not _can_accept(event.mimeData()):
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.add_mime(event.mimeData())


__all__ = ["ItemState", "ReferenceItem", "ReferenceStrip"]
