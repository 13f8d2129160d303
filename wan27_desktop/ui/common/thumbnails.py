"""Grid thumbnails: made/read from the library's disk cache and decoded on a worker pool into QImage.

Workers never create QPixmap (a GUI-thread-only object). Decoded images live in a bounded LRU
(bytes and count). Requests are queued, not started, until a worker is free, and `keep_only()`
drops queued requests for rows that scrolled out of view, so a fast scroll never builds a backlog.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, QThreadPool, QTimer, Signal

from wan27_desktop.api.errors import WanError
from wan27_desktop.jobs.mailbox import Mailbox
from wan27_desktop.ui.gallery.worker import LibraryAccess

if TYPE_CHECKING:  # images and records come with the first rows, not with the window
    from PySide6.QtGui import QImage

    from wan27_desktop.library import ImageRecord

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
DEFAULT_MAX_COUNT = 3000
PX_STEP = 32  # decode sizes are rounded up to this so a slider drag does not decode every pixel size


def decode_size(logical_px: int, device_pixel_ratio: float) -> int:
    """Physical pixels to decode for a tile of `logical_px`, rounded up to a step (high-DPI crisp)."""
    physical = max(1, round(logical_px * device_pixel_ratio))
    return -(-physical // PX_STEP) * PX_STEP


def disk_size_for(px: int) -> int:
    """The library's disk-cache size to read for a decode size (256 px covers most tiles)."""
    return 256 if px <= 256 else 512


def read_scaled(path: Path, px: int) -> QImage:
    """Decode `path` scaled to fit a px×px box (the reader scales JPEG while decoding)."""
    from PySide6.QtGui import QImage

    from wan27_desktop.imaging import path_reader  # on a pool thread: the image modules load there, not at start

    reader = path_reader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and (size.width() > px or size.height() > px):
        factor = px / max(size.width(), size.height())
        reader.setScaledSize(QSize(max(1, round(size.width() * factor)), max(1, round(size.height() * factor))))
    image = reader.read()
    if image.isNull():
        return image
    if image.format() not in (QImage.Format.Format_ARGB32_Premultiplied, QImage.Format.Format_RGB32):
        # Pre-converting on the worker keeps drawImage on the UI thread a plain blit.
        image = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
    return image


Key = tuple[int, int]  # image id, decode px


class ThumbnailLoader(QObject):
    """`image(record, px)` returns a cached QImage or None (and queues a load); `ready(id)` fires
    when a requested thumbnail is decoded."""

    ready = Signal(int)

    def __init__(
        self,
        access: LibraryAccess,
        max_threads: int = 3,
        max_bytes: int = DEFAULT_MAX_BYTES,
        max_count: int = DEFAULT_MAX_COUNT,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.access = access
        # Its own pool, not a named one (jobs/background.py): each thread keeps a Library connection.
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self.pool.setExpiryTimeout(-1)  # threads keep their Library connection
        self.max_bytes = max_bytes
        self.max_count = max_count
        self._cache: OrderedDict[Key, QImage] = OrderedDict()
        self._bytes = 0
        self._latest: dict[int, Key] = {}  # id -> a cached key, for a fallback while resizing
        self._pending: OrderedDict[Key, ImageRecord] = OrderedDict()
        self._in_flight: set[Key] = set()
        self._broken: set[int] = set()
        self._versions: dict[int, int] = {}  # bumped by forget(): in-flight results become stale
        self._stopped = threading.Event()
        self.decoded_count = 0
        self._mailbox = Mailbox.instance()
        self._hold = QTimer(self, singleShot=True)  # while active, no new decode starts
        self._hold.timeout.connect(self._pump)

    # --- queries from the UI thread -------------------------------------------------------------
    def image(self, record: ImageRecord, px: int) -> QImage | None:
        key = (record.id, px)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        if record.id in self._broken:
            return None
        if key not in self._in_flight and key not in self._pending:
            self._pending[key] = record
            self._pump()
        fallback = self._latest.get(record.id)
        return self._cache.get(fallback) if fallback is not None else None

    def is_broken(self, image_id: int) -> bool:
        return image_id in self._broken

    def keep_only(self, image_ids: set[int]) -> None:
        """Drop queued requests for images no longer in view (started ones finish into the cache)."""
        for key in [k for k in self._pending if k[0] not in image_ids]:
            del self._pending[key]

    def forget(self, image_id: int) -> None:
        """Drop an image's cached thumbnails (its file changed or it left the library)."""
        for key in [k for k in self._cache if k[0] == image_id]:
            self._drop(key)
        self._broken.discard(image_id)
        self._versions[image_id] = self._versions.get(image_id, 0) + 1

    def clear(self) -> None:
        self._pending.clear()
        self._cache.clear()
        self._latest.clear()
        self._bytes = 0

    def cached_bytes(self) -> int:
        return self._bytes

    def cached_count(self) -> int:
        return len(self._cache)

    def pending_count(self) -> int:
        return len(self._pending) + len(self._in_flight)

    def hold(self, msecs: int = 500) -> None:
        """Start no new decode until `release()` (or `msecs` at most): the gallery holds its loader
        while a search's first page is read, which is what the person waits for; the thumbnails of
        the rows it replaces would mostly be dropped. Decodes already running finish."""
        self._hold.start(msecs)

    def release(self) -> None:
        if self._hold.isActive():
            self._hold.stop()
            self._pump()

    def shutdown(self) -> None:
        self._stopped.set()
        self._pending.clear()
        self.pool.clear()
        self.pool.waitForDone(30_000)

    # --- work --------------------------------------------------------------------------------------
    def _pump(self) -> None:
        if self._hold.isActive():
            return
        while self._pending and len(self._in_flight) < self.pool.maxThreadCount() + 1:
            key, record = self._pending.popitem(last=False)
            self._in_flight.add(key)
            version = self._versions.get(key[0], 0)
            self.pool.start(lambda key=key, record=record, version=version: self._load(key, record, version))

    def _load(self, key: Key, record: ImageRecord, version: int) -> None:
        if self._stopped.is_set():
            return
        from wan27_desktop.thread_priority import lower_current_thread  # loads on the pool thread

        lower_current_thread()  # this pool only decodes thumbnails: the UI thread goes first
        image: QImage | None = None
        try:
            from wan27_desktop.imaging.thumbnails import ensure_thumbnail

            path = ensure_thumbnail(self.access.get().data_dir, record, disk_size_for(key[1]))
            image = read_scaled(Path(path), key[1])
        except (OSError, WanError) as exc:  # missing/unreadable file: a broken tile, not retried
            log.info("thumbnail for image %s unavailable: %s", record.id, exc)
        finally:
            # Always answer, even when an unexpected error propagates, so the key leaves in-flight.
            if image is not None and image.isNull():
                image = None
            self._mailbox.post(self, self._on_decoded, (key, image, version))

    def _on_decoded(self, message: tuple[Key, QImage | None, int]) -> None:
        key, image, version = message
        self._in_flight.discard(key)
        if version != self._versions.get(key[0], 0):
            pass  # forgotten while decoding: the file changed; the next paint asks again
        elif image is None:
            self._broken.add(key[0])
        else:
            self.decoded_count += 1
            self._store(key, image)
        self._pump()
        self.ready.emit(key[0])

    def _store(self, key: Key, image: QImage) -> None:
        old = self._latest.get(key[0])
        if old is not None and old != key:
            self._drop(old)
        self._cache[key] = image
        self._latest[key[0]] = key
        self._bytes += image.sizeInBytes()
        while self._cache and (self._bytes > self.max_bytes or len(self._cache) > self.max_count):
            oldest = next(iter(self._cache))
            self._drop(oldest)

    def _drop(self, key: Key) -> None:
        image = self._cache.pop(key, None)
        if image is not None:
            self._bytes -= image.sizeInBytes()
        if self._latest.get(key[0]) == key:
            del self._latest[key[0]]
