"""Helpers shared by the CLI commands: output, exit codes, opening the library and the connection."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK = 0
EXIT_INVALID = 2
EXIT_SERVICE = 3
EXIT_NETWORK = 4
EXIT_INTERRUPTED = 130


class CliError(Exception):
    """Bad command-line input; exit code 2, message printed as is."""


def out(text: str = "") -> None:
    print(text, flush=True)


def err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def open_library():  # -> Library (import deferred: keeps `wan27 --help` fast)
    from wan27_desktop import config
    from wan27_desktop.library import Library

    return Library.open(config.library_root())


def parse_ids(values: list[str]) -> list[int]:
    ids = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit():
                raise CliError(f"'{part}' is not an image or job id (a whole number).")
            ids.append(int(part))
    return ids


def existing_dir(text: str) -> Path:
    path = Path(text).expanduser()
    if not path.is_dir():
        raise CliError(f"Folder not found: {path}")
    return path


def endpoint_arg(text: str) -> str:
    """`--api-base`: refused at once (exit 2, nothing sent) under the client's own rule (`api/endpoint.py`)."""
    from wan27_desktop.api import endpoint
    from wan27_desktop.api.errors import ValidationError

    try:
        return endpoint.normalise(text)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.issues[0].message) from None
