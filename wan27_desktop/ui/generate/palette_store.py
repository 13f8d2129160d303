"""Saved colour palettes: `data_dir()/palettes.json`, written atomically off the UI thread."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from wan27_desktop import config
from wan27_desktop.api.models import PaletteColor
from wan27_desktop.jobs.background import file_writer
from wan27_desktop.json_store import read_json, write_json_atomically

if TYPE_CHECKING:
    from concurrent.futures import Future

MAX_SAVED = 200


class PaletteStore:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path if path is not None else config.data_dir() / "palettes.json"
        self._lock = threading.Lock()
        self._palettes: dict[str, tuple[PaletteColor, ...]] = {}
        self._pending: Future[None] | None = None
        stored = read_json(self.path)
        entries = stored.get("palettes", []) if isinstance(stored, dict) else []
        for entry in entries:
            try:
                colors = tuple(PaletteColor(str(c["hex"]), float(c["ratio"])) for c in entry["colors"])
                self._palettes[str(entry["name"])] = colors
            except (KeyError, TypeError, ValueError):
                continue  # one damaged entry must not lose the others

    def names(self) -> list[str]:
        with self._lock:
            return sorted(self._palettes, key=str.casefold)

    def get(self, name: str) -> tuple[PaletteColor, ...] | None:
        with self._lock:
            return self._palettes.get(name)

    def save(self, name: str, colors: tuple[PaletteColor, ...]) -> None:
        name = name.strip()
        if not name or not colors:
            raise ValueError("a saved palette needs a name and colours")
        with self._lock:
            self._palettes[name] = tuple(colors)
            while len(self._palettes) > MAX_SAVED:
                del self._palettes[next(iter(self._palettes))]
        self._write()

    def delete(self, name: str) -> None:
        with self._lock:
            self._palettes.pop(name, None)
        self._write()

    def _write(self) -> None:
        with self._lock:
            data = {
                "version": 1,
                "palettes": [
                    {"name": name, "colors": [{"hex": c.hex, "ratio": c.ratio} for c in colors]}
                    for name, colors in self._palettes.items()
                ],
            }
        self._pending = file_writer().submit(write_json_atomically, self.path, data)

    def flush(self) -> None:
        if self._pending is not None:
            self._pending.result()
