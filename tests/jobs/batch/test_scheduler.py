"""Running batches over real HTTP against the fake with the account's limits on (§6): every row
exactly once at full speed and never beyond the limits, throttling that slows the batch instead of
failing rows, pause/resume, cancel, and the three sources end to end."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.fake_dashscope import FakeDashScope, Fault
from tests.fake_dashscope.pngmaker import pattern_png
from tests.fake_dashscope.testkit import ASYNC, ASYNC_HEADERS, SSL_CONTEXT, body
from tests.jobs.batch.conftest import SHARED, Run, prompts_plan, sends_refused, wait_until
from wan27_desktop.api.models import GenerationRequest, RequestMode
from wan27_desktop.jobs.batch import sources
from wan27_desktop.jobs.batch.export import export_batch, grid_layout
from wan27_desktop.library import JobState, Library
from wan27_desktop.library import batches as b


def _assert_each_row_once(run: Run, fake: FakeDashScope) -> None:
    """One job per row, and the service accepted exactly one create per row (async: one task per
    prompt; sync: one answered call per prompt, the tests' fakes refusing none)."""
    rows = run.rows()
    jobs = [row.job_id for row in rows]
    assert None not in jobs and len(set(jobs)) == len(rows), "a row without a job, or two rows sharing one"
    prompts = sorted(run.library.jobs.get(j).prompt for j in jobs if j is not None)
    accepted = [task.request.prompt for task in fake.tasks.values()]
    accepted += [r.json["input"]["messages"][0]["content"][0]["text"] for r in fake.requests_for("sync")]
    assert sorted(accepted) == prompts, "a row created twice, or not at all"
    assert fake.created_count == len(rows)


def test_a_list_runs_every_row_once_at_full_speed_within_the_limits(
    fake: FakeDashScope, make_run: Callable[..., Run], tmp_path: Path
):
    fake.polls_pending = fake.polls_running = 10_000  # the clock drives the tasks: 0.6 s each
    fake.pending_seconds, fake.running_seconds = 0.0, 0.6
    run = make_run(prompts_plan(tmp_path, 14))
    counts = run.run()
    assert (counts.done, counts.failed, counts.total) == (14, 0, 14)
    _assert_each_row_once(run, fake)
    limits = fake.limits
    assert limits is not None
    assert not sends_refused(fake), "the batch went beyond the account's limits"
    assert limits.peak_in_progress == 5, "the batch did not use the 5 tasks it may run at once"
    assert limits.peak_per_second <= 5
    assert run.library.batches.get_batch(run.batch_id).state == b.FINISHED
    assert counts.spent == sum((row.cost for row in run.rows()), counts.spent * 0)
    assert run.updates[-1].ended and run.updates[-1].counts.done == 14
    finished = [u.finished_row.position for u in run.updates if u.finished_row is not None]
    assert sorted(finished) == list(range(14))


def test_sync_rows_keep_to_the_limits_too(fake: FakeDashScope, make_run: Callable[..., Run], tmp_path: Path):
    fake.sync_delay = 0.4
    run = make_run(prompts_plan(tmp_path, 12), RequestMode.SYNC)
    counts = run.run()
    assert counts.done == 12
    assert fake.limits is not None and not sends_refused(fake) and fake.limits.peak_in_progress == 5
    _assert_each_row_once(run, fake)


def test_throttling_slows_the_batch_down_instead_of_failing_rows(
    fake: FakeDashScope, make_run: Callable[..., Run], tmp_path: Path
):
    # Someone else's tasks fill the account (not through our library, so our budget cannot know).
    fake.polls_pending = fake.polls_running = 10_000
    with httpx.Client(
        base_url=fake.base_url, headers={"Authorization": f"Bearer {fake.api_key}"}, verify=SSL_CONTEXT
    ) as api:
        outside = [api.post(ASYNC, json=body(), headers=ASYNC_HEADERS).json()["output"]["task_id"] for _ in range(5)]
    run = make_run(prompts_plan(tmp_path, 4))
    released: list[bool] = []

    def free_the_account(update) -> None:
        if update.throttled_for is not None and not released:
            released.append(True)
            fake.polls_pending = fake.polls_running = 0
            fake.run_tasks()  # the other tasks end; our rows go through on the next try

    run.hooks.append(free_the_account)
    run.run()
    assert released, "the fake never throttled the batch"
    assert [row.status for row in run.rows()] == ["done"] * 4
    assert fake.limits is not None and sends_refused(fake)
    assert all(fake.tasks[t].status == "SUCCEEDED" for t in outside)


def test_a_429_fault_with_retry_after_is_waited_out_by_every_row(
    fake: FakeDashScope, make_run: Callable[..., Run], tmp_path: Path
):
    fake.add_fault(Fault("create", "throttle", times=2, retry_after=0.3))
    run = make_run(prompts_plan(tmp_path, 3))
    counts = run.run()
    assert counts.done == 3 and counts.failed == 0
    assert len(fake.requests_for("create")) == 3 + 2  # each refused create was tried again
    pauses = [u.throttled_for for u in run.updates if u.throttled_for is not None]
    assert len(pauses) == 2 and all(0.2 < pause <= 0.31 for pause in pauses)  # Retry-After, for everyone


def test_pause_lets_rows_in_flight_finish_and_sends_nothing_more_until_resumed(
    fake: FakeDashScope, make_run: Callable[..., Run], tmp_path: Path
):
    fake.polls_pending = fake.polls_running = 10_000
    fake.pending_seconds, fake.running_seconds = 0.0, 0.3
    run = make_run(prompts_plan(tmp_path, 12))
    run.hooks.append(lambda u: run.scheduler.pause() if u.counts.done >= 1 else None)
    run.start()
    wait_until(lambda: run.library.batches.get_batch(run.batch_id).state == b.PAUSED, what="the pause")
    wait_until(lambda: run.scheduler.in_flight() == 0, what="rows in flight to finish")
    rows = run.rows()
    sent = [row for row in rows if row.status == "done"]
    assert 1 <= len(sent) < 12 and fake.created_count == len(sent)
    # Every other row waits, not sent: pending, or journaled as a job that is still queued.
    assert all(row.status == "queued" and row.job_state in (None, JobState.QUEUED) for row in rows if row not in sent)
    run.hooks.clear()
    run.scheduler.resume()
    run.join()
    assert [row.status for row in run.rows()] == ["done"] * 12
    _assert_each_row_once(run, fake)


def test_cancel_closes_unsent_rows_cancels_pending_tasks_and_sees_running_ones_through(
    fake: FakeDashScope, make_run: Callable[..., Run], tmp_path: Path
):
    fake.polls_pending = fake.polls_running = 10_000
    fake.pending_seconds, fake.running_seconds = 60.0, 1.0  # PENDING for a minute: cancelable at the service
    run = make_run(prompts_plan(tmp_path, 10))
    run.start()
    wait_until(lambda: fake.created_count == 5, what="five tasks in progress")
    run.scheduler.cancel()
    run.join()
    rows = run.rows()
    assert run.library.batches.get_batch(run.batch_id).state == b.CANCELED
    assert fake.billed_images == []  # nothing ran, nothing billed
    with_jobs = [row for row in rows if row.job_id is not None]
    assert len(with_jobs) == 5 and fake.created_count == 5
    assert all(row.job_state is JobState.CANCELED for row in with_jobs)
    assert all(task.status == "CANCELED" for task in fake.tasks.values())  # canceled at the service (§1.2)
    assert all(row.status == "canceled" and row.error for row in rows if row.job_id is None)


def test_cancel_keeps_tasks_that_already_run(fake: FakeDashScope, make_run: Callable[..., Run], tmp_path: Path):
    fake.polls_pending = fake.polls_running = 10_000
    fake.pending_seconds, fake.running_seconds = 0.0, 1.5  # RUNNING at once: billed whatever we do
    run = make_run(prompts_plan(tmp_path, 8))
    run.start()
    wait_until(
        lambda: sum(1 for t in fake.tasks.values() if t.status == "RUNNING") >= 2, what="tasks running at the service"
    )
    run.scheduler.cancel()
    run.join()
    library = run.library
    sent = [row for row in run.rows() if row.job_id is not None and library.jobs.get(row.job_id).task_id]
    assert sent and all(row.status == "done" for row in sent)  # paid for, so kept
    # The rest were never sent: canceled rows, or a job journaled but canceled before its create.
    assert all(row.status == "canceled" for row in run.rows() if row not in sent)
    assert len(run.library.images.of_job(sent[0].job_id or 0)) == 1
    assert len(fake.billed_images) == len(sent)


def test_each_image_of_a_folder_is_sent_as_reference_1(
    fake: FakeDashScope, make_run: Callable[..., Run], tmp_path: Path
):
    folder = tmp_path / "photos"
    folder.mkdir()
    pictures = {name: pattern_png(320, 240, name) for name in ("one.png", "two.png", "three.png")}
    for name, data in pictures.items():
        (folder / name).write_bytes(data)
    shared = GenerationRequest("make it a watercolour", size="1K")
    run = make_run(sources.from_images(sources.image_files(folder), shared))
    for name in pictures:
        (folder / name).unlink()  # journaled: the batch no longer needs the folder
    counts = run.run()
    assert counts.done == 3
    sent = set()
    for request in fake.requests_for("create"):
        content = request.json["input"]["messages"][0]["content"]
        assert content[0] == {"text": "make it a watercolour"} and len(content) == 2
        sent.add(base64.b64decode(content[1]["image"].split(",", 1)[1]))
    assert sent == set(pictures.values())


def test_a_matrix_lands_as_a_grid_and_exports_with_its_csv(
    fake: FakeDashScope, make_run: Callable[..., Run], library: Library, tmp_path: Path
):
    plan = sources.from_matrix("a {red|blue} fox in {snow|rain}", SHARED, seeds=[1, 2])
    run = make_run(plan)
    assert run.run().done == 8
    layout = grid_layout(library, run.batch_id)
    assert layout.columns == ("red", "blue") and layout.x_axis == "prompt 1"
    assert layout.rows == ("snow · 1", "snow · 2", "rain · 1", "rain · 2")
    (blue_snow_1,) = [r for r in run.rows() if r.labels == {"prompt 1": "blue", "prompt 2": "snow", "seed": "1"}]
    images, _note = layout.cells[0][1]  # row "snow · 1", column "blue"
    assert images == (library.images.of_job(blue_snow_1.job_id or 0)[0].path,)
    by_seed = grid_layout(library, run.batch_id, x_axis="seed")
    assert by_seed.columns == ("1", "2") and len(by_seed.rows) == 4
    report = export_batch(library, run.batch_id, tmp_path / "out")
    assert len(report.files) == 8 and all(f.is_file() for f in report.files)
    lines = report.csv_path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("row,line,status,state,prompt,labels")
    assert len(lines) == 9 and "a red fox in snow" in lines[1] and report.files[0].name in lines[1]
