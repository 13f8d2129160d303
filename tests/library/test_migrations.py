"""Each forward migration, from a database built at the previous version."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from wan27_desktop.library import ImageQuery, Library, LibraryTooNew
from wan27_desktop.library.schema import LATEST, MIGRATIONS, migrate, version_of


def _db_at(path: Path, version: int) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), isolation_level=None)
    migrate(conn, target=version)
    assert version_of(conn) == version
    return conn


def test_fresh_library_is_at_the_latest_version(data_dir: Path):
    with Library.open(data_dir) as library:
        assert version_of(library.db.conn) == LATEST == len(MIGRATIONS)
        assert library.db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert library.db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_v1_to_v2_adds_trash_flag_sort_indexes_and_prompt_search(data_dir: Path):
    conn = _db_at(data_dir / "library" / "library.sqlite3", 1)
    conn.execute("INSERT INTO prompts(id, text) VALUES (1, 'an old lighthouse'), (2, '古老的灯塔')")
    for image_id, prompt_id, trashed_at in ((1, 1, None), (2, 2, "2025-01-01T00:00:00.000000+00:00")):
        conn.execute(
            "INSERT INTO images(id, idx, path, sha256, format, width, height, bytes, created_at, prompt_id, "
            "trashed_at) VALUES (?, 0, ?, 'x', 'png', 1, 1, 1, '2025-01-01', ?, ?)",
            (image_id, f"images/{image_id}.png", prompt_id, trashed_at),
        )
    conn.close()
    with Library.open(data_dir, reconcile=False) as library:
        indexes = {r[0] for r in library.db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"images_by_created", "images_by_rating", "images_by_favourite"} <= indexes
        assert library.images.count(ImageQuery()) == 1
        assert [i.id for i in library.images.query(ImageQuery(trashed=True), 0, 5)] == [2]
        assert library.images.search_prompts("lighthouse", 5) == ["an old lighthouse"]
        assert library.images.search_prompts("灯塔", 5) == ["古老的灯塔"]


def test_v2_to_v3_keeps_job_errors_and_stores_message_values(data_dir: Path):
    conn = _db_at(data_dir / "library" / "library.sqlite3", 2)
    conn.execute(
        "INSERT INTO jobs(id, state, model, request_mode, region, endpoint, n, estimated_cost, request_json, "
        "created_at, updated_at, error_code, error_message) VALUES (1, 'failed', 'm', 'sync', 'sg', 'e', 1, "
        "'0', '{}', '2025-01-01', '2025-01-01', 'InternalError', 'It broke.')"
    )
    conn.close()
    with Library.open(data_dir, reconcile=False) as library:
        old = library.jobs.get(1)
        assert (old.error_code, old.error_message, old.error_template, old.error_values) == (
            "InternalError",
            "It broke.",
            None,
            None,
        )
        library.jobs.update(
            1, error_message="Task t-1 failed.", error_values=("Task {task_id} failed.", {"task_id": "t-1"})
        )
        assert (library.jobs.get(1).error_template, library.jobs.get(1).error_values) == (
            "Task {task_id} failed.",
            {"task_id": "t-1"},
        )


def test_v5_to_v6_counts_every_edit_of_an_existing_image_and_nothing_else(data_dir: Path):
    conn = _db_at(data_dir / "library" / "library.sqlite3", 5)
    for image_id in (1, 2):
        conn.execute(
            "INSERT INTO images(id, idx, path, sha256, format, width, height, bytes, created_at) "
            "VALUES (?, 0, ?, 'x', 'png', 1, 1, 1, '2025-01-01')",
            (image_id, f"images/{image_id}.png"),
        )
    conn.close()
    with Library.open(data_dir, reconcile=False) as library:
        stamps = [library.images.edit_stamp()]

        def edited(action) -> bool:
            action()
            stamps.append(library.images.edit_stamp())
            return stamps[-1] != stamps[-2]

        curation = library.curation
        assert edited(lambda: curation.set_rating([1], 4))
        assert not edited(lambda: curation.set_rating([1], 4))  # the same rating again: nothing changed
        assert edited(lambda: curation.set_favourite([1], True))
        assert edited(lambda: curation.add_tags([1], ["sea"]))
        assert edited(lambda: curation.remove_tag([1], "sea"))
        assert edited(lambda: curation.trash([2]))
        assert edited(lambda: curation.restore([2]))
        assert edited(lambda: curation.trash([2]))
        assert edited(lambda: curation.empty_trash())

        def write(sql: str) -> None:
            with library.db.write() as conn:
                conn.execute(sql)

        # What the gallery does not show of an image, and a new image (seen by its id): no edit.
        assert not edited(lambda: write("UPDATE images SET meta_json = '{}' WHERE id = 1"))
        assert not edited(
            lambda: write(
                "INSERT INTO images(id, idx, path, sha256, format, width, height, bytes, created_at) "
                "VALUES (3, 0, 'images/3.png', 'y', 'png', 1, 1, 1, '2025-01-02')"
            )
        )
        assert stamps[0] == 0 and stamps[-1] == 8


def test_migration_is_one_transaction_and_rolls_back_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    conn = _db_at(tmp_path / "x.sqlite3", 1)

    def broken(c: sqlite3.Connection) -> None:
        c.execute("ALTER TABLE images ADD COLUMN half_done INTEGER")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("wan27_desktop.library.schema.MIGRATIONS", [MIGRATIONS[0], broken])
    with pytest.raises(RuntimeError):
        migrate(conn, target=2)
    assert version_of(conn) == 1
    columns = {r[1] for r in conn.execute("PRAGMA table_info(images)")}
    assert "half_done" not in columns


def test_a_newer_schema_is_refused_not_downgraded(data_dir: Path):
    Library.open(data_dir).close()
    db = data_dir / "library" / "library.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    with pytest.raises(LibraryTooNew):
        Library.open(data_dir)
