"""The bad-input corpus (issue 8) through `JobRunner.create` - what the GUI calls - and the CLI.

Every case is either refused before anything is sent (the fake saw no request) with a message
naming the field, or handled correctly and sent (alpha flattened, EXIF applied, downscaled...).
Image files come from `tests/data/make_bad_inputs.py`; request-level cases are listed here.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage

from tests.cli_helpers import cli_env, run_cli
from tests.data import make_bad_inputs as corpus
from tests.reliability.support import (
    POLL_INTERVAL,
    SleepLog,
    assert_library_clean,
    assert_readable,
    fast_client_factory,
)
from wan27_desktop.api.errors import ValidationError
from wan27_desktop.api.models import Box, GenerationRequest, ImageInput, Model, PaletteColor, Region, RequestMode
from wan27_desktop.jobs.runner import Connection, JobRunner
from wan27_desktop.library import JobState, Library

CORPUS = {case.file: case for case in corpus.CASES}


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bad_inputs")
    corpus.write_manifest(root)
    return root


def corpus_file(root: Path, name: str) -> Path:
    path = root / name
    if not path.exists():
        corpus.write_case(CORPUS[name], root)
    return path


@pytest.fixture
def library(isolated_environment: Path) -> Iterator[Library]:
    with Library.open(isolated_environment) as lib:
        yield lib


@pytest.fixture
def runner(library: Library, fake_dashscope) -> Iterator[JobRunner]:
    fake_dashscope.result_image_mode = "small"
    connection = Connection(Region.SINGAPORE, fake_dashscope.base_url, fake_dashscope.api_key)
    job_runner = JobRunner(
        library, connection, client_factory=fast_client_factory(SleepLog()), poll_interval=POLL_INTERVAL
    )
    yield job_runner
    job_runner.close()


def _sent_body(fake) -> dict[str, Any]:
    (request,) = fake.requests_for("sync")
    return json.loads(request.body)


def _sent_images(body: dict[str, Any]) -> list[QImage]:
    images = []
    for item in body["input"]["messages"][0]["content"]:
        if "image" in item:
            head, _, payload = item["image"].partition(",")
            assert head.startswith("data:image/") and head.endswith(";base64")
            image = QImage.fromData(base64.b64decode(payload))
            assert not image.isNull()
            images.append(image)
    return images


def _refused(runner: JobRunner, library: Library, fake, request: GenerationRequest) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        runner.create(request, RequestMode.SYNC)
    assert fake.requests == [], "something was sent for a refused request"
    assert library.jobs.find() == [], "a refused request was journaled"
    for issue in raised.value.issues:
        assert_readable(issue.message)
    assert raised.value.hint
    return raised.value


# ----------------------------------------------------------------------------- image files

CORPUS_PARAMS = [pytest.param(c.file, id=c.file, marks=[pytest.mark.slow] if c.slow else []) for c in corpus.CASES]


@pytest.mark.parametrize("name", CORPUS_PARAMS)
def test_reference_file(name: str, corpus_dir: Path, runner: JobRunner, library: Library, fake_dashscope):
    case = CORPUS[name]
    path = corpus_file(corpus_dir, name)
    request = GenerationRequest("make it autumn", images=(ImageInput(str(path)),), size="1K")
    if case.expected == "problem" and case.detected_by == "inspect":
        error = _refused(runner, library, fake_dashscope, request)
        (issue,) = error.issues
        assert issue.field == "images[1]"
        assert case.contains.lower() in issue.message.lower(), issue.message
        return
    job = runner.run(runner.create(request, RequestMode.SYNC))
    if case.expected == "problem":  # only a full decode finds it: refused when preparing, still unsent
        assert job.state is JobState.FAILED
        assert case.contains.lower() in job.error_message.lower()
        assert job.error_hint
        assert fake_dashscope.requests == []
        assert_library_clean(library)
        return
    assert job.state is JobState.DONE, job.error_message
    (sent,) = _sent_images(_sent_body(fake_dashscope))
    assert min(sent.width(), sent.height()) >= 240 and max(sent.width(), sent.height()) <= 8000
    if "flattened" in case.contains:
        assert not sent.hasAlphaChannel(), "a transparent reference was sent with its alpha"
        assert sent.pixelColor(2, 2).name() == "#ffffff"  # the transparent corner, on white
    if "EXIF" in case.contains:
        assert (sent.width(), sent.height()) == (480, 640)  # orientation 6 applied: portrait
    assert len(library.images.of_job(job.id)) == len(fake_dashscope.billed_images)
    assert_library_clean(library)


# ----------------------------------------------------------------------------- request fields


@dataclass(frozen=True)
class Field:
    id: str
    request: GenerationRequest
    field: str | None  # the field named when refused; None = accepted and sent
    sent: dict[str, Any] = field(default_factory=dict)  # parameters expected on the wire
    text_has: str = ""


PNG_640x480 = "ok_photo.jpg"
RTL = "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 \u200fa lighthouse"  # Hebrew, Arabic, RLM


def _palette(*ratios: float) -> tuple[PaletteColor, ...]:
    return tuple(PaletteColor(f"#{i * 20:02X}3366", r) for i, r in enumerate(ratios))


def _refs(root: Path, count: int, boxes: tuple[Box, ...] = ()) -> tuple[ImageInput, ...]:
    path = str(root / PNG_640x480)  # written by the test before use
    return tuple(ImageInput(path, boxes if i == 0 else ()) for i in range(count))


def field_cases(root: Path) -> list[Field]:
    pro, std = Model.PRO, Model.STANDARD
    one = _refs(root, 1)
    g = GenerationRequest
    return [
        Field("10th-reference", g("edit", images=_refs(root, 10), size="1K"), "images"),
        Field("9-references", g("edit", images=_refs(root, 9), size="1K"), None),
        Field("prompt-5001", g("x" * 5001), "prompt"),
        Field("prompt-5000", g("x" * 5000, size="1K"), None, text_has="x" * 5000),
        Field("prompt-empty", g(""), "prompt"),
        Field("prompt-blank", g(" \n\t "), "prompt"),
        Field("prompt-nul", g("a fox\x00"), "prompt"),
        Field("prompt-escape", g("a \x1b[31mred\x1b[0m fox"), "prompt"),
        Field("prompt-del-c1", g("a fox\x7f\x85"), "prompt"),
        Field("prompt-rtl", g(RTL, size="1K"), None, text_has=RTL),
        Field("prompt-newlines-tabs", g("line one\nline two\tend", size="1K"), None, text_has="line two\tend"),
        Field("size-768x768", g("x", model=std, size="768*768"), None, {"size": "768*768"}),
        Field("size-767x768", g("x", model=std, size="767*768"), "size"),
        Field("size-std-2048x2048", g("x", model=std, size="2048*2048"), None, {"size": "2048*2048"}),
        Field("size-std-2049x2048", g("x", model=std, size="2049*2048"), "size"),
        Field("size-pro-edit-2048x2048", g("x", model=pro, images=one, size="2048x2048"), None, {"size": "2048*2048"}),
        Field("size-pro-edit-2049x2048", g("x", model=pro, images=one, size="2049*2048"), "size"),
        Field("size-pro-t2i-4096x4096", g("x", model=pro, size="4096*4096"), None, {"size": "4096*4096"}),
        Field("size-pro-t2i-4097x4096", g("x", model=pro, size="4097*4096"), "size"),
        Field("size-pro-set-2049x2048", g("x", model=pro, size="2049*2048", enable_sequential=True), "size"),
        Field("ratio-1-8", g("x", model=std, size="724*5792"), None, {"size": "724*5792"}),
        Field("ratio-1-8.01", g("x", model=std, size="723*5792"), "size"),
        Field("ratio-pro-8-1", g("x", model=pro, size="11584*1448"), None, {"size": "11584*1448"}),
        Field("ratio-pro-8.006-1", g("x", model=pro, size="11584*1447"), "size"),
        Field("size-garbage", g("x", size="big"), "size"),
        Field("4k-with-references", g("x", model=pro, images=one, size="4K"), "size"),
        Field("4k-standard", g("x", model=std, size="4K"), "size"),
        Field("4k-pro-t2i", g("x", model=pro, size="4K"), None, {"size": "4K"}),
        Field("3-boxes", g("x", images=_refs(root, 1, (Box(0, 0, 10, 10),) * 3), size="1K"), "images[1].boxes"),
        Field(
            "box-outside-image", g("x", images=_refs(root, 1, (Box(600, 400, 641, 470),)), size="1K"), "images[1].boxes"
        ),
        Field("box-inverted", g("x", images=_refs(root, 1, (Box(50, 50, 10, 10),)), size="1K"), "images[1].boxes"),
        Field(
            "box-on-image-edge",
            g("x", images=_refs(root, 1, (Box(0, 0, 640, 480),)), size="1K"),
            None,
            {"bbox_list": [[[0, 0, 640, 480]]]},
        ),
        Field(
            "boxes-with-image-set",
            g("x", images=_refs(root, 1, (Box(0, 0, 10, 10),)), enable_sequential=True, size="1K"),
            "images[1].boxes",
        ),
        Field("palette-2", g("x", color_palette=_palette(50, 50)), "color_palette"),
        Field("palette-11", g("x", color_palette=_palette(*([9.0] * 10 + [10.0]))), "color_palette"),
        Field("palette-99.99", g("x", color_palette=_palette(33.33, 33.33, 33.33)), "color_palette"),
        Field(
            "palette-bad-hex", g("x", color_palette=(PaletteColor("#GG0000", 50), *_palette(25, 25))), "color_palette"
        ),
        Field(
            "palette-with-image-set",
            g("x", color_palette=_palette(40, 30, 30), enable_sequential=True),
            "color_palette",
        ),
        Field(
            "palette-3-exact",
            g("x", size="1K", color_palette=_palette(33.34, 33.33, 33.33)),
            None,
            {
                "color_palette": [
                    {"hex": "#003366", "ratio": "33.34%"},
                    {"hex": "#143366", "ratio": "33.33%"},
                    {"hex": "#283366", "ratio": "33.33%"},
                ]
            },
        ),
        Field("n-0", g("x", n=0), "n"),
        Field("n-5", g("x", n=5), "n"),
        Field("n-13-set", g("x", n=13, enable_sequential=True), "n"),
        Field("n-4", g("x", n=4, size="1K"), None, {"n": 4}),
        Field("n-12-set", g("x", n=12, size="1K", enable_sequential=True), None, {"n": 12}),
        Field("seed-minus-1", g("x", seed=-1), "seed"),
        Field("seed-2^31", g("x", seed=2**31), "seed"),
        Field("seed-2^31-1", g("x", seed=2**31 - 1, size="1K"), None, {"seed": 2**31 - 1}),
        Field("seed-0", g("x", seed=0, size="1K"), None, {"seed": 0}),
    ]


FIELD_IDS = [f.id for f in field_cases(Path("/nonexistent"))]


@pytest.mark.parametrize("case_id", FIELD_IDS)
def test_request_field(case_id: str, corpus_dir: Path, runner: JobRunner, library: Library, fake_dashscope):
    corpus_file(corpus_dir, PNG_640x480)
    case = next(f for f in field_cases(corpus_dir) if f.id == case_id)
    if case.field is not None:
        error = _refused(runner, library, fake_dashscope, case.request)
        assert case.field in [issue.field for issue in error.issues], error.issues
        return
    job = runner.run(runner.create(case.request, RequestMode.SYNC))
    assert job.state is JobState.DONE, job.error_message
    body = _sent_body(fake_dashscope)
    for key, value in case.sent.items():
        assert body["parameters"][key] == value, (key, body["parameters"])
    (text,) = [item["text"] for item in body["input"]["messages"][0]["content"] if "text" in item]
    assert case.text_has in text
    assert_library_clean(library)


def test_corpus_has_at_least_thirty_cases():
    assert len(corpus.CASES) + len(FIELD_IDS) >= 30
    assert len(FIELD_IDS) >= 30


# ----------------------------------------------------------------------------- the CLI

CLI_FILES = (PNG_640x480, "text_named.png", "animation.gif", "side_239.png")


def _cli_cases(root: Path) -> list[tuple[str, list[str], str, str | None]]:
    """(id, argv, field named on stderr, stdin). Files are written by the test before use."""
    ref = str(root / PNG_640x480)
    return [
        ("empty-prompt", ["generate", ""], "prompt", None),
        ("prompt-5001-stdin", ["generate", "-"], "prompt", "y" * 5001),
        ("prompt-escape", ["generate", "a \x1b[31mred fox"], "prompt", None),
        ("size-767x768", ["generate", "x", "--model", "standard", "--size", "767*768"], "size", None),
        ("size-std-2049x2048", ["generate", "x", "--model", "standard", "--size", "2049*2048"], "size", None),
        ("size-pro-4097x4096", ["generate", "x", "--size", "4097*4096"], "size", None),
        ("ratio-1-8.01", ["generate", "x", "--model", "standard", "--size", "723*5792"], "size", None),
        ("4k-with-reference", ["generate", "x", "--size", "4K", "--ref", ref], "size", None),
        ("10-references", ["generate", "x", *sum((["--ref", ref] for _ in range(10)), [])], "images", None),
        (
            "3-boxes",
            ["generate", "x", "--size", "1K", "--ref", ref, *["--box", "1:0,0,10,10"] * 3],
            "images[1].boxes",
            None,
        ),
        (
            "box-outside",
            ["generate", "x", "--size", "1K", "--ref", ref, "--box", "1:600,400,700,470"],
            "images[1].boxes",
            None,
        ),
        (
            "palette-11",
            ["generate", "x", "--palette", ",".join([f"#0000{i:02X}:9" for i in range(10)] + ["#FFFFFF:10"])],
            "color_palette",
            None,
        ),
        (
            "palette-99.99",
            ["generate", "x", "--palette", "#000000:33.33,#777777:33.33,#FFFFFF:33.33"],
            "color_palette",
            None,
        ),
        (
            "palette-with-set",
            ["generate", "x", "--set", "--palette", "#000000:40,#777777:30,#FFFFFF:30"],
            "color_palette",
            None,
        ),
        ("n-0", ["generate", "x", "-n", "0"], "n", None),
        ("n-13-set", ["generate", "x", "--set", "-n", "13"], "n", None),
        ("seed-2^31", ["generate", "x", "--seed", str(2**31)], "seed", None),
        ("text-named-png", ["generate", "x", "--ref", str(root / "text_named.png")], "images[1]", None),
        ("gif", ["generate", "x", "--ref", str(root / "animation.gif")], "images[1]", None),
        ("side-239", ["generate", "x", "--ref", str(root / "side_239.png")], "images[1]", None),
    ]


CLI_IDS = [c[0] for c in _cli_cases(Path("/nonexistent"))]


@pytest.mark.parametrize("case_id", CLI_IDS)
def test_cli_refuses_before_sending(case_id: str, corpus_dir: Path, fake_dashscope, isolated_environment: Path):
    for name in CLI_FILES:
        corpus_file(corpus_dir, name)
    (_, args, field_name, stdin) = next(c for c in _cli_cases(corpus_dir) if c[0] == case_id)
    result = run_cli(args, cli_env(fake_dashscope, isolated_environment), stdin=stdin)
    assert result.returncode == 2, result.stderr
    assert f"{field_name}:" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert fake_dashscope.requests == []
