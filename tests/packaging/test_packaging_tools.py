"""Unit tests of the Linux build helpers: what the bundle filter drops, the ELF reader, the ICU
package reader/writer and the Depends computation. Fast; the full build is test_linux_bundle.py."""

from __future__ import annotations

import shutil
import struct
import sys
from pathlib import Path

import pytest

from tests.packaging.tools import bundle_filter, elfinfo, linux_deps, trim_icu

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF/.so checks need Linux")


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/lib/libQt6Network.so.6",
        "PySide6/Qt/lib/libQt6EglFSDeviceIntegration.so.6",
        "PySide6/Qt/lib/libQt6WlShellIntegration.so.6",
        "PySide6/Qt/plugins/platforms/libqeglfs.so",
        "PySide6/Qt/plugins/platforms/libqminimal.so",
        "PySide6/Qt/plugins/platforms/libqminimalegl.so",
        "PySide6/Qt/plugins/platforms/libqvnc.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/wayland-shell-integration/libivi-shell.so",
        "PySide6/Qt/plugins/wayland-graphics-integration-client/libqt-plugin-wayland-egl.so",
        "PySide6/Qt/plugins/imageformats/libqtiff.so",
        "PySide6/Qt/translations/qtbase_de.qm",
        r"PySide6\Qt\plugins\sqldrivers\qsqlite.dll",
    ],
)
def test_filter_drops_what_the_app_never_loads(dest: str) -> None:
    assert bundle_filter.is_unneeded(dest)


@pytest.mark.parametrize(
    "dest",
    [
        "PySide6/Qt/lib/libQt6Core.so.6",
        "PySide6/Qt/lib/libQt6Svg.so.6",
        "PySide6/Qt/lib/libQt6WaylandClient.so.6",
        "PySide6/Qt/lib/libQt6XcbQpa.so.6",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
        "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
        "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
        "PySide6/Qt/plugins/wayland-decoration-client/libadwaita.so",
        "PySide6/Qt/plugins/imageformats/libqjpeg.so",
        "PySide6/Qt/plugins/imageformats/libqwebp.so",
        "PySide6/Qt/plugins/imageformats/libqgif.so",
        "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
        "PySide6/Qt/translations/qtbase_zh_CN.qm",
        r"PySide6\plugins\platforms\qwindows.dll",
        "resources/licenses/LGPL-3.0.txt",
    ],
)
def test_filter_keeps_what_the_app_needs(dest: str) -> None:
    assert not bundle_filter.is_unneeded(dest)


@pytest.mark.parametrize(
    ("dest", "provided"),
    [
        ("libstdc++.so.6", True),
        ("libgcc_s.so.1", True),
        ("libglib-2.0.so.0", True),
        ("libdbus-1.so.3", True),
        ("libfontconfig.so.1", True),
        ("libxkbcommon.so.0", True),
        ("libX11.so.6", True),
        ("libzstd.so.1", True),
        # Bundled: the Python runtime's own libraries and the rarely installed xcb helpers.
        ("libssl.so.3", False),
        ("libcrypto.so.3", False),
        ("libsqlite3.so.0", False),
        ("libpython3.11.so.1.0", False),
        ("libxcb-cursor.so.0", False),
        ("libXau.so.6", False),
        ("PySide6/Qt/lib/libstdc++.so.6", False),  # only top-level (system) copies are left out
    ],
)
def test_system_provided_libraries(dest: str, provided: bool) -> None:
    assert bundle_filter.is_system_provided(dest) is provided


def test_every_system_provided_library_has_a_debian_package() -> None:
    for soname in (
        "libstdc++.so.6",
        "libgcc_s.so.1",
        "libglib-2.0.so.0",
        "libgthread-2.0.so.0",
        "libdbus-1.so.3",
        "libzstd.so.1",
        "libfontconfig.so.1",
        "libfreetype.so.6",
        "libxkbcommon.so.0",
        "libxkbcommon-x11.so.0",
        "libX11.so.6",
        "libX11-xcb.so.1",
    ):
        assert bundle_filter.is_system_provided(soname)
        assert soname in linux_deps.SYSTEM_LIBRARIES, soname


def test_prune_keeps_the_dependency_closure_and_drops_orphans() -> None:
    binaries = [
        ("PySide6/QtGui.abi3.so", "/src/QtGui.abi3.so", "EXTENSION"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/src/libqxcb.so", "BINARY"),
        ("libxcb-cursor.so.0", "/src/libxcb-cursor.so.0", "BINARY"),
        ("libxcb-render.so.0", "/src/libxcb-render.so.0", "BINARY"),  # needed by xcb-cursor only
        ("libcairo.so.2", "/src/libcairo.so.2", "BINARY"),  # GTK's, nobody left needs it
        ("libpixman-1.so.0", "/src/libpixman-1.so.0", "BINARY"),  # needed by cairo only
        ("libpython3.11.so.1.0", "/src/libpython3.11.so.1.0", "BINARY"),
        ("_cffi_backend.cpython-311-x86_64-linux-gnu.so", "/src/_cffi.so", "EXTENSION"),
    ]
    graph = {
        "/src/libqxcb.so": ["libxcb-cursor.so.0", "libc.so.6"],
        "/src/libxcb-cursor.so.0": ["libxcb-render.so.0"],
        "/src/libcairo.so.2": ["libpixman-1.so.0"],
    }
    kept = [entry[0] for entry in bundle_filter.prune_unreachable(binaries, lambda src: graph.get(src, []))]
    assert kept == [
        "PySide6/QtGui.abi3.so",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "libxcb-cursor.so.0",
        "libxcb-render.so.0",
        "libpython3.11.so.1.0",
        "_cffi_backend.cpython-311-x86_64-linux-gnu.so",
    ]


def test_symlinks_to_dropped_libraries_are_dropped() -> None:
    binaries = [("PySide6/Qt/lib/libQt6Core.so.6", "/src/core", "BINARY")]
    datas = [
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
        ("libQt6OpenGL.so.6", "PySide6/Qt/lib/libQt6OpenGL.so.6", "SYMLINK"),
        ("resources/icons/wan27-desktop.svg", "/src/icon.svg", "DATA"),
    ]
    assert [d[0] for d in bundle_filter.drop_dangling_symlinks(datas, binaries)] == [
        "libQt6Core.so.6",
        "resources/icons/wan27-desktop.svg",
    ]


@linux_only
def test_elf_reader_agrees_with_the_dynamic_loader_on_a_real_extension() -> None:
    import _ssl

    path = Path(_ssl.__file__)
    needed = elfinfo.needed(path)
    assert any(name.startswith("libssl.so") for name in needed), needed
    assert elfinfo.needed(Path(__file__)) == []  # not ELF: no dependencies, no exception


def _package(items: dict[str, bytes]) -> bytes:
    """A small ICU common-data package built by hand the way genccode lays one out."""
    header = bytearray(32)
    struct.pack_into("<HBB", header, 0, 32, 0xDA, 0x27)
    struct.pack_into("<HHBBBB4s", header, 4, 20, 0, 0, 0, 2, 0, b"CmnD")
    return trim_icu.build_package(trim_icu.Package(bytes(header), list(items.items())))


def test_icu_package_round_trips_and_trims_by_locale() -> None:
    items = {
        "icudt73l/root.res": b"R" * 16,
        "icudt73l/en_GB.res": b"E" * 32,
        "icudt73l/de.res": b"D" * 16,
        "icudt73l/zh_Hans_CN.res": b"Z" * 16,
        "icudt73l/coll/zh.res": b"C" * 48,
        "icudt73l/coll/de.res": b"c" * 16,
        "icudt73l/coll/ucadata.icu": b"U" * 16,
        "icudt73l/brkitr/cjdict.dict": b"B" * 64,
        "icudt73l/gb18030.cnv": b"G" * 16,
        "icudt73l/cnvalias.icu": b"A" * 16,
        "icudt73l/zoneinfo64.res": b"T" * 16,
    }
    blob = _package(items)
    package = trim_icu.parse_package(blob)
    assert dict(package.items) == items
    assert trim_icu.build_package(package) == blob
    kept = trim_icu.parse_package(trim_icu.build_package(trim_icu.trim(package)))
    assert sorted(name for name, _ in kept.items) == [
        "icudt73l/cnvalias.icu",
        "icudt73l/coll/ucadata.icu",
        "icudt73l/coll/zh.res",
        "icudt73l/en_GB.res",
        "icudt73l/root.res",
        "icudt73l/zh_Hans_CN.res",
        "icudt73l/zoneinfo64.res",
    ]
    for offset in range(32 + 4 + 4, 32 + 4 + 8 * len(kept.items), 8):  # every item 16-byte aligned
        assert (32 + struct.unpack_from("<I", trim_icu.build_package(kept), offset)[0]) % 16 == 0


def test_icu_package_reader_refuses_other_data() -> None:
    with pytest.raises(ValueError, match="not an ICU common-data package"):
        trim_icu.parse_package(b"\x20\x00\xda\x27" + b"\x00" * 28 + b"\x00" * 8)


@linux_only
def test_trim_icu_keeps_the_library_when_binutils_are_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.packaging.test_icu_trim import qt_icudata

    bundle = tmp_path / "bundle"
    bundle.mkdir()
    shutil.copy2(qt_icudata(), bundle / qt_icudata().name)
    before = (bundle / qt_icudata().name).read_bytes()
    monkeypatch.setattr(trim_icu.shutil, "which", lambda _tool: None)
    assert trim_icu.main([str(bundle)]) == 0
    assert "keeping the untrimmed ICU data (binutils (as, ld) not found)" in capsys.readouterr().err
    assert (bundle / qt_icudata().name).read_bytes() == before
    assert trim_icu.main([str(bundle), "--strict"]) == 1


@linux_only
def test_linux_deps_reports_a_library_that_is_neither_bundled_nor_known(tmp_path: Path) -> None:
    import _ssl

    bundle = tmp_path / "bundle"
    bundle.mkdir()
    shutil.copy2(_ssl.__file__, bundle / Path(_ssl.__file__).name)  # links libssl/libcrypto, not bundled
    packages, unresolved = linux_deps.depends(bundle)
    assert "libc6" in packages
    assert any(name.startswith("libssl.so") for name in unresolved), unresolved
    (bundle / next(n for n in unresolved if n.startswith("libssl.so"))).write_bytes(b"\x7fELF")
    _packages, unresolved = linux_deps.depends(bundle)
    assert not any(name.startswith("libssl.so") for name in unresolved)
