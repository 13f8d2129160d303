"""What a batch will do before anything is sent (issue 17): how many jobs and images, the
worst-case cost in the region's currency (§6), how long it should take at the account's limits,
each row refused locally with its reasons, and whether it crosses a spending limit.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from decimal import Decimal

from wan27_desktop.api import pricing
from wan27_desktop.api.models import Region
from wan27_desktop.jobs.batch.sources import BatchPlan, RowSpec
from wan27_desktop.library import JobState, Library, parse_time
from wan27_desktop.library.budget import MAX_IN_PROGRESS, MAX_PER_SECOND
from wan27_desktop.library.spendlimits import SpendStatus

DEFAULT_TASK_S = 90.0  # §6: tasks take about 1-2 minutes
HISTORY_JOBS = 30  # recent finished jobs that tell how long a task takes here


@dataclass(frozen=True)
class Preview:
    jobs: int
    images: int
    images_at_most: bool  # image sets: n is a ceiling (§3), so `images` is the most it can be
    cost: Decimal
    currency: str
    duration_s: float
    task_s: float  # the time per task the duration assumes
    task_s_measured: bool  # from this library's recent jobs, not the reference's 1-2 minutes
    in_progress: int  # tasks at once (§6)
    refused: tuple[RowSpec, ...]
    ignored_columns: tuple[str, ...]
    spend: SpendStatus | None
    crossings: tuple[tuple[str, Decimal, Decimal], ...]  # (period, limit, spent) this batch would cross

    @property
    def over_limit(self) -> bool:
        return bool(self.crossings)


def make_preview(
    plan: BatchPlan, region: Region, library: Library | None = None, *, task_s: float | None = None
) -> Preview:
    """The totals of `plan`'s accepted rows. `library` (optional) gives the spend against the
    limits and the measured time per task."""
    accepted = plan.accepted
    images = sum(row.request.n for row in accepted if row.request is not None)
    at_most = any(row.request is not None and row.request.enable_sequential for row in accepted)
    cost = sum(
        (pricing.estimate(region, row.request.model, row.request.n) for row in accepted if row.request is not None),
        Decimal(0),
    )
    measured = typical_task_seconds(library, region) if library is not None and task_s is None else None
    per_task = task_s if task_s is not None else (measured or DEFAULT_TASK_S)
    spend = library.spend_limits.status(region.value) if library is not None else None
    crossings = tuple(spend.crossings(cost)) if spend is not None and accepted else ()
    return Preview(
        jobs=len(accepted),
        images=images,
        images_at_most=at_most,
        cost=cost,
        currency=pricing.CURRENCY,
        duration_s=expected_duration(len(accepted), per_task),
        task_s=per_task,
        task_s_measured=measured is not None,
        in_progress=MAX_IN_PROGRESS,
        refused=tuple(plan.refused),
        ignored_columns=plan.ignored_columns,
        spend=spend,
        crossings=crossings,
    )


def expected_duration(jobs: int, task_s: float, in_progress: int = MAX_IN_PROGRESS) -> float:
    """At most `in_progress` tasks at once, each `task_s`, and never more than 5 sends a second."""
    if jobs <= 0:
        return 0.0
    return max(math.ceil(jobs / in_progress) * task_s, jobs / MAX_PER_SECOND)


def typical_task_seconds(library: Library, region: Region) -> float | None:
    """Median creation-to-finish time of this region's recent finished jobs (at least 3), or None."""
    times = []
    for job in library.jobs.find(states=[JobState.DONE], limit=HISTORY_JOBS):
        if job.region != region.value:
            continue
        start, end = parse_time(job.created_at), parse_time(job.finished_at)
        if start is not None and end is not None and end > start:
            times.append((end - start).total_seconds())
    return statistics.median(times) if len(times) >= 3 else None
