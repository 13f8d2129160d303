"""Spending limits per region (issue 17): a daily and a monthly ceiling, kept in the library so the
app and the `wan27` command see the same ones, and what has been spent against them.

Spent = what the service billed (a job's cost, else usage.image_count x the §6 price) for jobs of
that region made since local midnight / the first of the month, plus the worst-case estimate of
jobs still in flight (they may yet be billed) and of jobs interrupted after their request was sent
(they may have been: a limit is not crossed by what the service may have billed unseen). Amounts are
in the region's currency (§6: CNY).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from wan27_desktop.library.db import Database
from wan27_desktop.library.jobstore import cost_from_usage, decimal_or_zero
from wan27_desktop.library.ledger import _utc_start_of
from wan27_desktop.library.records import JobState
from wan27_desktop.library.times import utc_now

_INTERRUPTED = JobState.INTERRUPTED.value
_IN_FLIGHT = tuple(
    s.value for s in (JobState.QUEUED, JobState.SUBMITTING, JobState.SUBMITTED, JobState.RUNNING, JobState.DOWNLOADING)
)


@dataclass(frozen=True)
class SpendStatus:
    """Today's and this month's spend in one region, and its limits (None = no limit)."""

    region: str
    today: Decimal
    month: Decimal
    in_flight: Decimal  # estimates of jobs that may be or may have been billed (counted in today and month)
    daily: Decimal | None
    monthly: Decimal | None

    def crossings(self, estimate: Decimal) -> list[tuple[str, Decimal, Decimal]]:
        """Which limits `estimate` more would cross: [(period 'daily'|'monthly', limit, spent)]."""
        found = []
        if self.daily is not None and self.today + estimate > self.daily:
            found.append(("daily", self.daily, self.today))
        if self.monthly is not None and self.month + estimate > self.monthly:
            found.append(("monthly", self.monthly, self.month))
        return found


def parse_amount(text: str | None) -> Decimal | None:
    """'12.5' -> Decimal; '' / None / 'none' / 'off' -> None (no limit). ValueError for anything else
    (a negative or unreadable amount)."""
    if text is None:
        return None
    stripped = str(text).strip().lstrip("¥").strip()
    if stripped.lower() in ("", "none", "off", "no"):
        return None
    try:
        value = Decimal(stripped)
    except InvalidOperation:
        raise ValueError(f"'{text}' is not an amount") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"'{text}' is not an amount of zero or more")
    return value


class SpendLimits:
    """The spend_limits table plus per-region spend. Every method is one transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def limits(self, region: str) -> tuple[Decimal | None, Decimal | None]:
        with self.db.read() as conn:
            row = conn.execute("SELECT daily, monthly FROM spend_limits WHERE region = ?", (region,)).fetchone()
        if row is None:
            return None, None
        return _amount(row[0]), _amount(row[1])

    def set_limits(self, region: str, daily: Decimal | None, monthly: Decimal | None) -> None:
        """Set both limits of a region (None removes one)."""
        with self.db.write() as conn:
            conn.execute(
                "INSERT INTO spend_limits(region, daily, monthly, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(region) DO UPDATE SET daily = excluded.daily, monthly = excluded.monthly, "
                "updated_at = excluded.updated_at",
                (region, _text(daily), _text(monthly), utc_now()),
            )

    def status(self, region: str) -> SpendStatus:
        today = date.today()
        day_start = _utc_start_of(today.isoformat())
        month_start = _utc_start_of(today.replace(day=1).isoformat())
        spent_today = spent_month = in_flight = Decimal(0)
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT created_at, state, cost, usage_json, model, estimated_cost, sent_at FROM jobs "
                "WHERE region = ? AND created_at >= ?",
                (region, month_start),
            ).fetchall()
        for created_at, state, cost, usage_json, model, estimated, sent_at in rows:
            if cost is None and usage_json:
                cost = cost_from_usage(region, model, json.loads(usage_json))
            amount = decimal_or_zero(cost)
            maybe_billed = state == _INTERRUPTED and sent_at is not None  # sent, then its answer lost
            if cost is None and (state in _IN_FLIGHT or maybe_billed):
                amount = decimal_or_zero(estimated)  # not billed yet (or not that we know), but it may be
                in_flight += amount
            spent_month += amount
            if created_at >= day_start:
                spent_today += amount
        daily, monthly = self.limits(region)
        return SpendStatus(region, spent_today, spent_month, in_flight, daily, monthly)


def _amount(text: str | None) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None  # a hand-edited value: treated as no limit rather than a crash


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
