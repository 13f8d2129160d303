"""The job states and the small immutable values the gallery reads from the library.

The journal's records (`JobRecord`, `ResultRecord`: job_records.py) and the maintenance reports
(reports.py) live apart: a window needs these to draw its first rows, and loads the others when it
first reads the journal, on a worker (each frozen dataclass costs ~1 ms to define).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal


class JobState(str, enum.Enum):
    """Every state a journaled job can be in (issue 3). Terminal states set `finished_at`."""

    QUEUED = "queued"
    SUBMITTING = "submitting"
    SUBMITTED = "submitted"
    RUNNING = "running"
    DOWNLOADING = "downloading"
    DONE = "done"
    PARTIAL = "partially_done"
    FAILED = "failed"
    CANCELED = "canceled"
    INTERRUPTED = "interrupted"
    EXPIRED = "expired"

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL_STATES

    @property
    def is_unfinished(self) -> bool:
        """Work the app resumes on start: the service may hold results we have not stored yet."""
        return self in UNFINISHED_STATES


TERMINAL_STATES = frozenset(
    {JobState.DONE, JobState.PARTIAL, JobState.FAILED, JobState.CANCELED, JobState.INTERRUPTED, JobState.EXPIRED}
)
UNFINISHED_STATES = (JobState.SUBMITTING, JobState.SUBMITTED, JobState.RUNNING, JobState.DOWNLOADING)

SortOrder = Literal["newest", "oldest", "rating"]


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
class ImageQuery:
    """What the gallery (issue 5) asks for. Dates are local calendar days 'YYYY-MM-DD' (inclusive)
    or full ISO timestamps; `trashed=True` shows the trash instead of the library.

    `collapse_sets`: each image set (a job in image-set mode) shows as ONE row, its first image that
    matches the other filters; the rows of jobs in `expanded_jobs` show every matching image.
    Stacks never apply to the trash or to a single job's view (`job_id`): there each image counts.
    `ImageStore.count`/`ids` honour stacking; the grouped order of expanded sets (the
    set's images right after its first one) comes from `query.stacked_page` / `query.stacked_ids`.
    """

    text: str = ""
    favourites_only: bool = False
    min_rating: int = 0
    model: str | None = None
    mode: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    with_references: bool | None = None
    image_sets: bool | None = None
    trashed: bool = False
    sort: SortOrder = "newest"
    tag: str | None = None
    job_id: int | None = None
    batch_id: int | None = None  # the images of one batch (issue 17)
    collapse_sets: bool = False
    expanded_jobs: frozenset[int] = frozenset()

    @property
    def stacks_sets(self) -> bool:
        """Whether image sets are stacked in this view (see the class docstring)."""
        return self.collapse_sets and not self.trashed and self.job_id is None and self.batch_id is None


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
class StackLayout:
    """Where expanded sets put extra rows in a stacked query: `count` rows in all, `expansions`
    ordered by `head`. Computed once per query (not per page) by `query.stack_layout`."""

    count: int
    expansions: tuple[SetExpansion, ...] = ()
    images: int = -1  # images the rows stand for (a stack counts its whole set); -1: same as count

    @property
    def image_count(self) -> int:
        return self.count if self.images < 0 else self.images


@dataclass(frozen=True)
class StackedPage:
    """One window of gallery rows plus the set badge of every row that belongs to a set of 2+."""

    records: tuple[ImageRecord, ...]
    badges: dict[int, SetBadge] = field(default_factory=dict)  # image id -> badge
