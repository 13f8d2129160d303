"""Prompt matrices: `{red|blue|green} fox in {snow|rain}` and lists of seeds, sizes and models,
expanded into every combination, each labelled by the value it takes on every axis (the labels
become the row and column headings of the X/Y grid, see grid.py).

Syntax: a group `{a|b|...}` needs at least one `|`; an empty alternative is allowed (`{|red }fox`
gives "fox" and "red fox"). Braces without `|` inside are ordinary text (`{logo}` stays as typed).
`\\{`, `\\}` and `\\|` are literal characters. A `{` that is never closed, or a group inside a
group, is an error that names its column. Qt-free.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP

MAX_COMBINATIONS = 1000  # a typo must not become a million paid jobs


class MatrixError(ValueError):
    """A prompt matrix that cannot be expanded; `template`/`values` give a translatable message."""

    def __init__(self, template: str, **values: object) -> None:
        super().__init__(template.format(**values))
        self.template = template
        self.values = values


@dataclass(frozen=True)
class Axis:
    """One dimension of a matrix: its name ('prompt 1', 'seed', 'size', 'model') and values."""

    name: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Combination:
    """One cell of the matrix: the prompt text and the parameters it takes, plus its labels."""

    prompt: str
    seed: int | None
    size: str | None
    model: str | None
    labels: tuple[tuple[str, str], ...]  # (axis name, value) for every axis, in axis order


def parse_groups(text: str) -> list[str | tuple[str, ...]]:
    """The prompt as literal pieces and groups of alternatives, in order."""
    parts: list[str | tuple[str, ...]] = []
    literal = ""
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in "{}|\\":
            literal += text[index + 1]
            index += 2
            continue
        if char == "{":
            group, end = _read_group(text, index)
            if group is None:
                literal += text[index : end + 1]  # no '|': ordinary braces
            else:
                if literal:
                    parts.append(literal)
                    literal = ""
                parts.append(group)
            index = end + 1
            continue
        literal += char
        index += 1
    if literal:
        parts.append(literal)
    return parts


def _read_group(text: str, start: int) -> tuple[tuple[str, ...] | None, int]:
    """Read `{...}` from `start`; returns (alternatives or None without '|', index of '}')."""
    options: list[str] = [""]
    index = start + 1
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in "{}|\\":
            options[-1] += text[index + 1]
            index += 2
            continue
        if char == "{":
            raise MatrixError(
                QT_TRANSLATE_NOOP(
                    "ValidationIssue", "A group inside a group at column {column}: nested braces are not supported."
                ),
                column=index + 1,
            )
        if char == "}":
            return (tuple(options) if len(options) > 1 else None), index
        if char == "|":
            options.append("")
        else:
            options[-1] += char
        index += 1
    raise MatrixError(
        QT_TRANSLATE_NOOP("ValidationIssue", "The '{{' at column {column} is never closed with '}}'."), column=start + 1
    )


def has_matrix(text: str) -> bool:
    """Whether `text` has at least one `{a|b}` group (else it is one plain prompt)."""
    try:
        return any(isinstance(part, tuple) for part in parse_groups(text))
    except MatrixError:
        return "{" in text and "|" in text  # malformed, but plainly meant as a matrix


def expand(
    prompt: str,
    *,
    seeds: Sequence[int] = (),
    sizes: Sequence[str] = (),
    models: Sequence[str] = (),
) -> tuple[list[Axis], list[Combination]]:
    """Every combination, the last axis varying fastest. Lists of one value are parameters, not
    axes. Raises MatrixError for a malformed prompt or more than MAX_COMBINATIONS."""
    parts = parse_groups(prompt)
    groups = [part for part in parts if isinstance(part, tuple)]
    axes = [Axis(_prompt_axis_name(i, len(groups)), tuple(_label(v) for v in group)) for i, group in enumerate(groups)]
    extra: list[tuple[str, Sequence[object]]] = [("seed", seeds), ("size", sizes), ("model", models)]
    for name, values in extra:
        if len(values) > 1:
            axes.append(Axis(name, tuple(str(v) for v in values)))
    count = 1
    for group in groups:
        count *= len(group)
    for _, values in extra:
        count *= max(1, len(values))
    if count > MAX_COMBINATIONS:
        raise MatrixError(
            QT_TRANSLATE_NOOP(
                "ValidationIssue", "The matrix makes {count} jobs; at most {limit} are allowed in one batch."
            ),
            count=count,
            limit=MAX_COMBINATIONS,
        )
    combos = []
    sizes_of = [len(group) for group in groups] + [max(1, len(values)) for _, values in extra]
    for picks in itertools.product(*(range(size) for size in sizes_of)):
        chosen = picks[: len(groups)]
        text = ""
        group_index = 0
        for part in parts:
            if isinstance(part, tuple):
                text += part[chosen[group_index]]
                group_index += 1
            else:
                text += part
        labels = [(axes[i].name, axes[i].values[chosen[i]]) for i in range(len(groups))]
        picked: list[object | None] = []
        for (name, values), index in zip(extra, picks[len(groups) :], strict=True):
            value = values[index] if values else None
            picked.append(value)
            if len(values) > 1:
                labels.append((name, str(value)))
        seed, size, model = picked
        combos.append(
            Combination(
                prompt=_tidy(text),
                seed=int(str(seed)) if seed is not None else None,
                size=str(size) if size is not None else None,
                model=str(model) if model is not None else None,
                labels=tuple(labels),
            )
        )
    return axes, combos


def _tidy(text: str) -> str:
    """An empty alternative leaves a double space or a space at an end: close it up."""
    return re.sub(r"(?<=\S) {2,}(?=\S)", " ", text).strip(" ")


def _prompt_axis_name(index: int, count: int) -> str:
    return "prompt" if count == 1 else f"prompt {index + 1}"


def _label(value: str) -> str:
    return value.strip() or "(none)"
