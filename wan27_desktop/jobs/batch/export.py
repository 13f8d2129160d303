"""A batch out of the library (issue 17): its images plus a CSV of every row (prompt, parameters,
cost, ids, file names), and, for a matrix, the labelled X/Y grid image.
"""

from __future__ import annotations

import csv
import itertools
import os
from dataclasses import dataclass
from pathlib import Path

from wan27_desktop.api.errors import WanError
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.library import Library
from wan27_desktop.library.batches import BatchRow
from wan27_desktop.library.job_records import prompt_of_request

CSV_NAME = "batch.csv"
CSV_COLUMNS = (
    "row",
    "line",
    "status",
    "state",
    "prompt",
    "labels",
    "model",
    "size",
    "n",
    "seed",
    "references",
    "cost_cny",
    "estimated_cny",
    "job_id",
    "task_id",
    "request_id",
    "files",
    "error",
)


@dataclass(frozen=True)
class ExportReport:
    folder: Path
    csv_path: Path
    files: tuple[Path, ...]


def export_batch(library: Library, batch_id: int, dest: Path) -> ExportReport:
    """Copy every row's images (byte for byte, metadata kept) into `dest`, in row order, and write
    `batch.csv` beside them (a new name if one is there already: nothing is overwritten)."""
    library.batches.get_batch(batch_id)  # NotFound for an unknown id, before any folder is made
    dest.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    lines = []
    for row in library.batches.rows(batch_id):
        images = library.images.of_job(row.job_id) if row.job_id is not None else []
        files = (
            library.maintenance.export([image.id for image in images if image.path.is_file()], dest) if images else []
        )
        written += files
        job = library.jobs.get(row.job_id) if row.job_id is not None else None
        params = row.request_json.get("parameters", {})
        sources = row.request_json.get("_wan27", {}).get("sources", [])
        lines.append(
            {
                "row": row.position + 1,
                "line": row.line if row.line is not None else "",
                "status": row.status,
                "state": row.job_state.value if row.job_state is not None else row.row_state,
                "prompt": prompt_of_request(row.request_json),
                "labels": "; ".join(f"{k}={v}" for k, v in row.labels.items()),
                "model": row.request_json.get("model", ""),
                "size": params.get("size", ""),
                "n": params.get("n", ""),
                "seed": params.get("seed", ""),
                "references": "; ".join(Path(s).name if not str(s).startswith("http") else s for s in sources),
                "cost_cny": str(row.cost) if row.cost else "",
                "estimated_cny": job.estimated_cost if job else "",
                "job_id": row.job_id or "",
                "task_id": (job.task_id if job else "") or "",
                "request_id": (job.request_id if job else "") or "",
                "files": "; ".join(f.name for f in files),
                "error": (job.error_message if job else None) or row.error or "",
            }
        )
    csv_path = _free_name(dest / CSV_NAME)
    with csv_path.open("x", newline="", encoding="utf-8-sig") as handle:  # BOM: spreadsheets read UTF-8
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(lines)
        handle.flush()
        os.fsync(handle.fileno())
    return ExportReport(dest, csv_path, tuple(written))


def _free_name(path: Path) -> Path:
    counter = 2
    candidate = path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem} ({counter}){path.suffix}")
        counter += 1
    return candidate


# -- the X/Y grid -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class GridLayout:
    title: str
    x_axis: str
    y_axes: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[str, ...]
    cells: tuple[tuple[tuple[tuple[Path, ...], str], ...], ...]  # [row][column] -> (images, note)


class NotAMatrix(WanError):
    default_hint = QT_TRANSLATE_NOOP("WanError", "Only a batch made from a prompt matrix has a grid.")


def grid_layout(library: Library, batch_id: int, x_axis: str | None = None) -> GridLayout:
    """Columns: the values of `x_axis` (default: the matrix's first axis); rows: every combination
    of the other axes, in matrix order. A cell holds its row's images, or its status."""
    batch = library.batches.get_batch(batch_id)
    if batch.kind != "matrix" or not batch.axes:
        raise NotAMatrix(
            QT_TRANSLATE_NOOP("WanError", "Batch {batch} is not a prompt matrix."), values={"batch": batch_id}
        )
    names = [name for name, _ in batch.axes]
    x_name = x_axis if x_axis is not None else names[0]
    if x_name not in names:
        raise WanError(
            QT_TRANSLATE_NOOP("WanError", "The batch has no axis '{axis}'; its axes are: {axes}."),
            values={"axis": x_name, "axes": ", ".join(names)},
            hint=QT_TRANSLATE_NOOP("WanError", "Pick one of the batch's axes."),
        )
    values = dict(batch.axes)
    y_names = [name for name in names if name != x_name]
    y_combos = list(itertools.product(*(values[name] for name in y_names))) or [()]
    by_labels = {_key(row.labels, names): row for row in library.batches.rows(batch_id)}
    cells = []
    for combo in y_combos:
        line = []
        for x_value in values[x_name]:
            labels = dict(zip(y_names, combo, strict=True))
            labels[x_name] = x_value
            row = by_labels.get(_key(labels, names))
            line.append(_cell(library, row))
        cells.append(tuple(line))
    return GridLayout(
        title=batch.name,
        x_axis=x_name,
        y_axes=tuple(y_names),
        columns=tuple(values[x_name]),
        rows=tuple(" · ".join(combo) for combo in y_combos),
        cells=tuple(cells),
    )


def _key(labels: dict[str, str], names: list[str]) -> tuple[str, ...]:
    return tuple(labels.get(name, "") for name in names)


def _cell(library: Library, row: BatchRow | None) -> tuple[tuple[Path, ...], str]:
    if row is None:
        return (), "—"
    images = library.images.of_job(row.job_id) if row.job_id is not None else []
    paths = tuple(image.path for image in images if image.path.is_file())
    return paths, "" if paths else row.status


def export_grid(library: Library, batch_id: int, path: Path, *, x_axis: str | None = None, cell: int = 256) -> Path:
    """Render the grid (needs a QGuiApplication for fonts) and save it as PNG at `path`."""
    from wan27_desktop.imaging.grid import Cell, png_bytes, render_grid

    layout = grid_layout(library, batch_id, x_axis)
    image = render_grid(
        layout.title,
        layout.columns,
        layout.rows,
        [[Cell(images, note) for images, note in line] for line in layout.cells],
        cell=cell,
        corner=f"{' · '.join(layout.y_axes)} \\ {layout.x_axis}" if layout.y_axes else layout.x_axis,
    )
    data = png_bytes(image)
    if path.suffix.lower() != ".png":
        path = path.with_suffix(".png")
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.part")
    try:
        with temp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as err:
        temp.unlink(missing_ok=True)
        raise WanError(
            QT_TRANSLATE_NOOP("WanError", "Cannot write the grid image {path}: {reason}."),
            values={"path": str(path), "reason": err.strerror or str(err)},
            hint=QT_TRANSLATE_NOOP("WanError", "Pick a folder you can write to, with free space."),
        ) from err
    os.replace(temp, path)
    return path
