"""Prompt history: the interface the prompt editor needs, and a JSON-file implementation.

The editor only knows `PromptHistory`; tests and the main window inject whichever store they
want. The JSON store keeps the newest 500 prompts in `data_dir()/prompt_history.json`; saves run
on a background thread (the UI thread never waits on disk) and are written atomically.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Protocol

from wan27_desktop import config
from wan27_desktop.ui.common.background import file_writer
from wan27_desktop.ui.common.json_store import read_json, write_json_atomically

DEFAULT_MAX_ENTRIES = 500


class PromptHistory(Protocol):
    def add(self, text: str) -> None: ...

    def search(self, text: str) -> list[str]: ...

    def recent(self, n: int) -> list[str]: ...


class MemoryPromptHistory:
    """History kept in memory only, newest first, each prompt once."""

    def __init__(self, entries: list[str] | None = None, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self._max = max_entries
        self._entries: list[str] = []
        self._lock = threading.Lock()
        for text in reversed(entries or []):
            self._insert(text)

    def _insert(self, text: str) -> bool:
        if not text.strip():
            return False
        with self._lock:
            if text in self._entries:
                self._entries.remove(text)
            self._entries.insert(0, text)
            del self._entries[self._max :]
        return True

    def add(self, text: str) -> None:
        self._insert(text)

    def search(self, text: str) -> list[str]:
        """Prompts containing `text` (case-insensitive), newest first; all of them for ''."""
        needle = text.casefold().strip()
        with self._lock:
            return [entry for entry in self._entries if needle in entry.casefold()]

    def recent(self, n: int) -> list[str]:
        with self._lock:
            return self._entries[: max(0, n)]

    def snapshot(self) -> list[str]:
        with self._lock:
            return list(self._entries)


class JsonPromptHistory(MemoryPromptHistory):
    """Persisted history: `{"version": 1, "prompts": [newest, ...]}`, bounded to `max_entries`."""

    def __init__(self, path: Path | None = None, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self.path = path if path is not None else config.data_dir() / "prompt_history.json"
        stored = read_json(self.path)
        prompts = stored.get("prompts", []) if isinstance(stored, dict) else []
        super().__init__([p for p in prompts if isinstance(p, str)], max_entries)
        self._pending: Future[None] | None = None

    def add(self, text: str) -> None:
        if self._insert(text):
            snapshot = self.snapshot()
            # One writer thread: saves happen in order and the newest snapshot lands last.
            self._pending = file_writer().submit(write_json_atomically, self.path, {"version": 1, "prompts": snapshot})

    def flush(self) -> None:
        """Wait for the last save (tests, and the app at exit). Re-raises a failed save's OSError."""
        if self._pending is not None:
            self._pending.result()
