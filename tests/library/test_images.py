"""`library.images`: landing images (metadata chunks, atomic names, idempotency) and querying them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.library.conftest import Maker, make_jpeg, make_png, make_webp, png_chunks
from wan27_desktop.library import ImageQuery, JobState, Library
from wan27_desktop.library.pngmeta import SOURCE_COMPOSITE, SOURCE_GENERATED, read_metadata


def test_add_image_keeps_pixels_and_adds_three_metadata_chunks(maker: Maker, library: Library):
    job_id = maker.job("一只红色的狐狸 in the snow")
    library.jobs.update(job_id, task_id="task-9", request_id="req-9", usage={"image_count": 1})
    results = library.jobs.add_results(job_id, ["https://r/0"], [None])
    downloaded = maker.download()
    original = downloaded.read_bytes()
    image = library.images.add(job_id, results[0].id, 0, downloaded, metadata={"job_id": job_id, "seed": 7})
    stored = image.path.read_bytes()
    assert [c for c in png_chunks(stored) if c[0] not in (b"tEXt", b"iTXt")] == png_chunks(original)
    meta = read_metadata(image.path)
    doc = meta["wan27"]
    assert (doc["job_id"], doc["index"], doc["task_id"], doc["request_id"], doc["seed"]) == (
        job_id,
        0,
        "task-9",
        "req-9",
        7,
    )
    assert doc["request"]["model"] == "wan2.7-image-pro" and doc["cost"] == "0.562065"
    assert meta["parameters"]["prompt"] == "一只红色的狐狸 in the snow" and meta["parameters"]["seed"] == 7
    assert meta["xmp"]["digital_source_type"] == SOURCE_GENERATED
    assert not downloaded.exists()  # the temp download is consumed once committed
    assert library.jobs.results_of(job_id)[0].status == "downloaded"


def test_image_record_has_facts_and_a_safe_dated_name(maker: Maker, library: Library):
    image = maker.image("fox")
    assert image.path.parent.relative_to(library.paths.images_dir).as_posix().count("/") == 2  # YYYY/MM/DD
    assert image.path.name == f"{image.job_id}-0-{image.sha256[:12]}.png"
    assert (image.width, image.height, image.bytes) == (8, 6, image.path.stat().st_size)
    assert (image.prompt, image.model, image.mode, image.seed, image.size_label) == (
        "fox",
        "wan2.7-image-pro",
        "text-to-image",
        7,
        "1K",
    )
    assert (image.is_set, image.has_refs, image.rating, image.favourite, image.trashed_at) == (
        False,
        False,
        0,
        False,
        None,
    )
    assert library.images.get(image.id) == image


def test_edit_images_are_marked_composite(maker: Maker, library: Library, tmp_path: Path):
    ref = tmp_path / "ref.png"
    ref.write_bytes(make_png(rgb=(9, 9, 9)))
    image = maker.image("put a hat on image 1", refs=[ref])
    assert (image.mode, image.has_refs) == ("edit", True)
    assert read_metadata(image.path)["xmp"]["digital_source_type"] == SOURCE_COMPOSITE


def test_adding_the_same_result_twice_returns_the_existing_record(maker: Maker, library: Library):
    job_id = maker.job()
    first = library.images.add(job_id, None, 0, maker.download(rgb=(1, 1, 1)), metadata={})
    second = library.images.add(job_id, None, 0, maker.download(rgb=(2, 2, 2)), metadata={})
    assert second == first
    assert library.images.count(ImageQuery()) == 1
    assert len(list(first.path.parent.iterdir())) == 1


def test_file_names_never_come_from_server_data(maker: Maker, library: Library):
    job_id = maker.job()
    image = library.images.add(
        job_id, None, 0, maker.download(), metadata={"task_id": "../../etc/passwd", "request_id": "a/b", "size": "../x"}
    )
    assert image.path.parent.parent.parent.parent == library.paths.images_dir
    assert "/" not in image.path.name and ".." not in image.path.name


def test_jpeg_results_get_xmp_and_webp_results_are_kept_as_is(maker: Maker, library: Library):
    job_id = maker.job(n=2)
    jpeg = library.images.add(job_id, None, 0, maker.download(data=make_jpeg(), suffix=".jpg"), metadata={})
    webp = library.images.add(job_id, None, 1, maker.download(data=make_webp(), suffix=".webp"), metadata={})
    assert jpeg.path.suffix == ".jpg" and read_metadata(jpeg.path)["wan27"]["job_id"] == job_id
    assert webp.path.read_bytes() == make_webp() and (webp.width, webp.height) == (10, 12)


def _populate(maker: Maker, library: Library, tmp_path: Path) -> dict[str, int]:
    ref = tmp_path / "ref.png"
    ref.write_bytes(make_png(rgb=(3, 3, 3)))
    ids = {
        "fox": maker.image("a red fox in the snow").id,
        "cat": maker.image("一只可爱的猫 sleeping", model="wan2.7-image").id,
        "set": maker.image("storyboard of a fox", sequential=True).id,
        "edit": maker.image("make the cat blue", refs=[ref]).id,
    }
    library.curation.set_rating([ids["fox"], ids["cat"]], 4)
    library.curation.set_rating([ids["set"]], 2)
    library.curation.set_favourite([ids["cat"]], True)
    return ids


def test_filters_select_the_right_images(maker: Maker, library: Library, tmp_path: Path):
    ids = _populate(maker, library, tmp_path)

    def found(**kwargs: object) -> set[int]:
        query = ImageQuery(**kwargs)  # type: ignore[arg-type]
        result = {i.id for i in library.images.query(query, 0, 100)}
        assert library.images.count(query) == len(result)
        assert set(library.images.ids(query)) == result
        return result

    assert found() == set(ids.values())
    assert found(favourites_only=True) == {ids["cat"]}
    assert found(min_rating=3) == {ids["fox"], ids["cat"]}
    assert found(model="wan2.7-image") == {ids["cat"]}
    assert found(mode="text-to-image-set") == {ids["set"]}
    assert found(image_sets=True) == {ids["set"]}
    assert found(with_references=True) == {ids["edit"]}
    assert found(with_references=False) == set(ids.values()) - {ids["edit"]}
    assert found(text="fox") == {ids["fox"], ids["set"]}
    assert found(text="red fox") == {ids["fox"]}
    assert found(text="猫") == {ids["cat"]}  # one CJK character: LIKE fallback
    assert found(text="可爱的猫") == {ids["cat"]}  # FTS trigram
    assert found(text="FOX snow") == {ids["fox"]}
    assert found(text="zebra") == set()
    today = library.images.get(ids["fox"]).created_at
    from datetime import datetime

    local_day = datetime.fromisoformat(today).astimezone().date().isoformat()
    assert found(date_from=local_day, date_to=local_day) == set(ids.values())
    assert found(date_to="2000-01-01") == set()
    library.curation.add_tags([ids["fox"], ids["edit"]], ["keep", "print"])
    assert found(tag="keep") == {ids["fox"], ids["edit"]}


def test_sort_orders_and_windows(maker: Maker, library: Library, tmp_path: Path):
    ids = _populate(maker, library, tmp_path)
    newest = [i.id for i in library.images.query(ImageQuery(), 0, 10)]
    assert newest == sorted(ids.values(), reverse=True)
    assert [i.id for i in library.images.query(ImageQuery(sort="oldest"), 0, 10)] == sorted(ids.values())
    assert [i.id for i in library.images.query(ImageQuery(sort="rating"), 0, 10)] == [
        ids["cat"],
        ids["fox"],
        ids["set"],
        ids["edit"],
    ]
    assert [i.id for i in library.images.query(ImageQuery(), 1, 2)] == newest[1:3]
    assert library.images.query(ImageQuery(), 10, 5) == []
    assert library.images.row_of(ImageQuery(), newest[2]) == 2
    with pytest.raises(ValueError):
        library.images.query(ImageQuery(sort="random"), 0, 1)  # type: ignore[arg-type]


def test_search_prompts_finds_distinct_prompts_in_english_and_chinese(maker: Maker, library: Library):
    maker.image("a red fox in the snow")
    maker.image("a red fox in the snow")
    maker.image("一只可爱的猫")
    assert library.images.search_prompts("fox", 10) == ["a red fox in the snow"]
    assert library.images.search_prompts("猫", 10) == ["一只可爱的猫"]
    assert library.images.search_prompts("可爱", 10) == ["一只可爱的猫"]
    assert library.images.search_prompts("", 10) == []
    assert library.images.search_prompts('"; DROP TABLE images; --', 10) == []


def test_lineage_links_references_and_derived_images(maker: Maker, library: Library):
    parent = maker.image("a plain mug")
    child = maker.image("put a logo on image 1", refs=[parent.path])
    inputs, derived = library.images.lineage(child.id)
    assert [p.read_bytes() for p in inputs] == [parent.path.read_bytes()]
    assert library.images.lineage(parent.id) == ([], [child])
    assert library.images.source_images(child.id) == [parent]


def test_jobs_layer_contract_images_of_job_and_states(maker: Maker, library: Library):
    job_id = maker.job(n=2, state=JobState.DOWNLOADING)
    library.jobs.add_results(job_id, ["u0", "u1"], [None, None])
    library.images.add(job_id, None, 1, maker.download(), metadata={})
    library.images.add(job_id, None, 0, maker.download(), metadata={})
    assert [i.index for i in library.images.of_job(job_id)] == [0, 1]
    assert all(r.status == "downloaded" for r in library.jobs.results_of(job_id))
    assert json.loads(json.dumps(library.images.metadata_of(library.images.of_job(job_id)[0].id)))["index"] == 0


def test_mark_missing_flags_and_clears(maker: Maker, library: Library):
    image = maker.image("flag me")
    library.images.mark_missing([image.id])
    assert library.images.get(image.id).missing is True
    library.images.mark_missing([image.id], False)
    assert library.images.get(image.id).missing is False
    assert library.maintenance.reconcile().missing == 0


def test_ids_after_lists_images_added_since_an_id_oldest_first(maker: Maker, library: Library):
    assert library.images.newest() == (0, "") and library.images.ids_after(0) == []
    first, second, third = maker.image("one"), maker.image("two"), maker.image("three")
    assert library.images.newest() == (third.id, third.sha256)
    assert library.images.ids_after(first.id) == [second.id, third.id]
    assert library.images.ids_after(first.id, limit=1) == [second.id]
    assert library.images.ids_after(third.id) == []
    library.curation.trash([second.id])  # trashed images still count: they were added
    assert library.images.ids_after(first.id) == [second.id, third.id]
    library.curation.trash([third.id])
    library.curation.empty_trash(on_gone=lambda _sha: None)
    assert library.images.newest() == (first.id, first.sha256)  # gone for good: the newest can go down
    fourth = maker.image("four")
    assert fourth.id == second.id  # SQLite gives the highest free id again: the hash tells them apart
    assert library.images.newest() == (fourth.id, fourth.sha256) != (second.id, second.sha256)
