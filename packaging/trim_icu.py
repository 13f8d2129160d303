"""Shrink the ICU data library Qt ships (libicudata.so.NN, ~32 MB) to what Qt Core can reach (build step).

Why this is safe: Qt Core is the only ICU user in the bundle, and it calls ICU for exactly four things
(`readelf --dyn-syms libQt6Core.so.6 | grep _NN$`): collation (ucol_*: QCollator), time-zone ids and
display names (ucal_*: QTimeZone), case mapping with a locale (u_strToUpper/Lower: QLocale::toUpper)
and legacy text codecs (ucnv_*: QStringConverter/QStringDecoder by name). Qt Gui/Widgets import no
ICU at all: text boundaries and line breaking (QTextBoundaryFinder, QTextLayout) use Qt's own Unicode
tables, so the break-iterator dictionaries (brkitr/, incl. the 2 MB CJK dictionary) are unreachable.

What is kept: collation, time-zone and locale data for root + the app's UI languages (en*, zh*), the
supplemental tables those need (likely subtags, metazones, zoneinfo64, windowsZones, plurals ...),
normalisation data and the converter alias table. What goes: other languages' locale data, legacy
codec tables (*.cnv: Qt's UTF-8/16/32 and Latin-1 codecs are built in, and Python does any other
decoding), break iterators, transliterators, character names, StringPrep and spoof-checker data.
Locales without data fall back to root (CLDR order for collation; "GMT+08:00"-style zone names).

The trimmed package is written in ICU's common-data format and linked into a new libicudata.so.NN
that exports the same `icudtNN_dat` symbol (binutils `as` + `ld`: PyInstaller needs binutils on
Linux anyway). Without those tools the untrimmed library stays (exit 0, message on stderr) unless
--strict is given.

    python packaging/trim_icu.py dist/wan27-desktop [--strict] [--out-dat FILE]
"""

from __future__ import annotations

import argparse
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from elfinfo import ElfFile  # noqa: E402

# Locale families kept in every locale tree: root + the UI languages (resources/translations); yue
# because CLDR makes zh_Hant_HK inherit some data (rbnf) from Cantonese.
KEPT_LOCALE = re.compile(r"(root|en|zh|yue)(_[A-Za-z0-9]+)*\.res")
# Trees Qt's ICU calls can reach (collation; zone names and the date/number formats they load).
KEPT_TREES = {"coll", "zone", "region", "lang", "curr", "unit", "rbnf"}
# Shared/supplemental items at the top of the package, kept whatever their name.
KEPT_TOP = {
    "pool.res",
    "res_index.res",
    "supplementalData.res",
    "likelySubtags.res",
    "metadata.res",
    "metaZones.res",
    "timezoneTypes.res",
    "windowsZones.res",
    "zoneinfo64.res",
    "numberingSystems.res",
    "plurals.res",
    "pluralRanges.res",
    "dayPeriods.res",
    "keyTypeData.res",
    "currencyNumericCodes.res",
    "genderList.res",
    "grammaticalFeatures.res",
    "units.res",
    "langInfo.res",
    "icuver.res",
    "icustd.res",
    "cnvalias.icu",
    "nfkc.nrm",
    "nfkc_cf.nrm",
    "uts46.nrm",
    "ulayout.icu",
    "uemoji.icu",
}
_ALIGN = 16  # ICU requires each item (and the package) to start 16-byte aligned


@dataclass(frozen=True)
class Package:
    header: bytes  # MappedData + UDataInfo ("CmnD") + copyright, as in the original
    items: list[tuple[str, bytes]]  # (full name "icudt73l/coll/zh.res", item bytes incl. padding)


def parse_package(blob: bytes) -> Package:
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != (0xDA, 0x27) or blob[12:16] != b"CmnD":
        raise ValueError("not an ICU common-data package")
    if blob[8] != 0:  # UDataInfo.isBigEndian
        raise ValueError("big-endian ICU data is not handled")
    (count,) = struct.unpack_from("<I", blob, header_size)
    toc = [struct.unpack_from("<II", blob, header_size + 4 + 8 * i) for i in range(count)]
    starts = [header_size + data for _name, data in toc] + [len(blob)]
    items = []
    for i, (name_off, _data) in enumerate(toc):
        at = header_size + name_off
        name = blob[at : blob.index(b"\0", at)].decode("ascii")
        items.append((name, blob[starts[i] : starts[i + 1]]))
    return Package(blob[:header_size], items)


def build_package(package: Package) -> bytes:
    """Inverse of parse_package: TOC sorted by name (ICU binary-searches it), 16-byte aligned items."""
    items = sorted(package.items, key=lambda item: item[0].encode("ascii"))
    header_size = len(package.header)
    toc_size = 4 + 8 * len(items)
    names = bytearray()
    name_offsets = []
    for name, _data in items:
        name_offsets.append(toc_size + len(names))
        names += name.encode("ascii") + b"\0"
    data_start = toc_size + len(names)
    data_start += -(header_size + data_start) % _ALIGN
    body = bytearray()
    data_offsets = []
    for _name, data in items:
        data_offsets.append(data_start + len(body))
        body += data + b"\0" * (-len(data) % _ALIGN)
    toc = struct.pack("<I", len(items)) + b"".join(
        struct.pack("<II", n, d) for n, d in zip(name_offsets, data_offsets, strict=True)
    )
    padding = b"\xaa" * (data_start - toc_size - len(names))  # genccode/icupkg pad with 0xAA
    return package.header + toc + bytes(names) + padding + bytes(body)


def keep(name: str) -> bool:
    path = name.split("/", 1)[1]
    if "/" in path:
        tree, leaf = path.split("/", 1)
        return tree in KEPT_TREES and (
            leaf in {"pool.res", "res_index.res", "ucadata.icu", "tzdbNames.res"}
            or KEPT_LOCALE.fullmatch(leaf) is not None
        )
    return path in KEPT_TOP or KEPT_LOCALE.fullmatch(path) is not None


def trim(package: Package) -> Package:
    return Package(package.header, [item for item in package.items if keep(item[0])])


def find_icudata(bundle: Path) -> Path | None:
    found = sorted(p for p in bundle.rglob("libicudata.so.*") if p.is_file() and not p.is_symlink())
    return found[0] if found else None


def data_symbol(lib: ElfFile) -> tuple[str, bytes]:
    for symbol in lib.dynamic_symbols():
        if re.fullmatch(r"icudt\d+_dat", symbol.name) and symbol.size:
            return symbol.name, lib.symbol_bytes(symbol)
    raise ValueError(f"{lib.path} exports no icudtNN_dat symbol")


def link_library(blob: bytes, symbol: str, soname: str, out: Path) -> None:
    """A shared object with one 16-byte aligned read-only symbol holding `blob` (what genccode makes)."""
    as_, ld = shutil.which("as"), shutil.which("ld")
    if not as_ or not ld:
        raise FileNotFoundError("binutils (as, ld) not found")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "data.bin").write_bytes(blob)
        (work / "data.s").write_text(
            f".section .rodata\n.globl {symbol}\n.type {symbol}, @object\n.balign 16\n{symbol}:\n"
            f'.incbin "data.bin"\n.size {symbol}, . - {symbol}\n'
            '.section .note.GNU-stack,"",@progbits\n'
        )
        subprocess.run([as_, "-o", "data.o", "data.s"], cwd=work, check=True)
        subprocess.run(
            [
                ld,
                "-shared",
                "-soname",
                soname,
                "--hash-style=both",
                "-z",
                "noexecstack",
                "-o",
                str(out),
                str(work / "data.o"),
            ],
            check=True,
        )


def trim_bundle(bundle: Path, out_dat: Path | None = None) -> tuple[Path, int, int]:
    lib_path = find_icudata(bundle)
    if lib_path is None:
        raise FileNotFoundError(f"no libicudata.so.* under {bundle}")
    lib = ElfFile(lib_path)
    symbol, blob = data_symbol(lib)
    original = parse_package(blob)
    trimmed_blob = build_package(trim(original))
    # Re-read what we wrote: a package ICU could not parse must never reach the bundle.
    if [n for n, _ in parse_package(trimmed_blob).items] != sorted(n for n, _ in trim(original).items):
        raise ValueError("the trimmed ICU package does not read back")
    if out_dat:
        out_dat.write_bytes(trimmed_blob)
    before = lib_path.stat().st_size
    new_lib = lib_path.with_name(lib_path.name + ".trimmed")
    link_library(trimmed_blob, symbol, lib.soname() or lib_path.name, new_lib)
    check_name, check_blob = data_symbol(ElfFile(new_lib))
    if check_name != symbol or check_blob != trimmed_blob:
        new_lib.unlink()
        raise ValueError("the linked ICU data library does not export the trimmed package")
    new_lib.chmod(lib_path.stat().st_mode)
    new_lib.replace(lib_path)
    return lib_path, before, lib_path.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--strict", action="store_true", help="fail instead of keeping the full library")
    parser.add_argument("--out-dat", type=Path, help="also write the trimmed package (.dat) here")
    args = parser.parse_args(argv)
    try:
        lib_path, before, after = trim_bundle(args.bundle, args.out_dat)
    except (OSError, ValueError, subprocess.CalledProcessError) as err:
        print(f"trim_icu: keeping the untrimmed ICU data ({err})", file=sys.stderr)
        return 1 if args.strict else 0
    print(f"trim_icu: {lib_path.name} {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
