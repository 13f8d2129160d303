"""`library.ledger`: spend by day and month, as the service billed it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from tests.library.conftest import Maker, request
from wan27_desktop.library import JobState, Library, LibraryPaths
from wan27_desktop.library.db import Database
from wan27_desktop.library.jobstore import JobStore
from wan27_desktop.library.ledger import Ledger
from wan27_desktop.library.schema import migrate


def test_spend_ledger_totals_by_day_month_and_today(maker: Maker, library: Library):
    a = maker.job(model="wan2.7-image-pro", region="sg")
    b = maker.job(model="wan2.7-image", region="cn")
    maker.job()  # never billed: costs nothing
    library.jobs.update(a, usage={"image_count": 4}, state=JobState.DONE)
    library.jobs.update(b, cost="0.40", state=JobState.DONE)
    expected = Decimal("0.562065") * 4 + Decimal("0.40")
    assert library.ledger.spend_today() == expected
    by_day = library.ledger.spend_by_day(7)
    assert list(by_day)[-1] == date.today().isoformat() and len(by_day) == 7
    assert sum(by_day.values()) == expected
    by_month = library.ledger.spend_by_month(3)
    assert list(by_month)[-1] == date.today().strftime("%Y-%m") and by_month[date.today().strftime("%Y-%m")] == expected


def test_a_ledger_needs_only_the_database(tmp_path: Path):
    """Each store is its own object over a shared Database: no Library needed to use one."""
    paths = LibraryPaths(tmp_path)
    paths.library_dir.mkdir(parents=True)
    db = Database(paths.db_path)
    try:
        migrate(db.conn)
        jobs, ledger = JobStore(db, paths), Ledger(db)
        job_id = jobs.create(
            request(), model="wan2.7-image", request_mode="sync", region="cn", endpoint="e", n=1, estimated_cost="0"
        )
        assert ledger.spend_today() == 0
        jobs.update(job_id, cost="0.20", state=JobState.DONE)
        assert ledger.spend_today() == Decimal("0.20")
    finally:
        db.close()
