"""The batch tables: a batch and its rows, the row-to-job link (one job per row, atomically), counts,
cancel, the lease; spending limits and per-region spend; the v3 -> v4 migration."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from tests.library.conftest import Maker, request
from wan27_desktop.library import JobState, Library, NotFound
from wan27_desktop.library import batches as b
from wan27_desktop.library.batches import NewRow, RowTaken
from wan27_desktop.library.schema import migrate, version_of
from wan27_desktop.library.spendlimits import parse_amount


def _batch(library: Library, rows: int = 3, kind: str = "list") -> int:
    return library.batches.create_batch(
        name="prompts.txt",
        kind=kind,
        source="/tmp/prompts.txt",
        request_mode="async",
        region="sg",
        endpoint="http://127.0.0.1:9/api/v1",
        rows=[NewRow(i, request(f"prompt {i}", n=2), line=i + 1) for i in range(rows)],
        estimated_cost="3.37239",
        axes=[("prompt", ("a", "b"))] if kind == "matrix" else (),
    )


def _job_for_row(library: Library, batch_id: int, position: int, state: JobState = JobState.QUEUED) -> int:
    return library.jobs.create(
        request(f"prompt {position}", n=2),
        model="wan2.7-image-pro",
        request_mode="async",
        region="sg",
        endpoint="e",
        n=2,
        estimated_cost="1.12413",
        state=state,
        on_insert=library.batches.link_row(batch_id, position),
    )


def test_a_batch_journals_every_row_in_order_before_any_job_exists(library: Library):
    batch_id = _batch(library, rows=3)
    batch = library.batches.get_batch(batch_id)
    assert (batch.kind, batch.state, batch.name) == ("list", b.RUNNING, "prompts.txt")
    rows = library.batches.rows(batch_id)
    assert [(r.position, r.line, r.status, r.job_id) for r in rows] == [
        (0, 1, "queued", None),
        (1, 2, "queued", None),
        (2, 3, "queued", None),
    ]
    assert rows[1].request_json["input"]["messages"][0]["content"][0]["text"] == "prompt 1"
    assert library.jobs.find() == []


def test_linking_a_row_happens_in_the_jobs_own_transaction(library: Library):
    batch_id = _batch(library)
    job_id = _job_for_row(library, batch_id, 1)
    assert library.batches.row(batch_id, 1).job_id == job_id
    assert library.batches.batch_of_job(job_id) == (batch_id, 1)
    assert library.batches.member_job_ids([job_id, job_id + 100]) == {job_id}
    assert library.batches.batch_ids([job_id, job_id + 100]) == {job_id: batch_id}


def test_a_row_never_gets_a_second_job_and_the_refused_job_is_rolled_back(library: Library):
    batch_id = _batch(library)
    first = _job_for_row(library, batch_id, 0)
    with pytest.raises(RowTaken):
        _job_for_row(library, batch_id, 0)
    assert [job.id for job in library.jobs.find()] == [first]  # the second insert did not survive
    assert library.batches.row(batch_id, 0).job_id == first


def test_counts_follow_the_jobs_states_and_costs(library: Library):
    batch_id = _batch(library, rows=4)
    done = _job_for_row(library, batch_id, 0)
    library.jobs.update(done, state=JobState.DONE, usage={"image_count": 2})
    failed = _job_for_row(library, batch_id, 1)
    library.jobs.update(failed, state=JobState.FAILED)
    _job_for_row(library, batch_id, 2, state=JobState.SUBMITTED)
    counts = library.batches.counts(batch_id)
    assert (counts.total, counts.done, counts.failed, counts.running, counts.queued) == (4, 1, 1, 1, 1)
    assert counts.spent == Decimal("1.124130")  # usage.image_count 2 x the §6 Singapore Pro price
    # left: the running job's estimate and the pending row's worst case (n=2 at the Pro price)
    assert counts.estimated_left == Decimal("1.12413") + Decimal("1.124130")
    assert not counts.all_ended


def test_cancel_closes_only_rows_not_yet_sent(library: Library):
    batch_id = _batch(library, rows=3)
    running = _job_for_row(library, batch_id, 0, state=JobState.RUNNING)
    assert library.batches.cancel_pending(batch_id, "canceled") == 2
    rows = library.batches.rows(batch_id)
    assert [r.status for r in rows] == ["running", "canceled", "canceled"]
    assert rows[0].job_id == running
    with pytest.raises(RowTaken):  # a canceled row is not made a job afterwards
        _job_for_row(library, batch_id, 1)


def test_unfinished_batches_are_those_with_rows_to_send_or_jobs_in_flight(library: Library):
    waiting, in_flight, ended = _batch(library, rows=1), _batch(library, rows=1), _batch(library, rows=1)
    _job_for_row(library, in_flight, 0, state=JobState.SUBMITTED)
    library.jobs.update(_job_for_row(library, ended, 0), state=JobState.DONE)
    assert [batch.id for batch in library.batches.unfinished_batches()] == [waiting, in_flight]


def test_one_live_process_holds_a_batch_lease(library: Library):
    batch_id = _batch(library)
    alive = {"me", "other"}
    assert library.batches.take_lease(batch_id, "me", alive.__contains__)
    assert not library.batches.take_lease(batch_id, "other", alive.__contains__)
    assert library.batches.take_lease(batch_id, "me", alive.__contains__)  # its own again
    alive.discard("me")  # the holder died: the lease is free
    assert library.batches.take_lease(batch_id, "other", alive.__contains__)
    library.batches.release_lease(batch_id, "other")
    assert library.batches.get_batch(batch_id).owner is None


def test_unknown_batch_and_bad_state_are_refused(library: Library):
    with pytest.raises(NotFound):
        library.batches.get_batch(42)
    with pytest.raises(ValueError):
        library.batches.set_state(_batch(library), "exploded")


# -- spending limits ------------------------------------------------------------------------------
def test_spend_counts_billed_jobs_and_jobs_in_flight_of_the_region_only(library: Library, maker: Maker):
    billed = maker.job(state=JobState.SUBMITTING)
    library.jobs.update(billed, state=JobState.DONE, usage={"image_count": 1})
    maker.job(state=JobState.RUNNING)  # in flight: its estimate counts
    library.jobs.update(maker.job(state=JobState.SUBMITTING), state=JobState.FAILED)  # not billed
    maker.job(region="cn", state=JobState.RUNNING)  # another region
    status = library.spend_limits.status("sg")
    assert status.today == status.month == Decimal("0.562065") * 2
    assert status.in_flight == Decimal("0.562065")
    assert (status.daily, status.monthly) == (None, None)


def test_a_job_interrupted_after_it_was_sent_counts_as_it_may_have_been_billed(library: Library, maker: Maker):
    """A sync call whose answer was lost, or a task never found: the service may have billed it, so
    a limit counts its estimate; one interrupted before its bytes left was not sent, and is not."""
    lost = maker.job(state=JobState.SUBMITTING)
    library.jobs.mark_sent(lost)
    library.jobs.update(lost, state=JobState.INTERRUPTED)
    library.jobs.update(maker.job(state=JobState.SUBMITTING), state=JobState.INTERRUPTED)  # never sent
    status = library.spend_limits.status("sg")
    assert status.today == status.in_flight == Decimal("0.562065")
    assert library.ledger.spend_today() == 0  # what the service is known to have billed: nothing yet


def test_limits_are_stored_per_region_and_judge_an_estimate(library: Library):
    library.spend_limits.set_limits("sg", Decimal("1.00"), Decimal("10"))
    assert library.spend_limits.limits("sg") == (Decimal("1.00"), Decimal("10"))
    assert library.spend_limits.limits("cn") == (None, None)
    status = library.spend_limits.status("sg")
    assert status.crossings(Decimal("0.99")) == []
    assert status.crossings(Decimal("1.01")) == [("daily", Decimal("1.00"), Decimal(0))]
    library.spend_limits.set_limits("sg", None, Decimal("0.5"))
    assert [c[0] for c in library.spend_limits.status("sg").crossings(Decimal("0.6"))] == ["monthly"]


@pytest.mark.parametrize(
    ("text", "value"), [("12.5", Decimal("12.5")), ("¥3", Decimal("3")), ("none", None), ("", None), (" off ", None)]
)
def test_amounts_parse_or_clear(text: str, value: Decimal | None):
    assert parse_amount(text) == value


@pytest.mark.parametrize("text", ["-1", "abc", "nan", "inf"])
def test_bad_amounts_are_refused(text: str):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_v4_to_v5_adds_the_batch_tables_and_keeps_jobs(data_dir: Path):
    path = data_dir / "library" / "library.sqlite3"
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(str(path), isolation_level=None)
    migrate(conn, target=4)
    conn.execute(
        "INSERT INTO jobs(id, state, model, request_mode, region, endpoint, n, estimated_cost, request_json, "
        "created_at, updated_at) VALUES (1, 'done', 'wan2.7-image', 'sync', 'sg', 'e', 1, '0.2', '{}', "
        "'2025-01-01', '2025-01-01')"
    )
    conn.close()
    with Library.open(data_dir, reconcile=False) as library:
        assert version_of(library.db.conn) >= 5
        assert library.jobs.get(1).state is JobState.DONE
        assert library.batches.list_batches() == []
        assert library.batches.member_job_ids() == set()
        assert library.spend_limits.limits("sg") == (None, None)


def test_the_gallery_can_show_one_batchs_images(library: Library, maker: Maker):
    from wan27_desktop.library import ImageQuery

    batch_id = _batch(library, rows=2)
    inside = _job_for_row(library, batch_id, 0, state=JobState.DOWNLOADING)
    library.jobs.add_results(inside, ["https://result.invalid/a.png"], [None])
    mine = library.images.add(inside, None, 0, maker.download(), metadata={"job_id": inside})
    other = maker.image("not in the batch")
    assert [i.id for i in library.images.query(ImageQuery(batch_id=batch_id), 0, 10)] == [mine.id]
    assert library.images.count(ImageQuery(batch_id=batch_id, collapse_sets=True)) == 1
    assert {i.id for i in library.images.query(ImageQuery(), 0, 10)} == {mine.id, other.id}


def test_counts_are_the_same_without_sqlites_json_functions(library: Library, monkeypatch: pytest.MonkeyPatch):
    batch_id = _batch(library, rows=3)
    library.jobs.update(_job_for_row(library, batch_id, 0), state=JobState.DONE, usage={"image_count": 2})
    with_json = library.batches.counts(batch_id)
    monkeypatch.setattr(b, "_COUNT_SELECT", b._COUNT_SELECT.replace("json_extract", "no_such_function"))
    assert library.batches.counts(batch_id) == with_json
    assert with_json.estimated_left == Decimal("0.562065") * 4  # two pending rows of n=2


def test_rows_without_requests_keep_states_and_costs(library: Library):
    batch_id = _batch(library, rows=2)
    library.jobs.update(_job_for_row(library, batch_id, 1), state=JobState.DONE, usage={"image_count": 1})
    light = library.batches.rows(batch_id, requests=False)
    assert [r.request_json for r in light] == [{}, {}]
    assert [(r.status, r.cost) for r in light] == [(r.status, r.cost) for r in library.batches.rows(batch_id)]


def test_a_batchs_row_order_is_its_rows_not_the_order_images_landed_in(library: Library, maker: Maker):
    from wan27_desktop.library import ImageQuery

    batch_id = _batch(library, rows=3)
    jobs = [_job_for_row(library, batch_id, position, state=JobState.DOWNLOADING) for position in range(3)]
    landed: dict[tuple[int, int], int] = {}
    for position, index in ((2, 1), (0, 0), (2, 0), (1, 0), (0, 1)):  # rows run side by side
        image = library.images.add(jobs[position], None, index, maker.download(), metadata={"job_id": jobs[position]})
        landed[(position, index)] = image.id
    maker.image("not in the batch")
    in_rows = [landed[key] for key in sorted(landed)]
    query = ImageQuery(batch_id=batch_id, sort="rows", collapse_sets=True)
    assert not query.stacks_sets  # every image of a row is a tile of its own
    assert library.images.ids(query) == in_rows
    assert [i.id for i in library.images.query(query, 1, 3)] == in_rows[1:4]
    assert library.images.ids(ImageQuery(batch_id=batch_id, sort="oldest")) == list(landed.values())


def test_batches_with_their_counts_newest_first(library: Library):
    older, newer = _batch(library, rows=2), _batch(library, rows=3)
    _job_for_row(library, newer, 0, state=JobState.RUNNING)
    listed = library.batches.with_counts()
    assert [(batch.id, counts.total, counts.running) for batch, counts in listed] == [(newer, 3, 1), (older, 2, 0)]
    assert [batch.id for batch, _ in library.batches.with_counts(1)] == [newer]
