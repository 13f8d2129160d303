"""Keeping the index and the files in step: reconcile, rebuild, import, export."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from wan27_desktop.library.adoption import Adoption
from wan27_desktop.library.base import day_dir_of, utc_now
from wan27_desktop.library.embedding import facts_of_metadata, job_document, write_image_file
from wan27_desktop.library.imagefiles import (
    EXTENSIONS,
    TEMP_PREFIX,
    ImageFormatError,
    image_size,
    sha256_of,
    sniff_format,
)
from wan27_desktop.library.pngmeta import PngError, read_metadata
from wan27_desktop.library.records import ImageRecord, ImportReport, ReconcileReport

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp"}


class Maintenance(Adoption):
    def require_images(self, ids: Iterable[int]) -> list[ImageRecord]:  # provided by ImageStore
        raise NotImplementedError

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
        folders = self.image_folders() if dirs is None else [self.abs_path(d) for d in dirs]
        adopted: list[Path] = []
        quarantined: list[Path] = []
        seen: set[str] = set()
        for folder in folders:
            if not folder.is_dir():
                continue
            prefix = self.rel_path(folder) + "/"
            with self._db.read() as conn:
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
                rel = self.rel_path(path)
                if rel in known:
                    seen.add(rel)
                    continue
                if path.name.startswith(TEMP_PREFIX):
                    if self.is_stale_temp(path):
                        quarantined.append(self.quarantine(path, "incomplete write (temp file)"))
                    continue
                outcome, _record = self.adopt_file(path, require_ours=True)
                if outcome == "adopted":
                    adopted.append(path)
                    seen.add(rel)
                else:
                    quarantined.append(self.quarantine(path, outcome))
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
        with self._db.read() as conn:
            if folders is None:
                rows = conn.execute("SELECT id, path, missing FROM images").fetchall()
            else:
                rows = []
                for folder in folders:
                    prefix = self.rel_path(folder) + "/"
                    rows += conn.execute(
                        "SELECT id, path, missing FROM images WHERE path >= ? AND path < ?", (prefix, prefix[:-1] + "0")
                    ).fetchall()
        missing, newly_missing, found_again = [], [], []
        for image_id, rel, flagged in rows:
            exists = rel in seen or self.abs_path(rel).is_file()
            if not exists:
                missing.append(image_id)
                if not flagged:
                    newly_missing.append(image_id)
            elif flagged:
                found_again.append(image_id)
        with self._db.write() as conn:
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
        with self._db.read() as conn:
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
        doc = job_document(None, base, 0, created_at, self.library_id)
        texts = meta.get("text", {})
        rel_dir = day_dir_of(created_at)
        self._marker.note_dir(rel_dir)
        jpeg_has_own = fmt == "jpeg" and bool(texts)
        target, sha, size = write_image_file(
            file,
            fmt,
            self.abs_path(rel_dir),
            doc,
            facts,
            width,
            height,
            lambda s: f"import-{s[:12]}{EXTENSIONS[fmt]}",
            add_parameters="parameters" not in texts,
            add_xmp="XML:com.adobe.xmp" not in texts,
            as_is=jpeg_has_own,
        )  # a JPEG's own XMP/comment is the user's; keep its bytes
        return self._insert_image(
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
        made unique in `dest_dir` with ' (2)', ' (3)'... never overwriting anything there."""
        dest = Path(dest_dir)
        dest.mkdir(parents=True, exist_ok=True)
        written = []
        for image in self.require_images(ids):
            if not image.path.is_file():
                raise ImageFormatError(f"The file of image {image.id} is missing: {image.path}")
            stem, suffix = image.path.stem, image.path.suffix
            counter = 1
            while True:
                target = dest / (f"{stem}{suffix}" if counter == 1 else f"{stem} ({counter}){suffix}")
                try:
                    out = target.open("xb")
                except FileExistsError:
                    counter += 1
                    continue
                break
            with out, image.path.open("rb") as source:
                while block := source.read(1024 * 1024):
                    out.write(block)
                out.flush()
                os.fsync(out.fileno())
            written.append(target)
        return written

    def image_document(self, image: ImageRecord) -> dict[str, object]:
        """Stored document of an imported image (jobs' images read theirs from the job row)."""
        with self._db.read() as conn:
            row = conn.execute("SELECT meta_json FROM images WHERE id = ?", (image.id,)).fetchone()
        return json.loads(row[0]) if row and row[0] else {}
