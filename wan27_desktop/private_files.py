"""Files and folders only their user can read (issue 14): prompts, images and the spend journal are
private, whatever the umask says.

Every folder the app creates is 0700 and every file 0600 on POSIX; modes are set explicitly after
creation (`chmod`/`fchmod`), so a permissive umask (0o000) cannot widen them and the result does
not depend on it. Existing folders are left as the user made them. Windows has no mode bits here:
a per-user profile folder is already private there, so these calls only create.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
_POSIX = os.name == "posix"


def make_dirs(path: Path) -> Path:
    """`mkdir -p` where every folder created is 0700 (existing ones are not touched)."""
    path = Path(path)
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue  # made by another thread or process meanwhile
        if _POSIX:
            with contextlib.suppress(OSError):
                os.chmod(folder, DIR_MODE)
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)  # raises the right error (a file in the way)
    return path


def open_new(path: Path, flags: int = os.O_WRONLY) -> int:
    """A new file (O_EXCL) readable by its user only; returns the descriptor."""
    fd = os.open(path, flags | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), FILE_MODE)
    restrict_fd(fd)
    return fd


def restrict_fd(fd: int) -> None:
    if _POSIX:
        with contextlib.suppress(OSError):
            os.fchmod(fd, FILE_MODE)


def restrict(path: Path) -> None:
    """Make an existing file the app created user-only (SQLite and logging create their own)."""
    if _POSIX:
        with contextlib.suppress(OSError):
            os.chmod(path, FILE_MODE)
