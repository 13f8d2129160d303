"""One reference in the strip: where it comes from, its boxes, and what the quick check found."""

from __future__ import annotations

import enum
from pathlib import PurePath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QPixmap

from wan27_desktop.api.models import Box, ImageInput
from wan27_desktop.workspace.draft import DraftReference

if TYPE_CHECKING:
    from wan27_desktop.imaging import ReferenceInfo


class ItemState(str, enum.Enum):
    SAVING = "saving"  # dropped/pasted data being written under refs/
    CHECKING = "checking"  # §2.3 header check running
    READY = "ready"
    REMOTE = "remote"  # an http(s) URL: the service downloads and checks it (§2.4)


class ReferenceItem:
    """A plain class (a dataclass would be compiled when this module loads, ~1 ms before the full
    window, for items that exist only once a reference is added). Compared by identity."""

    __slots__ = ("uid", "source", "boxes", "state", "info", "thumb", "error", "issue", "label")

    def __init__(
        self,
        uid: int,
        source: str,  # local path or http(s) URL, exactly as it will be sent; "" while SAVING
        boxes: tuple[Box, ...] = (),
        state: ItemState = ItemState.CHECKING,
        info: ReferenceInfo | None = None,
        thumb: QPixmap | None = None,
        error: str = "",  # could not save / read
        issue: str = "",  # marked by GenerationPanel.show_issues
        label: str = "",  # the name it was added under, when `source` no longer says it (a restored draft)
    ) -> None:
        self.uid = uid
        self.source = source
        self.boxes = boxes
        self.state = state
        self.info = info
        self.thumb = thumb
        self.error = error
        self.issue = issue
        self.label = label

    def __repr__(self) -> str:
        return f"ReferenceItem(uid={self.uid}, source={self.source!r}, state={self.state.value}, boxes={self.boxes})"

    @property
    def is_url(self) -> bool:
        return self.source.lower().startswith(("http://", "https://"))

    @property
    def busy(self) -> bool:
        return self.state in (ItemState.SAVING, ItemState.CHECKING)

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        if not self.source:
            return QCoreApplication.translate("ReferenceItem", "Pasted image")
        if self.is_url:
            parts = urlsplit(self.source)
            return PurePath(parts.path).name or parts.netloc
        return PurePath(self.source).name

    @property
    def problems(self) -> list[str]:
        found = list(self.info.problems) if self.info is not None else []
        if self.error:
            found.append(self.error)
        if self.issue and self.issue not in found:
            found.append(self.issue)
        return found

    @property
    def notes(self) -> list[str]:
        return list(self.info.notes) if self.info is not None else []

    @property
    def pixel_size(self) -> tuple[int, int] | None:
        """(width, height) as shown, when known (needed for boxes, §3.2)."""
        if self.info is not None and self.info.width > 0 and self.info.height > 0:
            return self.info.width, self.info.height
        return None

    def image_input(self) -> ImageInput:
        return ImageInput(self.source, self.boxes)

    def draft_reference(self) -> DraftReference:
        return DraftReference(self.source, self.boxes, self.name)
