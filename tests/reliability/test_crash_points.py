"""Crash safety beyond tests/jobs/test_crash_safety.py: more SIGKILL points of the real CLI (async
download steps, a kill with a partial download on disk, a kill between polls, a second kill during
resume), and a full disk while downloading and while landing a file.

After every kill + `wan27 jobs resume`: 0 paid images lost, 0 duplicates, 0 corrupt files,
0 dangling rows, the create sent once, `PRAGMA integrity_check` ok.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.cli_helpers import cli_env, run_cli
from tests.fake_dashscope import Fault
from tests.reliability.support import (
    POLL_INTERVAL,
    SleepLog,
    assert_library_clean,
    assert_readable,
    fast_client_factory,
)
from wan27_desktop.api import download as download_module
from wan27_desktop.api.models import GenerationRequest, Region, RequestMode
from wan27_desktop.jobs.runner import Connection, JobEvent, JobRunner
from wan27_desktop.library import JobState, Library
from wan27_desktop.library import imagefiles as library_files

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
ARGS = ["generate", "a red fox", "-n", "2", "--size", "1K", "--poll-interval", "0.01"]


def _assert_nothing_lost(fake, data_dir: Path, final_state: JobState = JobState.DONE) -> None:
    with Library.open(data_dir) as library:
        (job,) = library.jobs.find()
        assert job.state is final_state, (job.state, job.error_message)
        saved = sorted(r.url for r in library.jobs.results_of(job.id) if r.status == "downloaded")
        billed = sorted(url for _, url in fake.billed_images)
        assert saved == billed, "a paid image is missing from the library"  # 0 lost
        images = library.images.of_job(job.id)
        assert len(images) == len(billed) == len({i.sha256 for i in images})  # 0 duplicates
        assert library.maintenance.reconcile().missing == 0  # 0 dangling rows
        assert_library_clean(library)  # 0 corrupt or half-written files, integrity_check ok
    assert fake.created_count == 1


def _resume(env: dict[str, str]) -> None:
    resumed = run_cli(["jobs", "resume", "--poll-interval", "0.01"], env)
    assert resumed.returncode == 0, resumed.stderr
    assert "Traceback" not in resumed.stderr


def _kill_when(args: list[str], env: dict[str, str], condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Start the CLI and SIGKILL it the moment `condition` holds (polled; nothing is slept away)."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "wan27_desktop.cli", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + timeout
        while not condition():
            assert proc.poll() is None, f"the CLI ended before the kill point: {proc.communicate()[1]!r}"
            assert time.monotonic() < deadline, "kill point never reached"
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()  # type: ignore[union-attr]
        proc.stderr.close()  # type: ignore[union-attr]


@pytest.fixture
def env(fake_dashscope, isolated_environment: Path) -> dict[str, str]:
    fake_dashscope.result_image_mode = "small"
    fake_dashscope.polls_pending, fake_dashscope.polls_running = 1, 2
    return cli_env(fake_dashscope, isolated_environment)


# Points tests/jobs/test_crash_safety.py does not hit in async mode.
ASYNC_POINTS = ["before_download", "after_download", "after_image_committed"]


@posix_only
@pytest.mark.slow
@pytest.mark.parametrize("point", ASYNC_POINTS)
def test_async_kill_at_download_step_then_resume(point: str, env, fake_dashscope, isolated_environment: Path):
    killed = run_cli([*ARGS, "--mode", "async"], {**env, "WAN27_CRASHPOINT": point})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    _resume(env)
    _assert_nothing_lost(fake_dashscope, isolated_environment)


def _partial_download_present(data_dir: Path) -> Callable[[], bool]:
    incoming = data_dir / "incoming"

    def present() -> bool:
        # A temp download with its first bytes on disk: the kill lands mid-body.
        return incoming.is_dir() and any(p.name.endswith(".part") and p.stat().st_size > 0 for p in incoming.iterdir())

    return present


@posix_only
@pytest.mark.slow
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_kill_with_a_partial_download_on_disk_then_resume(mode: str, env, fake_dashscope, isolated_environment: Path):
    # Incompressible results: each dribbled chunk (~60 KB) is larger than the file buffer, so the
    # first bytes really are on disk when the kill lands.
    fake_dashscope.result_image_mode = "noise"
    fake_dashscope.add_fault(Fault("download", "slow_body", delay=0.2, chunks=50))
    _kill_when([*ARGS, "--mode", mode], env, _partial_download_present(isolated_environment))
    (part,) = (isolated_environment / "incoming").glob("*.part")
    assert part.stat().st_size > 0  # the kill really left a partial file behind
    an_hour_ago = time.time() - 3600  # the app is started again later
    os.utime(part, (an_hour_ago, an_hour_ago))
    _resume(env)
    _assert_nothing_lost(fake_dashscope, isolated_environment)  # the stale partial file is gone too


def test_resume_keeps_a_partial_file_a_live_download_is_still_writing(tmp_path: Path):
    live = tmp_path / ".wan27-live.part"
    live.write_bytes(b"x" * 10)
    stale = tmp_path / ".wan27-dead.part"
    stale.write_bytes(b"x" * 10)
    old = time.time() - 3600
    os.utime(stale, (old, old))
    assert download_module.remove_stale_parts(tmp_path) == 1
    assert live.exists() and not stale.exists()


@posix_only
@pytest.mark.slow
def test_kill_between_polls_then_resume(env, fake_dashscope, isolated_environment: Path):
    fake_dashscope.polls_pending, fake_dashscope.polls_running = 4, 2
    args = [a if a != "0.01" else "0.2" for a in ARGS]  # a slower cadence: the kill lands in a wait
    _kill_when([*args, "--mode", "async"], env, lambda: len(fake_dashscope.requests_for("query")) >= 2)
    _resume(env)
    _assert_nothing_lost(fake_dashscope, isolated_environment)


@posix_only
@pytest.mark.slow
def test_second_kill_during_resume_then_resume_again(env, fake_dashscope, isolated_environment: Path):
    first = run_cli([*ARGS, "--mode", "async"], {**env, "WAN27_CRASHPOINT": "async_after_submit"})
    assert first.returncode == -signal.SIGKILL, first.stderr
    second = run_cli(["jobs", "resume", "--poll-interval", "0.01"], {**env, "WAN27_CRASHPOINT": "after_download"})
    assert second.returncode == -signal.SIGKILL, second.stderr
    _resume(env)
    _assert_nothing_lost(fake_dashscope, isolated_environment)


# ----------------------------------------------------------------------------- disk full


class _OsWithFullDisk(ModuleType):
    """`os` as download.py sees it, on a disk with `room` bytes free.

    `reserve` is what claiming the space up front does: "refused" (ENOSPC, as Linux filesystems say),
    or "unsupported" (a filesystem without fallocate), where the writes fail once the room is used.
    """

    def __init__(self, room: int, reserve: str) -> None:
        super().__init__("os")
        self._room = room
        self._reserve = reserve

    def posix_fallocate(self, fd: int, offset: int, length: int) -> None:
        if self._reserve == "unsupported":
            raise OSError(errno.EOPNOTSUPP, os.strerror(errno.EOPNOTSUPP))
        if length > self._room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def write(self, fd: int, data: bytes | memoryview) -> int:
        if len(data) > self._room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= len(data)
        return os.write(fd, data)

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


@pytest.fixture
def library(isolated_environment: Path) -> Iterator[Library]:
    with Library.open(isolated_environment) as lib:
        yield lib


def _runner(library: Library, fake, events: list[JobEvent]) -> JobRunner:
    connection = Connection(Region.SINGAPORE, fake.base_url, fake.api_key)
    return JobRunner(
        library,
        connection,
        client_factory=fast_client_factory(SleepLog()),
        on_event=events.append,
        poll_interval=POLL_INTERVAL,
    )


def _assert_disk_full_reported(job, events: list[JobEvent]) -> None:
    assert job.state is JobState.DOWNLOADING, job.error_message  # resumable, not failed
    assert job.error_code == "DiskFull"
    assert_readable(job.error_message)
    assert "disk is full" in job.error_message.lower()
    assert "free" in job.error_hint.lower() and "resume" in job.error_hint.lower()
    assert any(e.error is not None and e.error.code == "DiskFull" for e in events)


@pytest.mark.parametrize("reserve", ["refused", "unsupported"])
@pytest.mark.parametrize("mode", [RequestMode.SYNC, RequestMode.ASYNC])
def test_disk_full_while_downloading_is_clear_and_resume_completes(
    mode: RequestMode, reserve: str, library: Library, fake_dashscope, monkeypatch
):
    fake_dashscope.result_image_mode = "small"
    events: list[JobEvent] = []
    runner = _runner(library, fake_dashscope, events)
    try:
        monkeypatch.setattr(download_module, "os", _OsWithFullDisk(room=700, reserve=reserve))
        job = runner.run(runner.create(GenerationRequest("a fox", n=2, size="1K"), mode))
        _assert_disk_full_reported(job, events)
        assert library.images.of_job(job.id) == []
        assert_library_clean(library)  # the partial temp files are gone, nothing corrupt

        monkeypatch.setattr(download_module, "os", os)  # space freed
        healed = runner.resume(job.id)
    finally:
        runner.close()
    assert healed.state is JobState.DONE, healed.error_message
    saved = sorted(r.url for r in library.jobs.results_of(job.id) if r.status == "downloaded")
    assert saved == sorted(url for _, url in fake_dashscope.billed_images) and len(saved) == 2
    assert fake_dashscope.created_count == 1
    assert_library_clean(library)


@pytest.mark.parametrize("step", ["rename", "copy"])
def test_disk_full_while_landing_in_the_library_is_clear_and_resume_completes(
    step: str, library: Library, fake_dashscope, monkeypatch
):
    """`rename`: the result's own file moving into its day folder (a new folder entry needs a
    block); `copy`: a result landed by copy (another disk, or another format)."""
    from wan27_desktop.library import images as images_module

    fake_dashscope.result_image_mode = "small"
    events: list[JobEvent] = []

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    class _OsWithFullFolders(ModuleType):
        def __init__(self) -> None:
            super().__init__("os")
            self.replace = full

        def __getattr__(self, name: str) -> Any:
            return getattr(os, name)

    runner = _runner(library, fake_dashscope, events)
    try:
        if step == "rename":
            monkeypatch.setattr(images_module, "os", _OsWithFullFolders())
        else:
            monkeypatch.setattr(images_module.Landing, "header", lambda self, head: b"")  # not made in place
            monkeypatch.setattr(library_files.HashingWriter, "write", full)
        job = runner.run(runner.create(GenerationRequest("a fox", n=2, size="1K"), RequestMode.SYNC))
        _assert_disk_full_reported(job, events)
        assert library.images.of_job(job.id) == []
        assert_library_clean(library)  # neither the download nor a library temp file is left

        monkeypatch.undo()
        healed = runner.resume(job.id)
    finally:
        runner.close()
    assert healed.state is JobState.DONE, healed.error_message
    assert len(library.images.of_job(job.id)) == len(fake_dashscope.billed_images) == 2
    assert fake_dashscope.created_count == 1
    assert_library_clean(library)


def test_stale_staged_results_go_only_from_a_staging_folder(tmp_path: Path):
    old = time.time() - 3600
    stale, fresh, sha_named = tmp_path / "12-0.png", tmp_path / "12-1.png", tmp_path / ("a" * 64 + ".png")
    notes = tmp_path / "notes.txt"
    for path in (stale, fresh, sha_named, notes):
        path.write_bytes(b"x")
    for path in (stale, sha_named, notes):
        os.utime(path, (old, old))
    assert download_module.remove_stale_parts(tmp_path) == 0  # a folder of kept downloads: untouched
    assert download_module.remove_stale_parts(tmp_path, staged=True) == 2
    assert fresh.exists() and notes.exists() and not stale.exists() and not sha_named.exists()
