"""PNG text chunks (tEXt / iTXt / zTXt) in pure Python, without ever decoding pixels.

Results are kept byte-for-byte as the service sent them (issue 3); only metadata chunks are added,
before the first IDAT so readers that stop early still see them. Every other chunk, IDAT included,
is copied verbatim with its original CRC. Three chunks are ours:

- `parameters` (A1111 style: prompt, then a `Key: value, ...` line) so other tools can read it;
  tEXt when the text is Latin-1, iTXt otherwise (Chinese prompts), as Pillow/A1111 do.
- `wan27` iTXt: JSON with the complete request, model, seed, size, task/request ids, job id, index.
- `XML:com.adobe.xmp` iTXt: an XMP packet with IPTC DigitalSourceType.
"""

from __future__ import annotations

import json
import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PARAMETERS_KEY = "parameters"
JSON_KEY = "wan27"
XMP_KEY = "XML:com.adobe.xmp"
OUR_KEYS = frozenset({PARAMETERS_KEY, JSON_KEY, XMP_KEY})

# IPTC NewsCodes digital source types: generated from scratch vs. an edit/composite of inputs.
SOURCE_GENERATED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
SOURCE_COMPOSITE = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"

MAX_TEXT_BYTES = 8 * 1024 * 1024  # cap on one decompressed text chunk: metadata, not a zip bomb
_TEXT_TYPES = (b"tEXt", b"iTXt", b"zTXt")
_COPY_BLOCK = 1024 * 1024

_NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "Iptc4xmpExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
    "wan27": "https://github.com/wan27-desktop/ns/1.0/",
}


class PngError(ValueError):
    """Not a PNG, or a chunk structure we refuse to touch."""


class _Writer(Protocol):
    def write(self, data: bytes, /) -> int: ...


@dataclass(frozen=True)
class TextChunk:
    keyword: str
    text: str
    kind: str = "iTXt"  # tEXt | iTXt | zTXt


# -- chunk level ------------------------------------------------------------------------------


def iter_chunks(handle: BinaryIO) -> Iterator[tuple[bytes, int, int]]:
    """Yield (type, data offset, length) for each chunk; the caller may read or skip the data."""
    if handle.read(8) != PNG_SIGNATURE:
        raise PngError("not a PNG file")
    while True:
        header = handle.read(8)
        if len(header) < 8:
            raise PngError("truncated PNG (no IEND)")
        length, ctype = struct.unpack(">I4s", header)
        if length > 0x7FFFFFFF or not ctype.isalpha():
            raise PngError(f"bad chunk header {ctype!r}")
        offset = handle.tell()
        yield ctype, offset, length
        handle.seek(offset + length + 4)
        if ctype == b"IEND":
            return


def make_chunk(ctype: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + ctype + data + struct.pack(">I", zlib.crc32(ctype + data) & 0xFFFFFFFF)


def make_text_chunk(chunk: TextChunk, *, compress: bool | None = None) -> bytes:
    keyword = chunk.keyword.encode("latin-1")
    if not 1 <= len(keyword) <= 79 or b"\0" in keyword:
        raise ValueError(f"invalid PNG text keyword {chunk.keyword!r}")
    if chunk.kind == "tEXt":
        return make_chunk(b"tEXt", keyword + b"\0" + chunk.text.encode("latin-1"))
    if chunk.kind == "zTXt":
        return make_chunk(b"zTXt", keyword + b"\0\0" + zlib.compress(chunk.text.encode("latin-1")))
    payload = chunk.text.encode("utf-8")
    if compress is None:
        compress = len(payload) > 4096 and chunk.keyword != XMP_KEY  # XMP stays plain for scanners
    if compress:
        payload = zlib.compress(payload)
    return make_chunk(b"iTXt", keyword + b"\0" + bytes([1 if compress else 0, 0]) + b"\0\0" + payload)


def _inflate(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    out = inflater.decompress(data, MAX_TEXT_BYTES)
    if inflater.unconsumed_tail:
        raise PngError("text chunk decompresses beyond the size cap")
    return out


def parse_text_chunk(ctype: bytes, data: bytes) -> TextChunk:
    keyword, sep, rest = data.partition(b"\0")
    if not sep:
        raise PngError("text chunk without keyword separator")
    key = keyword.decode("latin-1")
    if ctype == b"tEXt":
        return TextChunk(key, rest.decode("latin-1"), "tEXt")
    if ctype == b"zTXt":
        return TextChunk(key, _inflate(rest[1:]).decode("latin-1"), "zTXt")
    if len(rest) < 2:
        raise PngError("short iTXt chunk")
    compressed = rest[0] == 1
    _language, _, rest = rest[2:].partition(b"\0")
    _translated, _, text = rest.partition(b"\0")
    raw = _inflate(text) if compressed else text
    return TextChunk(key, raw.decode("utf-8", errors="replace"), "iTXt")


def read_text_chunks(path: Path) -> list[TextChunk]:
    """All text chunks with a valid CRC; pixel data is skipped with seeks, never read."""
    chunks: list[TextChunk] = []
    with path.open("rb") as handle:
        for ctype, offset, length in iter_chunks(handle):
            if ctype not in _TEXT_TYPES:
                continue
            if length > MAX_TEXT_BYTES:
                continue
            handle.seek(offset)
            data = handle.read(length)
            (crc,) = struct.unpack(">I", handle.read(4))
            if zlib.crc32(ctype + data) & 0xFFFFFFFF != crc:
                continue  # a damaged chunk is ignored, not trusted
            try:
                chunks.append(parse_text_chunk(ctype, data))
            except (PngError, UnicodeDecodeError, zlib.error):
                continue
    return chunks


def text_keywords(path: Path) -> list[str]:
    """The keyword of every text chunk, in file order (pixel data is skipped with seeks)."""
    keywords = []
    with path.open("rb") as handle:
        for ctype, offset, length in iter_chunks(handle):
            if ctype in _TEXT_TYPES:
                handle.seek(offset)
                keywords.append(handle.read(min(length, 80)).partition(b"\0")[0].decode("latin-1"))
    return keywords


def embed_text_chunks(source: Path, out: _Writer, chunks: list[TextChunk]) -> None:
    """Copy `source` to `out` chunk by chunk, dropping old text chunks with our keywords and
    inserting `chunks` before the first IDAT. Pixel chunks are copied byte for byte."""
    replace = {chunk.keyword for chunk in chunks}
    encoded = b"".join(make_text_chunk(chunk) for chunk in chunks)
    inserted = False
    with source.open("rb") as handle:
        out.write(PNG_SIGNATURE)
        for ctype, offset, length in iter_chunks(handle):
            if ctype == b"IDAT" and not inserted:
                out.write(encoded)
                inserted = True
            if ctype in _TEXT_TYPES and length <= MAX_TEXT_BYTES:
                handle.seek(offset)
                keyword = handle.read(min(length, 80)).partition(b"\0")[0].decode("latin-1")
                if keyword in replace:
                    continue
            handle.seek(offset - 8)
            remaining = length + 12
            while remaining:
                block = handle.read(min(remaining, _COPY_BLOCK))
                if not block:
                    raise PngError("truncated PNG chunk")
                out.write(block)
                remaining -= len(block)
    if not inserted:
        raise PngError("PNG without image data")


def png_size(path: Path) -> tuple[int, int]:
    with path.open("rb") as handle:
        head = handle.read(24)
    if head[:8] != PNG_SIGNATURE or head[12:16] != b"IHDR":
        raise PngError("not a PNG file")
    return struct.unpack(">II", head[16:24])


# -- A1111 'parameters' -----------------------------------------------------------------------

# A1111's own pattern for the `Key: value, Key: "quoted, value"` line.
_PARAM_RE = re.compile(r'\s*(\w[\w \-/]*):\s*("(?:\\.|[^\\"])+"|[^,]*)(?:,|$)')
_PARAM_LINE_HINT = re.compile(r"(^|,\s*)(Steps|Seed|Size|Model|Sampler|CFG scale):\s*", re.IGNORECASE)


def build_parameters(prompt: str, params: dict[str, Any]) -> str:
    parts = []
    for key, value in params.items():
        if value is None or value == "":
            continue
        text = str(value)
        if "," in text or ":" in text or '"' in text:
            text = json.dumps(text, ensure_ascii=False)
        parts.append(f"{key}: {text}")
    return prompt + ("\n" + ", ".join(parts) if parts else "")


def parse_parameters(text: str) -> dict[str, Any]:
    """Lenient A1111 reader: {'prompt', 'negative_prompt', 'params': {key: str}, 'seed', 'width', 'height', 'model'}."""
    lines = text.strip().split("\n")
    params: dict[str, str] = {}
    if lines and _PARAM_LINE_HINT.search(lines[-1]) and len(_PARAM_RE.findall(lines[-1])) >= 1:
        for key, value in _PARAM_RE.findall(lines.pop()):
            value = value.strip()
            if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
                try:
                    value = json.loads(value)
                except ValueError:
                    value = value[1:-1]
            params[key.strip()] = value
    negative = ""
    prompt_lines = []
    for line in lines:
        if line.startswith("Negative prompt:") and not negative:
            negative = line[len("Negative prompt:") :].strip()
        elif negative:
            negative += "\n" + line
        else:
            prompt_lines.append(line)
    result: dict[str, Any] = {"prompt": "\n".join(prompt_lines).strip(), "negative_prompt": negative, "params": params}
    lowered = {k.lower(): v for k, v in params.items()}
    seed = lowered.get("seed", "").strip()
    if seed.lstrip("-").isdigit():
        result["seed"] = int(seed)
    size = re.match(r"\s*(\d+)\s*[x*×]\s*(\d+)", lowered.get("size", ""))
    if size:
        result["width"], result["height"] = int(size.group(1)), int(size.group(2))
    if lowered.get("model"):
        result["model"] = lowered["model"]
    return result


# -- XMP --------------------------------------------------------------------------------------


def build_xmp(
    *, prompt: str, source_type: str, created: str, model: str | None = None, extra_json: str | None = None
) -> str:
    """An XMP packet with IPTC DigitalSourceType; `extra_json` embeds our JSON (used for JPEG)."""
    from xml.sax.saxutils import escape, quoteattr  # on first use: it imports urllib.request (~20 ms)

    attrs = [
        f"Iptc4xmpExt:DigitalSourceType={quoteattr(source_type)}",
        f"xmp:CreatorTool={quoteattr('Wan 2.7 Desktop' + (f' ({model})' if model else ''))}",
        f"xmp:CreateDate={quoteattr(created)}",
    ]
    if extra_json is not None:
        attrs.append(f"wan27:json={quoteattr(extra_json)}")
    ns = " ".join(f'xmlns:{k}="{v}"' for k, v in _NS.items() if k not in ("x", "rdf"))
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        f'<x:xmpmeta xmlns:x="{_NS["x"]}"><rdf:RDF xmlns:rdf="{_NS["rdf"]}">'
        f'<rdf:Description rdf:about="" {ns} {" ".join(attrs)}>'
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(prompt)}</rdf:li></rdf:Alt></dc:description>'
        "</rdf:Description></rdf:RDF></x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )


def parse_xmp(text: str) -> dict[str, Any]:
    """{'digital_source_type', 'description', 'creator_tool', 'create_date', 'wan27_json'} where present."""
    start, end = text.find("<x:xmpmeta"), text.rfind("</x:xmpmeta>")
    if start < 0 or end < 0:
        return {}
    import xml.etree.ElementTree as ET  # on first use (issue 7: start-up imports)

    try:
        root = ET.fromstring(text[start : end + len("</x:xmpmeta>")])
    except ET.ParseError:
        return {}
    found: dict[str, Any] = {}
    keys = {
        f"{{{_NS['Iptc4xmpExt']}}}DigitalSourceType": "digital_source_type",
        f"{{{_NS['xmp']}}}CreatorTool": "creator_tool",
        f"{{{_NS['xmp']}}}CreateDate": "create_date",
        f"{{{_NS['wan27']}}}json": "wan27_json",
    }
    for element in root.iter():
        for attr, name in keys.items():
            if attr in element.attrib:
                found[name] = element.attrib[attr]
            child = element.find(attr)
            if child is not None and child.text:
                found[name] = child.text
    description = root.find(f".//{{{_NS['dc']}}}description//{{{_NS['rdf']}}}li")
    if description is not None and description.text:
        found["description"] = description.text
    return found


# -- one call for readers ---------------------------------------------------------------------


def metadata_from_texts(texts: dict[str, str]) -> dict[str, Any]:
    """Interpret text entries by keyword: our JSON, A1111 parameters, XMP (JSON inside XMP too)."""
    meta: dict[str, Any] = {"text": texts, "wan27": None, "parameters": None, "xmp": None}
    if JSON_KEY in texts:
        try:
            value = json.loads(texts[JSON_KEY])
            meta["wan27"] = value if isinstance(value, dict) else None
        except ValueError:
            meta["wan27"] = None
    if PARAMETERS_KEY in texts:
        meta["parameters"] = parse_parameters(texts[PARAMETERS_KEY])
    if XMP_KEY in texts:
        meta["xmp"] = parse_xmp(texts[XMP_KEY])
        if meta["wan27"] is None and meta["xmp"].get("wan27_json"):
            try:
                value = json.loads(meta["xmp"]["wan27_json"])
                meta["wan27"] = value if isinstance(value, dict) else None
            except ValueError:
                pass
    return meta


def read_metadata(path: Path) -> dict[str, Any]:
    """Metadata of a PNG, JPEG or WebP file: {'format', 'text', 'wan27', 'parameters', 'xmp'}.

    `wan27` is our JSON (dict) or None; `parameters` the parsed A1111 text or None; `xmp` a dict or None.
    Raises PngError/OSError for files that are not readable images of those formats.
    """
    from wan27_desktop.library.imagefiles import sniff_format, text_entries  # JPEG/WebP containers live there

    fmt = sniff_format(path)
    png = fmt == "png"
    texts = {chunk.keyword: chunk.text for chunk in read_text_chunks(path)} if png else text_entries(path, fmt)
    meta = metadata_from_texts(texts)
    meta["format"] = fmt
    return meta
