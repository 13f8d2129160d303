"""`library.jobs`, the job journal's storage: jobs, content-addressed inputs, result URLs."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.library.conftest import Maker, make_png, request
from wan27_desktop.library import JobState, Library, NotFound


def test_create_job_stores_request_and_copies_inputs_content_addressed(library: Library, tmp_path: Path):
    ref_a, ref_b = tmp_path / "a.PNG", tmp_path / "b.png"
    ref_a.write_bytes(make_png(rgb=(1, 2, 3)))
    ref_b.write_bytes(make_png(rgb=(4, 5, 6)))
    job_id = library.jobs.create(
        request(refs=2),
        model="wan2.7-image-pro",
        request_mode="sync",
        region="sg",
        endpoint="https://x/api/v1",
        n=1,
        estimated_cost="0.562065",
        inputs=[ref_b, ref_a],
    )
    job = library.jobs.get(job_id)
    assert job.state is JobState.SUBMITTING and job.request_json == request(refs=2)
    assert job.prompt == "a red fox in the snow"
    assert [Path(p).read_bytes() for p in job.inputs] == [ref_b.read_bytes(), ref_a.read_bytes()]
    import hashlib

    for p in map(Path, job.inputs):
        sha = hashlib.sha256(p.read_bytes()).hexdigest()
        assert p == library.paths.inputs_dir / sha[:2] / f"{sha}.png"
    again = library.jobs.create(
        request(refs=1),
        model="wan2.7-image",
        request_mode="sync",
        region="sg",
        endpoint="e",
        n=1,
        estimated_cost="0.2",
        inputs=[ref_a],
    )
    assert library.jobs.get(again).inputs == (job.inputs[1],)  # stored once, shared


def test_update_job_sets_fields_and_finished_at_only_when_terminal(maker: Maker, library: Library):
    job_id = maker.job()
    library.jobs.update(job_id, state=JobState.SUBMITTED, task_id="task-1", request_id="req-1", server_status="PENDING")
    job = library.jobs.get(job_id)
    assert (job.state, job.task_id, job.request_id, job.finished_at) == (JobState.SUBMITTED, "task-1", "req-1", None)
    assert job.updated_at >= job.created_at
    library.jobs.update(
        job_id,
        state=JobState.FAILED,
        error_code="DataInspectionFailed",
        error_message="blocked",
        error_hint="change it",
    )
    job = library.jobs.get(job_id)
    assert job.finished_at is not None and job.error_code == "DataInspectionFailed" and job.task_id == "task-1"


def test_usage_without_cost_is_priced_from_the_reference_table(maker: Maker, library: Library):
    pro_sg = maker.job(model="wan2.7-image-pro", region="sg")
    std_cn = maker.job(model="wan2.7-image", region="cn")
    library.jobs.update(pro_sg, usage={"image_count": 2, "size": "1024*1024"})
    library.jobs.update(std_cn, usage={"image_count": 3})
    assert Decimal(library.jobs.get(pro_sg).cost) == Decimal("0.562065") * 2  # §6 Singapore pro
    assert Decimal(library.jobs.get(std_cn).cost) == Decimal("0.20") * 3  # §6 Beijing standard
    assert library.jobs.get(pro_sg).usage == {"image_count": 2, "size": "1024*1024"}


def test_missing_job_raises_not_found(library: Library):
    with pytest.raises(NotFound):
        library.jobs.get(999)
    with pytest.raises(NotFound):
        library.jobs.update(999, state=JobState.DONE)


def test_list_and_unfinished_jobs_filter_by_state(maker: Maker, library: Library):
    ids = {
        state: maker.job(state=state)
        for state in (
            JobState.QUEUED,
            JobState.SUBMITTED,
            JobState.RUNNING,
            JobState.DOWNLOADING,
            JobState.DONE,
            JobState.INTERRUPTED,
        )
    }
    assert [j.id for j in library.jobs.unfinished()] == [
        ids[JobState.SUBMITTED],
        ids[JobState.RUNNING],
        ids[JobState.DOWNLOADING],
    ]
    assert [j.id for j in library.jobs.find()] == sorted(ids.values(), reverse=True)
    assert [j.id for j in library.jobs.find([JobState.DONE], newest_first=False)] == [ids[JobState.DONE]]
    assert len(library.jobs.find(limit=2)) == 2


def test_results_are_idempotent_per_index_and_keep_downloaded_ones(maker: Maker, library: Library):
    job_id = maker.job(n=2)
    first = library.jobs.add_results(job_id, ["https://r/a?Expires=1", "https://r/b"], ["2030-01-01T00:00:00Z", None])
    assert [(r.index, r.status) for r in first] == [(0, "pending"), (1, "pending")]
    library.images.add(job_id, first[0].id, 0, maker.download(), metadata={})
    again = library.jobs.add_results(job_id, ["https://r/a2", "https://r/b2"], [None, None])
    assert [r.id for r in again] == [r.id for r in first]
    assert [(r.url, r.status) for r in again] == [("https://r/a?Expires=1", "downloaded"), ("https://r/b2", "pending")]
    assert again[0].image_id is not None


def test_pending_results_include_failed_but_not_expired_or_downloaded(maker: Maker, library: Library):
    job_id = maker.job(n=3)
    results = library.jobs.add_results(job_id, ["u0", "u1", "u2"], [None, None, None])
    library.jobs.mark_result(results[0].id, "failed", "reset")
    library.jobs.mark_result(results[1].id, "expired", "403")
    assert [(r.index, r.status, r.error) for r in library.jobs.pending_results(job_id)] == [
        (0, "failed", "reset"),
        (2, "pending", None),
    ]
    with pytest.raises(ValueError):
        library.jobs.mark_result(results[2].id, "downloaded", None)


def test_an_error_message_with_values_keeps_its_template_until_the_next_message(maker: Maker, library: Library):
    job_id = maker.job()
    library.jobs.update(
        job_id,
        error_code="DiskFull",
        error_message="The disk is full: the result could not be saved in /data.",
        error_values=("The disk is full: the result could not be saved in {folder}.", {"folder": "/data", "count": 3}),
    )
    job = library.jobs.get(job_id)
    assert job.error_template == "The disk is full: the result could not be saved in {folder}."
    assert job.error_values == {"folder": "/data", "count": 3}
    library.jobs.update(job_id, state=JobState.RUNNING)  # no new message: the stored one stays whole
    assert library.jobs.get(job_id).error_values == {"folder": "/data", "count": 3}
    library.jobs.update(job_id, error_message="Canceled by you.")  # a message without values clears them
    job = library.jobs.get(job_id)
    assert (job.error_message, job.error_template, job.error_values) == ("Canceled by you.", None, None)


def test_unreadable_stored_values_fall_back_to_the_message(maker: Maker, library: Library):
    job_id = maker.job()
    library.jobs.update(job_id, error_message="It broke.")
    with library.db.write() as conn:
        conn.execute("UPDATE jobs SET error_values = '{not json' WHERE id = ?", (job_id,))
    job = library.jobs.get(job_id)
    assert (job.error_message, job.error_template, job.error_values) == ("It broke.", None, None)
