"""`Library`: opening, closing, paths, and the stores it holds over one database."""

from __future__ import annotations

from pathlib import Path

from tests.library.conftest import Maker, make_png
from wan27_desktop.library import ImageQuery, Library


def test_stats_count_images_jobs_and_bytes(maker: Maker, library: Library):
    a = maker.image("a")
    maker.image("b")
    library.curation.trash([a.id])
    stats = library.stats()
    assert (stats["images"], stats["trashed"], stats["jobs"]) == (1, 1, 2)
    assert stats["bytes"] == sum(i.bytes for i in library.images.get_many([a.id, a.id + 1])) and stats["db_size"] > 0


def test_the_stores_share_one_database_and_see_a_rebuild_swap_it(maker: Maker, library: Library):
    image = maker.image("shared")
    stores = (library.jobs, library.images, library.curation, library.ledger, library.maintenance)
    assert all(store.db is library.db for store in stores)
    library.curation.set_rating([image.id], 4)  # written through one store, read through another
    assert library.images.get(image.id).rating == 4
    before = library.db.conn
    library.maintenance.rebuild()
    assert library.db.conn is not before  # the file was swapped: every store uses the new connection
    assert all(store.db is library.db for store in stores)
    assert library.images.get(image.id).rating == 4 and library.jobs.get(image.job_id or 0).id == image.job_id


def test_paths_follow_the_documented_layout(library: Library):
    paths = library.paths
    assert library.data_dir == paths.data_dir and library.library_dir == paths.data_dir / "library"
    assert library.db_path == paths.library_dir / "library.sqlite3" == library.db.path
    assert paths.abs_path("images/2025/01/31/a.png") == paths.images_dir / "2025" / "01" / "31" / "a.png"
    assert paths.rel_path(paths.inputs_dir / "ab" / "x.png") == "inputs/ab/x.png"


def test_closing_releases_the_database_and_the_session_marker(data_dir: Path, tmp_path: Path):
    source = tmp_path / "in.png"
    source.write_bytes(make_png())
    with Library.open(data_dir) as library:
        library.images.add(None, None, 0, source, metadata={"prompt": "x"})
        assert list(library.paths.sessions_dir.iterdir())  # a dirty marker while a file was written
    assert not list(library.paths.sessions_dir.iterdir())
    with Library.open(data_dir) as again:
        assert again.images.count(ImageQuery()) == 1 and again.last_reconcile is None
