"""ImageQuery -> SQL. Every sort order has an index led by `trashed` (schema v2), so a page of the
library or the trash is an index walk and `count` a covering-index scan, even at 100k rows.

Text search: FTS5 with the trigram tokenizer matches substrings, which suits Chinese (no spaces
between words) as well as English. Trigrams need 3 characters, so shorter terms (common in Chinese:
"猫", "红色") use LIKE over the prompts table, which holds one row per distinct prompt.
With the unicode61 fallback (SQLite < 3.34) ASCII terms are prefix-matched words and others use LIKE.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from .base import normalise_time
from .records import ImageQuery

_ORDER = {
    "newest": "i.created_at DESC, i.id DESC",
    "oldest": "i.created_at ASC, i.id ASC",
    "rating": "i.rating DESC, i.created_at DESC, i.id DESC",
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


def text_conditions(text: str, tokenizer: str, column: str) -> tuple[list[str], list[Any]]:
    """Conditions on `column` (a prompt id) that every term of `text` must satisfy."""
    terms = [t for t in re.split(r"\s+", text.replace('"', " ").strip()) if t]
    fts_terms: list[str] = []
    conditions: list[str] = []
    params: list[Any] = []
    for term in terms:
        if tokenizer == "trigram" and len(term) >= 3:
            fts_terms.append('"' + term + '"')
        elif tokenizer == "unicode61" and term.isascii() and term.isalnum():
            fts_terms.append('"' + term + '"*')
        else:
            conditions.append(f"{column} IN (SELECT id FROM prompts WHERE text LIKE ? ESCAPE '\\')")
            params.append(_like(term))
    if fts_terms:
        conditions.insert(0, f"{column} IN (SELECT rowid FROM prompts_fts WHERE prompts_fts MATCH ?)")
        params.insert(0, " AND ".join(fts_terms))
    return conditions, params


def where_clause(q: ImageQuery, tokenizer: str) -> tuple[str, list[Any]]:
    conditions = ["i.trashed = ?"]
    params: list[Any] = [1 if q.trashed else 0]
    if q.favourites_only:
        conditions.append("i.favourite = 1")
    if q.min_rating > 0:
        conditions.append("i.rating >= ?")
        params.append(int(q.min_rating))
    if q.model:
        conditions.append("i.model = ?")
        params.append(q.model)
    if q.mode:
        conditions.append("i.mode = ?")
        params.append(q.mode)
    if q.date_from:
        op, value = date_bound(q.date_from, end=False)
        conditions.append(f"i.created_at {op} ?")
        params.append(value)
    if q.date_to:
        op, value = date_bound(q.date_to, end=True)
        conditions.append(f"i.created_at {op} ?")
        params.append(value)
    if q.with_references is not None:
        conditions.append("i.has_refs = ?")
        params.append(1 if q.with_references else 0)
    if q.image_sets is not None:
        conditions.append("i.is_set = ?")
        params.append(1 if q.image_sets else 0)
    if q.tag:
        conditions.append("i.id IN (SELECT it.image_id FROM image_tags it JOIN tags t ON t.id = it.tag_id "
                          "WHERE t.name = ?)")
        params.append(q.tag)
    if q.job_id is not None:
        conditions.append("i.job_id = ?")
        params.append(int(q.job_id))
    if q.text.strip():
        text_sql, text_params = text_conditions(q.text, tokenizer, "i.prompt_id")
        conditions += text_sql
        params += text_params
    return " AND ".join(conditions), params
