"""Batch sources: a folder of images, text/CSV/JSON Lines lists with per-row parameters and bad rows
listed with their line numbers, and prompt matrices."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fake_dashscope.pngmaker import pattern_png
from wan27_desktop.api.errors import ValidationError
from wan27_desktop.api.models import GenerationRequest, ImageInput, Model
from wan27_desktop.jobs.batch import sources
from wan27_desktop.jobs.batch.matrix import MAX_COMBINATIONS, MatrixError, expand, has_matrix, parse_groups

SHARED = GenerationRequest(prompt="", model=Model.PRO, size="1K", n=1)


def _png(path: Path, width: int = 320, height: int = 240) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pattern_png(width, height, path.name))
    return path


def _fields(row: sources.RowSpec) -> set[str]:
    return {issue.field for issue in row.problems}


# -- each image, one instruction ------------------------------------------------------------------
def test_each_image_of_a_folder_becomes_a_job_with_it_as_reference_1(tmp_path: Path):
    folder = tmp_path / "products"
    for name in ("b.png", "A.jpg.png", "c.webp.png"):
        _png(folder / name)
    (folder / "notes.txt").write_text("not an image")
    _png(folder / "sub" / "deeper.png")  # subfolders are not read
    logo = _png(tmp_path / "logo.png")
    shared = GenerationRequest("put the logo from image 2 on it", images=(ImageInput(str(logo)),), size="1K")
    plan = sources.from_images(sources.image_files(folder), shared, source=str(folder))
    assert plan.kind == "images" and [r.label for r in plan.rows] == ["A.jpg.png", "b.png", "c.webp.png"]
    for row in plan.accepted:
        assert row.request is not None
        assert [Path(i.source).name for i in row.request.images] == [row.label, "logo.png"]
        assert row.request.prompt == "put the logo from image 2 on it"


def test_an_unreadable_image_is_a_refused_row_not_a_failed_batch(tmp_path: Path):
    folder = tmp_path / "in"
    _png(folder / "good.png")
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    _png(folder / "tiny.png", 100, 100)  # §2.3: at least 240 pixels per side
    plan = sources.from_images(sources.image_files(folder), GenerationRequest("restyle", size="1K"))
    assert [r.label for r in plan.accepted] == ["good.png"]
    refused = {r.label: r for r in plan.refused}
    assert set(refused) == {"broken.png", "tiny.png"}
    assert all(r.problems and r.problems[0].field == "images[1]" for r in refused.values())


def test_a_folder_without_images_or_that_is_missing_is_refused(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    for folder in (tmp_path / "empty", tmp_path / "missing"):
        with pytest.raises(ValidationError) as raised:
            sources.image_files(folder)
        assert raised.value.issues[0].field == "source"


# -- lists ----------------------------------------------------------------------------------------
def test_a_text_list_is_one_prompt_per_line_skipping_blanks_and_comments(tmp_path: Path):
    path = tmp_path / "prompts.txt"
    path.write_text("# my prompts\na red fox\n\n  a blue fox  \n", encoding="utf-8")
    plan = sources.from_list(path, SHARED)
    assert [(r.line, r.label) for r in plan.rows] == [(2, "a red fox"), (4, "a blue fox")]
    assert all(r.accepted for r in plan.rows)


def test_csv_rows_take_their_own_parameters_and_bad_rows_keep_their_line(tmp_path: Path):
    ref = _png(tmp_path / "refs" / "cat.png")
    path = tmp_path / "list.csv"
    path.write_text(
        "prompt,size,n,seed,model,ref,notes\n"
        "a red fox,2K,2,7,standard,,fine\n"
        "a cat on a mug,,,,,refs/cat.png,relative ref\n"
        "too many,1K,9,,,,n out of range\n"
        "\n"
        "bad seed,,,seven,,,\n"
        ",1K,,,,,no prompt\n"
        "unknown model,,,,turbo,,\n",
        encoding="utf-8",
    )
    plan = sources.from_list(path, SHARED)
    assert plan.ignored_columns == ("notes",)
    first, second = plan.accepted
    assert first.request == GenerationRequest("a red fox", model=Model.STANDARD, size="2K", n=2, seed=7)
    assert second.request is not None and [Path(i.source) for i in second.request.images] == [ref]
    refused = {r.line: _fields(r) for r in plan.refused}
    assert refused == {4: {"n"}, 6: {"seed"}, 7: {"prompt"}, 8: {"model"}}


def test_csv_with_semicolons_and_a_bom_is_read(tmp_path: Path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffPrompt;Size\nune renarde rousse;1K\n红色的狐狸;2K\n".encode())
    plan = sources.from_list(path, SHARED)
    assert [(r.label, r.request.size if r.request else None) for r in plan.rows] == [
        ("une renarde rousse", "1K"),
        ("红色的狐狸", "2K"),
    ]


def test_json_lines_rows_with_lists_of_refs_and_broken_lines(tmp_path: Path):
    a, b = _png(tmp_path / "a.png"), _png(tmp_path / "b.png")
    path = tmp_path / "rows.jsonl"
    path.write_text(
        '{"prompt": "swap image 1 and 2", "ref": ["a.png", "b.png"], "seed": 3}\n'
        '{"prompt": "a comic", "set": true, "n": 6, "tags": ["x"]}\n'
        '{"prompt": "broken", \n'
        '["not", "an object"]\n'
        '{"prompt": "missing ref", "ref": "nope.png"}\n',
        encoding="utf-8",
    )
    plan = sources.from_list(path, SHARED)
    swap, comic = plan.accepted
    assert swap.request is not None and [Path(i.source) for i in swap.request.images] == [a, b]
    assert comic.request is not None and comic.request.enable_sequential and comic.request.n == 6
    assert plan.ignored_columns == ("tags",)
    assert {r.line: _fields(r) for r in plan.refused} == {3: {"line"}, 4: {"line"}, 5: {"ref"}}


def test_the_shared_prompt_fills_rows_without_one(tmp_path: Path):
    _png(tmp_path / "a.png")
    path = tmp_path / "refs.csv"
    path.write_text("ref\na.png\n", encoding="utf-8")
    plan = sources.from_list(path, GenerationRequest("make it a watercolour", size="1K"))
    assert [r.request.prompt for r in plan.accepted if r.request] == ["make it a watercolour"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("list.xlsx", b"PK\x03\x04"),
        ("latin1.txt", "caf\xe9\n".encode("latin-1")),
        ("noprompt.csv", b"size,n\n1K,1\n"),
        ("empty.txt", b"# only a comment\n"),
    ],
)
def test_an_unreadable_list_is_refused_before_anything(tmp_path: Path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ValidationError) as raised:
        sources.from_list(path, SHARED)
    assert raised.value.issues[0].field == "source"


def test_a_missing_list_file_is_refused(tmp_path: Path):
    with pytest.raises(ValidationError):
        sources.from_list(tmp_path / "nope.txt", SHARED)


# -- matrices -------------------------------------------------------------------------------------
def test_a_matrix_expands_every_combination_with_its_labels():
    axes, combos = expand("{red|blue|green} fox in {snow|rain}", seeds=[1, 2])
    assert [(a.name, a.values) for a in axes] == [
        ("prompt 1", ("red", "blue", "green")),
        ("prompt 2", ("snow", "rain")),
        ("seed", ("1", "2")),
    ]
    assert len(combos) == 12
    assert combos[0].prompt == "red fox in snow" and combos[0].seed == 1
    assert combos[-1].prompt == "green fox in rain" and combos[-1].seed == 2
    assert dict(combos[5].labels) == {"prompt 1": "blue", "prompt 2": "snow", "seed": "2"}


def test_matrix_syntax_empty_alternatives_literal_braces_and_escapes():
    _, combos = expand("{|red }fox {logo} \\{a\\|b\\}")
    assert [c.prompt for c in combos] == ["fox {logo} {a|b}", "red fox {logo} {a|b}"]
    assert dict(combos[0].labels) == {"prompt": "(none)"}
    assert parse_groups("plain") == ["plain"]
    assert has_matrix("{a|b}") and not has_matrix("{a}") and has_matrix("{a|b")


@pytest.mark.parametrize("text", ["a {b|c", "a {b|{c|d}}"])
def test_a_malformed_matrix_names_the_column(text: str):
    with pytest.raises(MatrixError) as raised:
        expand(text)
    assert "column" in str(raised.value)


def test_a_matrix_too_large_is_refused():
    with pytest.raises(MatrixError):
        expand("{a|b|c|d|e|f|g|h|i|j} {a|b|c|d|e|f|g|h|i|j} {a|b|c|d|e|f|g|h|i|j} {x|y}")
    assert MAX_COMBINATIONS == 1000


def test_matrix_lists_of_sizes_and_models_are_axes_and_single_values_parameters():
    plan = sources.from_matrix("a {cat|dog}", SHARED, seeds=[5], sizes=["1K", "1024*1024"], models=["standard", "pro"])
    assert [a.name for a in plan.axes] == ["prompt", "size", "model"]
    assert len(plan.rows) == 8 and all(r.accepted for r in plan.rows)
    first = plan.rows[0].request
    assert first is not None and (first.seed, first.size, first.model) == (5, "1K", Model.STANDARD)


def test_matrix_rows_that_break_a_rule_are_refused_one_by_one():
    plan = sources.from_matrix("a {cat|dog}", SHARED, sizes=["4K", "1K"], models=["pro", "standard"])
    refused = [(dict(r.labels)["size"], dict(r.labels)["model"]) for r in plan.refused]
    assert refused == [("4K", "wan2.7-image"), ("4K", "wan2.7-image")]  # §3.1: no 4K on the standard model
    assert len(plan.accepted) == 6
