"""Job ownership across processes (issue 14): a running job is leased by the process running it.

A lease is an OS file lock on `library/leases/<job id>.lock`, held for as long as the process
works on the job; the file says who holds it (pid, host, since). The kernel drops the lock when
the process ends however it ends (SIGKILL, power cut on a network disk aside), so a dead owner's
lease lapses at once and no heartbeat is needed. A lock whose file is found unlocked is stale and
removed.

- A job is leased from the transaction that journals it (`JobStore.create(hold=True)`), so no
  other process ever sees it unowned while it waits for its turn, until its runner lets go.
- `resume`, the GUI's start-up and closing unsent queued jobs skip leased jobs: another process
  is carrying them on and will finish them once.
- `exclusive()` is for work that must not overlap a running job (rebuild, recover, move): it
  takes `maintenance.lock` exclusively, then refuses if any job is leased. A claim takes the same
  lock shared for the instant it locks its job, so a job cannot start while such work runs.

Within one process a lease is handed from the thread that journals a job to the one that runs it
(the GUI's two pools) through a process-wide table; a second claim of a lease in use is refused
like any other.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.library.errors import LibraryBusy, LibraryError, from_os_error
from wan27_desktop.library.oslocks import lock_within, open_lock_file, try_lock, unlock
from wan27_desktop.private_files import FILE_MODE, make_dirs, restrict_fd

MAINTENANCE_NAME = "maintenance.lock"
_SUFFIX = ".lock"
_TRIES, _PAUSE_S = 50, 0.02  # a probe or a claim holds a lock for microseconds; wait out a collision


class Lease:
    """This process's hold on one job. `release()` (or the process ending) lets it go."""

    def __init__(self, leases: Leases, job_id: int, fd: int, path: Path) -> None:
        self.job_id = job_id
        self._leases = leases
        self._fd: int | None = fd
        self._path = path
        self.in_use = False

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        with _TABLE_LOCK:
            if self._fd is None:
                return
            _TABLE.pop(self._leases.key(self.job_id), None)
            # Unlinked while still locked: nobody takes over a file that is about to vanish.
            with contextlib.suppress(OSError):
                self._path.unlink()
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Lease:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


_TABLE: dict[tuple[str, int], Lease] = {}  # leases this process holds, by (folder, job id)
_TABLE_LOCK = threading.RLock()


class Leases:
    """The leases of one library (`library/leases/`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def key(self, job_id: int) -> tuple[str, int]:
        return (str(self.folder), int(job_id))

    def path_of(self, job_id: int) -> Path:
        return self.folder / f"{int(job_id)}{_SUFFIX}"

    # -- claiming ---------------------------------------------------------------------------------
    def claim(self, job_id: int) -> Lease | None:
        """Lease `job_id` for this thread's work on it; None when another process, or other work in
        this one, holds it. A lease reserved by `reserve` in this process is handed over.
        Raises LibraryBusy while a rebuild or recover runs."""
        with _TABLE_LOCK:
            mine = _TABLE.get(self.key(job_id))
            if mine is not None:
                if mine.in_use:
                    return None
                mine.in_use = True
                return mine
        lease = self._lock_job(job_id)
        if lease is not None:
            lease.in_use = True
        return lease

    def reserve(self, job_id: int) -> Lease | None:
        """Lease a job for whichever thread of this process will run it (`claim` hands it over)."""
        with _TABLE_LOCK:
            if self.key(job_id) in _TABLE:
                return None
        return self._lock_job(job_id)

    def release_reserved(self, job_id: int) -> bool:
        """Let go of a job this process reserved but never started (a window closing with jobs
        still queued): they stay queued in the journal, and the next start closes them unsent."""
        with _TABLE_LOCK:
            lease = _TABLE.get(self.key(job_id))
            if lease is None or lease.in_use:
                return False
            lease.release()
            return True

    def _lock_job(self, job_id: int) -> Lease | None:
        _make_folder(self.folder)
        path = self.path_of(job_id)
        with self._maintenance_shared():
            for _ in range(_TRIES):
                try:
                    fd = _open_locked(path)
                except OSError as err:
                    raise from_os_error(err, self.folder.parent) from err
                if fd is not None:
                    _write_owner(fd)
                    lease = Lease(self, job_id, fd, path)
                    with _TABLE_LOCK:
                        _TABLE[self.key(job_id)] = lease
                    return lease
                if self._holder_alive(path):
                    return None
        return None

    def _holder_alive(self, path: Path) -> bool:
        """Whether the lock on `path` is really held (not a probe's instant or a file being removed)."""
        time.sleep(_PAUSE_S)
        fd = _open_locked(path)
        if fd is None:
            return True
        _drop(fd, path)
        return False

    @contextlib.contextmanager
    def _maintenance_shared(self) -> Iterator[None]:
        fd = _open_lock_file(self.folder / MAINTENANCE_NAME)
        try:
            if not lock_within(fd, _TRIES, _PAUSE_S, shared=True):
                raise LibraryBusy(
                    QT_TRANSLATE_NOOP(
                        "WanError", "The library is being rebuilt or recovered, so no job can start now."
                    ),
                    code="LibraryMaintenance",
                    hint=QT_TRANSLATE_NOOP(
                        "WanError", "Try again when `wan27 library rebuild` or `recover` has finished."
                    ),
                )
            try:
                yield
            finally:
                unlock(fd)
        finally:
            os.close(fd)

    # -- looking --------------------------------------------------------------------------------
    def held(self, *, elsewhere: bool = False) -> dict[int, str]:
        """Job id -> who holds it ('pid 123 on host since ...'), for every live lease; with
        `elsewhere`, only those another process holds. Stale lock files (their process died) are
        removed on the way."""
        if not self.folder.is_dir():
            return {}
        found: dict[int, str] = {}
        for entry in self.folder.iterdir():
            stem, suffix = entry.stem, entry.suffix
            if suffix != _SUFFIX or not stem.isdigit():
                continue
            job_id = int(stem)
            with _TABLE_LOCK:
                if self.key(job_id) in _TABLE:
                    if not elsewhere:
                        found[job_id] = _owner_text(entry)
                    continue
            fd = _open_locked(entry, create=False)
            if fd is None:
                if entry.exists():
                    found[job_id] = _owner_text(entry)
                continue
            _drop(fd, entry)
        return found

    def held_here(self) -> set[int]:
        """The jobs this process holds (no file is looked at)."""
        with _TABLE_LOCK:
            return {job_id for (folder, job_id) in _TABLE if folder == str(self.folder)}

    def is_held(self, job_id: int) -> bool:
        with _TABLE_LOCK:
            if self.key(job_id) in _TABLE:
                return True
        path = self.path_of(job_id)
        fd = _open_locked(path, create=False)
        if fd is None:
            return path.exists()
        _drop(fd, path)
        return False

    @contextlib.contextmanager
    def idle(self) -> Iterator[bool]:
        """True (held for the block) when no rebuild, recover or move runs right now; False at
        once otherwise. For tidying that must not race them; jobs may still run meanwhile."""
        try:
            make_dirs(self.folder)
        except OSError:
            yield False
            return
        with _idle(self.folder) as idle:
            yield idle

    @contextlib.contextmanager
    def exclusive(self, action: str) -> Iterator[None]:
        """Hold the library against every job for `action` (rebuild, recover, move): refused with
        LibraryBusy when a job runs in any process or another such action is under way."""
        _make_folder(self.folder)
        fd = _open_lock_file(self.folder / MAINTENANCE_NAME)
        try:
            if not lock_within(fd, _TRIES, _PAUSE_S):
                raise LibraryBusy(
                    QT_TRANSLATE_NOOP(
                        "WanError", "Cannot {action} now: another rebuild, recover or move is under way."
                    ),
                    values={"action": action},
                    code="LibraryMaintenance",
                )
            try:
                running = self.held()
                if running:
                    raise LibraryBusy(
                        QT_TRANSLATE_NOOP("WanError", "Cannot {action} while {count} job(s) run: {jobs}."),
                        values={
                            "action": action,
                            "count": len(running),
                            "jobs": "; ".join(f"job {job} ({owner})" for job, owner in sorted(running.items())),
                        },
                        code="JobsRunning",
                        hint=QT_TRANSLATE_NOOP(
                            "WanError",
                            "Wait until they finish (or cancel them) in the other Wan 2.7 window or command, "
                            "then try again.",
                        ),
                    )
                yield
            finally:
                unlock(fd)
        finally:
            os.close(fd)


def _make_folder(folder: Path) -> None:
    try:
        make_dirs(folder)
    except OSError as err:
        raise from_os_error(err, folder.parent) from err


def _open_lock_file(path: Path) -> int:
    """A descriptor to lock `path` with, created if missing; a lock needs no write access, so a
    read-only library still answers (and its own error then says read-only)."""
    try:
        return open_lock_file(path)
    except OSError as err:
        raise from_os_error(err, path.parent.parent) from err


@contextlib.contextmanager
def _idle(folder: Path) -> Iterator[bool]:
    try:
        fd = _open_lock_file(folder / MAINTENANCE_NAME)
    except LibraryError:
        yield False
        return
    try:
        if not try_lock(fd):
            yield False
            return
        try:
            yield True
        finally:
            unlock(fd)
    finally:
        os.close(fd)


def _open_locked(path: Path, *, create: bool = True) -> int | None:
    """A descriptor of `path` holding its exclusive lock, or None when someone else holds it.
    Retries when the file was removed or replaced between opening and locking it."""
    for _ in range(_TRIES):
        try:
            # A probe only looks: read-only, so it works on a read-only library too.
            fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE) if create else os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        if not try_lock(fd):
            os.close(fd)
            return None
        try:
            current = os.stat(path)
        except FileNotFoundError:
            current = None
        mine = os.fstat(fd)
        if current is not None and (current.st_dev, current.st_ino) == (mine.st_dev, mine.st_ino):
            restrict_fd(fd)
            return fd
        os.close(fd)  # its holder removed it as we opened it: that lease is over, look again
        if not create:
            return None
    return None


def _drop(fd: int, path: Path) -> None:
    """Remove a lock file we hold (a stale one, or after a probe found nobody)."""
    with contextlib.suppress(OSError):
        path.unlink()
    os.close(fd)


def _write_owner(fd: int) -> None:
    text = f"pid {os.getpid()} on {socket.gethostname()} since {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC\n"
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, text.encode("utf-8"))


def _owner_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip() or "another process"
    except OSError:
        return "another process"
