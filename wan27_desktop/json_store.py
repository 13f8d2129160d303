"""Small JSON files under the data dir, written atomically (temp file + fsync + rename)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

from wan27_desktop.private_files import make_dirs


def write_json_atomically(path: Path, data: Any) -> None:
    """Readers see the old file or the new one, never half of it (a crash mid-write loses nothing)."""
    import json  # here, not at the top: a first start reads no file and need not load it

    make_dirs(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(path: Path) -> Any | None:
    """The file's content, or None when it is missing or damaged (a damaged file is kept aside)."""
    try:
        with path.open(encoding="utf-8") as handle:
            import json

            return json.load(handle)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, UnicodeDecodeError):
        # Keep the damaged file for inspection instead of overwriting it on the next save.
        with contextlib.suppress(OSError):
            os.replace(path, path.with_suffix(path.suffix + ".damaged"))
        return None
