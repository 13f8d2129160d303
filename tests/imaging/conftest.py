"""Fixtures for the imaging tests: images are made in code into tmp dirs, never committed."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage, QImageReader

from tests.data import make_bad_inputs as corpus


class Corpus:
    """The bad-input corpus in a session tmp dir; each file is built the first time it is asked for."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.manifest_path = corpus.write_manifest(root)
        self.manifest = {entry["file"]: entry for entry in json.loads(self.manifest_path.read_text("utf-8"))}
        self._cases = {case.file: case for case in corpus.CASES}

    def path(self, name: str) -> Path:
        target = self.root / name
        if not target.exists():
            corpus.write_case(self._cases[name], self.root)
        return target


@pytest.fixture(scope="session")
def bad_inputs(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return Corpus(tmp_path_factory.mktemp("bad_inputs"))


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def save(image: QImage, path: Path, fmt: str, quality: int = -1) -> Path:
    return write(path, corpus.encode(image, fmt, quality))


def decode_uri(uri: str) -> tuple[str, bytes]:
    """(mime, bytes) of a data: URI."""
    head, _, payload = uri.partition(",")
    assert head.startswith("data:") and head.endswith(";base64"), head
    return head[5:-7], base64.b64decode(payload, validate=True)


def decode_image(data: bytes) -> tuple[QImage, QImage.Format, bytes]:
    """(image, stored pixel format per header, Qt's format name) of encoded bytes."""
    array = QByteArray(data)
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    stored = reader.imageFormat()
    name = bytes(reader.format().data())
    image = reader.read()
    buffer.close()
    assert not image.isNull(), reader.errorString()
    return image, stored, name
