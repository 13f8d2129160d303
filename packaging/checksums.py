"""Write SHA256SUMS for a release's files, in the format `sha256sum -c` and `shasum -a 256 -c` read.

    python packaging/checksums.py dist wan27-desktop_0.1.0_amd64.deb wan27-desktop-0.1.0-linux-x86_64.tar.gz ...

The same script on Linux, macOS and Windows (where no sha256sum is at hand). Names are written
relative to the folder, sorted, one `<hex>  <name>` line each, so a user checks a download with
`sha256sum -c SHA256SUMS` in the folder it was saved to.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

SUMS = "SHA256SUMS"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_sums(folder: Path, names: list[str]) -> Path:
    """SHA256SUMS in `folder` over `names` (files in that folder); exits on a missing one."""
    lines = []
    for name in sorted(set(names)):
        path = folder / name
        if path.parent.resolve() != folder.resolve() or not path.is_file():
            raise SystemExit(f"checksums: {name} is not a file in {folder}")
        lines.append(f"{sha256(path)}  {name}\n")
    if not lines:
        raise SystemExit("checksums: no files given")
    out = folder / SUMS
    # Binary mode: "\n" line ends on Windows too, which sha256sum requires.
    out.write_bytes("".join(lines).encode("utf-8"))
    return out


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: python packaging/checksums.py FOLDER FILE...", file=sys.stderr)
        return 2
    folder = Path(argv[0])
    names = [Path(name).name for name in argv[1:]]  # "dist/x.deb" or "x.deb": a file in FOLDER
    out = write_sums(folder, names)
    print(f"checksums: {out} ({len(names)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
