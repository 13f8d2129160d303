"""Move a library to another folder without ever having less than one complete library. Qt-free.

A library root holds `library/` (the SQLite index and job journal, results, content-addressed
reference images, quarantine), `cache/` (thumbnails) and `incoming/` (downloads not landed yet).
Settings, logs, prompt history and saved palettes stay in the app's data folder.

The steps, each one safe to be killed in:
1. `plan_move` refuses what cannot work: the target inside the source, not empty, not writable, or
   too small (`shutil.disk_usage`). It changes nothing.
2. `copy_library` marks the target "move in progress", copies the database with SQLite's backup API
   (it reads through the WAL, so work committed but not yet checkpointed is included) and every
   file, fsync'd, then verifies: file count and sizes, `integrity_check`, the row count of every
   table, and that the library opens. Cancel or a failure removes the partial copy; the source is
   never written to. A partial copy left by a kill is recognised by its marker and replaced.
3. The caller switches its setting to the target only now (a kill before: the old library is used).
4. `finish_move` drops the target's marker and removes the old copy, unless something wrote to it
   during the move (another window, or the `wan27` command): then it is kept, with a note.
`move_library` runs all four for the CLI and the tests; the app runs them around its own switch.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.crashpoints import crashpoint
from wan27_desktop.library.errors import LibraryError
from wan27_desktop.library.imagefiles import fsync_dir
from wan27_desktop.library.leases import Leases
from wan27_desktop.library.paths import DB_NAME, LIBRARY_DIRNAME
from wan27_desktop.library.space import format_size, nearest_existing
from wan27_desktop.private_files import make_dirs, open_new

LIBRARY_ENTRIES = (LIBRARY_DIRNAME, "cache", "incoming")
IN_PROGRESS_MARKER = ".wan27-move-in-progress"
MOVED_NOTE = "WAN27-LIBRARY-MOVED.txt"
# Files a file manager may drop into a fresh folder; they do not make it "not empty".
IGNORED_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", ".directory", IN_PROGRESS_MARKER})
DB_FILES = frozenset({DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", f"{DB_NAME}-journal"})
SESSIONS_DIRNAME = "sessions"  # live sessions' dirty markers: they belong to the old place
LEASES_DIRNAME = "leases"  # which process runs which job: locks held in the old place
CHUNK = 1 << 20
BACKUP_PAGES = 256
FREE_SPACE_MARGIN = 32 << 20

CHANGED_DURING_MOVE = QT_TRANSLATE_NOOP(
    "WanError",
    "The library changed while it was being copied (another Wan 2.7 window or the wan27 command wrote to it).",
)
CHANGED_HINT = QT_TRANSLATE_NOOP(
    "WanError", "Nothing was moved. Wait until nothing else uses the library, then move it again."
)

Progress = Callable[[int, int], None]  # bytes done, bytes in total
ShouldCancel = Callable[[], bool]


class MoveRefused(LibraryError):
    """The move cannot start; nothing was changed. Messages are templates (see api/translatable.py)."""

    default_hint = QT_TRANSLATE_NOOP("WanError", "Choose an empty folder on a disk with enough free space.")

    def __init__(self, message: str, *, reason: str, hint: str | None = None, **values: object) -> None:
        super().__init__(message, code="MoveRefused", hint=hint, values={k: str(v) for k, v in values.items()})
        self.reason = reason  # inside_source | same | not_empty | not_writable | no_space | no_library


class MoveCanceled(LibraryError):
    default_hint = QT_TRANSLATE_NOOP("WanError", "The library was not moved; it is still in its old folder.")

    def __init__(self) -> None:
        super().__init__(QT_TRANSLATE_NOOP("WanError", "The move was canceled."), code="MoveCanceled")


class MoveFailed(LibraryError):
    default_hint = QT_TRANSLATE_NOOP("WanError", "The library was not moved; it is still in its old folder. Try again.")


@dataclass(frozen=True)
class FileEntry:
    rel: str  # posix path relative to the library root
    size: int


@dataclass(frozen=True)
class MovePlan:
    source: Path
    target: Path
    files: tuple[FileEntry, ...]  # everything but the database, which is copied by backup
    db_bytes: int
    free_bytes: int
    target_existed: bool
    leftover: bool  # the target holds a partial copy from an interrupted move (it is replaced)

    @property
    def total_bytes(self) -> int:
        return self.db_bytes + sum(entry.size for entry in self.files)

    @property
    def file_count(self) -> int:
        return len(self.files) + 1  # + the database


@dataclass(frozen=True)
class CopyReport:
    plan: MovePlan
    files: int
    bytes: int
    fingerprint: dict[str, object]  # row counts and last changes: the same in both copies


@dataclass(frozen=True)
class RemovalReport:
    removed: bool  # the old copy is gone
    kept_reason: str | None = None  # why it was kept ("changed", or the OS error)
    leftovers: tuple[Path, ...] = ()
    note: Path | None = None  # the note left in the old folder, if any
    details: list[str] = field(default_factory=list)


# -- 1. plan ------------------------------------------------------------------------------------


def is_library_root(path: Path) -> bool:
    return (Path(path) / LIBRARY_DIRNAME / DB_NAME).is_file()


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def _visible_entries(folder: Path) -> list[str]:
    try:
        return sorted(name for name in os.listdir(folder) if name not in IGNORED_NAMES)
    except FileNotFoundError:
        return []


def _writable(folder: Path) -> bool:
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".wan27-probe-"):
            return True
    except OSError:
        return False


def _walk_files(root: Path) -> Iterator[Path]:
    """Every file under the root's library entries, except the database and live-session markers."""
    for entry in LIBRARY_ENTRIES:
        top = root / entry
        if not top.is_dir():
            continue
        for folder, dirs, files in os.walk(top):
            here = Path(folder)
            if here == root / LIBRARY_DIRNAME:
                dirs[:] = [d for d in dirs if d not in (SESSIONS_DIRNAME, LEASES_DIRNAME)]
                files = [f for f in files if f not in DB_FILES]
            dirs.sort()
            for name in sorted(files):
                yield here / name


def _refuse_while_jobs_run(source: Path) -> None:
    """A job running in any process (another window, the `wan27` command) writes to the old place."""
    running = Leases(source / LIBRARY_DIRNAME / LEASES_DIRNAME).held()
    if running:
        raise MoveRefused(
            QT_TRANSLATE_NOOP("WanError", "{count} job(s) are running in another Wan 2.7 window or command ({jobs})."),
            reason="jobs_running",
            count=len(running),
            jobs="; ".join(f"job {job}: {owner}" for job, owner in sorted(running.items())),
            hint=QT_TRANSLATE_NOOP("WanError", "Wait for them to finish, then move the library."),
        )


def plan_move(source: Path, target: Path, *, app_data_dir: Path | None = None) -> MovePlan:
    """Check that `source` (a library root) can be moved to `target`; raises MoveRefused.

    `target` must be empty (or hold only a partial copy left by an interrupted move). The app's
    own data folder is also accepted while it holds no library: that is how a library moves back.
    """
    source = Path(source).expanduser().resolve()
    target = Path(target).expanduser().resolve()
    if not is_library_root(source):
        raise MoveRefused(
            QT_TRANSLATE_NOOP("WanError", "There is no library in {source} to move."),
            reason="no_library",
            source=source,
            hint=QT_TRANSLATE_NOOP("WanError", "Check the library folder in Settings."),
        )
    if target == source:
        raise MoveRefused(
            QT_TRANSLATE_NOOP("WanError", "The library is already in this folder."),
            reason="same",
            hint=QT_TRANSLATE_NOOP("WanError", "Choose another folder."),
        )
    if _inside(target, source):
        raise MoveRefused(
            QT_TRANSLATE_NOOP("WanError", "{target} is inside the library's current folder {source}."),
            reason="inside_source",
            target=target,
            source=source,
            hint=QT_TRANSLATE_NOOP("WanError", "Choose a folder outside the current library folder."),
        )
    _refuse_while_jobs_run(source)
    if target.exists() and not target.is_dir():
        raise MoveRefused(
            QT_TRANSLATE_NOOP("WanError", "{target} is a file, not a folder."),
            reason="not_empty",
            target=target,
            hint=QT_TRANSLATE_NOOP("WanError", "Choose an empty folder."),
        )
    leftover = (target / IN_PROGRESS_MARKER).is_file()
    entries = _visible_entries(target)
    if leftover:
        entries = [name for name in entries if name not in LIBRARY_ENTRIES]
    is_app_dir = app_data_dir is not None and target == Path(app_data_dir).expanduser().resolve()
    if is_app_dir and not any(name in LIBRARY_ENTRIES for name in entries):
        entries = []  # settings and logs live there; the library may come home
    if entries:
        shown = ", ".join(entries[:3]) + (", …" if len(entries) > 3 else "")
        raise MoveRefused(
            QT_TRANSLATE_NOOP("WanError", "The folder {target} is not empty ({entries})."),
            reason="not_empty",
            target=target,
            entries=shown,
            hint=QT_TRANSLATE_NOOP("WanError", "Choose an empty folder, or create a new folder for the library."),
        )
    existing = nearest_existing(target)
    if not existing.is_dir() or not _writable(existing):
        raise MoveRefused(
            QT_TRANSLATE_NOOP("WanError", "The folder {folder} cannot be written to."),
            reason="not_writable",
            folder=existing,
            hint=QT_TRANSLATE_NOOP("WanError", "Choose a folder you can write to, or change its permissions."),
        )
    files = []
    for path in _walk_files(source):
        with contextlib.suppress(FileNotFoundError):  # a thumbnail replaced while we looked
            files.append(FileEntry(path.relative_to(source).as_posix(), path.stat().st_size))
    db_bytes = sum(_size(source / LIBRARY_DIRNAME / name) for name in (DB_NAME, f"{DB_NAME}-wal"))
    free = shutil.disk_usage(existing).free
    plan = MovePlan(source, target, tuple(files), db_bytes, free, target.exists(), leftover)
    needed = plan.total_bytes + max(FREE_SPACE_MARGIN, plan.total_bytes // 50)
    if free < needed:
        raise MoveRefused(
            QT_TRANSLATE_NOOP(
                "WanError", "Not enough free space in {folder}: the library needs {needed}, {free} is free."
            ),
            reason="no_space",
            folder=existing,
            needed=format_size(needed),
            free=format_size(free),
            hint=QT_TRANSLATE_NOOP("WanError", "Free some space there or choose another disk."),
        )
    return plan


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


# -- 2. copy and verify -------------------------------------------------------------------------


class _Counter:
    def __init__(self, total: int, progress: Progress | None, should_cancel: ShouldCancel | None) -> None:
        self.done = 0
        self.total = total
        self._progress = progress
        self._should_cancel = should_cancel

    def add(self, count: int) -> None:
        self.done += count
        if self._progress is not None:
            self._progress(min(self.done, self.total), self.total)
        if self._should_cancel is not None and self._should_cancel():
            raise MoveCanceled()


def copy_library(
    plan: MovePlan, *, progress: Progress | None = None, should_cancel: ShouldCancel | None = None
) -> CopyReport:
    """Copy and verify (step 2). On cancel or failure the target is left as it was before (a
    folder we created is removed again) and MoveCanceled / MoveFailed / OSError is raised."""
    _refuse_while_jobs_run(plan.source)  # again: one may have started while the user confirmed
    counter = _Counter(plan.total_bytes, progress, should_cancel)
    target = plan.target
    try:
        if plan.leftover:
            _remove_entries(target)  # a previous attempt's partial copy
        make_dirs(target)
        _write_marker(target, plan.source)
        counter.add(0)
        fingerprint = _copy_database(plan, counter)
        copied = _copy_files(plan, counter)
        _verify(plan, copied, fingerprint)
        _fsync_tree(target)
    except BaseException:
        discard_copy(plan)
        raise
    if progress is not None:
        progress(plan.total_bytes, plan.total_bytes)
    return CopyReport(plan, len(copied) + 1, plan.total_bytes, fingerprint)


def _write_marker(target: Path, source: Path) -> None:
    marker = target / IN_PROGRESS_MARKER
    with marker.open("w", encoding="utf-8") as handle:
        handle.write(
            f"A Wan 2.7 library is being copied here from {source}.\n"
            "If this file stays, the copy did not finish: the library is still in its old folder "
            "and this folder can be deleted.\n"
        )
        handle.flush()
        os.fsync(handle.fileno())


def _open_db(path: Path) -> sqlite3.Connection:
    """An existing database (mode=rw: a missing file is an error, never a new empty database)."""
    conn = sqlite3.connect(
        f"{path.absolute().as_uri()}?mode=rw", uri=True, isolation_level=None, check_same_thread=False, timeout=10
    )
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


_LAST_CHANGES = (
    "SELECT max(updated_at) FROM jobs",
    "SELECT max(trashed_at), total(rating), total(favourite) FROM images",
)


def _fingerprint(conn: sqlite3.Connection) -> dict[str, object]:
    """Row counts of every table plus the latest job update and the images' curation: enough to
    tell that a library was written to (a new job or image, a job that moved on, a rating)."""
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
        )
    ]
    found: dict[str, object] = {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}
    for query in _LAST_CHANGES:
        with contextlib.suppress(sqlite3.OperationalError):  # an older or newer schema
            found[query] = tuple(conn.execute(query).fetchone())
    return found


def _data_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA data_version").fetchone()[0])


def _copy_database(plan: MovePlan, counter: _Counter) -> dict[str, object]:
    source_db = plan.source / LIBRARY_DIRNAME / DB_NAME
    target_db = plan.target / LIBRARY_DIRNAME / DB_NAME
    make_dirs(target_db.parent)
    src = _open_db(source_db)
    try:
        # Move committed pages from the WAL into the database where no reader needs them; the
        # backup below reads through the WAL anyway, so nothing committed is left behind.
        src.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        version = _data_version(src)
        page_size = int(src.execute("PRAGMA page_size").fetchone()[0])
        with contextlib.suppress(FileExistsError):  # user-only, like every database the app creates
            os.close(open_new(target_db))
        dst = sqlite3.connect(str(target_db), isolation_level=None)
        copied_pages = 0
        budget = plan.db_bytes

        def step(_status: int, remaining: int, total: int) -> None:
            nonlocal copied_pages, budget
            now = total - remaining
            grown = min((now - copied_pages) * page_size, budget)  # progress stays within the plan
            copied_pages = now
            budget -= grown
            counter.add(max(grown, 0))

        try:
            src.backup(dst, pages=BACKUP_PAGES, progress=step)
            dst.execute("PRAGMA journal_mode = WAL").fetchone()
        finally:
            dst.close()
        counter.add(budget)  # the plan's estimate (db + wal) is now fully accounted for
        fingerprint = _fingerprint(src)
        if _data_version(src) != version:  # another connection committed while we copied
            raise MoveFailed(CHANGED_DURING_MOVE, code="MoveSourceChanged", hint=CHANGED_HINT)
        return fingerprint
    finally:
        src.close()


def _copy_files(plan: MovePlan, counter: _Counter) -> list[FileEntry]:
    copied: list[FileEntry] = []
    for entry in plan.files:
        src = plan.source / entry.rel
        dst = plan.target / entry.rel
        make_dirs(dst.parent)
        try:
            size = _copy_file(src, dst, counter)
        except FileNotFoundError:
            if entry.rel.startswith("cache/"):
                counter.add(entry.size)  # a thumbnail replaced meanwhile: made again when needed
                continue
            raise MoveFailed(
                QT_TRANSLATE_NOOP("WanError", "{path} disappeared during the move."),
                code="MoveSourceChanged",
                hint=CHANGED_HINT,
                values={"path": str(src)},
            ) from None
        counter.add(max(entry.size - size, 0))  # a file that shrank still completes its share
        copied.append(FileEntry(entry.rel, size))
    return copied


def _copy_file(src: Path, dst: Path, counter: _Counter) -> int:
    written = 0
    with src.open("rb") as reader, dst.open("wb") as writer:
        while True:
            block = reader.read(CHUNK)
            if not block:
                break
            writer.write(block)
            written += len(block)
            counter.add(len(block))
        writer.flush()
        os.fsync(writer.fileno())
    shutil.copystat(src, dst)
    return written


def _verify(plan: MovePlan, copied: list[FileEntry], fingerprint: dict[str, object]) -> None:
    problems = []
    for entry in copied:
        source_size = _size(plan.source / entry.rel)
        target_size = _size(plan.target / entry.rel)
        if not entry.size == source_size == target_size:
            problems.append(f"{entry.rel}: {source_size} bytes in the library, {target_size} in the copy")
    found = sum(1 for _ in _walk_files(plan.target))
    if found != len(copied):
        problems.append(f"{found} files in the copy, {len(copied)} expected")
    dst = _open_db(plan.target / LIBRARY_DIRNAME / DB_NAME)
    try:
        check = [row[0] for row in dst.execute("PRAGMA integrity_check")]
        if check != ["ok"]:
            problems.append("database copy: " + "; ".join(check[:3]))
        elif _fingerprint(dst) != fingerprint:
            problems.append("database copy: its rows differ from the original's")
    finally:
        dst.close()
    if not problems:
        from wan27_desktop.library.library import Library  # deferred: library.py imports this package's modules

        try:
            Library.open(plan.target, reconcile=False).close()
        except (LibraryError, sqlite3.DatabaseError) as err:
            problems.append(f"the copy does not open: {err}")
    if problems:
        raise MoveFailed(
            QT_TRANSLATE_NOOP("WanError", "The copy of the library did not match the original: {problems}"),
            code="MoveVerifyFailed",
            values={"problems": "; ".join(problems[:5])},
        )


def _fsync_tree(root: Path) -> None:
    """Make the new directory entries durable before the setting points at them (POSIX)."""
    if os.name != "posix":
        return
    for folder, _dirs, _files in os.walk(root):
        fsync_dir(Path(folder))


def _remove_entries(root: Path) -> list[Path]:
    """Delete the library entries under `root`; returns what could not be deleted."""
    left: list[Path] = []

    def failed(_fn: object, path: str, _exc: object) -> None:
        left.append(Path(path))

    for name in LIBRARY_ENTRIES:
        path = root / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, onerror=failed)
        elif path.exists() or path.is_symlink():
            try:
                path.unlink()
            except OSError:
                left.append(path)
    return left


def discard_copy(plan: MovePlan) -> None:
    """Undo a copy that did not complete: only what this move created in the target goes."""
    left = _remove_entries(plan.target)
    if not left:
        with contextlib.suppress(FileNotFoundError):
            (plan.target / IN_PROGRESS_MARKER).unlink()
        if not plan.target_existed:
            with contextlib.suppress(OSError):
                plan.target.rmdir()


# -- 4. finish: drop the marker, remove the old copy ----------------------------------------------


def finish_move(report: CopyReport, *, app_data_dir: Path | None = None) -> RemovalReport:
    """After the caller switched to the target: the target stops being "in progress", and the old
    copy is removed unless anything wrote to it since the snapshot. Never raises for a file that
    cannot be deleted: the report lists it, and a note in the old folder says what happened."""
    plan = report.plan
    with contextlib.suppress(FileNotFoundError):
        (plan.target / IN_PROGRESS_MARKER).unlink()
    source = plan.source
    changed = _changed_since(report)
    if changed:
        note = _write_note(source, plan.target, kept=changed)
        return RemovalReport(False, kept_reason="changed", note=note, details=[changed])
    note = _write_note(source, plan.target, kept=None)
    crashpoint("library_move_removing")
    left = _remove_entries(source)
    if left:
        note = _write_note(source, plan.target, kept=None, leftovers=left)
        return RemovalReport(
            False, kept_reason="locked", leftovers=tuple(left), note=note, details=[str(path) for path in left[:5]]
        )
    is_app_dir = app_data_dir is not None and source == Path(app_data_dir).expanduser().resolve()
    if note is not None:
        note.unlink(missing_ok=True)
    if not is_app_dir and not _visible_entries(source):
        with contextlib.suppress(OSError):
            for name in IGNORED_NAMES:
                (source / name).unlink(missing_ok=True)
            source.rmdir()
    return RemovalReport(True)


def _changed_since(report: CopyReport) -> str | None:
    """A reason when the old database was written to after the copy's snapshot."""
    db = report.plan.source / LIBRARY_DIRNAME / DB_NAME
    try:
        conn = _open_db(db)
    except sqlite3.Error as err:
        return f"the old database could not be checked: {err}"
    try:
        fingerprint = _fingerprint(conn)
    except sqlite3.Error as err:
        return f"the old database could not be checked: {err}"
    finally:
        conn.close()
    if fingerprint != report.fingerprint:
        return "the old library was written to during the move"
    return None


def _write_note(source: Path, target: Path, *, kept: str | None, leftovers: list[Path] | None = None) -> Path | None:
    when = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    lines = [f"This Wan 2.7 library was moved to {target} on {when}.", ""]
    if kept:
        lines += [
            "The old copy here was KEPT because " + kept + ".",
            "Images made since the move started may only be here: open the new library and use",
            "File > Import Folder on this folder's library/images to bring them over, then delete it.",
        ]
    elif leftovers:
        lines += ["These could not be deleted and are safe to delete by hand:"]
        lines += [f"  {path}" for path in leftovers[:50]]
    else:
        lines += ["Removing the old copy. If this file stays, whatever is left here can be deleted."]
    path = source / MOVED_NOTE
    try:
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError:
        return None
    return path


# -- all steps ----------------------------------------------------------------------------------


def move_library(
    source: Path,
    target: Path,
    switch: Callable[[Path], None],
    *,
    app_data_dir: Path | None = None,
    progress: Progress | None = None,
    should_cancel: ShouldCancel | None = None,
) -> RemovalReport:
    """Plan, copy and verify, `switch(target)` (persist the new location; must raise on failure),
    then remove the old copy. A kill at any point leaves the library the setting names complete."""
    plan = plan_move(source, target, app_data_dir=app_data_dir)
    report = copy_library(plan, progress=progress, should_cancel=should_cancel)
    crashpoint("library_move_copied")
    try:
        switch(plan.target)
    except BaseException:
        discard_copy(plan)
        raise
    crashpoint("library_move_switched")
    return finish_move(report, app_data_dir=app_data_dir)
