"""`library.curation`: what people do to images: rate, favourite, tag, trash, restore, empty the trash."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from wan27_desktop.library.db import Database
from wan27_desktop.library.paths import LibraryPaths
from wan27_desktop.library.rows import chunks
from wan27_desktop.library.times import utc_now


def _ids(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(int(i) for i in ids))


class Curation:
    def __init__(self, db: Database, paths: LibraryPaths) -> None:
        self.db = db
        self.paths = paths

    def _update_many(
        self, assignment: str, values: tuple[object, ...], ids: Iterable[int], extra_where: str = ""
    ) -> int:
        changed = 0
        with self.db.write() as conn:
            for chunk in chunks(_ids(ids)):
                cursor = conn.execute(
                    f"UPDATE images SET {assignment} WHERE id IN ({','.join('?' * len(chunk))}) {extra_where}",
                    (*values, *chunk),
                )
                changed += cursor.rowcount
        return changed

    def set_rating(self, ids: Iterable[int], rating: int) -> None:
        if not 0 <= int(rating) <= 5:
            raise ValueError("rating must be between 0 and 5")
        self._update_many("rating = ?", (int(rating),), ids)

    def set_favourite(self, ids: Iterable[int], favourite: bool) -> None:
        self._update_many("favourite = ?", (1 if favourite else 0,), ids)

    # -- tags -------------------------------------------------------------------------------------
    def add_tags(self, ids: Iterable[int], tags: Iterable[str]) -> None:
        names = [t.strip() for t in tags if t.strip()]
        wanted = _ids(ids)
        with self.db.write() as conn:
            for name in names:
                conn.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (name,))
                (tag_id,) = conn.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()
                conn.executemany(
                    "INSERT OR IGNORE INTO image_tags(image_id, tag_id) SELECT id, ? FROM images WHERE id = ?",
                    [(tag_id, i) for i in wanted],
                )

    def remove_tag(self, ids: Iterable[int], tag: str) -> None:
        with self.db.write() as conn:
            row = conn.execute("SELECT id FROM tags WHERE name = ?", (tag.strip(),)).fetchone()
            if row is None:
                return
            conn.executemany(
                "DELETE FROM image_tags WHERE image_id = ? AND tag_id = ?", [(i, row[0]) for i in _ids(ids)]
            )
            conn.execute(
                "DELETE FROM tags WHERE id = ? AND NOT EXISTS (SELECT 1 FROM image_tags WHERE tag_id = ?)",
                (row[0], row[0]),
            )

    def tags_of(self, image_id: int) -> list[str]:
        with self.db.read() as conn:
            return [
                r[0]
                for r in conn.execute(
                    "SELECT t.name FROM image_tags it JOIN tags t ON t.id = it.tag_id WHERE it.image_id = ? "
                    "ORDER BY t.name COLLATE NOCASE",
                    (image_id,),
                )
            ]

    def all_tags(self) -> list[tuple[str, int]]:
        with self.db.read() as conn:
            return [
                (r[0], r[1])
                for r in conn.execute(
                    "SELECT t.name, count(it.image_id) FROM tags t LEFT JOIN image_tags it ON it.tag_id = t.id "
                    "GROUP BY t.id ORDER BY t.name COLLATE NOCASE"
                )
            ]

    # -- trash ------------------------------------------------------------------------------------
    def trash(self, ids: Iterable[int]) -> int:
        """Move to the trash: the file stays where it is until the trash is emptied (restorable)."""
        return self._update_many("trashed = 1, trashed_at = ?", (utc_now(),), ids, "AND trashed = 0")

    def restore(self, ids: Iterable[int]) -> int:
        return self._update_many("trashed = 0, trashed_at = NULL", (), ids, "AND trashed = 1")

    def empty_trash(self, *, on_gone: Callable[[str], object] | None = None) -> int:
        """Delete trashed images for good: files first, then their rows. A crash in between leaves
        rows whose file is gone; they stay in the trash, and the next empty removes them. Returns
        how many images were deleted.

        `on_gone(sha256)` is called for each deleted file whose content no other image shares, right
        after the file goes: the caller drops what it cached for that content (the thumbnails)."""
        with self.db.read() as conn:
            rows = conn.execute("SELECT id, path, sha256 FROM images WHERE trashed = 1").fetchall()
        deleted = []
        for image_id, rel, sha in rows:
            try:
                self.paths.abs_path(rel).unlink(missing_ok=True)
            except OSError:
                continue  # locked or read-only: keep the row so nothing points at a half-deleted state
            if on_gone is not None and not self._shared(sha):
                on_gone(sha)
            deleted.append(image_id)
        with self.db.write() as conn:
            for chunk in chunks(deleted):
                conn.execute(f"DELETE FROM images WHERE trashed = 1 AND id IN ({','.join('?' * len(chunk))})", chunk)
        return len(deleted)

    def _shared(self, sha: str) -> bool:
        with self.db.read() as conn:
            return int(conn.execute("SELECT count(*) FROM images WHERE sha256 = ?", (sha,)).fetchone()[0]) > 1
