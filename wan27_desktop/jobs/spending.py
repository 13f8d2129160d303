"""Spending limits before sending (issue 17): a job or a batch whose worst-case estimate would
cross the region's daily or monthly limit is refused before anything is sent, unless the user
overrides it explicitly (a confirmation in the app, `--over-limit` in the `wan27` command).
"""

from __future__ import annotations

from decimal import Decimal

from wan27_desktop.api import pricing
from wan27_desktop.api.errors import WanError
from wan27_desktop.api.models import GenerationRequest, Region, RequestMode
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.library import Library
from wan27_desktop.library.spendlimits import SpendStatus

_DAILY = QT_TRANSLATE_NOOP(
    "WanError",
    "This would cross your daily spending limit for {region}: {spent} spent or in progress today, "
    "plus up to {estimate} now, against a limit of {limit}.",
)
_MONTHLY = QT_TRANSLATE_NOOP(
    "WanError",
    "This would cross your monthly spending limit for {region}: {spent} spent or in progress this month, "
    "plus up to {estimate} now, against a limit of {limit}.",
)


class SpendLimitExceeded(WanError):
    """Refused before sending: the estimate crosses a spending limit. Nothing was sent."""

    default_hint = QT_TRANSLATE_NOOP(
        "WanError",
        "Nothing was sent. Raise the limit (Settings, or 'wan27 spend limit'), or confirm to send it anyway "
        "('--over-limit' in the wan27 command).",
    )

    def __init__(self, status: SpendStatus, estimate: Decimal, period: str, limit: Decimal, spent: Decimal) -> None:
        super().__init__(
            _DAILY if period == "daily" else _MONTHLY,
            values={
                "region": Region(status.region).label if status.region in ("sg", "cn") else status.region,
                "spent": pricing.format_cny(spent),
                "estimate": pricing.format_cny(estimate),
                "limit": pricing.format_cny(limit),
            },
            code="SpendLimit",
        )
        self.spend = status
        self.estimate = estimate
        self.period = period
        # The refused request, when the asker does not hold it (a retry: it lives in the journal),
        # so "send anyway" can send exactly it.
        self.request: tuple[GenerationRequest, RequestMode] | None = None


def request_estimate(region: Region, request: GenerationRequest) -> Decimal:
    """§6: the worst case of one request (n images; a ceiling in image-set mode)."""
    return pricing.estimate(region, request.model, request.n)


def check_limits(library: Library, region: Region, estimate: Decimal, *, override: bool = False) -> SpendStatus:
    """Raise SpendLimitExceeded when `estimate` more would cross a limit (unless `override`).
    Returns the spend status it judged by."""
    status = library.spend_limits.status(region.value)
    crossings = status.crossings(estimate)
    if crossings and not override:
        period, limit, spent = crossings[0]
        raise SpendLimitExceeded(status, estimate, period, limit, spent)
    return status
