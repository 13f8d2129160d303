"""ImageQuery -> SQL. Every sort order has an index led by `trashed` (schema v2), so a page of the
library or the trash is an index walk and `count` a covering-index scan, even at 100k rows.

Text search: FTS5 with the trigram tokenizer matches substrings, which suits Chinese (no spaces
between words) as well as English. Trigrams need 3 characters, so shorter terms (common in Chinese:
"猫", "红色") use LIKE over the prompts table, which holds one row per distinct prompt.
With the unicode61 fallback (SQLite < 3.34) ASCII terms are prefix-matched words and others use LIKE.

Image-set stacks (`ImageQuery.collapse_sets`): a set's row is its first image (lowest index) among
the images that pass the other filters, so a stack is a plain WHERE condition (NOT EXISTS an earlier
matching image of the same set job, a seek on `images_job_idx`) and the sort index still walks the
pages. Expanded sets are spliced in after their stack row in Python from a small `StackLayout`
(where each expanded set's first image sits among the collapsed rows), computed once per query.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from wan27_desktop.library.image_records import ImageRecord, SetBadge, SetExpansion, StackedPage
from wan27_desktop.library.records import ImageQuery, StackLayout
from wan27_desktop.library.rows import IMAGE_COLUMNS, IMAGE_FROM, image_from_row
from wan27_desktop.library.times import normalise_time

if TYPE_CHECKING:  # images.py builds its SQL with this module
    from wan27_desktop.library.images import ImageStore

_ORDER = {
    "newest": "i.created_at DESC, i.id DESC",
    "oldest": "i.created_at ASC, i.id ASC",
    "rating": "i.rating DESC, i.created_at DESC, i.id DESC",
    # A seek on batch_rows' unique job_id per image: meant for one batch's images (a few hundred).
    "rows": "(SELECT r.position FROM batch_rows r WHERE r.job_id = i.job_id), i.idx, i.id",
}


def order_by(sort: str) -> str:
    try:
        return _ORDER[sort]
    except KeyError:
        raise ValueError(f"sort must be one of {', '.join(_ORDER)}, not {sort!r}") from None


def _local_day_start(day: date) -> str:
    start = datetime(day.year, day.month, day.day).astimezone()  # local midnight
    return normalise_time(start.isoformat()) or ""


def date_bound(text: str, *, end: bool) -> tuple[str, str]:
    """(operator, UTC timestamp). A bare 'YYYY-MM-DD' means that whole local day, inclusive."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        day = date.fromisoformat(text.strip())
        if end:
            return "<", _local_day_start(day + timedelta(days=1))
        return ">=", _local_day_start(day)
    moment = normalise_time(text)
    if moment is None:
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD)")
    return ("<=" if end else ">="), moment


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _split_terms(text: str, tokenizer: str) -> tuple[str, list[str]]:
    """`text` -> (the FTS5 MATCH expression of its indexable terms or "", the LIKE patterns of the rest)."""
    terms = [t for t in re.split(r"\s+", text.replace('"', " ").strip()) if t]
    fts_terms: list[str] = []
    likes: list[str] = []
    for term in terms:
        if tokenizer == "trigram" and len(term) >= 3:
            fts_terms.append('"' + term + '"')
        elif tokenizer == "unicode61" and term.isascii() and term.isalnum():
            fts_terms.append('"' + term + '"*')
        else:
            likes.append(_like(term))
    return " AND ".join(fts_terms), likes


def text_conditions(
    text: str, tokenizer: str, column: str, fts_share: float | None = None
) -> tuple[list[str], list[Any]]:
    """Conditions on `column` (a prompt id) that every term of `text` must satisfy. `fts_share`: how
    likely a row passes the indexed terms (`fts_share()`), told to the query planner."""
    match, likes = _split_terms(text, tokenizer)
    conditions = [f"{column} IN (SELECT id FROM prompts WHERE text LIKE ? ESCAPE '\\')" for _ in likes]
    params: list[Any] = list(likes)
    if match:
        fts = f"{column} IN (SELECT rowid FROM prompts_fts WHERE prompts_fts MATCH ?)"
        conditions.insert(0, fts if fts_share is None else f"likelihood({fts}, {fts_share:.4f})")
        params.insert(0, match)
    return conditions, params


def fts_share(conn: Any, text: str, tokenizer: str) -> float | None:
    """The share of prompts that `text`'s indexed terms match (None without any): ~1 ms of FTS.

    SQLite cannot see how many rows an `IN (SELECT ... MATCH ?)` keeps, and for a gallery page it
    guessed "few" every time: it read every match and sorted them. For a common term ("lig" matches
    17% of 100k images) walking the sort index until a page is full is ten times cheaper, and with
    this share as `likelihood()` the planner picks each plan where it is the cheaper one.
    None too when a short term needs LIKE: it keeps an unknown part of the matches (w: 31% of
    prompts, "fox w": 1.7% of images), and the walk then reads far more of the index than it saves.
    """
    match, likes = _split_terms(text, tokenizer)
    if not match or likes:
        return None
    (found,) = conn.execute("SELECT count(*) FROM prompts_fts WHERE prompts_fts MATCH ?", (match,)).fetchone()
    (total,) = conn.execute("SELECT max(id) FROM prompts").fetchone()
    return min(1.0, max(0.0001, int(found) / max(1, int(total or 0))))


def _filter_conditions(
    q: ImageQuery, tokenizer: str, a: str, same_prompt_as: str = "", share: float | None = None
) -> tuple[list[str], list[Any]]:
    """Every filter of `q` on the images table aliased `a` (not stacking). `same_prompt_as`: an alias
    whose row is known to match the text, so a row with its prompt matches too without the search.
    `share`: `fts_share()` of the text, for the planner."""
    conditions = [f"{a}.trashed = ?"]
    params: list[Any] = [1 if q.trashed else 0]
    if q.favourites_only:
        conditions.append(f"{a}.favourite = 1")
    if q.min_rating > 0:
        conditions.append(f"{a}.rating >= ?")
        params.append(int(q.min_rating))
    if q.model:
        conditions.append(f"{a}.model = ?")
        params.append(q.model)
    if q.mode:
        conditions.append(f"{a}.mode = ?")
        params.append(q.mode)
    if q.date_from:
        op, value = date_bound(q.date_from, end=False)
        conditions.append(f"{a}.created_at {op} ?")
        params.append(value)
    if q.date_to:
        op, value = date_bound(q.date_to, end=True)
        conditions.append(f"{a}.created_at {op} ?")
        params.append(value)
    if q.with_references is not None:
        conditions.append(f"{a}.has_refs = ?")
        params.append(1 if q.with_references else 0)
    if q.image_sets is not None:
        conditions.append(f"{a}.is_set = ?")
        params.append(1 if q.image_sets else 0)
    if q.tag:
        conditions.append(
            f"{a}.id IN (SELECT it.image_id FROM image_tags it JOIN tags t ON t.id = it.tag_id WHERE t.name = ?)"
        )
        params.append(q.tag)
    if q.job_id is not None:
        conditions.append(f"{a}.job_id = ?")
        params.append(int(q.job_id))
    if q.batch_id is not None:  # issue 17: the images of one batch's rows
        conditions.append(f"{a}.job_id IN (SELECT job_id FROM batch_rows WHERE batch_id = ? AND job_id IS NOT NULL)")
        params.append(int(q.batch_id))
    if q.text.strip():
        text_sql, text_params = text_conditions(q.text, tokenizer, f"{a}.prompt_id", share)
        if same_prompt_as and text_sql:
            # Short-circuited for a set's images, which share their job's prompt: the LIKE scan of
            # every prompt that a short term needs then runs once per query instead of twice.
            text_sql = [f"({a}.prompt_id = {same_prompt_as}.prompt_id OR {' AND '.join(text_sql)})"]
        conditions += text_sql
        params += text_params
    return conditions, params


def _in_list(values: frozenset[int] | list[int]) -> str:
    return ",".join("?" * len(values))


def where_clause(
    q: ImageQuery, tokenizer: str, *, expanded: bool = True, share: float | None = None
) -> tuple[str, list[Any]]:
    """The WHERE of `q` over `images i`. With stacking, a set's later images are left out unless
    its job is expanded (`expanded=False` leaves them all out: the collapsed rows only). `share`:
    `fts_share()` of the text, where the plan of a sorted read depends on it."""
    conditions, params = _filter_conditions(q, tokenizer, "i", share=share)
    if q.stacks_sets:
        stacked, stacked_params = _stack_condition(q, tokenizer, expanded)
        conditions.append(stacked)
        params += stacked_params
    return " AND ".join(conditions), params


def _stack_condition(q: ImageQuery, tokenizer: str, expanded: bool) -> tuple[str, list[Any]]:
    """True for an image of `images i` that is a stack's row (or no set's member, or expanded)."""
    inner, params = _filter_conditions(q, tokenizer, "s", same_prompt_as="i")
    stacked = (
        "(i.is_set = 0 OR i.job_id IS NULL OR NOT EXISTS (SELECT 1 FROM images s "
        f"WHERE s.job_id = i.job_id AND s.idx < i.idx AND {' AND '.join(inner)})"
    )
    jobs = sorted(q.expanded_jobs) if expanded else []
    if jobs:
        stacked += f" OR i.job_id IN ({_in_list(jobs)})"
        params += jobs
    return stacked + ")", params


def flat(q: ImageQuery) -> ImageQuery:
    """The same filters without stacking: every matching image is a row."""
    return q.replace(collapse_sets=False, expanded_jobs=frozenset())


# --- stacked reads for the gallery -----------------------------------------------------------------
# Library-internal helpers (they use the Library's connection and row conversion); the gallery model
# runs them on its worker threads.


def _before(sort: str, alias: str = "i") -> str:
    """Rows that come before a given (rating, created_at, id) in `sort` order: 3 or 4 params."""
    a = alias
    if sort == "oldest":
        return f"({a}.created_at < ? OR ({a}.created_at = ? AND {a}.id < ?))"
    newest = f"({a}.created_at > ? OR ({a}.created_at = ? AND {a}.id > ?))"
    if sort == "rating":
        return f"({a}.rating > ? OR ({a}.rating = ? AND {newest}))"
    return newest


def _before_params(sort: str, rating: int, created_at: str, image_id: int) -> list[Any]:
    params: list[Any] = [created_at, created_at, image_id]
    return [rating, rating, *params] if sort == "rating" else params


def _set_members(conn: Any, store: ImageStore, q: ImageQuery, job_ids: list[int]) -> dict[int, list[int]]:
    """job id -> ids of its images matching `q`'s filters, in set order (sets only)."""
    if not job_ids:
        return {}
    where, params = where_clause(flat(q), store.fts_tokenizer)
    found: dict[int, list[int]] = {}
    for job_id, image_id in _rows_in(
        conn,
        f"SELECT i.job_id, i.id FROM images i WHERE {where} AND i.is_set = 1 "
        "AND i.job_id IN ({ids}) ORDER BY i.job_id, i.idx",
        params,
        job_ids,
    ):
        found.setdefault(job_id, []).append(image_id)
    return found


def _set_sizes(conn: Any, store: ImageStore, q: ImageQuery, shown: dict[int, int]) -> dict[int, int]:
    """job id -> how many of its set's images `q` shows; `shown`: job id -> one image of it `q` shows.

    Each is counted beside that shown image `h`, the same short-cut as the stack test's: a set's
    images share their job's prompt and `h`'s prompt matches, so a short term's LIKE over every
    prompt (~8 ms at 25k, on a search's first page) runs only for an image with a prompt of its own.
    """
    if not shown:
        return {}
    conditions, params = _filter_conditions(flat(q), store.fts_tokenizer, "i", same_prompt_as="h")
    sql = (
        f"SELECT i.job_id, count(*) FROM images i JOIN images h ON h.job_id = i.job_id "
        f"WHERE {' AND '.join(conditions)} AND i.is_set = 1 AND h.id IN ({{ids}}) GROUP BY i.job_id"
    )
    return {job_id: int(n) for job_id, n in _rows_in(conn, sql, params, list(shown.values()))}


def _rows_in(conn: Any, sql: str, params: list[Any], ids: list[int], chunk: int = 500) -> Iterator[Any]:
    """Rows of `sql`, whose `{ids}` is an IN list, run for `ids` in chunks (SQLite's variable limit)."""
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        yield from conn.execute(sql.replace("{ids}", _in_list(part)), (*params, *part))


def stack_layout(store: ImageStore, q: ImageQuery) -> StackLayout:
    """The row count of `q` and where its expanded sets sit (one count, plus two small queries per
    expanded set)."""
    with store.db.read() as conn:
        return _layout(conn, store, q)


def _layout(conn: Any, store: ImageStore, q: ImageQuery) -> StackLayout:
    order_by(q.sort)  # an unknown sort fails here, as it does for a page
    where, params = where_clause(q, store.fts_tokenizer, expanded=False)
    if q.stacks_sets and _split_terms(q.text, store.fts_tokenizer)[1]:
        # A short term's LIKE reads every prompt (~8 ms at 25k): both counts in one pass read them once.
        flat_where, flat_params = where_clause(flat(q), store.fts_tokenizer)
        stacked, stacked_params = _stack_condition(q, store.fts_tokenizer, expanded=False)
        images, collapsed = conn.execute(
            f"SELECT count(*), total({stacked}) FROM images i WHERE {flat_where}", (*flat_params, *stacked_params)
        ).fetchone()
        collapsed, images = int(collapsed), int(images)
    else:
        # Otherwise two counts are cheaper: each walks its own index.
        collapsed = int(conn.execute(f"SELECT count(*) FROM images i WHERE {where}", params).fetchone()[0])
        if not q.stacks_sets:
            return StackLayout(collapsed)
        flat_where, flat_params = where_clause(flat(q), store.fts_tokenizer)
        images = int(conn.execute(f"SELECT count(*) FROM images i WHERE {flat_where}", flat_params).fetchone()[0])
    if not q.expanded_jobs:
        return StackLayout(collapsed, (), images)
    members = {job: ids for job, ids in _set_members(conn, store, q, sorted(q.expanded_jobs)).items() if len(ids) > 1}
    positions: dict[int, int] = {}
    if len(members) > 2:
        # One walk of the sort index beats a range count per set once there are a few.
        wanted = {ids[0] for ids in members.values()}
        rows = conn.execute(f"SELECT i.id FROM images i WHERE {where} ORDER BY {order_by(q.sort)}", params)
        for position, (image_id,) in enumerate(rows):
            if image_id in wanted:
                positions[image_id] = position
                if len(positions) == len(wanted):
                    break
    expansions: list[SetExpansion] = []
    extra = 0
    for job_id, ids in members.items():
        head_id = ids[0]
        head = positions.get(head_id)
        if head is None:
            rating, created_at = conn.execute(
                "SELECT rating, created_at FROM images WHERE id = ?", (head_id,)
            ).fetchone()
            head = conn.execute(
                f"SELECT count(*) FROM images i WHERE {where} AND {_before(q.sort)}",
                (*params, *_before_params(q.sort, rating, created_at, head_id)),
            ).fetchone()[0]
        expansions.append(SetExpansion(job_id=job_id, head=int(head), head_id=head_id, members=tuple(ids[1:])))
        extra += len(ids) - 1
    expansions.sort(key=lambda e: e.head)
    return StackLayout(collapsed + extra, tuple(expansions), images)


def _slots(layout: StackLayout, offset: int, limit: int) -> list[tuple[int, int]]:
    """Rows offset..offset+limit-1 as (-1, collapsed position) or (expansion number, member number)."""
    out: list[tuple[int, int]] = []
    for row in range(max(0, offset), min(layout.count, offset + limit)):
        shift = 0
        slot = None
        for number, expansion in enumerate(layout.expansions):
            head_row = expansion.head + shift
            if row <= head_row:
                break
            if row <= head_row + len(expansion.members):
                slot = (number, row - head_row - 1)
                break
            shift += len(expansion.members)
        out.append(slot if slot is not None else (-1, row - shift))
    return out


def stacked_page(
    store: ImageStore, q: ImageQuery, offset: int, limit: int, layout: StackLayout | None = None
) -> StackedPage:
    """Rows offset..offset+limit-1 of `q` in gallery order, with set badges. Pass the query's
    `stack_layout` when it has expanded sets (it is computed here otherwise)."""
    with store.db.read() as conn:
        if q.stacks_sets and q.expanded_jobs and layout is None:
            layout = _layout(conn, store, q)
        if not q.stacks_sets:
            return StackedPage(tuple(_window(conn, store, q, offset, limit)))
        expansions = layout.expansions if layout is not None else ()
        if not expansions:
            records = _window(conn, store, q, offset, limit)
        else:
            assert layout is not None
            slots = _slots(layout, offset, limit)
            positions = [pos for number, pos in slots if number < 0]
            base = _window(conn, store, q, positions[0], positions[-1] - positions[0] + 1) if positions else []
            wanted = [expansions[number].members[pos] for number, pos in slots if number >= 0]
            by_id = {r.id: r for r in _records(conn, store, wanted)}
            records = []
            for number, pos in slots:
                if number < 0:
                    index = pos - positions[0]
                    if index < len(base):
                        records.append(base[index])
                else:
                    record = by_id.get(expansions[number].members[pos])
                    if record is not None:
                        records.append(record)
        return StackedPage(tuple(records), _badges(conn, store, q, records, expansions))


def _window(conn: Any, store: ImageStore, q: ImageQuery, offset: int, limit: int) -> list[ImageRecord]:
    """Collapsed rows (no expanded members) in sort order. Deferred join: the window is picked from
    the sort index alone, so skipping 90,000 rows does not read 90,000 table rows."""
    share = fts_share(conn, q.text, store.fts_tokenizer) if q.text.strip() else None
    where, params = where_clause(q, store.fts_tokenizer, expanded=False, share=share)
    order = order_by(q.sort)
    sql = (
        f"SELECT {IMAGE_COLUMNS} FROM {IMAGE_FROM} WHERE i.id IN (SELECT i.id FROM images i WHERE {where} "
        f"ORDER BY {order} LIMIT ? OFFSET ?) ORDER BY {order}"
    )
    return [image_from_row(store.paths, row) for row in conn.execute(sql, (*params, int(limit), int(max(0, offset))))]


def _records(conn: Any, store: ImageStore, ids: list[int]) -> list[ImageRecord]:
    return [
        image_from_row(store.paths, row)
        for row in _rows_in(conn, f"SELECT {IMAGE_COLUMNS} FROM {IMAGE_FROM} WHERE i.id IN ({{ids}})", [], ids)
    ]


def _badges(
    conn: Any, store: ImageStore, q: ImageQuery, records: list[ImageRecord], expansions: tuple[SetExpansion, ...]
) -> dict[int, SetBadge]:
    badges: dict[int, SetBadge] = {}
    expanded = {e.job_id: e for e in expansions}
    for expansion in expansions:
        size = len(expansion.members) + 1
        badges[expansion.head_id] = SetBadge(expansion.job_id, size, 1, True)
        for number, image_id in enumerate(expansion.members, start=2):
            badges[image_id] = SetBadge(expansion.job_id, size, number, True)
    heads = {r.job_id: r.id for r in records if r.is_set and r.job_id is not None and r.job_id not in expanded}
    sizes = _set_sizes(conn, store, q, heads)
    for record in records:
        size = sizes.get(record.job_id or -1, 0) if record.job_id not in expanded else 0
        if size > 1:
            badges[record.id] = SetBadge(int(record.job_id or 0), size)
    return {r.id: badges[r.id] for r in records if r.id in badges}


def stacked_ids(store: ImageStore, q: ImageQuery, layout: StackLayout | None = None) -> list[int]:
    """Every row's image id in gallery order (a selection of rows not loaded yet)."""
    with store.db.read() as conn:
        where, params = where_clause(q, store.fts_tokenizer, expanded=False)
        ids = [
            row[0]
            for row in conn.execute(f"SELECT i.id FROM images i WHERE {where} ORDER BY {order_by(q.sort)}", params)
        ]
        if not q.stacks_sets or not q.expanded_jobs:
            return ids
        layout = layout or _layout(conn, store, q)
    for expansion in reversed(layout.expansions):  # from the end, so earlier heads keep their place
        ids[expansion.head + 1 : expansion.head + 1] = list(expansion.members)
    return ids


def stacked_members(store: ImageStore, q: ImageQuery, image_ids: list[int]) -> list[int]:
    """`image_ids` plus, for each that is a collapsed stack in `q`, the other images of its set
    that `q` shows (what a person means when they trash a stack). Order: as given, sets in order."""
    if not q.stacks_sets or not image_ids:
        return list(image_ids)
    with store.db.read() as conn:
        heads: dict[int, int] = {}
        for record in _records(conn, store, list(image_ids)):
            if record.is_set and record.job_id is not None and record.job_id not in q.expanded_jobs:
                heads[record.id] = record.job_id
        members = _set_members(conn, store, q, sorted(set(heads.values())))
    out: list[int] = []
    for image_id in image_ids:
        job_id = heads.get(image_id)
        out += members.get(job_id, [image_id]) if job_id is not None else [image_id]
    return list(dict.fromkeys(out))
