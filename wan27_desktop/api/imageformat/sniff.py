"""The format a file's first bytes name, and the signatures that name them (PNG's is spelled out only here)."""

from __future__ import annotations

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# The whole IEND chunk: its type and the CRC of its empty data, the same in every PNG.
PNG_IEND = b"IEND\xaeB`\x82"

# What the service returns (§4.5) and the library keeps.
RESULT_FORMATS = ("png", "jpeg", "webp")
EXTENSIONS = {"png": ".png", "jpeg": ".jpg", "webp": ".webp", "bmp": ".bmp"}

# Display names for formats people drop on us; §2.3 accepts only JPEG, PNG, BMP and WebP.
DISPLAY_NAMES = {
    "jpeg": "JPEG",
    "png": "PNG",
    "bmp": "BMP",
    "webp": "WebP",
    "gif": "GIF",
    "heic": "HEIC",
    "avif": "AVIF",
    "svg": "SVG",
    "tiff": "TIFF",
    "ico": "ICO",
    "jxl": "JPEG XL",
    "psd": "PSD",
    "pdf": "PDF",
}

_HEIF_BRANDS = {
    b"heic": "heic",
    b"heix": "heic",
    b"hevc": "heic",
    b"hevx": "heic",
    b"heim": "heic",
    b"heis": "heic",
    b"mif1": "heic",
    b"msf1": "heic",
    b"avif": "avif",
    b"avis": "avif",
}


def sniff(head: bytes) -> str | None:
    """The lower-case format named by the first bytes of a file (12 name the result formats; SVG
    needs up to 1 KiB), or None when they name none we know."""
    if head.startswith(PNG_SIGNATURE):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"BM") and len(head) >= 26:  # 26: a BMP's file and core headers
        return "bmp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[4:8] == b"ftyp":
        return _HEIF_BRANDS.get(head[8:12])
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:4] == b"\x00\x00\x01\x00":
        return "ico"
    if head[:4] == b"8BPS":
        return "psd"
    if head[:5] == b"%PDF-":
        return "pdf"
    if head[:2] == b"\xff\x0a" or head[:12] == b"\x00\x00\x00\x0cJXL \r\n\x87\n":
        return "jxl"
    text = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return "svg"
    return None
