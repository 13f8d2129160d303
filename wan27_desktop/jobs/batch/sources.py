"""Where a batch's rows come from (issue 17), each row checked before anything is sent:

- *each image, one instruction*: every image of a folder (or a gallery selection) becomes a job with
  that image as reference 1, plus the shared references, with the shared prompt and parameters;
- *a list*: a text file (one prompt per line; blank lines and lines starting with '#' skipped), a
  CSV file with a `prompt` column, or JSON Lines (one object per line with a `prompt` key), with
  optional per-row `size`, `n`, `seed`, `model`, `ref` (several separated by ';' in CSV, a list in
  JSON; relative paths are relative to the list file), `set` and `watermark`;
- *a matrix*: a prompt with `{a|b}` groups plus lists of seeds, sizes and models (matrix.py).

A row that breaks a rule keeps its line number and every problem (`RowSpec.problems`), so the
preview lists bad rows before anything is sent. A source that cannot be read at all raises
ValidationError (field 'source'). Qt-free except the reference-image check, which reads image
headers through `imaging` (QtGui), imported when used.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wan27_desktop.api.errors import ValidationError, ValidationIssue
from wan27_desktop.api.models import GenerationRequest, ImageInput, Model
from wan27_desktop.api.rules import normalise_size
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.api.validation import check
from wan27_desktop.jobs.batch.matrix import MAX_COMBINATIONS, Axis, MatrixError, expand

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp")  # §2.3
LIST_SUFFIXES = {".txt": "text", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
ROW_FIELDS = ("prompt", "size", "n", "seed", "model", "ref", "set", "watermark")
_TRUE = {"1", "true", "yes", "y", "on"}
_FALSE = {"0", "false", "no", "n", "off", ""}


@dataclass(frozen=True)
class RowSpec:
    """One row of a batch: its request, or the problems that keep it from being sent."""

    line: int | None  # 1-based line in the source file (lists), else None
    label: str  # what the row is, for people: the image's file name, or the prompt
    request: GenerationRequest | None
    problems: tuple[ValidationIssue, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()  # matrix: (axis, value) of every axis

    @property
    def accepted(self) -> bool:
        return self.request is not None and not self.problems


@dataclass(frozen=True)
class BatchPlan:
    """A batch as read from its source, before it is journaled."""

    kind: str  # images | list | matrix
    source: str  # the folder, the list file, or the matrix prompt
    rows: tuple[RowSpec, ...]
    axes: tuple[Axis, ...] = ()
    ignored_columns: tuple[str, ...] = ()  # list columns that are not row parameters
    name: str = field(default="")

    @property
    def accepted(self) -> list[RowSpec]:
        return [row for row in self.rows if row.accepted]

    @property
    def refused(self) -> list[RowSpec]:
        return [row for row in self.rows if not row.accepted]


def source_error(template: str, **values: object) -> ValidationError:
    return ValidationError([ValidationIssue.of("source", template, **values)])


# -- each image, one instruction ----------------------------------------------------------------
def image_files(folder: Path) -> list[Path]:
    """The images directly in `folder` (not its subfolders), by name."""
    if not folder.is_dir():
        raise source_error(QT_TRANSLATE_NOOP("ValidationIssue", "Folder not found: {path}"), path=str(folder))
    found = sorted(
        (p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES),
        key=lambda p: p.name.lower(),
    )
    if not found:
        raise source_error(
            QT_TRANSLATE_NOOP("ValidationIssue", "No JPEG, PNG, BMP or WebP images in {path}."), path=str(folder)
        )
    return found


def from_images(images: Sequence[Path], shared: GenerationRequest, *, source: str = "") -> BatchPlan:
    """Each image its own job: that image as reference 1, then `shared.images`, `shared`'s prompt."""
    rows = []
    for path in images:
        request = shared.replace(images=(ImageInput(str(path)), *shared.images))
        rows.append(_checked(None, path.name, request))
    return BatchPlan("images", source or (str(images[0].parent) if images else ""), tuple(rows))


# -- a list --------------------------------------------------------------------------------------
def from_list(path: Path, shared: GenerationRequest) -> BatchPlan:
    """Rows of a .txt, .csv or .jsonl file; `shared` gives every parameter a row does not set."""
    kind = LIST_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise source_error(
            QT_TRANSLATE_NOOP(
                "ValidationIssue", "{name}: use a .txt (one prompt per line), .csv or .jsonl file, or a folder."
            ),
            name=path.name,
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise source_error(QT_TRANSLATE_NOOP("ValidationIssue", "File not found: {path}"), path=str(path)) from None
    except OSError as err:
        raise source_error(
            QT_TRANSLATE_NOOP("ValidationIssue", "Cannot read {path}: {reason}"),
            path=str(path),
            reason=err.strerror or str(err),
        ) from None
    except UnicodeDecodeError:
        raise source_error(
            QT_TRANSLATE_NOOP("ValidationIssue", "{name} is not UTF-8 text; save it as UTF-8 and try again."),
            name=path.name,
        ) from None
    base = path.parent
    ignored: tuple[str, ...] = ()
    if kind == "text":
        rows = [_from_fields(number, {"prompt": line}, shared, base) for number, line in _text_lines(text)]
    elif kind == "csv":
        parsed, ignored = _csv_rows(text, path.name, needs_prompt=not shared.prompt.strip())
        rows = [_from_fields(number, fields, shared, base) for number, fields in parsed]
    else:
        rows = []
        for number, fields, problem in _jsonl_rows(text):
            if problem is not None:
                rows.append(RowSpec(number, "", None, (problem,)))
            else:
                unknown = sorted(set(fields) - set(ROW_FIELDS))
                ignored = tuple(sorted(set(ignored) | set(unknown)))
                rows.append(_from_fields(number, fields, shared, base))
    if not rows:
        raise source_error(QT_TRANSLATE_NOOP("ValidationIssue", "{name} has no rows."), name=path.name)
    if len(rows) > MAX_COMBINATIONS:
        raise source_error(
            QT_TRANSLATE_NOOP("ValidationIssue", "{name} has {count} rows; at most {limit} are allowed in one batch."),
            name=path.name,
            count=len(rows),
            limit=MAX_COMBINATIONS,
        )
    return BatchPlan("list", str(path), tuple(rows), ignored_columns=ignored)


def _text_lines(text: str) -> Iterable[tuple[int, str]]:
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            yield number, stripped


def _csv_rows(
    text: str, name: str, *, needs_prompt: bool = True
) -> tuple[list[tuple[int, dict[str, str]]], tuple[str, ...]]:
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise source_error(QT_TRANSLATE_NOOP("ValidationIssue", "{name} has no rows."), name=name) from None
    except csv.Error as err:
        raise source_error(
            QT_TRANSLATE_NOOP("ValidationIssue", "{name} is not readable CSV: {reason}"), name=name, reason=str(err)
        ) from None
    if "prompt" not in header and needs_prompt:
        raise source_error(
            QT_TRANSLATE_NOOP(
                "ValidationIssue", "{name} has no 'prompt' column; its first line must name the columns."
            ),
            name=name,
        )
    ignored = tuple(h for h in header if h and h not in ROW_FIELDS)
    rows = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            fields = {h: v for h, v in zip(header, values, strict=False) if h in ROW_FIELDS}
            if len(values) > len(header):
                fields["_extra"] = str(len(values) - len(header))
            rows.append((reader.line_num, fields))
    except csv.Error as err:
        raise source_error(
            QT_TRANSLATE_NOOP("ValidationIssue", "{name}, line {line}: {reason}"),
            name=name,
            line=reader.line_num,
            reason=str(err),
        ) from None
    return rows, ignored


def _jsonl_rows(text: str) -> Iterable[tuple[int, dict[str, Any], ValidationIssue | None]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as err:
            yield (
                number,
                {},
                ValidationIssue.of(
                    "line", QT_TRANSLATE_NOOP("ValidationIssue", "Not valid JSON: {reason}."), reason=str(err)
                ),
            )
            continue
        if not isinstance(value, dict):
            yield (
                number,
                {},
                ValidationIssue.of(
                    "line", QT_TRANSLATE_NOOP("ValidationIssue", 'Each line must be a JSON object with a "prompt".')
                ),
            )
            continue
        yield number, value, None


def _from_fields(line: int, fields: dict[str, Any], shared: GenerationRequest, base: Path) -> RowSpec:
    """One list row: per-row parameters over the shared ones."""
    issues: list[ValidationIssue] = []
    prompt = fields.get("prompt")
    if (prompt is None or (isinstance(prompt, str) and not prompt.strip())) and shared.prompt.strip():
        prompt = shared.prompt  # the shared instruction (--prompt) for rows without their own
    if not isinstance(prompt, str) or not prompt.strip():
        issues.append(ValidationIssue.of("prompt", QT_TRANSLATE_NOOP("ValidationIssue", "The row has no prompt.")))
        prompt = ""
    if "_extra" in fields:
        issues.append(
            ValidationIssue.of(
                "line",
                QT_TRANSLATE_NOOP("ValidationIssue", "The row has {count} more value(s) than the header has columns."),
                count=fields["_extra"],
            )
        )
    request = shared.replace(prompt=prompt.strip())
    changes: dict[str, Any] = {}
    for name, parse in _PARAMETERS:
        raw = fields.get(name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        try:
            changes[_REQUEST_FIELD.get(name, name)] = parse(raw, base)
        except _Bad as bad:
            issues.append(ValidationIssue.of(name, bad.template, **{"name": name, "value": raw, **bad.values}))
    if "images" in changes:
        changes["images"] = (*changes["images"], *shared.images)
    request = request.replace(**changes)
    return _checked(line, prompt.strip(), request, issues)


class _Bad(ValueError):
    """A row value that cannot be used: a translatable template (with {name} and {value})."""

    def __init__(self, template: str, **values: object) -> None:
        super().__init__(template)
        self.template = template
        self.values = values


def _parse_int(raw: Any, base: Path) -> int:
    bad = _Bad(QT_TRANSLATE_NOOP("ValidationIssue", "{name}: '{value}' is not a whole number."))
    if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
        raise bad
    try:
        return int(str(raw).strip())
    except ValueError:
        raise bad from None


def _parse_bool(raw: Any, base: Path) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Bad(QT_TRANSLATE_NOOP("ValidationIssue", "{name}: '{value}' is not true or false."))


def _parse_model(raw: Any, base: Path) -> Model:
    try:
        return Model.parse(str(raw))
    except ValueError:
        raise _Bad(QT_TRANSLATE_NOOP("ValidationIssue", "Unknown model '{value}': use 'pro' or 'standard'.")) from None


def _parse_size(raw: Any, base: Path) -> str:
    return normalise_size(str(raw))


def _parse_refs(raw: Any, base: Path) -> tuple[ImageInput, ...]:
    items = raw if isinstance(raw, list) else str(raw).split(";")
    refs = []
    for item in items:
        if not isinstance(item, str):
            raise _Bad(QT_TRANSLATE_NOOP("ValidationIssue", "{name}: references are file paths or URLs."))
        text = item.strip()
        if not text:
            continue
        if text.lower().startswith(("http://", "https://")):
            refs.append(ImageInput(text))
            continue
        path = Path(text).expanduser()
        path = path if path.is_absolute() else base / path
        if not path.is_file():
            raise _Bad(QT_TRANSLATE_NOOP("ValidationIssue", "Reference image not found: {path}"), path=str(path))
        refs.append(ImageInput(str(path)))
    return tuple(refs)


_PARAMETERS: tuple[tuple[str, Callable[[Any, Path], Any]], ...] = (
    ("size", _parse_size),
    ("n", _parse_int),
    ("seed", _parse_int),
    ("model", _parse_model),
    ("ref", _parse_refs),
    ("set", _parse_bool),
    ("watermark", _parse_bool),
)
_REQUEST_FIELD = {"ref": "images", "set": "enable_sequential"}


# -- a matrix ------------------------------------------------------------------------------------
def from_matrix(
    prompt: str,
    shared: GenerationRequest,
    *,
    seeds: Sequence[int] = (),
    sizes: Sequence[str] = (),
    models: Sequence[str] = (),
) -> BatchPlan:
    """Every combination of the prompt's `{a|b}` groups and the lists (matrix.py)."""
    parsed_models = []
    for text in models:
        try:
            parsed_models.append(Model.parse(text))
        except ValueError:
            raise ValidationError(
                [
                    ValidationIssue.of(
                        "model",
                        QT_TRANSLATE_NOOP("ValidationIssue", "Unknown model '{model}': use 'pro' or 'standard'."),
                        model=text,
                    )
                ]
            ) from None
    try:
        axes, combos = expand(
            prompt, seeds=seeds, sizes=[normalise_size(s) for s in sizes], models=[m.value for m in parsed_models]
        )
    except MatrixError as err:
        raise ValidationError([ValidationIssue.of("prompt", err.template, **err.values)]) from None
    rows = []
    for combo in combos:
        request = shared.replace(prompt=combo.prompt)
        if combo.seed is not None:
            request = request.replace(seed=combo.seed)
        if combo.size is not None:
            request = request.replace(size=combo.size)
        if combo.model is not None:
            request = request.replace(model=Model(combo.model))
        rows.append(_checked(None, combo.prompt, request, labels=combo.labels))
    return BatchPlan("matrix", prompt, tuple(rows), axes=tuple(axes))


# -- checks ---------------------------------------------------------------------------------------
def _checked(
    line: int | None,
    label: str,
    request: GenerationRequest,
    issues: Sequence[ValidationIssue] = (),
    labels: tuple[tuple[str, str], ...] = (),
) -> RowSpec:
    """Every rule the service would enforce (§2-§3) and readable reference images, per row."""
    found = list(issues)
    if not found:
        found += check(request)
    if not found:
        from wan27_desktop.jobs.runner import check_references  # QtGui: reads image headers

        try:
            check_references(request)
        except ValidationError as err:
            found += err.issues
    return RowSpec(line, label, request, tuple(found), labels)
