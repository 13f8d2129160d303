"""Space before money (issue 14, item 5): a job whose results could not land is not sent (nothing
billed), with a message naming the folder and the space needed; results land by rename, so they
need their size once; a killed download's partial file goes at the next resume, not 20 minutes
later.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from tests.cli_helpers import cli_env
from tests.fake_dashscope import Fault
from tests.reliability.journal_support import (
    cli,
    kill,
    needs_namespaces,
    run_cli_mounted,
    start_cli,
    tiny_disk,
    wait_for,
)
from tests.reliability.support import (
    POLL_INTERVAL,
    SleepLog,
    assert_library_clean,
    assert_readable,
    fast_client_factory,
)
from wan27_desktop.api import download as download_module
from wan27_desktop.api.models import GenerationRequest, Region, RequestMode
from wan27_desktop.api.rules import output_pixels
from wan27_desktop.jobs.runner import Connection, JobRunner
from wan27_desktop.library import JobState, Library
from wan27_desktop.library import space as space_module
from wan27_desktop.library.space import bytes_needed, worst_case_png_bytes


def _incompressible_rgba_png(width: int, height: int) -> bytes:
    import os

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + os.urandom(width * 4) for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 0))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("width, height", [(64, 64), (300, 7), (1, 1000), (512, 512)])
def test_the_estimate_covers_the_worst_png_a_size_can_make(width: int, height: int):
    worst = _incompressible_rgba_png(width, height)
    assert len(worst) <= worst_case_png_bytes(width * height)


def test_the_estimate_follows_the_size_rules():
    assert output_pixels("2K") == 2048 * 2048 >= 2985 * 1405  # the reference's own 2K answer
    assert output_pixels("4k") == 4096 * 4096 and output_pixels("1K") == 1024 * 1024
    assert output_pixels("1536*1024") == 1536 * 1024 and output_pixels("1536x1024") == 1536 * 1024
    assert bytes_needed(output_pixels("4K"), 4) > 5 * 4096 * 4096 * 4  # four results, one more in flight


def test_a_job_that_could_not_land_is_not_sent(fake_dashscope, isolated_environment: Path, monkeypatch):
    fake_dashscope.result_image_mode = "small"
    real = space_module.shutil.disk_usage

    def nearly_full(path: object) -> object:
        usage = real(path)
        return type(usage)(usage.total, usage.total - 10_000_000, 10_000_000)  # 10 MB free

    monkeypatch.setattr(space_module.shutil, "disk_usage", nearly_full)
    with Library.open(isolated_environment) as library:
        runner = JobRunner(
            library,
            Connection(Region.SINGAPORE, fake_dashscope.base_url, fake_dashscope.api_key),
            client_factory=fast_client_factory(SleepLog()),
            poll_interval=POLL_INTERVAL,
        )
        try:
            for mode in (RequestMode.SYNC, RequestMode.ASYNC):
                job = runner.run(runner.create(GenerationRequest("a fox", n=4, size="2K"), mode))
                assert job.state is JobState.FAILED and job.error_code == "NotEnoughSpace"
                assert_readable(job.error_message)
                assert str(library.library_dir) in job.error_message and "not sent" in job.error_message
                assert "MB" in job.error_message and "Nothing was sent or billed" in job.error_hint
        finally:
            runner.close()
    assert fake_dashscope.requests == []  # nothing left: nothing billed


@needs_namespaces
def test_the_cli_refuses_to_send_what_its_disk_cannot_hold(fake_dashscope, isolated_environment: Path):
    fake_dashscope.result_image_mode = "small"
    isolated_environment.mkdir(parents=True)
    env = cli_env(fake_dashscope, isolated_environment)
    room = bytes_needed(output_pixels("1K"), 1) + (4 << 20)  # a 1K image fits, a 2K one does not
    assert bytes_needed(output_pixels("2K"), 1) > room
    disk = tiny_disk(isolated_environment, f"{room // 1024}k")
    refused = run_cli_mounted(["generate", "a fox", "--size", "2K"], env, f"{disk}; mkdir -p {isolated_environment}")
    assert refused.returncode == 2, refused.stderr  # 2: nothing was sent
    assert "Not enough free space in" in refused.stderr and str(isolated_environment / "library") in refused.stderr
    assert "It was not sent" in refused.stderr and "Traceback" not in refused.stderr
    assert fake_dashscope.requests == []
    sent = run_cli_mounted(["generate", "a fox", "--size", "1K"], env, disk)
    assert sent.returncode == 0, sent.stderr  # and the check does not refuse what fits
    assert fake_dashscope.created_count == 1


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_resume_removes_a_killed_downloads_partial_file_at_once(mode: str, fake_dashscope, isolated_environment: Path):
    """A kill mid-download left a .part of up to 100 MB for 20 minutes: now its owner is known
    (the job in its name) and dead (no lease), so the next resume removes it whatever its age."""
    fake_dashscope.result_image_mode = "noise"
    fake_dashscope.add_fault(Fault("download", "slow_body", delay=0.2, chunks=50))
    env = cli_env(fake_dashscope, isolated_environment)
    incoming = isolated_environment / "incoming"

    def partial_on_disk() -> bool:
        return incoming.is_dir() and any(p.name.endswith(".part") and p.stat().st_size > 0 for p in incoming.iterdir())

    child = start_cli(["generate", "a red fox", "--size", "1K", "--mode", mode, "--poll-interval", "0.01"], env)
    try:
        wait_for(partial_on_disk, child)
    finally:
        kill(child)
    (part,) = incoming.glob("*.part")
    assert part.name.startswith(".wan27-1-0~")  # whose it is

    resumed = cli(["jobs", "resume", "--poll-interval", "0.01"], env)
    assert resumed.returncode == 0, resumed.stderr
    assert not part.exists()
    with Library.open(isolated_environment) as library:
        assert library.jobs.get(1).state is JobState.DONE
        assert_library_clean(library)  # incoming/ is empty


def test_a_live_downloads_files_are_left_alone(tmp_path: Path, isolated_environment: Path):
    staging = tmp_path / "staging"
    staging.mkdir()
    with Library.open(isolated_environment) as library:
        live = library.jobs.claim(7)
        assert live is not None
        names = [".wan27-7-0~abc.part", "7-1.png", ".wan27-8-0~def.part", "8-0.png", ".wan27-zz.part", "notes.txt"]
        for name in names:
            (staging / name).write_bytes(b"x")
        with live:
            removed = download_module.remove_abandoned(
                staging, lambda stage: not library.jobs.is_leased(int(stage.split("-")[0]))
            )
        assert removed == 2
        assert sorted(p.name for p in staging.iterdir()) == [
            ".wan27-7-0~abc.part",
            ".wan27-zz.part",
            "7-1.png",
            "notes.txt",
        ]
