"""The draft survives a restart and a crash: saved atomically soon after every edit and at quit,
restored at start.

A save writes `draft.json` in the data folder (temp file, fsync, rename: a crash leaves the old
draft or the new one, never half). Local reference images are first copied into the library's
content-addressed inputs (`library/inputs/<sha[:2]>/<sha>.<ext>`, the same copy a job keeps), and the
draft names them by that address, relative to the library; so a restored draft never points at a
file that was moved, renamed or deleted since, nor at a library folder that moved. The copy and
the write run on a pool thread; the UI thread only takes a snapshot of the draft.

The first edit after a save starts a short timer (`DELAY_MS`); edits while it runs ride along, so
a draft typed into without pause is still saved every `DELAY_MS`, well within a second.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from wan27_desktop.api.errors import WanError
from wan27_desktop.jobs.background import BackgroundWork
from wan27_desktop.json_store import read_json, write_json_atomically
from wan27_desktop.workspace.draft import Draft

if TYPE_CHECKING:
    from wan27_desktop.library import Library

log = logging.getLogger(__name__)

DRAFT_FILE = "draft.json"
DELAY_MS = 400

# (path, size, mtime_ns) -> the input's address relative to library/inputs: a file is hashed once.
_Identity = tuple[str, int, int]


class DraftStore(QObject):
    """Keeps `draft` in `path`; `library_root()` is the folder the library lives in now (it can
    move). `saved` follows each completed save, `failed(text)` a failed one."""

    saved = Signal()
    failed = Signal(str)

    def __init__(
        self,
        draft: Draft,
        path: Path,
        library_root: Callable[[], Path],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.draft = draft
        self.path = path
        self._root = library_root
        # One writer, so saves land in order; a file that cannot be written is reported, not raised.
        self._work = BackgroundWork(self, pool="draft", expected=(OSError, WanError))
        self._lock = threading.Lock()
        self._opened: Library | None = None  # opened on the pool when the first reference is kept
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self.save)
        self._addresses: dict[_Identity, str] = {}
        self._loading = False
        self._generation = 0  # bumped by every save; a slower, older save never overwrites a newer one
        self.dirty = False
        draft.modified.connect(self._modified)

    # -- reading ------------------------------------------------------------------------------------
    def restore(self) -> bool:
        """Load the saved draft into `draft` (call at start, before anyone edits). False when there
        is none or it cannot be read (a damaged file is kept aside as draft.json.damaged)."""
        data = read_json(self.path)
        if not isinstance(data, dict):
            return False
        inputs = self._inputs_dir()
        references = []
        for entry in data.get("references") or []:
            if not isinstance(entry, dict):
                continue
            address = entry.get("input")
            if isinstance(address, str) and (inputs / address).is_file():
                entry = {**entry, "source": str(inputs / address)}
            references.append(entry)
        self._loading = True
        try:
            self.draft.load_json({**data, "references": references})
        finally:
            self._loading = False
        return True

    def _inputs_dir(self) -> Path:
        from wan27_desktop.library import LibraryPaths

        return LibraryPaths(self._root()).inputs_dir

    def _library(self) -> Library:  # pool thread
        from wan27_desktop.library import Library

        root = self._root()
        with self._lock:
            if self._opened is not None and self._opened.data_dir != root:
                self._opened.close()  # the library moved
                self._opened = None
            if self._opened is None:
                self._opened = Library.open(root, reconcile=False)
            return self._opened

    # -- writing ------------------------------------------------------------------------------------
    def _modified(self, _name: str) -> None:
        if self._loading:
            return
        self.dirty = True
        if not self._timer.isActive():
            self._timer.start()

    def save(self) -> None:
        """Save now, on the pool (the snapshot is taken here, on the UI thread)."""
        self._timer.stop()
        self.dirty = False
        self._generation += 1
        snapshot, generation = self.draft.to_json(), self._generation
        self._work.run(lambda: self._write(snapshot, generation), self._written, self._write_failed)

    def flush(self, wait_ms: int = 10_000) -> None:
        """Save what is not saved yet and wait for the writes to finish (at quit, before a move)."""
        if self.dirty or self._timer.isActive():
            self.save()
        self._work.wait(wait_ms)

    def close(self) -> None:
        """At quit: the last save, then the library connection it used is closed."""
        self.flush()
        with self._lock:
            if self._opened is not None:
                self._opened.close()
                self._opened = None

    def _write(self, snapshot: dict[str, Any], generation: int) -> int:  # pool thread
        inputs = self._inputs_dir()
        for entry in snapshot.get("references") or []:
            source = entry.get("source", "")
            if source and not source.lower().startswith(("http://", "https://")):
                address = self._address_of(Path(source), inputs)
                if address is not None:
                    entry["input"] = address
        if generation == self._generation:  # else a newer save is queued: it writes the newer draft
            write_json_atomically(self.path, snapshot)
        return generation

    def _address_of(self, path: Path, inputs: Path) -> str | None:
        """The reference's place in the library's inputs (copied there once), or None when the
        file cannot be read any more (the saved draft keeps its path; the strip says what is wrong)."""
        if path.is_relative_to(inputs):
            return path.relative_to(inputs).as_posix()
        try:
            stat = path.stat()
        except OSError:
            return None
        identity = (str(path), stat.st_size, stat.st_mtime_ns)
        address = self._addresses.get(identity)
        if address is None:
            try:
                _sha, stored = self._library().jobs.store_input(path)
            except (OSError, WanError):
                log.warning("could not keep reference %s with the draft", path, exc_info=True)
                return None
            address = stored.relative_to(inputs).as_posix()
            self._addresses[identity] = address
        return address

    def _written(self, generation: int) -> None:
        if generation == self._generation:
            self.saved.emit()

    def _write_failed(self, err: BaseException) -> None:
        text = f"{type(err).__name__}: {err}"
        log.warning("the draft could not be saved: %s", text)
        self.failed.emit(text)


def draft_path(app_data_dir: Path) -> Path:
    """Where the draft lives: the app's data folder (beside settings and prompt history)."""
    return app_data_dir / DRAFT_FILE
