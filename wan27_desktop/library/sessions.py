"""Dirty markers: how `Library.open` stays cheap at 100k images yet still heals after a crash.

Before a session first writes an image file into a day folder it creates
`library/sessions/<uuid>.open` (once) and appends the folder's relative path to it. The marker is
held with an OS file lock for the life of the session and removed by a clean `close()`.

On open, any marker whose lock can be taken belongs to a session that died (SIGKILL, power cut,
crash): only the folders it lists are reconciled (orphan files adopted or quarantined, rows
flagged missing), then the marker is removed. A clean history costs one directory listing.
A full reconcile (every folder) runs only on explicit request (`library.maintenance.reconcile()`).
"""

from __future__ import annotations

import os
import threading
import uuid
from pathlib import Path
from typing import IO

from wan27_desktop.library.oslocks import try_lock
from wan27_desktop.private_files import make_dirs, open_new


def _try_lock(handle: IO[str]) -> bool:
    return try_lock(handle.fileno())


class SessionMarker:
    """This process's marker; created lazily on the first image write."""

    def __init__(self, sessions_dir: Path) -> None:
        self.sessions_dir = sessions_dir
        self._path: Path | None = None
        self._handle: IO[str] | None = None
        self._dirs: set[str] = set()
        self._lock = threading.Lock()

    def note_dir(self, rel_dir: str) -> None:
        """Record that files may appear in `rel_dir`; durable before the caller writes there."""
        with self._lock:
            if rel_dir in self._dirs:
                return
            if self._handle is None:
                make_dirs(self.sessions_dir)
                # Locked under a name nobody scans, then renamed: never seen unlocked as '.open'.
                # (Windows cannot rename an open file, so there it is created under its final name.)
                name = uuid.uuid4().hex
                staging = self.sessions_dir / (f"{name}.new" if os.name == "posix" else f"{name}.open")
                self._handle = os.fdopen(open_new(staging, os.O_RDWR | os.O_APPEND), "a+", encoding="utf-8")
                if not _try_lock(self._handle):
                    raise OSError(f"cannot lock session marker {staging}")
                self._path = self.sessions_dir / f"{name}.open"
                if staging != self._path:
                    os.replace(staging, self._path)
            self._handle.write(rel_dir + "\n")
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._dirs.add(rel_dir)

    def close(self) -> None:
        with self._lock:
            if self._handle is None:
                return
            assert self._path is not None
            # Unlink while still holding the lock so no one adopts a half-closed marker.
            self._path.unlink(missing_ok=True)
            self._handle.close()
            self._handle = None
            self._dirs.clear()


class StaleMarker:
    """A dead session's marker, locked by us while we reconcile its folders."""

    def __init__(self, path: Path, handle: IO[str]) -> None:
        self.path = path
        self._handle = handle
        handle.seek(0)
        self.dirs = sorted({line.strip() for line in handle.read().splitlines() if line.strip()})

    def release(self) -> None:
        self.path.unlink(missing_ok=True)
        self._handle.close()


def stale_markers(sessions_dir: Path) -> list[StaleMarker]:
    """Markers of sessions that ended without `close()`; live sessions keep theirs locked."""
    if not sessions_dir.is_dir():
        return []
    found = []
    for path in sessions_dir.glob("*.open"):
        try:
            handle = path.open("r+", encoding="utf-8")
        except OSError:
            continue
        if _try_lock(handle):
            found.append(StaleMarker(path, handle))
        else:
            handle.close()
    return found
