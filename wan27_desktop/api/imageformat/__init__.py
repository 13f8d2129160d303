"""Image formats from their bytes: the one place in the app that knows how PNG, JPEG and WebP files
are built. Qt-free, so the download path, the library and the `wan27` command use it without Qt.

- `sniff`: the format a file's first bytes name (the PNG signature is spelled out only there).
- `headers`: width and height from a PNG, JPEG or WebP header; declared alpha; a missing file end;
  the JPEG segment and WebP chunk walkers the other modules share.
- `verify`: the structural check of a downloaded result, streaming for PNG (`BodyVerifier`).
- `pngchunks`: PNG text chunks read, and spliced into a file without touching its pixel data.

What is hand-written here, and why not Qt's `QImageReader`: splicing chunks and the streaming PNG
check have no Qt equivalent (Qt checks an image only by decoding all of it, and never splices). The
header reader exists because `api/` and `library/` stay Qt-free (the CLI and the download worker
must not load QtGui for a size): it reads only the three formats the service returns, in a few
dozen lines that share their walkers with the download check. Where Qt is loaded anyway (`imaging/`:
references, thumbnails, the viewer), `QImageReader` answers the size as shown (EXIF orientation
applied) and decodes; BMP, which only a reference can be, is read there by Qt alone. `imaging/`
still sniffs with `sniff` first: it pins each reader to the format named here, so a worker's reader
never probes Qt's plugins (see `imaging/_codec.py`).

The package sits in `api/` because the download check raises the API's `DownloadError` and every
other user (`library/`, `imaging/`, `ui/`) is above `api/` and may import it.
"""

from wan27_desktop.api.imageformat.headers import ImageFormatError, file_format, image_size
from wan27_desktop.api.imageformat.sniff import EXTENSIONS, PNG_SIGNATURE, RESULT_FORMATS, sniff
from wan27_desktop.api.imageformat.verify import (
    BodyVerifier,
    ImageInfo,
    PngVerifier,
    verify_bytes,
    verify_file,
    verify_stream,
)

__all__ = [
    "EXTENSIONS",
    "PNG_SIGNATURE",
    "RESULT_FORMATS",
    "BodyVerifier",
    "ImageFormatError",
    "ImageInfo",
    "PngVerifier",
    "file_format",
    "image_size",
    "sniff",
    "verify_bytes",
    "verify_file",
    "verify_stream",
]
