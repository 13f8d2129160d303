"""The pieces of packaging/sbom.py and packaging/checksums.py that need no bundle: how a licence is
read from package metadata, how bundle paths map to modules, and SHA256SUMS as sha256sum reads it.
The bill of materials of a real bundle is checked in test_linux_bundle.py."""

from __future__ import annotations

import shutil
import subprocess
from email.message import Message
from pathlib import Path

import pytest

from tests.packaging.tools import checksums, sbom


def metadata(**fields: str | list[str]) -> Message:
    meta = Message()
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            meta[name.replace("_", "-")] = item
    return meta


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"License_Expression": "MIT"}, [{"license": {"id": "MIT"}}]),
        ({"License_Expression": "Apache-2.0 OR BSD-3-Clause"}, [{"expression": "Apache-2.0 OR BSD-3-Clause"}]),
        # PySide6-Essentials declares an SPDX expression in the old License field.
        (
            {"License": "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only"},
            [{"expression": "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only"}],
        ),
        ({"License": "MPL-2.0"}, [{"license": {"id": "MPL-2.0"}}]),
        # Prose in License: the classifiers say it exactly, so they win.
        (
            {"License": "Apache 2.0", "Classifier": ["License :: OSI Approved :: Apache Software License"]},
            [{"license": {"id": "Apache-2.0"}}],
        ),
        (
            {"Classifier": ["License :: OSI Approved :: MIT License",
                            "License :: OSI Approved :: Apache Software License"]},
            [{"expression": "MIT OR Apache-2.0"}],
        ),
        # "BSD License" names no licence exactly: quoted as it is, never guessed.
        ({"Classifier": ["License :: OSI Approved :: BSD License"]}, [{"license": {"name": "BSD License"}}]),
        ({"License": "Some custom licence, see LICENSE"}, [{"license": {"name": "Some custom licence, see LICENSE"}}]),
        # PyInstaller's prose, which its project means as this SPDX expression.
        (
            {"License": "GPLv2-or-later with a special exception which allows to use PyInstaller to build and "
             "distribute non-free programs (including commercial ones)"},
            [{"expression": "GPL-2.0-or-later WITH Bootloader-exception"}],
        ),
        ({}, []),
    ],
)  # fmt: skip
def test_licences_come_from_the_metadata_as_declared(fields: dict[str, str | list[str]], expected: list) -> None:
    assert sbom.licences(metadata(**fields)) == expected


@pytest.mark.parametrize(
    ("path", "module"),
    [
        ("httpx/_client.py", "httpx._client"),
        ("httpx/__init__.py", "httpx"),
        ("PySide6/QtCore.abi3.so", "PySide6.QtCore"),
        ("_cffi_backend.cpython-311-x86_64-linux-gnu.so", "_cffi_backend"),
        ("win32ctypes/core/_winerrors.pyd", "win32ctypes.core._winerrors"),
        ("rich/_unicode_data/unicode17-0-0.py", "rich._unicode_data.unicode17-0-0"),
        ("httpx/py.typed", None),
        ("httpx/__pycache__/_client.cpython-311.pyc", None),
        ("keyring-25.7.0.dist-info/RECORD", None),
        ("../../bin/wan27", None),
    ],
)
def test_installed_paths_name_their_modules(path: str, module: str | None) -> None:
    assert sbom._module_of(path) == module


def test_qt_libraries_and_plugins_are_recognised_on_every_platform() -> None:
    libraries = {
        "PySide6/Qt/lib/libQt6Core.so.6": "Qt6Core",
        "PySide6/Qt6Widgets.dll": "Qt6Widgets",
        "PySide6/Qt/lib/QtGui.framework/Versions/A/QtGui": "QtGui",
    }
    for path, name in libraries.items():
        match = sbom.QT_LIBRARY.search(path)
        assert match and (match.group("linux") or match.group("windows") or match.group("mac")) == name, path
    plugins = {
        "PySide6/Qt/plugins/platforms/libqxcb.so": ("platforms", "qxcb"),
        "PySide6/plugins/imageformats/qwebp.dll": ("imageformats", "qwebp"),
        "PySide6/Qt/plugins/platforms/libqcocoa.dylib": ("platforms", "qcocoa"),
    }
    for path, expected in plugins.items():
        match = sbom.QT_PLUGIN.search(path)
        assert match and (match.group("kind"), match.group("name")) == expected, path
    for other in ("PySide6/libpyside6.abi3.so.6.11", "PySide6/Qt/lib/libicuuc.so.73", "shiboken6/Shiboken.abi3.so"):
        assert not sbom.QT_LIBRARY.search(other) and not sbom.QT_PLUGIN.search(other), other


def test_sha256sums_is_what_sha256sum_checks(tmp_path: Path) -> None:
    (tmp_path / "b.deb").write_bytes(b"\x00deb" * 1000)
    (tmp_path / "a file.tar.gz").write_bytes(b"tarball")
    out = checksums.write_sums(tmp_path, ["b.deb", "a file.tar.gz"])
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [line.split("  ", 1)[1] for line in lines] == ["a file.tar.gz", "b.deb"]
    assert lines[1].split("  ")[0] == checksums.sha256(tmp_path / "b.deb") and len(lines[1].split("  ")[0]) == 64
    if shutil.which("sha256sum"):
        done = subprocess.run(
            ["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=tmp_path, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
        (tmp_path / "b.deb").write_bytes(b"changed")
        done = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 1 and "b.deb: FAILED" in done.stdout


def test_sha256sums_refuses_a_file_that_is_not_there(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="missing.exe is not a file"):
        checksums.write_sums(tmp_path, ["missing.exe"])
    assert not (tmp_path / checksums.SUMS).exists()
