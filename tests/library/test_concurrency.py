"""Several processes and threads writing at once never surface 'database is locked'."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

from tests.library.conftest import make_png
from wan27_desktop.library import ImageQuery, JobState, Library

PROCESSES, PER_PROCESS = 4, 50


def _writer(data_dir: str, worker: int, job_id: int) -> None:
    root = Path(data_dir)
    incoming = root / f"incoming-{worker}"
    incoming.mkdir(parents=True, exist_ok=True)
    with Library.open(root) as library:
        for number in range(PER_PROCESS):
            index = worker * PER_PROCESS + number
            download = incoming / f"{index}.png"
            download.write_bytes(make_png(rgb=(worker * 40, number, 99)))
            library.images.add(job_id, None, index, download, metadata={"job_id": job_id})
            library.curation.set_rating([1], number % 6)  # interleave small writes with the inserts
            library.jobs.update(job_id, server_status=f"w{worker}-{number}")


def test_four_processes_add_fifty_images_each(data_dir: Path):
    with Library.open(data_dir) as library:
        job_id = library.jobs.create(
            {"model": "wan2.7-image"},
            model="wan2.7-image",
            request_mode="async",
            region="sg",
            endpoint="e",
            n=PROCESSES * PER_PROCESS,
            estimated_cost="0",
            state=JobState.DOWNLOADING,
        )
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(str(data_dir), w, job_id)) for w in range(PROCESSES)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=120)
    assert [p.exitcode for p in workers] == [0] * PROCESSES
    with Library.open(data_dir) as library:
        images = library.images.of_job(job_id)
        assert [i.index for i in images] == list(range(PROCESSES * PER_PROCESS))
        assert library.images.count(ImageQuery()) == PROCESSES * PER_PROCESS
        assert all(i.path.is_file() for i in images)
        assert library.check_integrity() == []


def test_threads_sharing_one_library_and_racing_on_the_same_result(library: Library, tmp_path: Path):
    job_id = library.jobs.create(
        {"model": "m"}, model="m", request_mode="sync", region="sg", endpoint="e", n=1, estimated_cost="0"
    )
    errors: list[BaseException] = []
    results = []

    def land(worker: int) -> None:
        download = tmp_path / f"t{worker}.png"
        download.write_bytes(make_png(rgb=(worker, 0, 0)))
        try:
            results.append(library.images.add(job_id, None, 0, download, metadata={}))
        except BaseException as err:  # collected and asserted below
            errors.append(err)

    threads = [threading.Thread(target=land, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len({r.id for r in results}) == 1  # exactly one image for the slot
    assert len(list(results[0].path.parent.iterdir())) == 1  # losing racers removed their own copies


_TAKE_THE_DATABASE = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
try:  # an exclusive lock on SQLite's SHARED range: what a closing connection tries before deleting the WAL
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 510, 0x40000002, os.SEEK_SET)
    print("taken")
except OSError:
    print("refused")
"""


def test_threads_opening_a_library_at_once_keep_their_locks_on_it(tmp_path: Path, monkeypatch) -> None:
    """The first connection of a process checks the file's header with a plain open/read/close. On
    POSIX, closing any descriptor of a file drops every lock the process holds on it, SQLite's
    too: if another thread had opened its connection meanwhile (the gallery's and the thumbnail
    loader's threads open theirs at once), another process could then take the database, checkpoint
    and delete the WAL under our live connections ("database disk image is malformed"; SQLite's
    "How To Corrupt" §2.2). The header is read before any other connection of ours may open."""
    import subprocess
    import sys
    import time

    from wan27_desktop.library import LibraryPaths

    data = tmp_path / "data"
    Library.open(data).close()  # the database exists; no connection of this process is open
    db_path = LibraryPaths(data).db_path
    real_open = Path.open

    def slow_header_read(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        handle = real_open(self, *args, **kwargs)
        if self == db_path:
            time.sleep(0.3)  # the other thread opens its connection now, if it may
        return handle

    monkeypatch.setattr(Path, "open", slow_header_read)
    opened: list[Library] = []
    threads = [threading.Thread(target=lambda: opened.append(Library.open(data, reconcile=False))) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    try:
        assert len(opened) == 2
        child = subprocess.run(
            [sys.executable, "-c", _TAKE_THE_DATABASE, str(db_path)], capture_output=True, text=True, timeout=30
        )
        assert child.stdout.strip() == "refused", child.stdout + child.stderr
    finally:
        for library in opened:
            library.close()
