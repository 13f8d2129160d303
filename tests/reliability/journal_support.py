"""Helpers for the journal tests (issue 14): damage chosen pages of a real SQLite file, run the real
CLI in a private mount namespace (a read-only or tiny library disk), and SIGKILL it when a
condition holds."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli_helpers import run_cli

DB_NAME = "library.sqlite3"


def db_of(data_dir: Path) -> Path:
    return data_dir / "library" / DB_NAME


def settle(db: Path) -> None:
    """Move the WAL into the file, as a crash-free close does, so page numbers mean something."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def pages_of(db: Path, table: str) -> list[tuple[int, str]]:
    """(page number, 'leaf'|'internal'|...) of every page of `table` (SQLite's dbstat)."""
    with sqlite3.connect(db) as conn:
        try:
            rows = conn.execute("SELECT pageno, pagetype FROM dbstat WHERE name = ? ORDER BY pageno", (table,))
            return [(int(no), str(kind)) for no, kind in rows]
        except sqlite3.OperationalError:
            pytest.skip("this SQLite has no dbstat virtual table")


def scramble_page(db: Path, pageno: int) -> None:
    """Overwrite one page with random bytes (a torn write or a bad sector)."""
    data = bytearray(db.read_bytes())
    size = int.from_bytes(data[16:18], "big") or 65536
    start = (pageno - 1) * size
    data[start : start + size] = os.urandom(size)
    db.write_bytes(bytes(data))


def empty_page(db: Path, pageno: int) -> None:
    """Replace one b-tree page by a valid page of the same kind holding nothing: SQLite reads it
    without an error, and the rows it held are simply not there."""
    data = bytearray(db.read_bytes())
    size = int.from_bytes(data[16:18], "big") or 65536
    start = (pageno - 1) * size
    header = 100 if pageno == 1 else 0
    kind = data[start + header]
    data[start + header : start + size] = bytes(size - header)
    data[start + header] = kind
    data[start + header + 5 : start + header + 7] = (size % 65536).to_bytes(2, "big")
    db.write_bytes(bytes(data))


# -- a private mount namespace ------------------------------------------------------------------


def _namespaces_work() -> bool:
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        [
            "unshare",
            "-rm",
            "sh",
            "-c",
            "mount -t tmpfs -o size=64k tmpfs /mnt 2>/dev/null || mount -t tmpfs tmpfs /tmp",
        ],
        capture_output=True,
        timeout=30,
        check=False,
    )
    return probe.returncode == 0


NAMESPACES = _namespaces_work()
needs_namespaces = pytest.mark.skipif(
    not NAMESPACES, reason="needs Linux user+mount namespaces (unshare -rm) for a read-only or tiny disk"
)


def run_cli_mounted(
    args: list[str], env: dict[str, str], mount: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The real CLI in its own user+mount namespace after `mount` (shell commands) ran there: the
    folder looks read-only, or tiny, to this process only; nothing outside changes."""
    command = " ".join(["exec", sys.executable, "-m", "wan27_desktop.cli", *(_quote(a) for a in args)])
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"set -e; {mount}; {command}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def read_only(folder: Path) -> str:
    return f"mount --bind {_quote(str(folder))} {_quote(str(folder))}; mount -o remount,bind,ro {_quote(str(folder))}"


def tiny_disk(folder: Path, size: str) -> str:
    """Mount an empty tmpfs of `size` over `folder` (what was there is hidden, not touched)."""
    return f"mount -t tmpfs -o size={size},mode=0700 tmpfs {_quote(str(folder))}"


def _quote(text: str) -> str:
    import shlex

    return shlex.quote(text)


# -- processes --------------------------------------------------------------------------------


def start_cli(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "wan27_desktop.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen[str] | None = None, timeout: float = 60) -> None:
    """Poll `condition` (no fixed sleep); fail if `proc` ends first or time runs out."""
    deadline = time.monotonic() + timeout
    while not condition():
        if proc is not None and proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the child ended before the condition held: {proc.returncode}\n{out}\n{err}")
        if time.monotonic() > deadline:
            pytest.fail("condition never held")
        time.sleep(0.005)


def kill(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    finish(proc)


def finish(proc: subprocess.Popen[str], timeout: float = 120) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def lease_held(data_dir: Path, job_id: int) -> bool:
    """Whether some process holds job `job_id`'s lease right now (asked the way the app asks)."""
    from wan27_desktop.library.leases import Leases

    return Leases(data_dir / "library" / "leases").is_held(job_id)


def cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = run_cli(args, env)
    assert "Traceback" not in done.stderr, done.stderr
    return done
