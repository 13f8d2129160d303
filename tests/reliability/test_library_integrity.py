"""Library integrity (issue 8): a damaged database at start gives a clear way back - rebuild from
the image files, which carry their own metadata - instead of a crash; through the API and the CLI."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli_helpers import cli_env, run_cli
from tests.reliability.support import (
    POLL_INTERVAL,
    SleepLog,
    assert_library_clean,
    assert_readable,
    fast_client_factory,
)
from wan27_desktop.api.models import GenerationRequest, Region, RequestMode
from wan27_desktop.jobs.runner import Connection, JobRunner
from wan27_desktop.library import ImageQuery, JobState, Library, LibraryCorrupt


def _garbage(db: Path) -> None:
    db.write_bytes(b"this is not a database" * 200)


def _truncated(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])


def _header_zeroed(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[:100] = bytes(100)
    db.write_bytes(bytes(data))


def _pages_scrambled(db: Path) -> None:
    """The header is intact, the schema and index pages are not (what a torn disk write leaves)."""
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    for start in range(page, len(data), page):
        data[start + 8 : start + 200] = os.urandom(192)
    db.write_bytes(bytes(data))


DAMAGE: dict[str, Callable[[Path], None]] = {
    "garbage": _garbage,
    "truncated": _truncated,
    "header-zeroed": _header_zeroed,
    "pages-scrambled": _pages_scrambled,
}


def _fill(data_dir: Path, fake) -> set[str]:
    """Two real jobs through the runner; returns the sha256 of every image."""
    fake.result_image_mode = "small"
    with Library.open(data_dir) as library:
        runner = JobRunner(
            library,
            Connection(Region.SINGAPORE, fake.base_url, fake.api_key),
            client_factory=fast_client_factory(SleepLog()),
            poll_interval=POLL_INTERVAL,
        )
        try:
            assert (
                runner.run(runner.create(GenerationRequest("a lighthouse", n=2, size="1K"), RequestMode.SYNC)).state
                is JobState.DONE
            )
            assert (
                runner.run(runner.create(GenerationRequest("a harbour", n=1, size="1K"), RequestMode.ASYNC)).state
                is JobState.DONE
            )
        finally:
            runner.close()
        shas = {i.sha256 for i in library.images.query(ImageQuery(), 0, 100)}
        db = library.db_path
    # Like a crash: the WAL is gone with whatever the damage took.
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    assert len(shas) == 3
    return shas


def _open_and_use(data_dir: Path) -> None:
    """What the app does at start: open, then read the gallery and the journal."""
    with Library.open(data_dir) as library:
        library.images.query(ImageQuery(), 0, 100)
        library.jobs.find()


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_database_is_reported_with_the_recovery_path_and_recover_brings_every_image_back(
    damage: str, fake_dashscope, isolated_environment: Path
):
    shas = _fill(isolated_environment, fake_dashscope)
    db = isolated_environment / "library" / "library.sqlite3"
    DAMAGE[damage](db)

    with pytest.raises(LibraryCorrupt) as raised:
        _open_and_use(isolated_environment)
    assert_readable(raised.value.message)
    assert "wan27 library recover" in raised.value.hint

    report = Library.recover(isolated_environment)
    assert report.images == 3
    assert report.moved_aside is not None and report.moved_aside.exists()  # kept, never deleted
    with Library.open(isolated_environment) as library:
        assert {i.sha256 for i in library.images.query(ImageQuery(), 0, 100)} == shas
        assert {i.prompt for i in library.images.query(ImageQuery(), 0, 100)} == {"a lighthouse", "a harbour"}
        assert_library_clean(library)


@pytest.mark.parametrize("damage", ["garbage", "pages-scrambled"])
def test_cli_on_a_damaged_database_explains_and_recover_fixes_it(
    damage: str, fake_dashscope, isolated_environment: Path
):
    _fill(isolated_environment, fake_dashscope)
    DAMAGE[damage](isolated_environment / "library" / "library.sqlite3")
    env = cli_env(fake_dashscope, isolated_environment)
    requests_before = len(fake_dashscope.requests)

    for args in (["library", "list"], ["jobs", "list"], ["generate", "a fox", "--size", "1K"]):
        broken = run_cli(args, env)
        assert broken.returncode != 0, (args, broken.stdout)
        assert "Traceback" not in broken.stderr, broken.stderr
        assert "wan27 library recover" in broken.stderr, broken.stderr
    # Journal first: with no journal, nothing is sent (nothing could be billed and then lost).
    assert len(fake_dashscope.requests) == requests_before

    recovered = run_cli(["library", "recover"], env)
    assert recovered.returncode == 0, recovered.stderr
    listing = run_cli(["library", "list"], env)
    assert listing.returncode == 0, listing.stderr
    assert "lighthouse" in listing.stdout and "harbour" in listing.stdout
    assert len(listing.stdout.splitlines()) == 3
