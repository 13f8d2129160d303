"""Print (as JSON) what Qt computes through ICU, so the trimmed and the full ICU data can be compared.

Run by test_icu_trim.py twice, once with LD_LIBRARY_PATH pointing at a trimmed libicudata: both
outputs must be identical for the app's languages (en, zh_CN). Also reports which libicudata the
process really loaded, so a comparison of full against full cannot pass by accident.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import (  # noqa: E402
    QCollator,
    QDate,
    QDateTime,
    QLocale,
    QStringDecoder,
    Qt,
    QTextBoundaryFinder,
    QTime,
    QTimeZone,
)
from PySide6.QtGui import QFont, QGuiApplication, QTextLayout  # noqa: E402

WORDS = [
    "zebra",
    "Apple",
    "apple",
    "Äpfel",
    "banana",
    "波",
    "次",
    "啊",
    "中文",
    "张三",
    "李四",
    "王五",
    "北京",
    "上海",
    "10",
    "9",
    "résumé",
    "resume",
]
ZH_TEXT = "通义万相是阿里云的图像生成模型。It draws 4K images, 支持中文提示词！"


def _loaded_icudata() -> str:
    with open("/proc/self/maps", encoding="utf-8") as maps:
        for line in maps:
            if "libicudata" in line:
                return line.split()[-1]
    return ""


def collation() -> dict[str, list[str]]:
    out = {}
    for name in ("en_US", "zh_CN", "zh_TW", "C"):
        collator = QCollator(QLocale(name))
        out[name] = sorted(WORDS, key=collator.sortKey)
        numeric = QCollator(QLocale(name))
        numeric.setNumericMode(True)
        numeric.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        out[name + "/numeric-ci"] = sorted(WORDS, key=numeric.sortKey)
    return out


def time_zones() -> dict[str, str]:
    out = {}
    when = QDateTime(QDate(2026, 1, 15), QTime(12, 0), QTimeZone(b"UTC"))
    for zone_id in (b"Asia/Shanghai", b"Asia/Singapore", b"Europe/Berlin", b"America/New_York", b"Asia/Taipei"):
        zone = QTimeZone(zone_id)
        for locale in ("en_US", "zh_CN"):
            for name_type in (QTimeZone.NameType.LongName, QTimeZone.NameType.ShortName, QTimeZone.NameType.OffsetName):
                key = f"{zone_id.decode()}/{locale}/{name_type.name}"
                out[key] = zone.displayName(when, name_type, QLocale(locale))
        out[zone_id.decode() + "/offset"] = str(zone.offsetFromUtc(when))
    out["ianaIds"] = str(len(QTimeZone.availableTimeZoneIds()))
    return out


def boundaries() -> dict[str, list[int]]:
    out = {}
    for kind in (
        QTextBoundaryFinder.BoundaryType.Grapheme,
        QTextBoundaryFinder.BoundaryType.Word,
        QTextBoundaryFinder.BoundaryType.Line,
        QTextBoundaryFinder.BoundaryType.Sentence,
    ):
        finder = QTextBoundaryFinder(kind, ZH_TEXT)
        positions = [0]
        while (position := finder.toNextBoundary()) != -1:
            positions.append(position)
        out[kind.name] = positions
    return out


def line_layout() -> list[str]:
    """Where QTextLayout wraps mixed Chinese/English text at a narrow width (Qt's line breaker)."""
    layout = QTextLayout(ZH_TEXT * 2, QFont())
    layout.beginLayout()
    lines = []
    while (line := layout.createLine()).isValid():
        line.setLineWidth(120)
        lines.append(ZH_TEXT[line.textStart() % len(ZH_TEXT) :][: line.textLength()])
    layout.endLayout()
    return lines


def locale_text() -> dict[str, str]:
    out = {}
    when = QDateTime(QDate(2026, 3, 8), QTime(14, 5, 9))
    for name in ("en_US", "en_GB", "zh_CN", "zh_TW"):
        locale = QLocale(name)
        out[name + "/date"] = locale.toString(when, QLocale.FormatType.LongFormat)
        out[name + "/number"] = locale.toString(1234567.891, "f", 2)
        out[name + "/currency"] = locale.toCurrencyString(0.5)
    # Locale-specific case mapping (ICU's casing rules live in code, not in the trimmed data).
    for name in ("en_US", "tr_TR", "lt_LT", "el_GR"):
        out[name + "/upper"] = QLocale(name).toUpper("istanbul straße ǆ ὀδυσσεύς")
        out[name + "/lower"] = QLocale(name).toLower("İSTANBUL ΣΟΦΟΣ IÌ")
    return out


def codecs() -> dict[str, str]:
    """The built-in codecs stay valid without ICU's converter tables (trim_icu.py drops those)."""
    return {name: str(QStringDecoder(name).isValid()) for name in ("UTF-8", "utf8", "UTF-16LE", "ISO-8859-1", "latin1")}


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    report = {
        "icudata": _loaded_icudata(),
        "collation": collation(),
        "time_zones": time_zones(),
        "boundaries": boundaries(),
        "line_layout": line_layout(),
        "locale_text": locale_text(),
        "codecs": codecs(),
    }
    json.dump(report, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
