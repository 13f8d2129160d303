"""`library.images`: landing a downloaded result in the library, and querying the index for the gallery.

Landing by rename (issue 14): a PNG result is downloaded straight into its final form - the
library's metadata chunks written right after its header as it streams in (`Landing.header`) -
so landing it is a rename from `incoming/` into `images/YYYY/MM/DD/`: the result needs its size
on disk once, not twice, and is never copied. Other formats, a download on another disk, or a
body that carries text chunks of our own keywords land by copy (`add`), as before.
"""

from __future__ import annotations

import errno
import json
import os
import struct
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

from wan27_desktop.api.imageformat import PNG_SIGNATURE
from wan27_desktop.api.imageformat.pngchunks import make_text_chunk, text_keywords
from wan27_desktop.crashpoints import crashpoint
from wan27_desktop.library.db import Database
from wan27_desktop.library.embedding import (
    ImageFacts,
    facts_of_document,
    job_document,
    png_metadata_chunks,
    write_image_file,
)
from wan27_desktop.library.errors import NotFound
from wan27_desktop.library.image_records import ImageRecord
from wan27_desktop.library.imagefiles import EXTENSIONS, atomic_write, copy_into, fsync_dir, image_size, sniff_format
from wan27_desktop.library.indexing import Indexer
from wan27_desktop.library.jobstore import JobStore
from wan27_desktop.library.paths import LibraryPaths, day_dir_of
from wan27_desktop.library.pngmeta import OUR_KEYS, PngError, read_metadata
from wan27_desktop.library.query import order_by, text_conditions, where_clause
from wan27_desktop.library.records import ImageQuery
from wan27_desktop.library.rows import IMAGE_COLUMNS, chunks, image_by_id, image_from_row, images_where
from wan27_desktop.library.sessions import SessionMarker
from wan27_desktop.library.times import utc_now
from wan27_desktop.private_files import make_dirs

MetadataFor = Callable[[int, int], dict[str, Any]]  # (width, height) -> the caller's metadata


class Downloaded(Protocol):
    """What landing needs of a download (`api.download.DownloadedFile`)."""

    @property
    def path(self) -> Path: ...
    @property
    def sha256(self) -> str | None: ...
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...


class Landing:
    """One result on its way into the library: `header` is given to the download as its
    `insert_after_header`, and writes the metadata chunks into the file as it arrives."""

    def __init__(self, store: ImageStore, job_id: int, index: int, metadata_for: MetadataFor) -> None:
        self.job_id = job_id
        self.index = int(index)
        self.metadata_for = metadata_for
        self._store = store
        self.doc: dict[str, Any] | None = None  # set once the header was seen and it is a PNG
        self.facts: ImageFacts | None = None
        self.created_at = ""
        self.size = (0, 0)

    def header(self, head: bytes) -> bytes:
        """The metadata chunks for a PNG whose signature and IHDR are `head`; b'' for anything else."""
        if len(head) < 33 or not head.startswith(PNG_SIGNATURE) or head[12:16] != b"IHDR":
            return b""
        width, height = struct.unpack(">II", head[16:24])
        self.created_at = utc_now()
        job = self._store._jobs.get(self.job_id)
        self.doc = job_document(
            job, self.metadata_for(width, height), self.index, self.created_at, self._store._library_id
        )
        self.facts = facts_of_document(self.doc)
        self.size = (width, height)
        return b"".join(make_text_chunk(c) for c in png_metadata_chunks(self.doc, self.facts, width, height))


class ImageStore:
    """The images table (and prompts, through it). Landing needs the job's record, so the job store
    is given; the session marker is told about a folder before a file is written into it."""

    def __init__(
        self,
        db: Database,
        paths: LibraryPaths,
        *,
        jobs: JobStore,
        indexer: Indexer,
        marker: SessionMarker,
        library_id: str,
        fts_tokenizer: str,
    ) -> None:
        self.db = db
        self.paths = paths
        self.fts_tokenizer = fts_tokenizer
        self._jobs = jobs
        self._indexer = indexer
        self._marker = marker
        self._library_id = library_id

    # -- landing ----------------------------------------------------------------------------------
    def add(
        self,
        job_id: int | None,
        result_id: int | None,
        index: int,
        downloaded: Path,
        *,
        metadata: dict[str, Any],
        keep_source: bool = False,
    ) -> ImageRecord:
        """Store a complete, verified download (PNG/JPEG/WebP) with its metadata, then index it.

        Order: file written (temp, fsync, rename into images/YYYY/MM/DD/<job>-<index>-<sha12>.<ext>),
        then ONE transaction inserts the row and marks the result downloaded. A crash in between
        leaves an orphan that carries job id and index, which `reconcile` adopts. Idempotent: the
        same (job, index) returns the existing record. `downloaded` is removed once committed
        unless `keep_source`. File names come only from our ids and the content hash.
        """
        if job_id is not None:
            existing = self._image_for_slot(job_id, index)
            if existing is not None:
                if not keep_source:
                    downloaded.unlink(missing_ok=True)
                return existing
        job = self._jobs.get(job_id) if job_id is not None else None
        fmt = sniff_format(downloaded)
        width, height = image_size(downloaded, fmt)
        created_at = utc_now()
        doc = job_document(job, metadata, index, created_at, self._library_id)
        facts = facts_of_document(doc)
        rel_dir = day_dir_of(created_at)
        prefix = f"{job_id}-{int(index)}" if job_id is not None else "image"
        self._marker.note_dir(rel_dir)  # before the file exists: a crash now is reconciled on open
        path, sha, size = write_image_file(
            downloaded,
            fmt,
            self.paths.abs_path(rel_dir),
            doc,
            facts,
            width,
            height,
            lambda s: f"{prefix}-{s[:12]}{EXTENSIONS[fmt]}",
        )
        crashpoint("library_after_rename")  # crash-safety tests SIGKILL here
        record = self._indexer.insert(
            path=path,
            sha=sha,
            size=size,
            fmt=fmt,
            width=width,
            height=height,
            created_at=created_at,
            job_id=job_id,
            result_id=result_id,
            index=index,
            facts=facts,
            meta_json=None if job_id is not None else doc,
        )
        if not keep_source:
            downloaded.unlink(missing_ok=True)
        return record

    def landing(self, job_id: int, index: int, metadata_for: MetadataFor) -> Landing:
        """Start landing result `index` of a job: pass `landing.header` to the download as its
        `insert_after_header`, then `land` the file it made."""
        return Landing(self, job_id, index, metadata_for)

    def land(self, landing: Landing, result_id: int | None, downloaded: Downloaded) -> ImageRecord:
        """Move a download made with `landing.header` into the library and index it.

        Same order and guarantees as `add`: the file is complete and fsynced (the download did
        that), renamed into its day folder (after the session marker names the folder), the
        folder fsynced, then ONE transaction inserts the row and marks the result downloaded.
        Falls back to `add` (a copy with the metadata) when the file was not made that way."""
        job_id, index = landing.job_id, landing.index
        existing = self._image_for_slot(job_id, index)
        if existing is not None:
            downloaded.path.unlink(missing_ok=True)
            return existing
        if landing.doc is None or landing.facts is None or downloaded.sha256 is None or not _ours_once(downloaded.path):
            return self.add(
                job_id,
                result_id,
                index,
                downloaded.path,
                metadata=landing.metadata_for(downloaded.width, downloaded.height),
            )
        rel_dir = day_dir_of(landing.created_at)
        folder = self.paths.abs_path(rel_dir)
        self._marker.note_dir(rel_dir)  # before the file exists there: a crash now is reconciled on open
        make_dirs(folder)
        sha = downloaded.sha256
        path = folder / f"{job_id}-{index}-{sha[:12]}.png"
        try:
            os.replace(downloaded.path, path)
        except OSError as err:
            if err.errno != errno.EXDEV:
                raise
            # incoming/ is on another disk (a symlink): one copy is unavoidable.
            path, sha, _size = atomic_write(
                folder, lambda out: copy_into(downloaded.path, out), lambda s: f"{job_id}-{index}-{s[:12]}.png"
            )
            downloaded.path.unlink(missing_ok=True)
        fsync_dir(folder)
        crashpoint("library_after_rename")  # crash-safety tests SIGKILL here
        width, height = landing.size
        return self._indexer.insert(
            path=path,
            sha=sha,
            size=path.stat().st_size,
            fmt="png",
            width=width,
            height=height,
            created_at=landing.created_at,
            job_id=job_id,
            result_id=result_id,
            index=index,
            facts=landing.facts,
            meta_json=None,
        )

    def _image_for_slot(self, job_id: int, index: int) -> ImageRecord | None:
        with self.db.read() as conn:
            found = images_where(conn, self.paths, "i.job_id = ? AND i.idx = ?", (job_id, int(index)))
        return found[0] if found else None

    # -- reading ----------------------------------------------------------------------------------
    def get(self, image_id: int) -> ImageRecord:
        with self.db.read() as conn:
            return image_by_id(conn, self.paths, image_id)

    def get_many(self, ids: Iterable[int]) -> list[ImageRecord]:
        wanted = list(dict.fromkeys(int(i) for i in ids))
        found: dict[int, ImageRecord] = {}
        with self.db.read() as conn:
            for chunk in chunks(wanted):
                for image in images_where(conn, self.paths, f"i.id IN ({','.join('?' * len(chunk))})", tuple(chunk)):
                    found[image.id] = image
        return [found[i] for i in wanted if i in found]

    def of_job(self, job_id: int) -> list[ImageRecord]:
        with self.db.read() as conn:
            return images_where(conn, self.paths, "i.job_id = ?", (job_id,), order="i.idx")

    def ids_after(self, image_id: int, limit: int = 1000) -> list[int]:
        """Ids of images added after `image_id` (trashed or not), oldest first: what a window that
        knows the library up to `image_id` has not seen (another window or the `wan27` command landed
        them). A range of the primary key: as cheap with 100,000 images as with 10."""
        with self.db.read() as conn:
            rows = conn.execute("SELECT id FROM images WHERE id > ? ORDER BY id LIMIT ?", (int(image_id), int(limit)))
            return [int(row[0]) for row in rows]

    def newest(self) -> tuple[int, str]:
        """The highest image id so far and that image's sha256; (0, "") in an empty library. An id
        can come back: SQLite gives a new image the highest free id, so after the newest image is
        deleted the next one takes its id (the hash tells them apart)."""
        with self.db.read() as conn:
            row = conn.execute("SELECT id, sha256 FROM images ORDER BY id DESC LIMIT 1").fetchone()
        return (int(row[0]), str(row[1])) if row is not None else (0, "")

    def edit_stamp(self) -> int:
        """A number that changes whenever an existing image's rating, favourite, trash, missing
        file or tags change, or an image is deleted, by any connection (schema v6's triggers)."""
        with self.db.read() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'edits'").fetchone()
        return int(row[0]) if row is not None else 0

    def metadata_of(self, image_id: int) -> dict[str, Any]:
        """The complete stored document (our JSON chunk) of an image, read from its file."""
        image = self.get(image_id)
        return read_metadata(image.path).get("wan27") or {}

    def count(self, q: ImageQuery) -> int:
        where, params = where_clause(q, self.fts_tokenizer)
        with self.db.read() as conn:
            return int(conn.execute(f"SELECT count(*) FROM images i WHERE {where}", params).fetchone()[0])

    def query(self, q: ImageQuery, offset: int, limit: int) -> list[ImageRecord]:
        """One window of results in the query's sort order."""
        where, params = where_clause(q, self.fts_tokenizer)
        # Deferred join: the window is picked from the covering sort index alone, so skipping
        # 90,000 rows does not read 90,000 table rows; only the page itself is fetched in full.
        sql = (
            f"SELECT {IMAGE_COLUMNS} FROM images i LEFT JOIN prompts p ON p.id = i.prompt_id "
            f"WHERE i.id IN (SELECT i.id FROM images i WHERE {where} ORDER BY {order_by(q.sort)} LIMIT ? OFFSET ?) "
            f"ORDER BY {order_by(q.sort)}"
        )
        with self.db.read() as conn:
            return [image_from_row(self.paths, row) for row in conn.execute(sql, (*params, int(limit), int(offset)))]

    def ids(self, q: ImageQuery) -> list[int]:
        where, params = where_clause(q, self.fts_tokenizer)
        with self.db.read() as conn:
            return [
                row[0]
                for row in conn.execute(f"SELECT i.id FROM images i WHERE {where} ORDER BY {order_by(q.sort)}", params)
            ]

    def row_of(self, q: ImageQuery, image_id: int) -> int | None:
        """Position of an image in a query's order (keeps the gallery's selection when rows land)."""
        try:
            return self.ids(q).index(image_id)
        except ValueError:
            return None

    def search_prompts(self, text: str, limit: int = 20) -> list[str]:
        """Distinct prompts containing every term of `text`, most recently first used first."""
        if not text.strip():
            return []
        conditions, params = text_conditions(text, self.fts_tokenizer, "p.id")
        with self.db.read() as conn:
            rows = conn.execute(
                f"SELECT p.text FROM prompts p WHERE {' AND '.join(conditions)} ORDER BY p.id DESC LIMIT ?",
                (*params, int(limit)),
            )
            return [row[0] for row in rows]

    def require(self, ids: Iterable[int]) -> list[ImageRecord]:
        """`get_many`, raising NotFound unless every image is there."""
        wanted = [int(i) for i in ids]
        images = self.get_many(wanted)
        if len(images) != len(set(wanted)):
            missing = sorted(set(wanted) - {i.id for i in images})
            raise NotFound(f"Image(s) {', '.join(map(str, missing))} are not in the library.")
        return images

    def document(self, image: ImageRecord) -> dict[str, object]:
        """Stored document of an imported image (jobs' images read theirs from the job row)."""
        with self.db.read() as conn:
            row = conn.execute("SELECT meta_json FROM images WHERE id = ?", (image.id,)).fetchone()
        return json.loads(row[0]) if row and row[0] else {}

    def mark_missing(self, ids: Iterable[int], missing: bool = True) -> None:
        """Flag rows whose file is gone (e.g. found by the gallery's thumbnail worker)."""
        wanted = list(dict.fromkeys(int(i) for i in ids))
        with self.db.write() as conn:
            for chunk in chunks(wanted):
                conn.execute(
                    f"UPDATE images SET missing = ? WHERE id IN ({','.join('?' * len(chunk))})",
                    (1 if missing else 0, *chunk),
                )

    # -- lineage ----------------------------------------------------------------------------------
    def lineage(self, image_id: int) -> tuple[list[Path], list[ImageRecord]]:
        """(the reference images this image was made from, the images made from this one).

        A library image used as a reference is stored as an input with the same sha256, which is
        how descendants are found even after the reference file was exported and re-imported.
        """
        with self.db.read() as conn:
            image = image_by_id(conn, self.paths, image_id)
            inputs = (
                [
                    self.paths.abs_path(r[0])
                    for r in conn.execute(
                        "SELECT n.path FROM job_inputs j JOIN inputs n ON n.id = j.input_id WHERE j.job_id = ? "
                        "ORDER BY j.position",
                        (image.job_id,),
                    )
                ]
                if image.job_id is not None
                else []
            )
            derived = images_where(
                conn,
                self.paths,
                "i.job_id IN (SELECT j.job_id FROM job_inputs j JOIN inputs n ON n.id = j.input_id WHERE n.sha256 = ?)",
                (image.sha256,),
                order="i.created_at, i.id",
            )
        return inputs, derived

    def source_images(self, image_id: int) -> list[ImageRecord | None]:
        """For each reference of the image's job, the library image it came from (None if external)."""
        with self.db.read() as conn:
            image = image_by_id(conn, self.paths, image_id)
            if image.job_id is None:
                return []
            shas = [
                r[0]
                for r in conn.execute(
                    "SELECT n.sha256 FROM job_inputs j JOIN inputs n ON n.id = j.input_id WHERE j.job_id = ? "
                    "ORDER BY j.position",
                    (image.job_id,),
                )
            ]
            found = []
            for sha in shas:
                match = images_where(conn, self.paths, "i.sha256 = ?", (sha,))
                found.append(match[0] if match else None)
        return found


def _ours_once(path: Path) -> bool:
    """Whether each of our text chunks appears once: a body that brought its own `parameters` (say)
    would shadow ours, so such a file lands by copy, which replaces them."""
    try:
        keywords = [k for k in text_keywords(path) if k in OUR_KEYS]
    except (PngError, OSError):
        return False
    return len(keywords) == len(set(keywords))
