"""`library.ledger`: what was spent, by day and month, as the service billed it."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

from wan27_desktop.library.db import Database
from wan27_desktop.library.jobstore import cost_from_usage, decimal_or_zero
from wan27_desktop.library.times import normalise_time


class Ledger:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _job_costs(self, since_local_day: str) -> list[tuple[str, Decimal]]:
        """(local day, cost) of jobs created since that day. Cost is what the service billed:
        the recorded cost, else usage.image_count x the §6 price; jobs without either cost 0."""
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT date(created_at, 'localtime'), cost, usage_json, region, model FROM jobs WHERE created_at >= ?",
                (_utc_start_of(since_local_day),),
            ).fetchall()
        spent = []
        for day, cost, usage_json, region, model in rows:
            if cost is None and usage_json:
                cost = cost_from_usage(region, model, json.loads(usage_json))
            spent.append((day, decimal_or_zero(cost)))
        return spent

    def spend_by_day(self, days: int = 30) -> dict[str, Decimal]:
        """{'YYYY-MM-DD': CNY} for the last `days` local days including today, oldest first, zeros kept."""
        today = date.today()
        keys = [(today - timedelta(days=offset)).isoformat() for offset in range(days - 1, -1, -1)]
        totals = dict.fromkeys(keys, Decimal(0))
        for day, cost in self._job_costs(keys[0]):
            if day in totals:
                totals[day] += cost
        return totals

    def spend_by_month(self, months: int = 12) -> dict[str, Decimal]:
        """{'YYYY-MM': CNY} for the last `months` months including this one, oldest first."""
        today = date.today()
        keys = []
        year, month = today.year, today.month
        for _ in range(months):
            keys.append(f"{year:04d}-{month:02d}")
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        keys.reverse()
        totals = dict.fromkeys(keys, Decimal(0))
        for day, cost in self._job_costs(keys[0] + "-01"):
            if day[:7] in totals:
                totals[day[:7]] += cost
        return totals

    def spend_today(self) -> Decimal:
        return self.spend_by_day(1)[date.today().isoformat()]


def _utc_start_of(local_day: str) -> str:
    start = datetime.fromisoformat(local_day).astimezone()  # local midnight of that day
    return normalise_time(start.isoformat()) or local_day
