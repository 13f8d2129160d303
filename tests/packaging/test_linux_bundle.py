"""Build the Linux bundle, .tar.gz and .deb with packaging/build_linux.sh, install the .deb into a
temp root and check what a user gets (issue 6), and the release files beside it: the bill of
materials and SHA256SUMS (issue 18). One build (~2 min) is shared by the module.

The build runs as in the release workflow: in a fresh venv into which build_linux.sh installs the
locked, hashed inputs (packaging/requirements-build.lock; pip's cache makes it ~30 s), so the
bundle holds exactly the locked packages and the test environment is left alone.

Runs in CI (it fails there instead of skipping when a tool is missing); skips elsewhere with the
missing tool named. Nothing touches the developer's dist/ or build/: DIST_DIR and WORK_DIR go to tmp.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.packaging.test_release_workflow import spec_output
from tests.packaging.tools import ROOT, build_lock, elfinfo, linux_deps, run_icu_probe

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the .deb/.tar.gz are Linux builds"),
]

SIZE_BUDGET = 120_000_000  # bytes, issue 6: "the Linux bundle stays <= 120 MB unpacked"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
LICENCES = ("LGPL-3.0.txt", "GPL-3.0.txt", "THIRD_PARTY_NOTICES.md")
BUILD_TIMEOUT_S = 600


def _missing_tools() -> list[str]:
    missing = [tool for tool in ("dpkg-deb", "desktop-file-validate", "objdump", "as", "ld") if not shutil.which(tool)]
    if importlib.util.find_spec("PyInstaller") is None:
        missing.append("PyInstaller (pip install -e '.[test]')")
    return missing


@dataclass(frozen=True)
class Built:
    dist: Path
    deb: Path
    tarball: Path
    sbom: Path
    root: Path  # the .deb unpacked with dpkg-deb -x, as if installed
    build_log: str
    python: Path  # the build's interpreter: a venv holding the locked packages

    @property
    def app(self) -> Path:
        return self.root / "opt" / "wan27-desktop"

    def bill(self) -> dict:
        return json.loads(self.sbom.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    missing = _missing_tools()
    if missing:
        why = (
            "cannot build the Linux bundle here; missing: "
            + ", ".join(missing)
            + " (apt-get install dpkg desktop-file-utils binutils)"
        )
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    base = tmp_path_factory.mktemp("linux-build")
    subprocess.run([sys.executable, "-m", "venv", str(base / "venv")], check=True, timeout=120)
    python = base / "venv" / "bin" / "python"
    env = {
        **os.environ,
        "PYTHON": str(python),
        "DIST_DIR": str(base / "dist"),
        "WORK_DIR": str(base / "work"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    for inherited in ("SKIP_PIP", "PYTHONPATH", "VIRTUAL_ENV", "PIP_REQUIRE_VIRTUALENV"):
        env.pop(inherited, None)  # the venv alone, as on a release build machine
    done = subprocess.run(
        ["bash", str(ROOT / "packaging" / "build_linux.sh")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
    )
    log = done.stdout + done.stderr
    assert done.returncode == 0, f"build_linux.sh failed ({done.returncode}):\n{log[-6000:]}"
    dist = base / "dist"
    debs, tarballs = sorted(dist.glob("wan27-desktop_*.deb")), sorted(dist.glob("wan27-desktop-*-linux-*.tar.gz"))
    sboms = sorted(dist.glob("wan27-desktop-*-linux-*.cdx.json"))
    assert len(debs) == 1 and len(tarballs) == 1 and len(sboms) == 1, sorted(p.name for p in dist.iterdir())
    root = base / "root"
    subprocess.run(["dpkg-deb", "-x", str(debs[0]), str(root)], check=True, timeout=120)
    return Built(dist, debs[0], tarballs[0], sboms[0], root, log, python)


def _tree_size(folder: Path) -> int:
    """Bytes of all files, symlinks counted once (what `du --apparent-size` reports)."""
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _field(deb: Path, name: str) -> str:
    return subprocess.run(["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True, check=True).stdout.strip()


def test_launcher_in_usr_bin_points_at_the_bundle_in_opt(built: Built) -> None:
    launcher = built.root / "usr" / "bin" / "wan27-desktop"
    assert launcher.is_symlink()
    target = os.readlink(launcher)
    assert target == "/opt/wan27-desktop/wan27-desktop"
    installed = built.root / target.lstrip("/")
    assert installed.is_file() and os.access(installed, os.X_OK)


def test_desktop_file_is_valid_and_matches_the_package(built: Built) -> None:
    desktop = built.root / "usr" / "share" / "applications" / "wan27-desktop.desktop"
    done = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and "error" not in done.stdout.lower(), done.stdout + done.stderr
    entries = dict(line.split("=", 1) for line in desktop.read_text(encoding="utf-8").splitlines() if "=" in line)
    assert entries["Exec"].split()[0] == "wan27-desktop"  # the /usr/bin launcher
    assert entries["Icon"] == "wan27-desktop"
    # Docks group windows by WM_CLASS; Qt's xcb plugin sets its class part to the application name.
    from wan27_desktop import config

    assert entries["StartupWMClass"] == config.APP_NAME


def test_hicolor_icons_from_16_to_512_and_the_scalable_svg(built: Built) -> None:
    from PySide6.QtGui import QImage

    hicolor = built.root / "usr" / "share" / "icons" / "hicolor"
    for size in ICON_SIZES:
        image = QImage(str(hicolor / f"{size}x{size}" / "apps" / "wan27-desktop.png"))
        assert not image.isNull() and (image.width(), image.height()) == (size, size), size
    svg = hicolor / "scalable" / "apps" / "wan27-desktop.svg"
    assert svg.read_bytes() == (ROOT / "resources" / "icons" / "wan27-desktop.svg").read_bytes()


def test_installed_binary_passes_its_self_test(built: Built, tmp_path: Path) -> None:
    from wan27_desktop import keys

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WAN27_DATA_DIR": str(tmp_path / "data")}
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [str(built.app / "wan27-desktop"), "--self-test"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    assert "PASSED" in report
    assert f"build: {_expected_build_line()}" in report
    # Resources come from the installed bundle, not from this checkout.
    resources = next(line for line in report.splitlines() if "resources:" in line)
    assert str(built.app) in resources, resources
    if keys.keyring_available()[0]:
        # The test session has a Secret Service (conftest): the frozen SecretStorage/jeepney/
        # cryptography stack must reach it too.
        assert any(line.startswith("OK") and "keyring" in line for line in report.splitlines()), report


def test_bundle_is_within_the_size_budget(built: Built) -> None:
    size = _tree_size(built.app)
    assert size <= SIZE_BUDGET, f"bundle is {size / 1e6:.1f} MB unpacked, budget {SIZE_BUDGET / 1e6:.0f} MB"


def test_icu_data_was_trimmed(built: Built) -> None:
    icudata = sorted(p for p in built.app.rglob("libicudata.so.*") if not p.is_symlink())
    assert len(icudata) == 1
    assert icudata[0].stat().st_size < 8_000_000, "trim_icu.py did not run (binutils missing?)"
    assert "trim_icu: libicudata" in built.build_log


def test_shipped_icu_gives_qt_the_same_answers_as_the_full_data(built: Built) -> None:
    """The bundle's own (trimmed) Qt lib folder under the build venv's PySide6 (same version: the
    bundle was frozen from it) answers collation, zone-name and text-boundary questions for en/zh
    exactly like the full ICU data (tests/packaging/icu_probe.py)."""
    qt_lib = built.app / "_internal" / "PySide6" / "Qt" / "lib"
    shipped, full = run_icu_probe(qt_lib, built.python), run_icu_probe(None, built.python)
    assert Path(str(shipped.pop("icudata"))).parent == qt_lib
    full.pop("icudata")
    assert shipped == full


def test_licences_ship_in_the_bundle_and_in_usr_share_doc(built: Built) -> None:
    bundled = built.app / "_internal" / "resources" / "licenses"
    doc = built.root / "usr" / "share" / "doc" / "wan27-desktop"
    for name in LICENCES:
        source = (ROOT / "resources" / "licenses" / name).read_bytes()
        assert (bundled / name).read_bytes() == source, name
        assert (doc / name).read_bytes() == source, name
    assert (ROOT / "LICENSE").read_text(encoding="utf-8") in (doc / "copyright").read_text(encoding="utf-8")


def test_qt_stays_as_separate_shared_libraries(built: Built) -> None:
    """LGPL: users can replace Qt, so Qt must not be linked into anything else."""
    qt_lib = built.app / "_internal" / "PySide6" / "Qt" / "lib"
    for name in ("libQt6Core.so.6", "libQt6Gui.so.6", "libQt6Widgets.so.6"):
        assert (qt_lib / name).is_file(), name
    assert "libQt6Core.so.6" in elfinfo.needed(built.app / "_internal" / "PySide6" / "QtCore.abi3.so")


def test_every_linked_library_is_bundled_or_a_declared_dependency(built: Built) -> None:
    packages, unresolved = linux_deps.depends(built.app)
    assert unresolved == {}
    assert _field(built.deb, "Depends") == ", ".join(packages)
    assert int(_field(built.deb, "Installed-Size")) * 1024 >= _tree_size(built.app)


def test_tarball_holds_the_same_bundle_as_the_deb(built: Built) -> None:
    with tarfile.open(built.tarball) as tar:
        in_tar = {member.name for member in tar.getmembers() if not member.isdir()}
    in_deb = {"wan27-desktop/" + str(p.relative_to(built.app)) for p in built.app.rglob("*") if not p.is_dir()}
    assert in_tar == in_deb


# -- release files and the build's identity (issue 18) ----------------------------------------------
def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


def _expected_build_line() -> str:
    """`<version> (commit <12 hex>[+changes], built ...`, as this checkout must have recorded it."""
    from wan27_desktop import __version__

    dirty = "+changes" if _git("status", "--porcelain", "--untracked-files=no") else ""
    return f"{__version__} (commit {_git('rev-parse', 'HEAD')[:12]}{dirty}, built "


def test_the_frozen_app_names_the_commit_and_date_it_was_built_from(built: Built) -> None:
    done = subprocess.run(
        [str(built.app / "wan27-desktop"), "--version"], capture_output=True, text=True, timeout=60, cwd=built.dist
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"wan27-desktop {_expected_build_line()}"), done.stdout
    assert re.search(r", built \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$", done.stdout.strip()), done.stdout
    record = json.loads((built.app / "_internal" / "build_info.json").read_text(encoding="utf-8"))
    assert record["commit"] == _git("rev-parse", "HEAD")


def test_the_build_installed_the_locked_inputs_and_bundled_only_those(built: Built) -> None:
    check = subprocess.run(
        [str(built.python), str(ROOT / "packaging" / "build_lock.py"), "check"], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    assert re.search(r"build_lock: \d+ locked packages installed at their locked versions", built.build_log)
    locked = {(pin.name, pin.version) for pin in build_lock.read_lock()}
    bundled = {
        (build_lock.normalise(c["name"]), c["version"])
        for c in built.bill()["components"]
        if c.get("purl", "").startswith("pkg:pypi/")
    }
    assert len(bundled) >= 15
    assert bundled <= locked, f"bundled but not locked: {sorted(bundled - locked)}"


def test_the_bill_of_materials_lists_the_bundled_packages_and_qt_with_licences(built: Built) -> None:
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    text = built.sbom.read_text(encoding="utf-8")
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(text) is None
    bill = json.loads(text)
    components = bill["components"]
    by_name = {c["name"]: c for c in components if c.get("purl", "").startswith("pkg:pypi/")}
    # The venv is of this interpreter: the lock's markers pick the same pins for both.
    locked = {pin.name: pin.version for pin in build_lock.applicable(build_lock.read_lock())}
    expected = {
        "PySide6_Essentials": [{"expression": "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only"}],
        "shiboken6": [{"expression": "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only"}],
        "httpx": [{"license": {"id": "BSD-3-Clause"}}],
        "httpcore": [{"license": {"id": "BSD-3-Clause"}}],
        "keyring": [{"license": {"id": "MIT"}}],
        "platformdirs": [{"license": {"id": "MIT"}}],
        "certifi": [{"license": {"id": "MPL-2.0"}}],
        "SecretStorage": [{"license": {"id": "BSD-3-Clause"}}],
        "pyinstaller": [{"expression": "GPL-2.0-or-later WITH Bootloader-exception"}],
    }
    for name, licences in expected.items():
        assert name in by_name, f"{name} missing from {sorted(by_name)}"
        assert by_name[name]["licenses"] == licences, name
        assert by_name[name]["version"] == locked[build_lock.normalise(name)]
    assert all(c.get("licenses") for c in by_name.values()), [n for n, c in by_name.items() if not c.get("licenses")]
    # Every Qt library and plugin shipped, each with its licence and the hash of the file shipped.
    internal = built.app / "_internal"
    qt_files = {
        p.relative_to(built.app).as_posix(): p
        for p in internal.rglob("*")
        if p.is_file() and not p.is_symlink() and (p.name.startswith("libQt6") or "/Qt/plugins/" in p.as_posix())
    }
    listed = {
        prop["value"]: c
        for c in components
        if c.get("group") == "Qt"
        for prop in c["properties"]
        if prop["name"] == "wan27:path"
    }
    assert set(listed) == set(qt_files)
    assert {"Qt6Core", "Qt6Gui", "Qt6Widgets", "platforms/qxcb", "imageformats/qwebp"} <= {
        c["name"] for c in listed.values()
    }
    qt_version = subprocess.run(
        [str(built.python), "-c", "from PySide6.QtCore import qVersion; print(qVersion())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    for path, component in listed.items():
        assert component["licenses"] == [{"license": {"id": "LGPL-3.0-only"}}], path
        assert component["version"] == qt_version
        assert component["hashes"] == [
            {"alg": "SHA-256", "content": hashlib.sha256(qt_files[path].read_bytes()).hexdigest()}
        ]
    # The interpreter, the app itself, and no file left without an owner.
    assert any(c["name"] == "CPython" and c["licenses"] == [{"license": {"id": "PSF-2.0"}}] for c in components)
    app = bill["metadata"]["component"]
    commit = next(p["value"] for p in app["properties"] if p["name"] == "wan27:commit")
    assert (app["name"], app["licenses"], commit) == (
        "wan27-desktop",
        [{"license": {"id": "MIT"}}],
        _git("rev-parse", "HEAD"),
    )
    assert not [p for p in bill["metadata"]["properties"] if p["name"] == "wan27:unattributed"]


def test_sha256sums_covers_every_release_file(built: Built) -> None:
    sums = built.dist / "SHA256SUMS"
    names = [line.split("  ", 1)[1] for line in sums.read_text(encoding="utf-8").splitlines()]
    assert sorted(names) == sorted(p.name for p in (built.deb, built.tarball, built.sbom))
    done = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=built.dist, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_bundle_is_what_the_windows_installer_script_installs(built: Built) -> None:
    """The bundle's top level is exactly the executable and the contents folder that
    test_release_workflow checks wan27-desktop.iss installs, replaces and removes."""
    exe, contents = spec_output()
    assert sorted(p.name for p in built.app.iterdir()) == sorted([exe, contents])
