"""Where things live and which service to talk to, from the environment (documented in README).

- `DASHSCOPE_API_KEY`: used in place of the keyring, never saved.
- `WAN27_API_BASE`: a custom endpoint (a gateway, or the fake server for an offline demo).
- `WAN27_DATA_DIR`: where settings, logs and caches live, and the library unless it was moved.

The library (index, images, references, thumbnails) lives in the data dir until the user moves it
(Settings ▸ Library ▸ Move…); the new place is written to `settings.ini` in the data dir, so
`WAN27_DATA_DIR` / `--data-dir` still isolate everything: a fresh data dir has a fresh library.
`library_root()` reads that setting without Qt, so the `wan27` command finds a moved library too.
"""

from __future__ import annotations

import os
from pathlib import Path

from wan27_desktop.api.models import Region
from wan27_desktop.private_files import make_dirs

APP_NAME = "Wan27Desktop"
SETTINGS_FILE = "settings.ini"
LIBRARY_SECTION, LIBRARY_KEY = "library", "folder"  # `[library] folder=...` in settings.ini
ENV_API_KEY = "DASHSCOPE_API_KEY"
ENV_API_BASE = "WAN27_API_BASE"
ENV_DATA_DIR = "WAN27_DATA_DIR"


def data_dir() -> Path:
    """The per-user data folder (settings, logs, caches; the library unless moved, see
    `library_root`); created on first use."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        path = Path(override).expanduser()
    else:
        import platformdirs  # deferred: only needed when no override is set

        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    make_dirs(path)  # private: prompts, logs and the library live here (0700)
    return path


def library_root(data: Path | None = None) -> Path:
    """The folder holding the library (`library/`, `cache/`): the folder set in the data dir's
    settings.ini when there is a valid one, else the data dir itself."""
    data = data if data is not None else data_dir()
    folder = read_library_folder(data / SETTINGS_FILE)
    return folder if folder is not None else data


def parse_folder(text: str) -> Path:
    """A library folder as stored: absolute (after ~ expansion). ValueError otherwise. Not
    stripped: a folder name may end with a space."""
    if not text.strip():
        raise ValueError("empty folder")
    path = Path(text).expanduser()
    if not path.is_absolute():
        raise ValueError("relative folder")
    return path


def read_library_folder(settings_file: Path) -> Path | None:
    """`[library] folder` from a QSettings INI file, read without Qt; None when unset or invalid.

    QSettings (Qt 6) writes UTF-8 and quotes a value containing `;`, `,` or `=` or edge spaces,
    escaping `"` and `\\` with a backslash and control characters as `\\n`, `\\xHH`...;
    `tests/test_settings.py` round-trips awkward paths through QSettings to keep the two in step.
    """
    try:
        text = settings_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    section = ""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
        elif section == LIBRARY_SECTION and "=" in line:
            key, raw = line.split("=", 1)
            if key.strip() == LIBRARY_KEY:
                try:
                    return parse_folder(_ini_unescape(raw))
                except ValueError:
                    return None
    return None


_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    '"': '"',
    "'": "'",
    "?": "?",
    "\\": "\\",
}


def _ini_unescape(raw: str) -> str:
    """One QSettings INI value (quoted or not) back to its string; ValueError for lists/variants."""
    raw = raw.strip()
    if raw.startswith("@") and not raw.startswith("@@"):
        raise ValueError("not a plain string")  # @Variant(...), @ByteArray(...)
    out: list[str] = []
    quoted = False
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch == '"':
            quoted = not quoted
        elif ch == "\\" and i + 1 < len(raw):
            i += 1
            nxt = raw[i]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
            elif nxt == "x":
                j = i + 1
                while j < len(raw) and raw[j] in "0123456789abcdefABCDEF":
                    j += 1
                out.append(chr(int(raw[i + 1 : j] or "0", 16)))
                i = j - 1
            elif nxt in "01234567":
                j = i
                while j < len(raw) and j < i + 3 and raw[j] in "01234567":
                    j += 1
                out.append(chr(int(raw[i:j], 8)))
                i = j - 1
            else:
                out.append(nxt)
        elif ch == "," and not quoted:
            raise ValueError("a list, not one folder")
        else:
            out.append(ch)
        i += 1
    value = "".join(out)
    return value[1:] if value.startswith("@@") else value


def api_base(region: Region, override: str | None = None) -> str:
    """The base URL ending in /api/v1: an explicit override, then WAN27_API_BASE, then the region's host."""
    base = override or os.environ.get(ENV_API_BASE) or region.base_url
    return base.rstrip("/")


def env_api_key() -> str | None:
    key = os.environ.get(ENV_API_KEY, "").strip()
    return key or None
