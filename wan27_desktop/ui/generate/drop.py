"""What a drop or a paste offers as reference images: local files, image data, or web URLs.

File managers and the gallery (`application/x-wan27-image-ids` + file URLs) give file URLs;
browsers give the image's http(s) URL in text/uri-list or text/plain and often the image data
itself (`application/x-qt-image`, `image/png`). Local files win, then data (it can be checked
here, while the service may fail to download a URL, §2.4), then URLs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QMimeData, QUrl
from PySide6.QtGui import QImage

IMAGE_IDS_MIME = "application/x-wan27-image-ids"  # the gallery's drag payload (it also adds file URLs)
RAW_IMAGE_FORMATS = ("image/png", "image/jpeg", "image/webp", "image/bmp")
QT_IMAGE_FORMAT = "application/x-qt-image"


@dataclass
class DropContent:
    paths: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    data: bytes | QImage | None = None
    skipped: list[str] = field(default_factory=list)  # things we cannot use, for the message

    @property
    def count(self) -> int:
        if self.paths:
            return len(self.paths)
        if self.data is not None:
            return 1
        return len(self.urls)

    @property
    def empty(self) -> bool:
        return self.count == 0


def _is_web(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def _from_url(url: QUrl, content: DropContent) -> None:
    if url.isLocalFile():
        path = url.toLocalFile()
        if os.path.isdir(path):
            name = os.path.basename(path.rstrip(os.sep)) or path
            content.skipped.append(QCoreApplication.translate("DropContent", "{name} is a folder").format(name=name))
        else:
            content.paths.append(path)
    elif url.scheme().lower() in ("http", "https"):
        content.urls.append(url.toString())
    elif url.isValid() and url.scheme():
        content.skipped.append(
            QCoreApplication.translate("DropContent", "{scheme}: links are not supported").format(scheme=url.scheme())
        )


def read_mime(mime: QMimeData) -> DropContent:
    """Everything usable in `mime`, with local files preferred over image data over web URLs."""
    content = DropContent()
    if mime.hasUrls():
        for url in mime.urls():
            _from_url(url, content)
    elif mime.hasText():
        for line in mime.text().splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.lower().startswith("file:") or _is_web(line):
                _from_url(QUrl(line), content)
            elif os.path.isfile(line):
                content.paths.append(line)
    if content.paths:
        content.urls.clear()
        return content
    for fmt in RAW_IMAGE_FORMATS:
        if mime.hasFormat(fmt):
            raw = bytes(mime.data(fmt).data())
            if raw:
                content.data = raw
                break
    if content.data is None and (mime.hasImage() or mime.hasFormat(QT_IMAGE_FORMAT)):
        image = mime.imageData()
        if isinstance(image, QImage) and not image.isNull():
            content.data = image.copy()  # detach from the drag's data: it dies after the drop
    if content.data is not None:
        content.urls.clear()
    return content


def can_accept(mime: QMimeData) -> bool:
    """Cheap check for dragEnter: could this drop add a reference?"""
    if mime.hasUrls() or mime.hasImage() or any(mime.hasFormat(f) for f in RAW_IMAGE_FORMATS):
        return True
    return mime.hasText() and any(
        _is_web(line.strip()) or line.strip().lower().startswith("file:") for line in mime.text().splitlines()
    )
