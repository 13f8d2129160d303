"""Refresh the translation sources and compile them (issue 9).

    python3 packaging/update_translations.py            # lupdate + lrelease: .ts and .qm up to date
    python3 packaging/update_translations.py --release  # lrelease only (.ts -> .qm)

pyside6-lupdate reads every wan27_desktop/**/*.py: `self.tr(...)`, `QCoreApplication.translate(...)`
and `QT_TRANSLATE_NOOP(...)` (also api/translatable.py's Qt-free one) and merges the messages into

- resources/i18n/wan27_desktop_zh_CN.ts   every message; translate the new ones (Qt Linguist or
  any editor: fill <translation> and drop type="unfinished")
- resources/i18n/wan27_desktop_en.ts      only `%n` messages, for the English singular/plural forms

then lrelease writes the .qm files beside them. The .qm files are committed (a pip install has no
build step); tests/ui/test_i18n.py fails when a source string is missing from a .ts, a translation
is unfinished, or a .qm is older than its .ts. The PyInstaller spec compiles them again at build time.

The tools come with PySide6-Essentials; they are run from the PySide6 folder, so PATH does not matter.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "wan27_desktop"
I18N = ROOT / "resources" / "i18n"
CATALOG = "wan27_desktop"
LANGUAGES = {"zh_CN": False, "en": True}  # language -> plural forms only
# No file/line locations: they would change the .ts on every unrelated edit (merge conflicts);
# context + source text identify a message.
LUPDATE_OPTIONS = ["-silent", "-no-obsolete", "-locations", "none", "-source-language", "en"]


def tool(name: str) -> Path:
    """lupdate / lrelease as shipped inside the PySide6 package."""
    import PySide6

    folder = Path(PySide6.__file__).resolve().parent
    path = folder / (f"{name}.exe" if sys.platform == "win32" else name)
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: install PySide6-Essentials (it ships {name}).")
    return path


def sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def ts_path(language: str) -> Path:
    return I18N / f"{CATALOG}_{language}.ts"


def qm_path(language: str) -> Path:
    return I18N / f"{CATALOG}_{language}.qm"


def lupdate(ts: Path, language: str, plural_only: bool) -> None:
    """Merge the messages of every source file into `ts` (created when missing)."""
    ts.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        # A list file: one source per line (the command line would be long on Windows).
        listing = Path(tmp) / "sources.lst"
        listing.write_text("\n".join(str(p) for p in sources()) + "\n", encoding="utf-8")
        options = [*LUPDATE_OPTIONS, "-target-language", language, *(["-pluralonly"] if plural_only else [])]
        subprocess.run([str(tool("lupdate")), *options, f"@{listing}", "-ts", str(ts)], check=True)


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([str(tool("lrelease")), "-silent", str(ts), "-qm", str(qm)], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", action="store_true", help="only compile the .ts files to .qm")
    args = parser.parse_args(argv)
    for language, plural_only in LANGUAGES.items():
        if not args.release:
            lupdate(ts_path(language), language, plural_only)
        lrelease(ts_path(language), qm_path(language))
        print(f"{ts_path(language).relative_to(ROOT)} -> {qm_path(language).name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
