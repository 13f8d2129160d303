"""`library.maintenance`: keeping the index and the files in step: reconcile, rebuild, import, export."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from wan27_desktop.library.adoption import Adoption, image_folders, is_stale_temp, quarantine
from wan27_desktop.library.db import Database
from wan27_desktop.library.embedding import facts_of_metadata, job_document, write_image_file
from wan27_desktop.library.errors import ExportIncomplete
from wan27_desktop.library.image_records import ImageRecord
from wan27_desktop.library.imagefiles import (
    EXTENSIONS,
    TEMP_PREFIX,
    image_size,
    sha256_of,
    sniff_format,
)
from wan27_desktop.library.images import ImageStore
from wan27_desktop.library.indexing import Indexer
from wan27_desktop.library.leases import Leases
from wan27_desktop.library.paths import LibraryPaths, day_dir_of
from wan27_desktop.library.pngmeta import PngError, read_metadata
from wan27_desktop.library.rebuild import rebuild_index
from wan27_desktop.library.reports import ImportReport, RebuildReport, ReconcileReport
from wan27_desktop.library.sessions import SessionMarker
from wan27_desktop.library.times import utc_now

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp"}


class Maintenance:
    """Work over the whole library. Exporting reads through the image store; importing and
    adopting insert through the same `Indexer` the image store lands downloads with."""

    def __init__(
        self,
        db: Database,
        paths: LibraryPaths,
        *,
        images: ImageStore,
        indexer: Indexer,
        marker: SessionMarker,
        library_id: str,
        leases: Leases,
    ) -> None:
        self.db = db
        self._leases = leases
        self.paths = paths
        self._images = images
        self._indexer = indexer
        self._marker = marker
        self._library_id = library_id
        self._adoption = Adoption(db, paths, indexer, library_id)

    def reconcile(self, dirs: Iterable[str] | None = None) -> ReconcileReport:
        """Make the index match the files, never deleting anything.

        Orphan files carrying our metadata are adopted (linked to their job and result slot);
        other files are moved to library/quarantine/ with a log line; rows whose file is gone are
        flagged `missing` (and unflagged when it comes back); the report lists every row in the
        checked folders whose file is missing. `dirs` (relative 'images/Y/M/D')
        limits the work to those folders: that is what `open` does after a crash; the default
        (None) checks every folder - run it explicitly, it reads every directory entry.
        """
        full = dirs is None
        folders = image_folders(self.paths) if dirs is None else [self.paths.abs_path(d) for d in dirs]
        adopted: list[Path] = []
        quarantined: list[Path] = []
        seen: set[str] = set()
        for folder in folders:
            if not folder.is_dir():
                continue
            prefix = self.paths.rel_path(folder) + "/"
            with self.db.read() as conn:
                known = {
                    r[0]
                    for r in conn.execute(
                        "SELECT path FROM images WHERE path >= ? AND path < ?", (prefix, prefix[:-1] + "0")
                    )
                }
            for entry in os.scandir(folder):
                if not entry.is_file():
                    continue
                path = Path(entry.path)
                rel = self.paths.rel_path(path)
                if rel in known:
                    seen.add(rel)
                    continue
                if path.name.startswith(TEMP_PREFIX):
                    if is_stale_temp(path):
                        quarantined.append(quarantine(self.paths, path, "incomplete write (temp file)"))
                    continue
                outcome, _record = self._adoption.adopt_file(path, require_ours=True)
                if outcome == "adopted":
                    adopted.append(path)
                    seen.add(rel)
                else:
                    quarantined.append(quarantine(self.paths, path, outcome))
        missing, found_again = self._flag_missing(folders if not full else None, seen)
        return ReconcileReport(
            tuple(adopted),
            tuple(quarantined),
            tuple(missing),
            tuple(found_again),
            scanned_dirs=len(folders),
            full_scan=full,
        )

    def _flag_missing(self, folders: list[Path] | None, seen: set[str]) -> tuple[list[int], list[int]]:
        with self.db.read() as conn:
            if folders is None:
                rows = conn.execute("SELECT id, path, missing FROM images").fetchall()
            else:
                rows = []
                for folder in folders:
                    prefix = self.paths.rel_path(folder) + "/"
                    rows += conn.execute(
                        "SELECT id, path, missing FROM images WHERE path >= ? AND path < ?", (prefix, prefix[:-1] + "0")
                    ).fetchall()
        missing, newly_missing, found_again = [], [], []
        for image_id, rel, flagged in rows:
            exists = rel in seen or self.paths.abs_path(rel).is_file()
            if not exists:
                missing.append(image_id)
                if not flagged:
                    newly_missing.append(image_id)
            elif flagged:
                found_again.append(image_id)
        with self.db.write() as conn:
            conn.executemany("UPDATE images SET missing = 1 WHERE id = ?", [(i,) for i in newly_missing])
            conn.executemany("UPDATE images SET missing = 0 WHERE id = ?", [(i,) for i in found_again])
        return missing, found_again

    # -- import / export --------------------------------------------------------------------------
    def import_dir(self, path: Path, *, recursive: bool = True) -> ImportReport:
        """Copy PNG/JPEG/WebP files in (the user's files are never moved or changed), reading our
        metadata and A1111 `parameters` where present. Files already in the library are skipped."""
        root = Path(path)
        files = sorted(
            p
            for p in (root.rglob("*") if recursive else root.iterdir())
            if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES and not p.name.startswith(".")
        )
        imported: list[int] = []
        duplicates: list[Path] = []
        failed: list[tuple[Path, str]] = []
        for file in files:
            try:
                record = self.import_file(file)
            except (PngError, OSError, ValueError) as err:
                failed.append((file, str(err)))
                continue
            if record is None:
                duplicates.append(file)
            else:
                imported.append(record.id)
        return ImportReport(tuple(imported), tuple(duplicates), tuple(failed))

    def import_file(self, file: Path) -> ImageRecord | None:
        """Import one image file; None when the same bytes are already in the library."""
        fmt = sniff_format(file)
        origin = sha256_of(file)
        with self.db.read() as conn:
            if conn.execute(
                "SELECT 1 FROM images WHERE sha256 = ? OR origin_sha256 = ? LIMIT 1", (origin, origin)
            ).fetchone():
                return None
        meta = read_metadata(file)
        width, height = image_size(file, fmt)
        facts = facts_of_metadata(meta)
        created_at = utc_now()
        base = dict(meta["wan27"]) if meta.get("wan27") else {}
        if "job_id" in base:  # another library's (or an export's) job id means nothing here
            base["origin_job_id"] = base.pop("job_id")
        base.update(
            {
                "imported": True,
                "original_name": file.name,
                "prompt": facts.prompt,
                "model": facts.model,
                "seed": facts.seed,
                "size": facts.size_label,
                "mode": facts.mode,
                "is_set": facts.is_set,
                "has_refs": facts.has_refs,
            }
        )
        if meta.get("parameters"):
            base["parameters"] = meta["text"].get("parameters")
        doc = job_document(None, base, 0, created_at, self._library_id)
        texts = meta.get("text", {})
        rel_dir = day_dir_of(created_at)
        self._marker.note_dir(rel_dir)
        jpeg_has_own = fmt == "jpeg" and bool(texts)
        target, sha, size = write_image_file(
            file,
            fmt,
            self.paths.abs_path(rel_dir),
            doc,
            facts,
            width,
            height,
            lambda s: f"import-{s[:12]}{EXTENSIONS[fmt]}",
            add_parameters="parameters" not in texts,
            add_xmp="XML:com.adobe.xmp" not in texts,
            as_is=jpeg_has_own,
        )  # a JPEG's own XMP/comment is the user's; keep its bytes
        return self._indexer.insert(
            path=target,
            sha=sha,
            size=size,
            fmt=fmt,
            width=width,
            height=height,
            created_at=created_at,
            job_id=None,
            result_id=None,
            index=0,
            facts=facts,
            meta_json=doc,
            origin_sha=origin,
        )

    def export(self, ids: Iterable[int], dest_dir: Path) -> list[Path]:
        """Copy images out byte for byte (metadata chunks included). Names are our own file names,
        made unique in `dest_dir` with ' (2)', ' (3)'... never overwriting anything there.

        An image whose file is gone (or unreadable) does not stop the others: they are exported,
        then ExportIncomplete names what was not (its `written` lists what was)."""
        dest = Path(dest_dir)
        dest.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        failed: list[tuple[int, str]] = []
        for image in self._images.require(ids):
            try:
                source = image.path.open("rb")
            except OSError as err:  # this image's problem: the others are still exported
                reason = (
                    "is missing" if isinstance(err, FileNotFoundError) else f"cannot be read: {err.strerror or err}"
                )
                failed.append((image.id, f"the file of image {image.id} {reason} ({image.path})"))
                continue
            with source:
                written.append(_export_one(source, image.path, dest))
        if failed:
            raise ExportIncomplete(written, failed)
        return written

    def rebuild(self, *, keep_annotations: bool = True) -> RebuildReport:
        """Re-index every image file into a fresh database and swap it in (see `rebuild.py`).
        Refused (LibraryBusy) while a job runs in any process, whose images would land in the
        database being replaced, and while another window or command has the library open, which
        would go on using the replaced file."""
        with self._leases.exclusive("rebuild"), self.db.sole_use("rebuild"):
            return rebuild_index(self.db, self.paths, self._library_id, keep_annotations=keep_annotations)


def _export_one(source: BinaryIO, path: Path, dest: Path) -> Path:
    """Copy one open image file into `dest` under a name nothing there has; an error writing it
    (the destination's problem, so the caller stops) leaves no partial file."""
    stem, suffix = path.stem, path.suffix
    counter = 1
    while True:
        target = dest / (f"{stem}{suffix}" if counter == 1 else f"{stem} ({counter}){suffix}")
        try:
            out = target.open("xb")
        except FileExistsError:
            counter += 1
            continue
        break
    try:
        with out:
            while block := source.read(1024 * 1024):
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target
