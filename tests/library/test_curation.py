"""`library.curation`: ratings, favourites, tags and the trash."""

from __future__ import annotations

from functools import partial

import pytest

from tests.library.conftest import Maker
from wan27_desktop.imaging.thumbnails import drop_thumbnails, thumbnail_path
from wan27_desktop.library import ImageQuery, Library, NotFound


def test_rating_favourite_and_tags(maker: Maker, library: Library):
    a, b = maker.image("a"), maker.image("b")
    library.curation.set_rating([a.id, b.id], 5)
    library.curation.set_favourite([a.id], True)
    assert (library.images.get(a.id).rating, library.images.get(a.id).favourite) == (5, True)
    assert library.images.get(b.id).favourite is False
    with pytest.raises(ValueError):
        library.curation.set_rating([a.id], 6)
    library.curation.add_tags([a.id, b.id], ["Portfolio", "cats", " "])
    library.curation.add_tags([a.id], ["portfolio"])  # tags are case-insensitive
    assert library.curation.tags_of(a.id) == ["cats", "Portfolio"]
    library.curation.remove_tag([a.id], "cats")
    assert library.curation.tags_of(a.id) == ["Portfolio"]
    assert library.curation.all_tags() == [("cats", 1), ("Portfolio", 2)]


def test_trash_is_restorable_until_emptied(maker: Maker, library: Library):
    keep, bin_ = maker.image("keep"), maker.image("bin")
    thumb = thumbnail_path(library.data_dir, bin_.sha256)
    thumb.parent.mkdir(parents=True, exist_ok=True)
    thumb.write_bytes(b"jpeg")
    assert library.curation.trash([bin_.id]) == 1
    assert library.images.get(bin_.id).trashed_at is not None
    assert [i.id for i in library.images.query(ImageQuery(), 0, 10)] == [keep.id]
    assert [i.id for i in library.images.query(ImageQuery(trashed=True), 0, 10)] == [bin_.id]
    assert library.curation.restore([bin_.id]) == 1 and library.images.count(ImageQuery()) == 2
    library.curation.trash([bin_.id])
    assert library.curation.empty_trash(on_gone=partial(drop_thumbnails, library.data_dir)) == 1
    assert not bin_.path.exists() and not thumb.exists() and keep.path.exists()
    with pytest.raises(NotFound):
        library.images.get(bin_.id)
    assert library.stats()["trashed"] == 0


def test_emptying_the_trash_reports_content_no_other_image_shares(maker: Maker, library: Library):
    a, b, c = maker.image("a"), maker.image("b"), maker.image("c")
    with library.db.write() as conn:  # two rows with the same content, as a re-import of a copy can make
        conn.execute("UPDATE images SET sha256 = ? WHERE id = ?", (b.sha256, c.id))
    library.curation.trash([a.id, b.id])
    gone: list[str] = []
    assert library.curation.empty_trash(on_gone=gone.append) == 2
    assert gone == [a.sha256]  # c still shows b's content: what was cached for it stays
    assert library.images.get(c.id).path.exists()
