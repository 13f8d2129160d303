"""Images: landing a downloaded result in the library, and querying the index for the gallery."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from wan27_desktop.library.base import IMAGE_COLUMNS, crashpoint, day_dir_of, utc_now
from wan27_desktop.library.embedding import facts_of_document, job_document, write_image_file
from wan27_desktop.library.errors import NotFound
from wan27_desktop.library.imagefiles import EXTENSIONS, image_size, sniff_format
from wan27_desktop.library.indexing import Indexer
from wan27_desktop.library.query import order_by, text_conditions, where_clause
from wan27_desktop.library.records import ImageQuery, ImageRecord, JobRecord


class ImageStore(Indexer):
    def get_job(self, job_id: int) -> JobRecord:  # provided by JobStore
        raise NotImplementedError

    # -- landing ----------------------------------------------------------------------------------
    def add_image(
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
        job = self.get_job(job_id) if job_id is not None else None
        fmt = sniff_format(downloaded)
        width, height = image_size(downloaded, fmt)
        created_at = utc_now()
        doc = job_document(job, metadata, index, created_at, self.library_id)
        facts = facts_of_document(doc)
        rel_dir = day_dir_of(created_at)
        prefix = f"{job_id}-{int(index)}" if job_id is not None else "image"
        self._marker.note_dir(rel_dir)  # before the file exists: a crash now is reconciled on open
        path, sha, size = write_image_file(
            downloaded,
            fmt,
            self.abs_path(rel_dir),
            doc,
            facts,
            width,
            height,
            lambda s: f"{prefix}-{s[:12]}{EXTENSIONS[fmt]}",
        )
        crashpoint("after_rename")
        record = self._insert_image(
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

    def _image_for_slot(self, job_id: int, index: int) -> ImageRecord | None:
        with self._db.read() as conn:
            found = self._images_where(conn, "i.job_id = ? AND i.idx = ?", (job_id, int(index)))
        return found[0] if found else None

    # -- reading ----------------------------------------------------------------------------------
    def get_image(self, image_id: int) -> ImageRecord:
        with self._db.read() as conn:
            return self._get_image(conn, image_id)

    def get_images(self, ids: Iterable[int]) -> list[ImageRecord]:
        wanted = list(dict.fromkeys(int(i) for i in ids))
        found: dict[int, ImageRecord] = {}
        with self._db.read() as conn:
            for chunk in _chunks(wanted):
                for image in self._images_where(conn, f"i.id IN ({','.join('?' * len(chunk))})", tuple(chunk)):
                    found[image.id] = image
        return [found[i] for i in wanted if i in found]

    def images_of_job(self, job_id: int) -> list[ImageRecord]:
        with self._db.read() as conn:
            return self._images_where(conn, "i.job_id = ?", (job_id,), order="i.idx")

    def metadata_of(self, image_id: int) -> dict[str, Any]:
        """The complete stored document (our JSON chunk) of an image, read from its file."""
        from wan27_desktop.library.pngmeta import read_metadata

        image = self.get_image(image_id)
        return read_metadata(image.path).get("wan27") or {}

    def count_images(self, q: ImageQuery) -> int:
        where, params = where_clause(q, self.fts_tokenizer)
        with self._db.read() as conn:
            return int(conn.execute(f"SELECT count(*) FROM images i WHERE {where}", params).fetchone()[0])

    def query_images(self, q: ImageQuery, offset: int, limit: int) -> list[ImageRecord]:
        """One window of results in the query's sort order."""
        where, params = where_clause(q, self.fts_tokenizer)
        # Deferred join: the window is picked from the covering sort index alone, so skipping
        # 90,000 rows does not read 90,000 table rows; only the page itself is fetched in full.
        sql = (
            f"SELECT {IMAGE_COLUMNS} FROM images i LEFT JOIN prompts p ON p.id = i.prompt_id "
            f"WHERE i.id IN (SELECT i.id FROM images i WHERE {where} ORDER BY {order_by(q.sort)} LIMIT ? OFFSET ?) "
            f"ORDER BY {order_by(q.sort)}"
        )
        with self._db.read() as conn:
            return [self._image_from_row(row) for row in conn.execute(sql, (*params, int(limit), int(offset)))]

    def image_ids(self, q: ImageQuery) -> list[int]:
        where, params = where_clause(q, self.fts_tokenizer)
        with self._db.read() as conn:
            return [
                row[0]
                for row in conn.execute(f"SELECT i.id FROM images i WHERE {where} ORDER BY {order_by(q.sort)}", params)
            ]

    def row_of(self, q: ImageQuery, image_id: int) -> int | None:
        """Position of an image in a query's order (keeps the gallery's selection when rows land)."""
        try:
            return self.image_ids(q).index(image_id)
        except ValueError:
            return None

    def search_prompts(self, text: str, limit: int = 20) -> list[str]:
        """Distinct prompts containing every term of `text`, most recently first used first."""
        if not text.strip():
            return []
        conditions, params = text_conditions(text, self.fts_tokenizer, "p.id")
        with self._db.read() as conn:
            rows = conn.execute(
                f"SELECT p.text FROM prompts p WHERE {' AND '.join(conditions)} ORDER BY p.id DESC LIMIT ?",
                (*params, int(limit)),
            )
            return [row[0] for row in rows]

    def require_images(self, ids: Iterable[int]) -> list[ImageRecord]:
        wanted = [int(i) for i in ids]
        images = self.get_images(wanted)
        if len(images) != len(set(wanted)):
            missing = sorted(set(wanted) - {i.id for i in images})
            raise NotFound(f"Image(s) {', '.join(map(str, missing))} are not in the library.")
        return images


def _chunks(values: list[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
