"""The small immutable values the library hands to the jobs layer, the CLI and the gallery."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal


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

# "failed": this round's download failed, tried again on resume; "unavailable": the host will
# never give it (a permanent refusal, or too many failed rounds); "expired": the host said so.
ResultStatus = Literal["pending", "downloaded", "failed", "expired", "unavailable"]
SortOrder = Literal["newest", "oldest", "rating"]


@dataclass(frozen=True)
class JobRecord:
    id: int
    state: JobState
    model: str
    request_mode: str
    region: str
    endpoint: str
    n: int
    estimated_cost: str
    cost: str | None
    task_id: str | None
    request_id: str | None
    server_status: str | None
    error_code: str | None
    error_message: str | None
    error_hint: str | None
    usage: dict[str, Any] | None
    request_json: dict[str, Any]
    created_at: str
    updated_at: str
    finished_at: str | None
    inputs: tuple[str, ...] = ()
    # The error message's template and values (`WanError.template`/`.values`), when it has values.
    error_template: str | None = None
    error_values: dict[str, Any] | None = None
    # When the create's bytes started to leave; None: never sent, so nothing was billed.
    sent_at: str | None = None

    @property
    def prompt(self) -> str:
        return prompt_of_request(self.request_json)


@dataclass(frozen=True)
class ResultRecord:
    """One result URL of a job (§4.1: one entry per image), persisted before it is downloaded."""

    id: int
    job_id: int
    index: int
    url: str
    expires_at: str | None
    status: ResultStatus
    error: str | None
    image_id: int | None
    created_at: str
    attempts: int = 0  # download rounds so far


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


@dataclass(frozen=True)
class ReconcileReport:
    adopted: tuple[Path, ...] = ()
    quarantined: tuple[Path, ...] = ()
    missing_ids: tuple[int, ...] = ()
    found_again: tuple[int, ...] = ()
    scanned_dirs: int = 0
    full_scan: bool = False

    @property
    def missing(self) -> int:
        """How many rows were newly flagged because their file is gone."""
        return len(self.missing_ids)

    def __str__(self) -> str:
        return (
            f"Reconciled {'all folders' if self.full_scan else f'{self.scanned_dirs} folder(s)'}: "
            f"{len(self.adopted)} adopted, {len(self.quarantined)} quarantined, "
            f"{self.missing} missing, {len(self.found_again)} found again."
        )


@dataclass(frozen=True)
class RebuildReport:
    images: int = 0
    jobs: int = 0
    quarantined: tuple[Path, ...] = ()
    moved_aside: Path | None = None
    annotations_kept: int = 0
    backup: Path | None = None
    salvage: Any = None  # salvage.SalvageReport after a recover

    def __str__(self) -> str:
        text = f"Rebuilt the index from files: {self.images} image(s), {self.jobs} job(s)"
        if self.annotations_kept and self.salvage is None:
            text += f", ratings/tags/trash kept for {self.annotations_kept}"
        if self.quarantined:
            text += f"; {len(self.quarantined)} unreadable file(s) moved to quarantine"
        if self.salvage is not None:
            text += f"; {self.salvage}"
        if self.moved_aside:
            text += f"; the damaged database was kept as {self.moved_aside}"
        if self.backup:
            text += f"; the previous database was kept as {self.backup}"
        return text + "."


@dataclass(frozen=True)
class ImportReport:
    imported: tuple[int, ...] = ()
    duplicates: tuple[Path, ...] = ()
    failed: tuple[tuple[Path, str], ...] = field(default_factory=tuple)

    def __str__(self) -> str:
        text = f"Imported {len(self.imported)} image(s)"
        if self.duplicates:
            text += f", skipped {len(self.duplicates)} already in the library"
        if self.failed:
            text += f", {len(self.failed)} could not be read"
        return text + "."


def prompt_of_request(request: dict[str, Any]) -> str:
    """§2.1: the one text object of the single user message."""
    try:
        content = request["input"]["messages"][0]["content"]
    except (KeyError, IndexError, TypeError):
        return ""
    for item in content:
        if isinstance(item, dict) and isinstance(item.get("text"), str):
            return item["text"]
    return ""


def image_count_of_request(request: dict[str, Any]) -> int:
    try:
        content = request["input"]["messages"][0]["content"]
    except (KeyError, IndexError, TypeError):
        return 0
    return sum(1 for item in content if isinstance(item, dict) and "image" in item)
