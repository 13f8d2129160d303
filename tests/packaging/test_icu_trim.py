"""The trimmed ICU data (packaging/trim_icu.py) changes nothing Qt computes for the app's languages.

Differential: tests/packaging/icu_probe.py runs twice with the installed PySide6, once as shipped
and once with LD_LIBRARY_PATH pointing at a trimmed copy of its libicudata (the loader searches
LD_LIBRARY_PATH before Qt's RUNPATH); the two JSON reports must be identical. A few absolute
answers make sure both runs really exercised ICU (pinyin collation, Chinese time-zone names).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.packaging.tools import run_icu_probe, trim_icu

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="libicudata.so is Qt's ICU on Linux")


def qt_icudata() -> Path:
    import PySide6

    found = sorted(
        p for p in (Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*") if not p.is_symlink()
    )
    if not found:
        pytest.skip("this PySide6 build has no libicudata.so (Qt built without ICU)")
    return found[0]


def _need_binutils() -> None:
    if shutil.which("as") and shutil.which("ld"):
        return
    message = "binutils (as, ld) are needed to link the trimmed ICU library: apt-get install binutils"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def trimmed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(folder holding the trimmed libicudata.so.NN, the trimmed .dat package)."""
    _need_binutils()
    bundle = tmp_path_factory.mktemp("icu-bundle")
    shutil.copy2(qt_icudata(), bundle / qt_icudata().name)
    dat = bundle / "trimmed.dat"
    trim_icu.trim_bundle(bundle, dat)
    return bundle, dat


def test_trimmed_icu_library_is_a_fraction_of_the_original(trimmed: tuple[Path, Path]) -> None:
    folder, _dat = trimmed
    size = (folder / qt_icudata().name).stat().st_size
    assert size < 8_000_000, f"trimmed ICU data is {size / 1e6:.1f} MB"
    assert size < qt_icudata().stat().st_size / 4


def test_icupkg_reads_the_trimmed_package_without_missing_dependencies(
    trimmed: tuple[Path, Path], tmp_path: Path
) -> None:
    if not shutil.which("icupkg"):
        pytest.skip("icupkg (Debian icu-devtools) not installed: cross-check with ICU's own tool skipped")
    _folder, dat = trimmed
    items = trim_icu.parse_package(dat.read_bytes()).items
    prefix = items[0][0].split("/")[0]  # icupkg wants the file named like its item prefix
    named = tmp_path / f"{prefix}.dat"
    shutil.copy2(dat, named)
    done = subprocess.run(["icupkg", "-l", str(named)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "missing" not in done.stderr, done.stderr
    assert len(done.stdout.split()) == len(items)


def test_qt_gives_the_same_answers_with_the_trimmed_icu(trimmed: tuple[Path, Path]) -> None:
    folder, _dat = trimmed
    full = run_icu_probe(None)
    small = run_icu_probe(folder)
    assert Path(str(small.pop("icudata"))).parent == folder  # really ran on the trimmed data
    assert Path(str(full.pop("icudata"))) == qt_icudata()
    assert small == full


def test_probe_exercises_icu_collation_and_zone_names(trimmed: tuple[Path, Path]) -> None:
    report = run_icu_probe(trimmed[0])
    zh_order = report["collation"]["zh_CN"]  # type: ignore[index]
    assert [w for w in zh_order if w in ("啊", "波", "次")] == ["啊", "波", "次"]  # pinyin a < bo < ci
    zones = report["time_zones"]
    assert zones["Asia/Shanghai/zh_CN/LongName"] == "中国标准时间"  # type: ignore[index]
    assert zones["Asia/Shanghai/en_US/LongName"] == "China Standard Time"  # type: ignore[index]
    assert report["locale_text"]["tr_TR/upper"].startswith("İSTANBUL")  # type: ignore[index]
