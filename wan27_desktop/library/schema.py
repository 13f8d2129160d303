"""Schema and forward migrations, versioned with `PRAGMA user_version`.

`MIGRATIONS[i]` turns version i into version i+1. Never edit a released migration; append a new one.
Each has a test in tests/library/test_migrations.py (build the previous version, migrate, check).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable

from wan27_desktop.library.errors import LibraryTooNew


def _v1_base(conn: sqlite3.Connection) -> None:
    """Journal, inputs, results, images and tags."""
    _run_script(
        conn,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE jobs (
            id INTEGER PRIMARY KEY,
            state TEXT NOT NULL,
            model TEXT NOT NULL,
            request_mode TEXT NOT NULL,
            region TEXT NOT NULL,
            endpoint TEXT NOT NULL,
            n INTEGER NOT NULL,
            estimated_cost TEXT NOT NULL,
            cost TEXT,
            task_id TEXT,
            request_id TEXT,
            server_status TEXT,
            error_code TEXT,
            error_message TEXT,
            error_hint TEXT,
            usage_json TEXT,
            request_json TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            finished_at TEXT
        );
        CREATE INDEX jobs_state ON jobs(state);
        CREATE INDEX jobs_created ON jobs(created_at);
        CREATE TABLE inputs (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            path TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE job_inputs (
            job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            input_id INTEGER NOT NULL REFERENCES inputs(id),
            PRIMARY KEY (job_id, position)
        ) WITHOUT ROWID;
        CREATE INDEX job_inputs_input ON job_inputs(input_id);
        CREATE TABLE results (
            id INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            url TEXT NOT NULL,
            expires_at TEXT,
            status TEXT NOT NULL DEFAULT 'pending',
            error TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (job_id, idx)
        );
        CREATE TABLE prompts (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
        CREATE TABLE images (
            id INTEGER PRIMARY KEY,
            job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
            result_id INTEGER REFERENCES results(id) ON DELETE SET NULL,
            idx INTEGER NOT NULL DEFAULT 0,
            path TEXT NOT NULL UNIQUE,
            sha256 TEXT NOT NULL,
            origin_sha256 TEXT,
            format TEXT NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            bytes INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            rating INTEGER NOT NULL DEFAULT 0,
            favourite INTEGER NOT NULL DEFAULT 0,
            trashed_at TEXT,
            prompt_id INTEGER REFERENCES prompts(id),
            model TEXT,
            mode TEXT,
            seed INTEGER,
            size_label TEXT,
            is_set INTEGER NOT NULL DEFAULT 0,
            has_refs INTEGER NOT NULL DEFAULT 0,
            missing INTEGER NOT NULL DEFAULT 0,
            meta_json TEXT
        );
        CREATE UNIQUE INDEX images_job_idx ON images(job_id, idx) WHERE job_id IS NOT NULL;
        CREATE INDEX images_sha ON images(sha256);
        CREATE INDEX images_origin_sha ON images(origin_sha256) WHERE origin_sha256 IS NOT NULL;
        CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE COLLATE NOCASE);
        CREATE TABLE image_tags (
            image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
            PRIMARY KEY (image_id, tag_id)
        ) WITHOUT ROWID;
        CREATE INDEX image_tags_tag ON image_tags(tag_id);
    """,
    )
    conn.execute("INSERT INTO meta(key, value) VALUES ('library_id', ?)", (uuid.uuid4().hex,))


def _v2_gallery(conn: sqlite3.Connection) -> None:
    """Gallery at 100k rows (issue 5): a `trashed` flag leading every sort index, so each sort
    order of the library or the trash is an index walk (count too), and FTS5 over prompts."""
    _run_script(
        conn,
        """
        ALTER TABLE images ADD COLUMN trashed INTEGER NOT NULL DEFAULT 0;
        UPDATE images SET trashed = (trashed_at IS NOT NULL);
        CREATE INDEX images_by_created ON images(trashed, created_at, id);
        CREATE INDEX images_by_rating ON images(trashed, rating, created_at, id);
        CREATE INDEX images_by_favourite ON images(trashed, favourite, created_at, id);
        CREATE INDEX images_prompt ON images(prompt_id);
    """,
    )
    tokenizer = fts_tokenizer_available(conn)
    if tokenizer is not None:
        conn.execute(
            f"CREATE VIRTUAL TABLE prompts_fts USING fts5(text, content='prompts', "
            f"content_rowid='id', tokenize='{tokenizer}')"
        )
        _run_script(
            conn,
            """
            CREATE TRIGGER prompts_ai AFTER INSERT ON prompts BEGIN
                INSERT INTO prompts_fts(rowid, text) VALUES (new.id, new.text);
            END;
            CREATE TRIGGER prompts_ad AFTER DELETE ON prompts BEGIN
                INSERT INTO prompts_fts(prompts_fts, rowid, text) VALUES ('delete', old.id, old.text);
            END;
            CREATE TRIGGER prompts_au AFTER UPDATE ON prompts BEGIN
                INSERT INTO prompts_fts(prompts_fts, rowid, text) VALUES ('delete', old.id, old.text);
                INSERT INTO prompts_fts(rowid, text) VALUES (new.id, new.text);
            END;
        """,
        )
        conn.execute("INSERT INTO prompts_fts(prompts_fts) VALUES ('rebuild')")
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('fts_tokenizer', ?)", (tokenizer or "none",))


def _v3_error_values(conn: sqlite3.Connection) -> None:
    """A job's error message as its template and values (JSON), so the UI shows a stored message in
    its language after a restart, not only while the job runs. NULL: the message has no values."""
    conn.execute("ALTER TABLE jobs ADD COLUMN error_values TEXT")


def _v4_sent_and_attempts(conn: sqlite3.Connection) -> None:
    """Issue 14: `jobs.sent_at`, when a create's bytes started to leave (a job interrupted before
    that was not sent and not billed), and `results.attempts`, download rounds of a result (so a
    link that never works ends instead of staying "downloading" forever). Jobs journaled before
    this cannot say whether they left: every one past the queue counts as sent (the cautious side:
    "may have been billed")."""
    _run_script(
        conn,
        """
        ALTER TABLE jobs ADD COLUMN sent_at TEXT;
        UPDATE jobs SET sent_at = updated_at WHERE state != 'queued';
        ALTER TABLE results ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX jobs_task ON jobs(task_id) WHERE task_id IS NOT NULL;
    """,
    )


def _v5_batches(conn: sqlite3.Connection) -> None:
    """Batches (issue 17): a batch and its rows (each row's request, journaled before it is sent,
    and the job it became), spending limits per region, and the per-account submission budget that
    every process of ours shares (see library/batches.py, spendlimits.py, budget.py)."""
    _run_script(
        conn,
        """
        CREATE TABLE batches (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            source TEXT NOT NULL,
            request_mode TEXT NOT NULL,
            region TEXT NOT NULL,
            endpoint TEXT NOT NULL,
            state TEXT NOT NULL,
            axes_json TEXT,
            estimated_cost TEXT NOT NULL,
            owner TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            finished_at TEXT
        );
        CREATE TABLE batch_rows (
            batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            line INTEGER,
            request_json TEXT NOT NULL,
            labels_json TEXT,
            state TEXT NOT NULL DEFAULT 'pending',
            job_id INTEGER UNIQUE REFERENCES jobs(id) ON DELETE SET NULL,
            error TEXT,
            PRIMARY KEY (batch_id, position)
        ) WITHOUT ROWID;
        CREATE TABLE spend_limits (
            region TEXT PRIMARY KEY,
            daily TEXT,
            monthly TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE budget_slots (
            id INTEGER PRIMARY KEY,
            account TEXT NOT NULL,
            holder TEXT NOT NULL,
            acquired_at REAL NOT NULL
        );
        CREATE INDEX budget_slots_account ON budget_slots(account);
        CREATE TABLE budget_sends (account TEXT NOT NULL, sent_at REAL NOT NULL);
        CREATE INDEX budget_sends_account ON budget_sends(account, sent_at);
        CREATE TABLE budget_throttle (
            account TEXT PRIMARY KEY,
            not_before REAL NOT NULL,
            level INTEGER NOT NULL
        );
    """,
    )


def _v6_edit_stamp(conn: sqlite3.Connection) -> None:
    """A counter (`meta` key 'edits') that every change to what the gallery shows of an existing
    image moves: its rating, favourite, trash, missing file or tags, or its deletion. An open
    window reads it with the newest image id (`Images.edit_stamp`) and re-reads what it shows when
    another window or a `wan27` command changed it. Triggers, so no write path can forget it; new
    images are seen by their ids."""
    bump = "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'edits';"
    _run_script(
        conn,
        f"""
        INSERT OR REPLACE INTO meta(key, value) VALUES ('edits', '0');
        CREATE TRIGGER images_edited AFTER UPDATE OF rating, favourite, trashed, trashed_at, missing ON images
        WHEN old.rating IS NOT new.rating OR old.favourite IS NOT new.favourite OR old.trashed IS NOT new.trashed
            OR old.trashed_at IS NOT new.trashed_at OR old.missing IS NOT new.missing
        BEGIN {bump} END;
        CREATE TRIGGER images_deleted AFTER DELETE ON images BEGIN {bump} END;
        CREATE TRIGGER image_tags_added AFTER INSERT ON image_tags BEGIN {bump} END;
        CREATE TRIGGER image_tags_removed AFTER DELETE ON image_tags BEGIN {bump} END;
    """,
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _v1_base,
    _v2_gallery,
    _v3_error_values,
    _v4_sent_and_attempts,
    _v5_batches,
    _v6_edit_stamp,
]
LATEST = len(MIGRATIONS)


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Statement by statement: `executescript` would COMMIT the migration's transaction first."""
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            conn.execute(pending)
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement: {pending!r}")


def fts_tokenizer_available(conn: sqlite3.Connection) -> str | None:
    """'trigram' (SQLite >= 3.34: substring search that works for Chinese as well as English),
    else 'unicode61' (words; Chinese then falls back to LIKE), else None (no FTS5 compiled in)."""
    for tokenizer in ("trigram", "unicode61"):
        try:
            conn.execute(f"CREATE VIRTUAL TABLE temp.fts_probe USING fts5(x, tokenize='{tokenizer}')")
        except sqlite3.OperationalError:
            continue
        conn.execute("DROP TABLE temp.fts_probe")
        return tokenizer
    return None


def version_of(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = LATEST) -> int:
    """Bring the database to `target`, one transaction per step. Safe when several processes open
    a new library at once: the version is re-read under the write lock. Returns the final version."""
    current = version_of(conn)
    if current > LATEST:
        raise LibraryTooNew(f"The library has schema version {current}; this app knows up to {LATEST}.")
    while current < target:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = version_of(conn)
            if current >= target:
                conn.execute("COMMIT")
                break
            MIGRATIONS[current](conn)
            conn.execute(f"PRAGMA user_version = {current + 1}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        current += 1
    return current
