"""Just enough of an ELF reader for the Linux packaging steps (no binutils, no pyelftools).

Used by the PyInstaller spec (which shared libraries does each bundled binary link against?) and by
trim_icu.py (where is ICU's data symbol in libicudata?). Handles 64- and 32-bit, both byte orders.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

_DT_NULL, _DT_NEEDED, _DT_SONAME = 0, 1, 14
_SHT_DYNAMIC, _SHT_DYNSYM = 6, 11


@dataclass(frozen=True)
class Section:
    name: str
    type: int
    addr: int
    offset: int
    size: int
    link: int
    entsize: int


@dataclass(frozen=True)
class Symbol:
    name: str
    value: int  # virtual address
    size: int
    section_index: int


class ElfFile:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.data = self.path.read_bytes()
        if self.data[:4] != b"\x7fELF":
            raise ValueError(f"{path} is not an ELF file")
        self.is64 = self.data[4] == 2
        self.end = "<" if self.data[5] == 1 else ">"
        if self.is64:
            (shoff,) = struct.unpack_from(self.end + "Q", self.data, 0x28)
            shentsize, shnum, shstrndx = struct.unpack_from(self.end + "HHH", self.data, 0x3A)
        else:
            (shoff,) = struct.unpack_from(self.end + "I", self.data, 0x20)
            shentsize, shnum, shstrndx = struct.unpack_from(self.end + "HHH", self.data, 0x2E)
        raw = [self._section_header(shoff + i * shentsize) for i in range(shnum)]
        names = raw[shstrndx] if shstrndx < len(raw) else None
        self.sections = [
            Section(self._cstr(names[3] + r[0]) if names else "", *r[1:])
            for r in raw  # type: ignore[index]
        ]

    def _section_header(self, at: int) -> tuple[int, int, int, int, int, int, int]:
        if self.is64:
            name, typ, _flags, addr, off, size, link, _info, _align, entsize = struct.unpack_from(
                self.end + "IIQQQQIIQQ", self.data, at
            )
        else:
            name, typ, _flags, addr, off, size, link, _info, _align, entsize = struct.unpack_from(
                self.end + "IIIIIIIIII", self.data, at
            )
        return name, typ, addr, off, size, link, entsize

    def _cstr(self, at: int) -> str:
        return self.data[at : self.data.index(b"\0", at)].decode("utf-8", "replace")

    def _dynamic(self) -> list[tuple[int, int]]:
        entries: list[tuple[int, int]] = []
        fmt = self.end + ("qQ" if self.is64 else "iI")
        step = struct.calcsize(fmt)
        for sec in self.sections:
            if sec.type != _SHT_DYNAMIC:
                continue
            strtab = self.sections[sec.link].offset
            for at in range(sec.offset, sec.offset + sec.size, step):
                tag, val = struct.unpack_from(fmt, self.data, at)
                if tag == _DT_NULL:
                    break
                entries.append((tag, strtab + val))
        return entries

    def needed(self) -> list[str]:
        """The DT_NEEDED entries: the shared libraries the dynamic loader must find for this file."""
        return [self._cstr(at) for tag, at in self._dynamic() if tag == _DT_NEEDED]

    def soname(self) -> str | None:
        names = [self._cstr(at) for tag, at in self._dynamic() if tag == _DT_SONAME]
        return names[0] if names else None

    def dynamic_symbols(self) -> list[Symbol]:
        symbols = []
        for sec in self.sections:
            if sec.type != _SHT_DYNSYM:
                continue
            strtab = self.sections[sec.link].offset
            for at in range(sec.offset, sec.offset + sec.size, sec.entsize):
                if self.is64:
                    name, _info, _other, shndx, value, size = struct.unpack_from(self.end + "IBBHQQ", self.data, at)
                else:
                    name, value, size, _info, _other, shndx = struct.unpack_from(self.end + "IIIBBH", self.data, at)
                symbols.append(Symbol(self._cstr(strtab + name), value, size, shndx))
        return symbols

    def symbol_bytes(self, symbol: Symbol) -> bytes:
        """The bytes a defined data symbol points at (translated from address to file offset)."""
        sec = self.sections[symbol.section_index]
        start = sec.offset + (symbol.value - sec.addr)
        return self.data[start : start + symbol.size]


def needed(path: Path) -> list[str]:
    """DT_NEEDED of `path`, or [] when it is not an ELF file (scripts, data that looks like a .so)."""
    try:
        return ElfFile(path).needed()
    except (ValueError, struct.error, IndexError, OSError):
        return []
