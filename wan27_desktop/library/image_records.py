"""What the library answers the gallery: an image (`ImageRecord`), how a row belongs to an image set
(`SetBadge`, `SetExpansion`) and one page of rows (`StackedPage`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ImageRecord:
    id: int
    job_id: int | None
    index: int
    path: Path
    sha256: str
    width: int
    height: int
    bytes: int
    created_at: str
    rating: int
    favourite: bool
    trashed_at: str | None
    prompt: str | None
    model: str | None
    mode: str | None
    seed: int | None
    size_label: str | None
    is_set: bool
    has_refs: bool
    result_id: int | None = None
    missing: bool = False


@dataclass(frozen=True)
class SetBadge:
    """How a gallery row belongs to an image set: `size` matching images, this one being number
    `position` (1 = the stack's own image); `expanded` when the set shows all its images."""

    job_id: int
    size: int
    position: int = 1
    expanded: bool = False


@dataclass(frozen=True)
class SetExpansion:
    """An expanded set: its first image sits at `head` among the collapsed rows; `members` (ids, in
    set order) follow it."""

    job_id: int
    head: int
    head_id: int
    members: tuple[int, ...]


@dataclass(frozen=True)
class StackedPage:
    """One window of gallery rows plus the set badge of every row that belongs to a set of 2+."""

    records: tuple[ImageRecord, ...]
    badges: dict[int, SetBadge] = field(default_factory=dict)  # image id -> badge
