"""Helpers shared by the reliability suite: fast clients, library health checks, key scans.

Everything here drives the product's own code paths (`JobRunner` + `Library` + `DashScopeClient`);
only timings are shortened (timeouts, backoff, poll interval) so the whole suite stays fast.
"""

from __future__ import annotations

import base64
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from wan27_desktop.api import download as download_module
from wan27_desktop.api.client import DashScopeClient
from wan27_desktop.api.imageformat import verify_file
from wan27_desktop.api.retry import RetryPolicy
from wan27_desktop.jobs.runner import Connection
from wan27_desktop.library import Library

# Short enough that a slow-loris gap (0.5 s between chunks in the fake) always trips it, long
# enough that a loaded CI machine answering a normal request never does.
FAST_TIMEOUT = httpx.Timeout(connect=2.0, read=0.35, write=2.0, pool=2.0)
POLL_INTERVAL = (0.005, 0.01)
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "', "Error:\n")


@dataclass
class SleepLog:
    """Records every backoff the retry policy asks for, and waits only a token time."""

    waits: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
        # A token pause keeps the retry loop honest (it still yields) without real waiting.
        import time

        time.sleep(min(seconds, 0.002))

    @property
    def total(self) -> float:
        return sum(self.waits)


def fast_policy(sleep: SleepLog, max_attempts: int = 3) -> RetryPolicy:
    return RetryPolicy(max_attempts=max_attempts, base_delay=0.01, max_delay=0.05, sleep=sleep)


def fast_client_factory(sleep: SleepLog, max_attempts: int = 3) -> Callable[[Connection], DashScopeClient]:
    def factory(connection: Connection) -> DashScopeClient:
        return DashScopeClient(
            connection.api_key,
            connection.base_url,
            timeout=FAST_TIMEOUT,
            query_timeout=FAST_TIMEOUT,
            retry_policy=fast_policy(sleep, max_attempts),
        )

    return factory


def speed_up_downloads(monkeypatch: pytest.MonkeyPatch, sleep: SleepLog) -> None:
    """The runner's download client and retry policy, with test timings (same code otherwise)."""
    monkeypatch.setattr(download_module, "DOWNLOAD_TIMEOUT", FAST_TIMEOUT)
    policy = fast_policy(sleep)
    monkeypatch.setattr(download_module, "RetryPolicy", lambda *a, **k: policy)


def assert_library_clean(library: Library) -> None:
    """Nothing half-written: no temp or stray files in incoming/, every image row has a complete
    file, no downloaded result without its image row, and SQLite's integrity check passes."""
    incoming = library.data_dir / "incoming"
    leftovers = sorted(p.name for p in incoming.iterdir()) if incoming.exists() else []
    assert leftovers == [], f"half-written files in incoming/: {leftovers}"
    with sqlite3.connect(library.db_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = db.execute("SELECT id, path FROM images").fetchall()
        dangling = db.execute(
            "SELECT r.id FROM results r WHERE r.status = 'downloaded' AND NOT EXISTS "
            "(SELECT 1 FROM images i WHERE i.job_id = r.job_id AND i.idx = r.idx)"
        ).fetchall()
    assert dangling == [], f"results marked downloaded without an image row: {dangling}"
    for image_id, rel in rows:
        path = library.paths.abs_path(rel)
        assert path.is_file(), f"image {image_id} has no file at {rel}"
        verify_file(path)


def assert_readable(text: str | None) -> None:
    """A message a person can act on: present, and no traceback or exception dump in it."""
    assert text and text.strip(), "empty message"
    for marker in TRACEBACK_MARKERS:
        assert marker not in text, f"traceback text in message: {text!r}"


def key_forms(key: str) -> list[bytes]:
    """The key as it could leak: raw, URL-encoded, base64 (alone and as a Basic/Bearer blob)."""
    forms = {
        key,
        urllib.parse.quote(key),
        urllib.parse.quote_plus(key),
        base64.b64encode(key.encode()).decode(),
        base64.urlsafe_b64encode(key.encode()).decode(),
        base64.b64encode(f"Bearer {key}".encode()).decode(),
        base64.b64encode(f":{key}".encode()).decode(),
    }
    # base64 of the key at every alignment inside a longer blob: the stable middle of each encoding.
    for prefix in (b"", b"x", b"xy"):
        encoded = base64.b64encode(prefix + key.encode()).decode()
        forms.add(encoded[4:-4])
    return [f.encode() for f in forms if len(f) >= 12]


def files_containing(roots: Iterable[Path], needles: list[bytes]) -> list[Path]:
    hits = []
    for root in roots:
        if not root.exists():
            continue
        for path in [root] if root.is_file() else sorted(root.rglob("*")):
            if not path.is_file():
                continue
            data = path.read_bytes()
            if any(needle in data for needle in needles):
                hits.append(path)
    return hits
