"""The job states and what the gallery asks the library for (`ImageQuery`, `StackLayout`).

What the library answers lives apart: the images and set badges of a page (image_records.py), the
journal's records (job_records.py), the maintenance reports (reports.py). A window needs only these
to build itself; the others load with the first read, on a worker (each frozen dataclass costs ~1 ms
to define: its methods are compiled when the module loads). So the two here are `Value`s
(values.py: change one with `replace`), not dataclasses.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Final, Literal

from wan27_desktop.values import Value

if TYPE_CHECKING:
    from wan27_desktop.library.image_records import SetExpansion


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

# "rows": a batch view (`ImageQuery.batch_id`) in the batch's row order, each row's images in their
# set order; rows run side by side, so the order images landed in is not the rows'.
SortOrder = Literal["newest", "oldest", "rating", "rows"]


class ImageQuery(Value):
    """What the gallery (issue 5) asks for. Dates are local calendar days 'YYYY-MM-DD' (inclusive)
    or full ISO timestamps; `trashed=True` shows the trash instead of the library.

    `collapse_sets`: each image set (a job in image-set mode) shows as ONE row, its first image that
    matches the other filters; the rows of jobs in `expanded_jobs` show every matching image.
    Stacks never apply to the trash or to a single job's view (`job_id`): there each image counts.
    `ImageStore.count`/`ids` honour stacking; the grouped order of expanded sets (the
    set's images right after its first one) comes from `query.stacked_page` / `query.stacked_ids`.
    """

    text: Final[str]
    favourites_only: Final[bool]
    min_rating: Final[int]
    model: Final[str | None]
    mode: Final[str | None]
    date_from: Final[str | None]
    date_to: Final[str | None]
    with_references: Final[bool | None]
    image_sets: Final[bool | None]
    trashed: Final[bool]
    sort: Final[SortOrder]
    tag: Final[str | None]
    job_id: Final[int | None]
    batch_id: Final[int | None]  # the images of one batch (issue 17)
    collapse_sets: Final[bool]
    expanded_jobs: Final[frozenset[int]]

    def __init__(
        self,
        text: str = "",
        favourites_only: bool = False,
        min_rating: int = 0,
        model: str | None = None,
        mode: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        with_references: bool | None = None,
        image_sets: bool | None = None,
        trashed: bool = False,
        sort: SortOrder = "newest",
        tag: str | None = None,
        job_id: int | None = None,
        batch_id: int | None = None,
        collapse_sets: bool = False,
        expanded_jobs: frozenset[int] = frozenset(),
    ) -> None:
        self.text = text
        self.favourites_only = favourites_only
        self.min_rating = min_rating
        self.model = model
        self.mode = mode
        self.date_from = date_from
        self.date_to = date_to
        self.with_references = with_references
        self.image_sets = image_sets
        self.trashed = trashed
        self.sort = sort
        self.tag = tag
        self.job_id = job_id
        self.batch_id = batch_id
        self.collapse_sets = collapse_sets
        self.expanded_jobs = expanded_jobs

    @property
    def stacks_sets(self) -> bool:
        """Whether image sets are stacked in this view (see the class docstring)."""
        return (
            self.collapse_sets
            and not self.trashed
            and self.job_id is None
            and self.batch_id is None
            and self.sort != "rows"
        )


class StackLayout(Value):
    """Where expanded sets put extra rows in a stacked query: `count` rows in all, `expansions`
    ordered by `head`. Computed once per query (not per page) by `query.stack_layout`."""

    count: Final[int]
    expansions: Final[tuple[SetExpansion, ...]]
    images: Final[int]  # images the rows stand for (a stack counts its whole set); -1: same as count

    def __init__(self, count: int, expansions: tuple[SetExpansion, ...] = (), images: int = -1) -> None:
        self.count = count
        self.expansions = expansions
        self.images = images

    @property
    def image_count(self) -> int:
        return self.count if self.images < 0 else self.images
