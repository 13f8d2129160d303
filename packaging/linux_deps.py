"""Which system packages the Linux bundle needs, computed from what its binaries link against.

Like dpkg-shlibdeps, but for a PyInstaller bundle: every DT_NEEDED name of every ELF file in the
bundle must either be in the bundle or be listed in SYSTEM_LIBRARIES with the Debian/Ubuntu package
that provides it. `build_linux.sh` writes the .deb's Depends from this and fails the build when a
new Qt or Python dependency is in neither place (instead of shipping an app that cannot start).

    python packaging/linux_deps.py dist/wan27-desktop    # prints the Depends line
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from elfinfo import needed  # noqa: E402

_GLIBC = "libc6"
_GLIB = "libglib2.0-0 | libglib2.0-0t64"  # the t64 name is Ubuntu 24.04's / Debian 13's
SYSTEM_LIBRARIES = {
    # glibc: never bundled (PyInstaller's own rule), always present.
    "libc.so.6": _GLIBC,
    "libm.so.6": _GLIBC,
    "libdl.so.2": _GLIBC,
    "libpthread.so.0": _GLIBC,
    "librt.so.1": _GLIBC,
    "libutil.so.1": _GLIBC,
    "ld-linux-x86-64.so.2": _GLIBC,
    "ld-linux-aarch64.so.1": _GLIBC,
    # Left to the system on purpose: bundle_filter.SYSTEM_PROVIDED says why for each.
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
    "libglib-2.0.so.0": _GLIB,
    "libgthread-2.0.so.0": _GLIB,
    "libdbus-1.so.3": "libdbus-1-3",
    "libzstd.so.1": "libzstd1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    # Never bundled by PyInstaller (graphics stack and display-server client libraries).
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libOpenGL.so.0": "libopengl0",
    "libGLX.so.0": "libglx0",
    "libxcb.so.1": "libxcb1",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    # Qt's xcb plugin needs these two; bundled when the build machine has them, else Depends.
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
}


def elf_files(bundle: Path) -> list[Path]:
    return [
        p
        for p in sorted(bundle.rglob("*"))
        if p.is_file() and not p.is_symlink() and p.open("rb").read(4) == b"\x7fELF"
    ]


def external_needs(bundle: Path) -> dict[str, list[Path]]:
    """NEEDED names the bundle does not contain itself -> the files that need them."""
    bundled = {p.name for p in bundle.rglob("*")}
    needs: dict[str, list[Path]] = {}
    for path in elf_files(bundle):
        for name in needed(path):
            if name not in bundled:
                needs.setdefault(name, []).append(path.relative_to(bundle))
    return needs


def depends(bundle: Path) -> tuple[list[str], dict[str, list[Path]]]:
    """(sorted package alternatives for Depends, unresolved NEEDED names -> who needs them)."""
    needs = external_needs(bundle)
    unresolved = {name: users for name, users in needs.items() if name not in SYSTEM_LIBRARIES}
    packages = sorted({SYSTEM_LIBRARIES[name] for name in needs if name in SYSTEM_LIBRARIES} | {_GLIBC})
    return packages, unresolved


def main(argv: list[str]) -> int:
    packages, unresolved = depends(Path(argv[1]))
    for name, users in sorted(unresolved.items()):
        print(
            f"linux_deps: {name} (needed by {users[0]}) is neither bundled nor a known system "
            "library: add it to SYSTEM_LIBRARIES or stop filtering it out",
            file=sys.stderr,
        )
    print(", ".join(packages))
    return 1 if unresolved else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
