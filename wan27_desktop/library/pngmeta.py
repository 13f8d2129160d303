"""What our metadata says inside an image file, in pure Python, without ever decoding pixels.

Results are kept byte-for-byte as the service sent them (issue 3); only metadata is added, as PNG
text chunks (spliced in by `api.imageformat.pngchunks`) or JPEG segments (`imagefiles`). Three
texts are ours:

- `parameters` (A1111 style: prompt, then a `Key: value, ...` line) so other tools can read it;
  tEXt when the text is Latin-1, iTXt otherwise (Chinese prompts), as Pillow/A1111 do.
- `wan27` iTXt: JSON with the complete request, model, seed, size, task/request ids, job id, index.
- `XML:com.adobe.xmp` iTXt: an XMP packet with IPTC DigitalSourceType.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from wan27_desktop.api.imageformat import file_format
from wan27_desktop.api.imageformat.headers import ImageFormatError
from wan27_desktop.api.imageformat.pngchunks import XMP_KEY, read_text_chunks

# Re-exported: the library's modules take the chunk tools from here with the keywords they carry.
from wan27_desktop.api.imageformat.pngchunks import TextChunk as TextChunk
from wan27_desktop.api.imageformat.pngchunks import embed_text_chunks as embed_text_chunks

# The library's callers catch this name; it is the image-format package's one error.
PngError = ImageFormatError

PARAMETERS_KEY = "parameters"
JSON_KEY = "wan27"
OUR_KEYS = frozenset({PARAMETERS_KEY, JSON_KEY, XMP_KEY})  # a file lands by rename only with each once

# IPTC NewsCodes digital source types: generated from scratch vs. an edit/composite of inputs.
SOURCE_GENERATED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
SOURCE_COMPOSITE = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia"


_NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "Iptc4xmpExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
    "wan27": "https://github.com/wan27-desktop/ns/1.0/",
}


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
    from wan27_desktop.library.imagefiles import text_entries  # JPEG/WebP containers live there

    fmt = file_format(path)
    png = fmt == "png"
    texts = {chunk.keyword: chunk.text for chunk in read_text_chunks(path)} if png else text_entries(path, fmt)
    meta = metadata_from_texts(texts)
    meta["format"] = fmt
    return meta
