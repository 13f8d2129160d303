"""Image-set stacks in the library query layer: grouping in SQL, paging, expanded sets, badges, and
how stacks combine with filters, search, the trash and a job's own view. Real SQLite in tmp_path."""

from __future__ import annotations

import pytest

from tests.library.conftest import Maker
from wan27_desktop.library import ImageQuery, Library
from wan27_desktop.library.query import stack_layout, stacked_ids, stacked_members, stacked_page

SORTS = ("newest", "oldest", "rating")


def land_set(maker: Maker, prompt: str, n: int) -> list[int]:
    """A job in image-set mode whose n images land in index order (as the runner stores them)."""
    library = maker.library
    job_id = maker.job(prompt, n=n, sequential=True)
    library.jobs.add_results(job_id, [f"https://result.invalid/{i}.png" for i in range(n)], [None] * n)
    return [library.images.add(job_id, None, i, maker.download(), metadata={"job_id": job_id}).id for i in range(n)]


def land_batch(maker: Maker, prompt: str, n: int) -> list[int]:
    """A normal job with n > 1 images: NOT a set, so never stacked."""
    library = maker.library
    job_id = maker.job(prompt, n=n)
    library.jobs.add_results(job_id, [f"https://result.invalid/{i}.png" for i in range(n)], [None] * n)
    return [library.images.add(job_id, None, i, maker.download(), metadata={"job_id": job_id}).id for i in range(n)]


@pytest.fixture
def mixed(maker: Maker, library: Library) -> dict[str, list[int]]:
    """single, set of 4, single, batch of 2, set of 3, single, set of 2 — landed in that order."""
    ids = {
        "single1": [maker.image("a lone lighthouse").id],
        "set4": land_set(maker, "four panels of a fox comic", 4),
        "single2": [maker.image("a red kite").id],
        "batch2": land_batch(maker, "two takes of a teapot", 2),
        "set3": land_set(maker, "three seasons of one tree", 3),
        "single3": [maker.image("a blue door").id],
        "set2": land_set(maker, "a fox comic epilogue", 2),
    }
    library.curation.set_rating(ids["set4"][2:], 5)
    library.curation.set_rating(ids["single2"], 3)
    return ids


def expected_rows(library: Library, q: ImageQuery) -> list[int]:
    """The gallery order computed the slow, obvious way from the flat query."""
    flat = q.replace(collapse_sets=False, expanded_jobs=frozenset())
    records = library.images.get_many(library.images.ids(flat))
    if not q.stacks_sets:
        return [r.id for r in records]
    members: dict[int, list] = {}
    for record in records:
        if record.is_set and record.job_id is not None:
            members.setdefault(record.job_id, []).append(record)
    rows: list[int] = []
    for record in records:
        group = members.get(record.job_id) if record.is_set and record.job_id is not None else None
        if group is None:
            rows.append(record.id)
            continue
        group = sorted(group, key=lambda r: r.index)
        if record.id != group[0].id:
            continue  # a later image of a set: inside its stack
        rows.append(record.id)
        if record.job_id in q.expanded_jobs:
            rows += [r.id for r in group[1:]]
    return rows


def paged(library: Library, q: ImageQuery, size: int) -> list[int]:
    layout = stack_layout(library.images, q)
    out: list[int] = []
    for offset in range(0, layout.count, size):
        out += [r.id for r in stacked_page(library.images, q, offset, size, layout).records]
    return out


def job_of(library: Library, image_id: int) -> int:
    job_id = library.images.get(image_id).job_id
    assert job_id is not None
    return job_id


def test_each_set_is_one_row_showing_its_first_image(library: Library, mixed: dict[str, list[int]]) -> None:
    q = ImageQuery(collapse_sets=True)
    rows = stacked_ids(library.images, q)
    assert rows == [
        mixed["set2"][0],
        mixed["single3"][0],
        mixed["set3"][0],
        *reversed(mixed["batch2"]),
        mixed["single2"][0],
        mixed["set4"][0],
        mixed["single1"][0],
    ]
    assert stack_layout(library.images, q).count == library.images.count(q) == len(rows) == 8
    flat = stacked_ids(library.images, ImageQuery())
    assert len(flat) == library.images.count(ImageQuery()) == 14  # the default query stays flat


def test_page_carries_badges_with_each_sets_size(library: Library, mixed: dict[str, list[int]]) -> None:
    page = stacked_page(library.images, ImageQuery(collapse_sets=True), 0, 20)
    badges = {image_id: (b.size, b.position, b.expanded) for image_id, b in page.badges.items()}
    assert badges == {mixed["set2"][0]: (2, 1, False), mixed["set3"][0]: (3, 1, False), mixed["set4"][0]: (4, 1, False)}
    assert page.badges[mixed["set4"][0]].job_id == job_of(library, mixed["set4"][0])


@pytest.mark.parametrize("sort", SORTS)
def test_pages_of_any_size_join_into_the_grouped_order(
    library: Library, mixed: dict[str, list[int]], sort: str
) -> None:
    expanded = frozenset({job_of(library, mixed["set4"][0]), job_of(library, mixed["set2"][0])})
    for q in (
        ImageQuery(collapse_sets=True, sort=sort),  # type: ignore[arg-type]
        ImageQuery(collapse_sets=True, sort=sort, expanded_jobs=expanded),
    ):  # type: ignore[arg-type]
        want = expected_rows(library, q)
        assert stacked_ids(library.images, q) == want
        for size in (1, 2, 3, 5, 7, 50):
            assert paged(library, q, size) == want, (sort, size, q.expanded_jobs)


def test_expanded_set_rows_follow_the_stack_in_set_order(library: Library, mixed: dict[str, list[int]]) -> None:
    set4 = mixed["set4"]
    q = ImageQuery(collapse_sets=True, expanded_jobs=frozenset({job_of(library, set4[0])}))
    rows = stacked_ids(library.images, q)
    head = rows.index(set4[0])
    assert rows[head : head + 4] == set4
    assert rows[:head] == stacked_ids(library.images, ImageQuery(collapse_sets=True))[:head]  # nothing before moves
    assert library.images.count(q) == len(rows) == 11
    layout = stack_layout(library.images, q)
    assert [(e.head, e.head_id, e.members) for e in layout.expansions] == [(head, set4[0], tuple(set4[1:]))]
    page = stacked_page(library.images, q, 0, 20, layout)
    assert [(page.badges[i].position, page.badges[i].expanded) for i in set4] == [
        (1, True),
        (2, True),
        (3, True),
        (4, True),
    ]


def test_a_set_straddling_a_page_boundary_pages_correctly(library: Library, mixed: dict[str, list[int]]) -> None:
    set4 = mixed["set4"]
    q = ImageQuery(collapse_sets=True, expanded_jobs=frozenset({job_of(library, set4[0])}))
    rows = stacked_ids(library.images, q)
    head = rows.index(set4[0])
    layout = stack_layout(library.images, q)
    # A window that starts inside the expanded set and one that ends inside it.
    middle = stacked_page(library.images, q, head + 2, 4, layout)
    assert [r.id for r in middle.records] == rows[head + 2 : head + 6]
    assert middle.badges[set4[2]].position == 3
    before = stacked_page(library.images, q, head - 1, 3, layout)
    assert [r.id for r in before.records] == rows[head - 1 : head + 2]


def test_filters_choose_which_images_a_stack_holds(library: Library, mixed: dict[str, list[int]]) -> None:
    set4 = mixed["set4"]
    q = ImageQuery(collapse_sets=True, min_rating=5)  # only images 3 and 4 of the set are rated 5
    rows = stacked_ids(library.images, q)
    assert rows == [set4[2]]
    assert stacked_page(library.images, q, 0, 10).badges[set4[2]].size == 2
    library.curation.set_favourite([set4[3]], True)
    favourites = ImageQuery(collapse_sets=True, favourites_only=True)
    assert stacked_ids(library.images, favourites) == [set4[3]]
    assert stacked_page(library.images, favourites, 0, 10).badges == {}  # a set of one is no stack


def test_search_stacks_matching_sets(library: Library, mixed: dict[str, list[int]]) -> None:
    q = ImageQuery(collapse_sets=True, text="fox comic")
    assert stacked_ids(library.images, q) == [mixed["set2"][0], mixed["set4"][0]]
    assert library.images.count(q) == 2
    assert library.images.count(q.replace(collapse_sets=False)) == 6
    sizes = {i: b.size for i, b in stacked_page(library.images, q, 0, 10).badges.items()}
    assert sizes == {mixed["set2"][0]: 2, mixed["set4"][0]: 4}


def test_trashing_a_stacks_first_image_makes_the_next_one_the_stack(
    library: Library, mixed: dict[str, list[int]]
) -> None:
    set3 = mixed["set3"]
    library.curation.trash([set3[0]])
    q = ImageQuery(collapse_sets=True)
    rows = stacked_ids(library.images, q)
    assert set3[1] in rows and set3[0] not in rows and set3[2] not in rows
    assert stacked_page(library.images, q, 0, 20).badges[set3[1]].size == 2


def test_the_trash_and_a_jobs_view_never_stack(library: Library, mixed: dict[str, list[int]]) -> None:
    library.curation.trash(mixed["set4"][:3])
    trash = ImageQuery(trashed=True, collapse_sets=True)
    assert not trash.stacks_sets
    assert sorted(stacked_ids(library.images, trash)) == sorted(mixed["set4"][:3])
    assert stacked_page(library.images, trash, 0, 10).badges == {}
    job = ImageQuery(job_id=job_of(library, mixed["set3"][0]), collapse_sets=True)
    assert sorted(stacked_ids(library.images, job)) == sorted(mixed["set3"])


def test_stacked_members_are_what_trashing_a_stack_means(library: Library, mixed: dict[str, list[int]]) -> None:
    set4, single = mixed["set4"], mixed["single1"][0]
    q = ImageQuery(collapse_sets=True)
    assert stacked_members(library.images, q, [single, set4[0]]) == [single, *set4]
    expanded = q.replace(expanded_jobs=frozenset({job_of(library, set4[0])}))
    assert stacked_members(library.images, expanded, [set4[0]]) == [set4[0]]  # expanded: each tile is itself
    assert stacked_members(library.images, ImageQuery(), [set4[0]]) == [set4[0]]
    rated = q.replace(min_rating=5)
    assert stacked_members(library.images, rated, [set4[2]]) == set4[2:]  # only the images the stack shows


def test_a_removed_expanded_set_is_ignored(library: Library, mixed: dict[str, list[int]]) -> None:
    set2 = mixed["set2"]
    q = ImageQuery(collapse_sets=True, expanded_jobs=frozenset({job_of(library, set2[0]), 987654}))
    library.curation.trash([set2[1]])
    layout = stack_layout(library.images, q)
    assert layout.expansions == ()
    assert stacked_ids(library.images, q) == expected_rows(library, q)


def test_many_expanded_sets_use_one_index_walk_and_agree(library: Library, mixed: dict[str, list[int]]) -> None:
    jobs = frozenset(job_of(library, mixed[name][0]) for name in ("set2", "set3", "set4"))
    for sort in SORTS:
        q = ImageQuery(collapse_sets=True, sort=sort, expanded_jobs=jobs)  # type: ignore[arg-type]
        assert len(stack_layout(library.images, q).expansions) == 3
        assert paged(library, q, 4) == expected_rows(library, q) == stacked_ids(library.images, q)


def test_unknown_sort_is_refused(library: Library) -> None:
    with pytest.raises(ValueError, match="sort must be one of"):
        stack_layout(library.images, ImageQuery(collapse_sets=True, sort="random"))  # type: ignore[arg-type]


def give_prompt(library: Library, image_id: int, prompt: str) -> None:
    """An image whose prompt differs from its set's (a set's images share the job's prompt as the app
    lands them; a rebuild from edited files could part them). The search shortcuts must not assume."""
    with library.images.db.write() as conn:
        conn.execute("INSERT OR IGNORE INTO prompts(text) VALUES (?)", (prompt,))
        conn.execute(
            "UPDATE images SET prompt_id = (SELECT id FROM prompts WHERE text = ?) WHERE id = ?", (prompt, image_id)
        )
        if library.images.fts_tokenizer:
            conn.execute("INSERT INTO prompts_fts(prompts_fts) VALUES ('rebuild')")


@pytest.mark.parametrize("text", ["comic", "fo", "狐", "comic 狐", "panels", "x"])
def test_search_agrees_with_the_slow_way_when_a_sets_prompts_differ(
    library: Library, mixed: dict[str, list[int]], text: str
) -> None:
    set4 = mixed["set4"]
    give_prompt(library, set4[0], "a lone cat, no comic")  # the set's first image: another prompt
    give_prompt(library, set4[2], "四格漫画: 狐狸")
    q = ImageQuery(collapse_sets=True, text=text)
    expected = expected_rows(library, q)
    assert stacked_ids(library.images, q) == expected == paged(library, q, 3)
    layout = stack_layout(library.images, q)
    assert (layout.count, layout.images) == (len(expected), library.images.count(q.replace(collapse_sets=False)))
    badges = stacked_page(library.images, q, 0, 20).badges
    flat = library.images.get_many(library.images.ids(q.replace(collapse_sets=False)))
    for badge in badges.values():
        assert badge.size == sum(1 for r in flat if r.job_id == badge.job_id)  # the set's matching images
    if text == "comic":  # the stack is the set's first image, with a prompt of its own; 3 of 4 match
        assert set4[0] in expected and badges[set4[0]].size == 3


def test_a_common_search_term_walks_the_sort_index(maker: Maker, library: Library) -> None:
    """With the share of prompts a term matches, the planner reads a common term's first page by
    walking the sort index (SQLite alone guessed "few matches" and sorted them all)."""
    from wan27_desktop.library.query import fts_share, order_by, where_clause

    if library.images.fts_tokenizer != "trigram":
        pytest.skip("SQLite without the trigram tokenizer")
    for i in range(12):
        maker.image(f"a lighthouse at dusk, take {i}" if i % 3 else f"a red kite {i}")
    q = ImageQuery(collapse_sets=True, text="lighthouse")
    with library.images.db.read() as conn:
        share = fts_share(conn, q.text, library.images.fts_tokenizer)
        assert share is not None and 0.6 < share < 0.7  # 8 of 12 prompts
        assert fts_share(conn, "lighthouse at d", library.images.fts_tokenizer) is None  # "d" needs LIKE: unknown
        plans = {}
        for hint in (None, share):
            where, params = where_clause(q, library.images.fts_tokenizer, expanded=False, share=hint)
            sql = f"SELECT i.id FROM images i WHERE {where} ORDER BY {order_by(q.sort)} LIMIT 5"
            plan = " ".join(str(row[3]) for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
            plans[hint] = (plan, [row[0] for row in conn.execute(sql, params)])
    assert "images_by_created" in plans[share][0] and "TEMP B-TREE" not in plans[share][0]
    assert plans[share][1] == plans[None][1] == expected_rows(library, q)[:5]
