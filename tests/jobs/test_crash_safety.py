"""Kill the real CLI with SIGKILL at every durable step, resume, and prove nothing paid is lost.

After each kill + `wan27 jobs resume`: every image the fake billed is in the library exactly once,
every file is a complete image, no row points at a missing file, the create was sent exactly once,
and SQLite's integrity check passes.
"""

from __future__ import annotations

import signal
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.cli_helpers import cli_env, run_cli
from wan27_desktop.api.imageformat import verify_file
from wan27_desktop.library import JobState, Library

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

# (crash point, request mode, expected state after resume)
POINTS = [
    ("sync_before_send", "sync", JobState.INTERRUPTED),
    ("create_sent", "sync", JobState.INTERRUPTED),
    ("sync_after_response", "sync", JobState.INTERRUPTED),
    ("after_results_recorded", "sync", JobState.DONE),
    ("before_download", "sync", JobState.DONE),
    ("after_download", "sync", JobState.DONE),
    ("library_after_rename", "sync", JobState.DONE),
    ("after_image_committed", "sync", JobState.DONE),
    ("async_before_submit", "async", JobState.INTERRUPTED),
    ("create_sent", "async", JobState.SUBMITTING),  # no task was made: it stays for Resume to look
    ("async_after_submit", "async", JobState.DONE),
    ("async_mid_poll", "async", JobState.DONE),
    ("after_results_recorded", "async", JobState.DONE),
    ("library_after_rename", "async", JobState.DONE),
]


NOT_SENT = ("sync_before_send", "async_before_submit")


@pytest.mark.slow
@pytest.mark.parametrize("point, mode, final_state", POINTS, ids=[f"{p}-{m}" for p, m, _ in POINTS])
def test_kill_then_resume_loses_nothing(
    point: str, mode: str, final_state: JobState, fake_dashscope, isolated_environment: Path
):
    fake_dashscope.result_image_mode = "small"
    fake_dashscope.polls_pending, fake_dashscope.polls_running = 1, 2
    env = cli_env(fake_dashscope, isolated_environment)
    args = ["generate", "a red fox", "-n", "2", "--size", "1K", "--mode", mode, "--poll-interval", "0.01"]

    killed = run_cli(args, {**env, "WAN27_CRASHPOINT": point})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    resumed = run_cli(["jobs", "resume", "--poll-interval", "0.01"], env)
    # README: `jobs resume` exits 3 when a job it resumed ended interrupted or failed.
    assert resumed.returncode == (0 if final_state is JobState.DONE else 3), resumed.stderr
    assert "Traceback" not in resumed.stderr

    with Library.open(isolated_environment) as library:
        (job,) = library.jobs.find()
        assert job.state is final_state, job.error_message
        if point in NOT_SENT:  # the journal knows the bytes never left: nothing was billed
            assert job.error_code == "NotSent" and "not billed" in job.error_message, job.error_message
        elif final_state is JobState.INTERRUPTED:
            assert "may have been" in (job.error_message or ""), job.error_message
        elif final_state is JobState.SUBMITTING:  # sent; the service's task list shows no task made then
            assert job.error_code == "AnswerLost" and "no task made then" in job.error_message, job.error_message
        images = library.images.of_job(job.id)
        saved = sorted(r.url for r in library.jobs.results_of(job.id) if r.status == "downloaded")
        billed = sorted(url for _, url in fake_dashscope.billed_images)
        if point != "sync_after_response":  # the one window where a sync answer lives only in memory
            assert saved == billed
        assert len(images) == len(saved) == len({i.sha256 for i in images})
        for image in images:
            verify_file(Path(image.path))
        assert library.maintenance.reconcile().missing == 0
        db_path = library.db_path
    # create_sent: the kill lands as the bytes are about to leave (journaled first), so none left.
    assert fake_dashscope.created_count == (0 if point in (*NOT_SENT, "create_sent") else 1)
    with sqlite3.connect(db_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
