"""Rebuild and recover replace the database file only when no other connection has it (`presence`).

A window left open while `wan27 library rebuild` ran in a terminal went on writing to the replaced
file: a job it journaled afterwards was lost from the library.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.library.conftest import Maker
from wan27_desktop.library import ImageQuery, Library, LibraryBusy, presence
from wan27_desktop.library.paths import LibraryPaths

pytestmark = pytest.mark.skipif(not presence.ENABLED, reason="the open lock is POSIX; Windows refuses the rename")

REPO = Path(__file__).resolve().parents[2]

# A second process with the library open, idle until told: another window, or a command.
_HOLDER = """
import sys
from pathlib import Path
from tests.library.conftest import Maker
from wan27_desktop.library import Library
from wan27_desktop.library import presence
from wan27_desktop.library.paths import LibraryPaths

root, mode = Path(sys.argv[1]), sys.argv[2]
if mode == "sole":  # what a rebuild or recover in another process holds
    with presence.sole(presence.lock_path(LibraryPaths(root).leases_dir), "rebuild"):
        print("held", flush=True)
        sys.stdin.readline()
    sys.exit(0)
library = Library.open(root, reconcile=False)
print("open", flush=True)
sys.stdin.readline()
job = Maker(library, root / "child-downloads").job("journaled after the rebuild was tried")
print(job, flush=True)
library.close()
"""


@contextmanager
def other_process(data_dir: Path, mode: str) -> Iterator[subprocess.Popen[str]]:
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(data_dir), mode],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() in ("open", "held")
        yield child
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=30)


def _let_go(child: subprocess.Popen[str]) -> str:
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write("\n")
    child.stdin.flush()
    said = child.stdout.read()
    assert child.wait(timeout=60) == 0
    return said.strip()


def test_a_rebuild_is_refused_while_another_process_has_the_library_open(data_dir: Path, tmp_path: Path):
    with Library.open(data_dir) as library:
        Maker(library, tmp_path / "dl").image("kept")
    with other_process(data_dir, "open") as child:
        with Library.open(data_dir) as library:
            with pytest.raises(LibraryBusy) as refused:
                library.maintenance.rebuild()
            assert refused.value.code == "LibraryInUse" and "has the library open" in str(refused.value)
            assert "Close the other Wan 2.7 windows" in str(refused.value.hint)
            assert len(library.jobs.find()) == 1  # still usable, and nothing was swapped
            assert not list(library.library_dir.glob("library.sqlite3.before-rebuild-*"))
        journaled = int(_let_go(child))  # the other process writes after the attempt
    with Library.open(data_dir) as library:
        assert journaled in {job.id for job in library.jobs.find()}
        report = library.maintenance.rebuild()  # alone now
        assert report.jobs == 2 and journaled in {job.id for job in library.jobs.find()}


def test_another_library_of_this_process_counts_as_another_user(data_dir: Path, tmp_path: Path):
    with Library.open(data_dir) as rebuilder, Library.open(data_dir) as other:
        Maker(rebuilder, tmp_path / "dl").image("kept")
        with pytest.raises(LibraryBusy):
            rebuilder.maintenance.rebuild()
        other.close()
        assert rebuilder.maintenance.rebuild().images == 1
        assert rebuilder.images.count(ImageQuery()) == 1


def test_a_recover_is_refused_while_another_process_has_the_library_open(data_dir: Path):
    Library.open(data_dir).close()
    with other_process(data_dir, "open") as child:
        with pytest.raises(LibraryBusy) as refused:
            Library.recover(data_dir, force=True)
        assert refused.value.code == "LibraryInUse"
        library_dir = LibraryPaths(data_dir).library_dir
        assert not list(library_dir.glob("library.sqlite3.corrupt-*"))  # nothing was set aside
        _let_go(child)
    assert Library.recover(data_dir, force=True).moved_aside is not None  # alone now


def test_an_open_waits_while_another_process_swaps_the_database(data_dir: Path):
    Library.open(data_dir).close()
    opened = threading.Event()
    failures: list[BaseException] = []

    def open_library() -> None:
        try:
            Library.open(data_dir, reconcile=False).close()
            opened.set()
        except BaseException as exc:
            failures.append(exc)

    with other_process(data_dir, "sole") as child:
        opener = threading.Thread(target=open_library)
        opener.start()
        assert not opened.wait(0.5)  # held back while the other process has the library to itself
        _let_go(child)
        opener.join(timeout=30)
    assert opened.is_set() and not failures


def test_an_open_gives_up_with_a_clear_message_when_the_swap_takes_too_long(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
):
    Library.open(data_dir).close()
    monkeypatch.setattr(presence, "WAIT_S", 0.2)
    with other_process(data_dir, "sole") as child:
        with pytest.raises(LibraryBusy) as busy:
            Library.open(data_dir, reconcile=False)
        assert busy.value.code == "LibraryMaintenance" and "being rebuilt or recovered" in str(busy.value)
        _let_go(child)
    Library.open(data_dir, reconcile=False).close()


def test_where_the_os_refuses_the_rename_the_rebuild_says_so_and_keeps_the_library(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Windows: no open lock, but the rename of a file another connection has open is refused."""
    with Library.open(data_dir) as library:
        image = Maker(library, tmp_path / "dl").image("kept")
        monkeypatch.setattr(presence, "ENABLED", False)
        real_replace = os.replace

        def replace(source: object, target: object) -> None:
            if Path(str(target)) == library.db_path:
                raise PermissionError(13, "The process cannot access the file", str(target))
            real_replace(source, target)  # type: ignore[arg-type]

        monkeypatch.setattr(os, "replace", replace)
        with pytest.raises(LibraryBusy) as refused:
            library.maintenance.rebuild()
        assert refused.value.code == "LibraryInUse"
        assert library.images.get(image.id).sha256 == image.sha256  # the same database, still open
        leftovers = [p.name for p in library.library_dir.iterdir() if p.name.startswith("library.sqlite3.")]
        assert leftovers == []  # neither the rebuilt database nor a backup of the old one
