"""`wan27 batch`: many jobs from one source, previewed, confirmed, run at the account's limits.

    wan27 batch SOURCE [generate's options] [--prompt TEXT] [--seeds 1,2] [--sizes 1K,2K]
                [--models pro,standard] [--name NAME] [--yes] [--over-limit] [--json]
    wan27 batch list | show ID | resume ID | pause ID | cancel ID
    wan27 batch export ID --to DIR | grid ID --to FILE.png [--x-axis NAME]

SOURCE is a folder of images (each image, one instruction: --prompt), a .txt/.csv/.jsonl list, or
a prompt with `{a|b}` groups (a matrix). The preview goes to stdout (stderr with --json); nothing is
sent without --yes or a "y" at the prompt on a terminal. A progress bar is drawn on stderr when it
is a terminal, plain lines otherwise; --json prints one JSON line per finished row on stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from wan27_desktop.cli.common import (
    EXIT_OK,
    EXIT_SERVICE,
    CliError,
    err,
    open_library,
    out,
    parse_ids,
)
from wan27_desktop.cli.generate import add_request_options, parse_model, parse_region, request_from_args

ACTIONS = ("list", "show", "resume", "pause", "cancel", "export", "grid")


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "batch",
        help="run one instruction over many images, a list of prompts, or a prompt matrix",
        description=(
            "SOURCE: a folder of images (each image becomes a job, with --prompt as the instruction), "
            "a .txt (one prompt per line), .csv or .jsonl list (a 'prompt' column/key, optional size, n, "
            "seed, model, ref, set, watermark per row), or a prompt with {a|b} groups (a matrix, with "
            "optional --seeds/--sizes/--models lists). Or an action: list, show ID, resume ID, pause ID, "
            "cancel ID, export ID --to DIR, grid ID --to FILE.png."
        ),
    )
    p.add_argument("source", metavar="SOURCE", help="a folder, a list file, a matrix prompt, or an action")
    p.add_argument("rest", nargs="*", metavar="ID", help="the batch id, for an action")
    p.add_argument("--prompt", help="the instruction for every image of a folder (or rows without a prompt)")
    add_request_options(p)
    p.add_argument("--seeds", help="matrix: comma-separated seeds, one column or row each")
    p.add_argument("--sizes", help="matrix: comma-separated sizes (1K, 2K, W*H)")
    p.add_argument("--models", help="matrix: comma-separated models (pro, standard)")
    p.add_argument("--name", help="a name for the batch (default: the source's name)")
    p.add_argument("--yes", "-y", action="store_true", help="send without asking")
    p.add_argument("--json", action="store_true", help="one JSON line per finished row on stdout")
    p.add_argument("--to", help="export: destination folder; grid: the image file to write")
    p.add_argument("--x-axis", help="grid: the axis shown as columns (default: the first)")
    p.add_argument("--cell", type=int, default=256, help="grid: cell size in pixels (default 256)")
    p.add_argument("--poll-interval", type=float, default=None, help=argparse.SUPPRESS)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.source in ACTIONS and not Path(args.source).exists():
        return _ACTION_HANDLERS[args.source](args)
    if args.rest:
        raise CliError(f"Unexpected arguments: {' '.join(args.rest)} (quote a prompt that has spaces).")
    return start(args)


# -- a new batch ------------------------------------------------------------------------------------
def start(args: argparse.Namespace) -> int:
    from wan27_desktop.api.models import RequestMode
    from wan27_desktop.jobs.batch.journal import journal_batch
    from wan27_desktop.jobs.batch.preview import make_preview
    from wan27_desktop.jobs.connection import resolve_connection
    from wan27_desktop.jobs.spending import SpendLimitExceeded

    region = parse_region(args.region)
    plan = build_plan(args)
    human = sys.stderr if args.json else sys.stdout
    with open_library() as library:
        preview = make_preview(plan, region, library)
        print_preview(preview, plan, human)
        if not preview.jobs:
            raise CliError("No row can be sent; fix the rows listed above.")
        if preview.over_limit and not args.over_limit:
            period, limit, spent = preview.crossings[0]
            assert preview.spend is not None
            raise SpendLimitExceeded(preview.spend, preview.cost, period, limit, spent)
        if not confirm(args, preview.jobs, preview.cost):
            print("Nothing was sent. Run again with --yes to send.", file=human, flush=True)
            return EXIT_OK
        connection = resolve_connection(region, args.api_base)
        batch_id = journal_batch(
            library,
            plan,
            region=region,
            endpoint=connection.base_url,
            request_mode=RequestMode(args.mode),
            name=args.name,
        )
    print(f"Batch {batch_id}: {preview.jobs} job(s) journaled; sending.", file=human, flush=True)
    return run_batch(batch_id, connection, args)


def build_plan(args: argparse.Namespace) -> Any:
    from wan27_desktop.jobs.batch import sources
    from wan27_desktop.jobs.batch.matrix import has_matrix

    source = args.source
    path = Path(source).expanduser()
    if path.is_dir():
        shared = request_from_args(args, _required_prompt(args))
        return sources.from_images(sources.image_files(path), shared, source=str(path))
    if path.suffix.lower() in sources.LIST_SUFFIXES or path.is_file():
        return sources.from_list(path, request_from_args(args, args.prompt or ""))
    matrix = has_matrix(source) or args.seeds or args.sizes or args.models
    if not matrix:
        raise CliError(
            f"'{source}' is not a folder, a list file or a prompt with {{a|b}} groups. "
            "For one prompt, use 'wan27 generate'."
        )
    shared = request_from_args(args, source)
    return sources.from_matrix(
        source,
        shared,
        seeds=[_int(v, "--seeds") for v in _split(args.seeds)],
        sizes=_split(args.sizes),
        models=[parse_model(v).value for v in _split(args.models)],
    )


def _required_prompt(args: argparse.Namespace) -> str:
    if not args.prompt or not args.prompt.strip():
        raise CliError("A folder of images needs the instruction: --prompt 'what to do with each image'.")
    return str(args.prompt)


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _int(text: str, option: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CliError(f"{option}: '{text}' is not a whole number.") from None


def print_preview(preview: Any, plan: Any, stream: Any) -> None:
    from wan27_desktop.api.pricing import format_cny

    def say(text: str = "") -> None:
        print(text, file=stream, flush=True)

    images = f"{'up to ' if preview.images_at_most else ''}{preview.images}"
    say(f"Batch preview: {preview.jobs} job(s), {images} image(s), estimated {format_cny(preview.cost)} (CNY)")
    basis = "measured here" if preview.task_s_measured else "the service's typical 1-2 minutes"
    say(
        f"  expected duration: {format_duration(preview.duration_s)} at {preview.in_progress} tasks at once "
        f"(~{preview.task_s:.0f} s per task, {basis})"
    )
    for axis in plan.axes:
        say(f"  {axis.name}: {' | '.join(axis.values)}")
    if preview.ignored_columns:
        say(f"  columns ignored: {', '.join(preview.ignored_columns)}")
    if preview.spend is not None:
        status = preview.spend
        say(
            f"  spent today {format_cny(status.today)} of {_limit(status.daily)}, "
            f"this month {format_cny(status.month)} of {_limit(status.monthly)}"
        )
    if preview.refused:
        say(f"  {len(preview.refused)} row(s) refused (not sent):")
        for row in preview.refused:
            where = f"line {row.line}" if row.line is not None else (row.label or "row")
            for issue in row.problems:
                say(f"    {where}: {issue.field}: {issue.message}")


def _limit(value: Decimal | None) -> str:
    from wan27_desktop.api.pricing import format_cny

    return "no limit" if value is None else format_cny(value)


def confirm(args: argparse.Namespace, jobs: int, cost: Decimal) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        return False
    from wan27_desktop.api.pricing import format_cny

    answer = input(f"Send {jobs} job(s), up to {format_cny(cost)}? [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def format_duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


# -- running and progress ---------------------------------------------------------------------------
def run_batch(batch_id: int, connection: Any, args: argparse.Namespace, *, resume: bool = False) -> int:
    from wan27_desktop import config
    from wan27_desktop.jobs.batch.scheduler import BatchScheduler

    interval = (args.poll_interval, args.poll_interval) if args.poll_interval else None
    progress = Progress(json_lines=args.json)
    scheduler = BatchScheduler(
        config.library_root(), batch_id, connection, on_update=progress.update, poll_interval=interval
    )
    if resume:
        scheduler.resume()
    try:
        counts = scheduler.run()
    except KeyboardInterrupt:
        progress.close()
        err(f"Interrupted. The batch is kept: run 'wan27 batch resume {batch_id}' to carry it on.")
        raise
    progress.close()
    return summarise(batch_id, counts, progress)


def summarise(batch_id: int, counts: Any, progress: Progress) -> int:
    from wan27_desktop.api.pricing import format_cny

    human = sys.stderr if progress.json_lines else sys.stdout
    print(
        f"Batch {batch_id}: {counts.done} done, {counts.failed} failed, {counts.canceled} canceled, "
        f"{counts.queued + counts.running} left; spent {format_cny(counts.spent)}",
        file=human,
        flush=True,
    )
    stuck = stuck_rows(batch_id) if counts.queued + counts.running else []
    for line in stuck:
        err(line)
    if counts.queued + counts.running:
        err(f"Run 'wan27 batch resume {batch_id}' to carry on the rest.")
    return EXIT_SERVICE if counts.failed or stuck else EXIT_OK


def stuck_rows(batch_id: int) -> list[str]:
    """Rows left unfinished for a reason the journal gives (a create's answer lost and its task not
    told apart, say): one line each, with what to do. Rows merely not sent yet (a pause) are not."""
    lines = []
    with open_library() as library:
        for row in library.batches.rows(batch_id):
            if row.job_id is None or row.status not in ("queued", "running"):
                continue
            job = library.jobs.get(row.job_id)
            if job.state.is_unfinished and job.error_message:
                where = f" (line {row.line})" if row.line is not None else ""
                hint = f" ({job.error_hint})" if job.error_hint else ""
                lines.append(f"row {row.position + 1}{where}: job {job.id} paused - {job.error_message}{hint}")
    return lines


class Progress:
    """A bar on a terminal (stderr), plain lines otherwise, or JSON lines (stdout)."""

    BAR = 30

    def __init__(self, *, json_lines: bool) -> None:
        self.json_lines = json_lines
        self.tty = sys.stderr.isatty()
        self._drawn = False
        self._last_draw = 0.0
        self._lock = threading.Lock()

    def update(self, update: Any) -> None:
        with self._lock:  # called from the batch's worker threads
            if update.throttled_for is not None:
                self._line(f"rate-limited, retrying in {update.throttled_for:.0f} s", sys.stderr)
            if update.finished_row is not None:
                self._row(update)
            if self.tty and not self.json_lines:
                now = time.monotonic()
                if update.ended or now - self._last_draw > 0.1 or update.finished_row is not None:
                    self._last_draw = now
                    self._draw(update)

    def _row(self, update: Any) -> None:
        from wan27_desktop.library.job_records import prompt_of_request

        row, job = update.finished_row, update.finished_job
        if self.json_lines:
            record = {
                "batch": update.batch_id,
                "row": row.position + 1,
                "line": row.line,
                "status": row.status,
                "state": row.job_state.value if row.job_state is not None else row.row_state,
                "job_id": row.job_id,
                "prompt": prompt_of_request(row.request_json),
                "labels": row.labels,
                "cost": str(row.cost),
                "task_id": job.task_id if job else None,
                "request_id": job.request_id if job else None,
                "images": list(update.finished_images),
                "error": (job.error_message if job else None) or row.error,
            }
            print(json.dumps(record, ensure_ascii=False), flush=True)
            return
        where = f" (line {row.line})" if row.line is not None else ""
        error = (job.error_message if job else None) or row.error or ""
        detail = " ".join(update.finished_images) or error
        self._line(f"row {row.position + 1}/{update.counts.total}{where}: {row.status} {detail}".rstrip(), sys.stdout)

    def _draw(self, update: Any) -> None:
        from wan27_desktop.api.pricing import format_cny

        c = update.counts
        filled = int(self.BAR * c.finished / c.total) if c.total else 0
        left = f", {format_duration(update.eta_s)} left" if update.eta_s else ""
        text = (
            f"\r[{'#' * filled}{'-' * (self.BAR - filled)}] {c.finished}/{c.total}  done {c.done}  "
            f"running {c.running}  queued {c.queued}  failed {c.failed}  {format_cny(c.spent)}{left}"
        )
        sys.stderr.write(text.ljust(110))
        sys.stderr.flush()
        self._drawn = True

    def _line(self, text: str, stream: Any) -> None:
        if self._drawn:
            sys.stderr.write("\r" + " " * 110 + "\r")
            self._drawn = False
        print(text, file=stream, flush=True)

    def close(self) -> None:
        if self._drawn:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self._drawn = False


# -- actions -----------------------------------------------------------------------------------------
def _batch_id(args: argparse.Namespace) -> int:
    if len(args.rest) != 1:
        raise CliError(f"'wan27 batch {args.source}' needs one batch id (see 'wan27 batch list').")
    (batch_id,) = parse_ids(args.rest)
    return batch_id


def list_batches(args: argparse.Namespace) -> int:
    from wan27_desktop.api.pricing import format_cny

    with open_library() as library:
        batches = library.batches.list_batches()
        if not batches:
            out("No batches yet. Try: wan27 batch prompts.txt")
        for batch in batches:
            counts = library.batches.counts(batch.id)
            out(
                f"{batch.id:>5}  {batch.created_at[:19]}  {batch.state:<9} {batch.kind:<7} "
                f"{counts.done}/{counts.total} done  {format_cny(counts.spent):>9}  {batch.name[:50]}"
            )
    return EXIT_OK


def show_batch(args: argparse.Namespace) -> int:
    from wan27_desktop.api.pricing import format_cny
    from wan27_desktop.library.job_records import prompt_of_request

    batch_id = _batch_id(args)
    with open_library() as library:
        batch = library.batches.get_batch(batch_id)
        counts = library.batches.counts(batch_id)
        out(f"Batch {batch.id}: {batch.name} ({batch.kind}, {batch.state})")
        out(f"  source:   {batch.source}")
        out(f"  region:   {batch.region}   mode: {batch.request_mode}   created: {batch.created_at[:19]}")
        from wan27_desktop.jobs.remote import paused_rows

        rows = library.batches.rows(batch_id)
        lost = paused_rows(library, rows)
        paused = f", {len(lost)} paused (answer lost)" if lost else ""
        out(
            f"  rows:     {counts.total}: {counts.done} done, {counts.running - len(lost)} running{paused}, "
            f"{counts.queued} queued, {counts.failed} failed, {counts.canceled} canceled"
        )
        out(f"  spent:    {format_cny(counts.spent)} (estimated {format_cny(Decimal(batch.estimated_cost))})")
        for row in rows:
            where = f" line {row.line}" if row.line is not None else ""
            job = f" job {row.job_id}" if row.job_id is not None else ""
            labels = "  [" + ", ".join(f"{k}={v}" for k, v in row.labels.items()) + "]" if row.labels else ""
            prompt = prompt_of_request(row.request_json)[:60]
            status = "paused" if row.position in lost else row.status
            note = "  (its create's answer was lost: 'wan27 jobs show' says why)" if status == "paused" else ""
            out(f"  {row.position + 1:>4}{where}: {status:<8}{job}  {prompt}{labels}{note}")
    return EXIT_OK


def resume_batch(args: argparse.Namespace) -> int:
    from wan27_desktop.api.models import Region
    from wan27_desktop.jobs.connection import resolve_connection

    batch_id = _batch_id(args)
    with open_library() as library:
        batch = library.batches.get_batch(batch_id)
    api_base = args.api_base
    connection = resolve_connection(Region(batch.region), api_base)
    return run_batch(batch_id, connection, args, resume=True)


def pause_batch(args: argparse.Namespace) -> int:
    from wan27_desktop.library import batches as b

    batch_id = _batch_id(args)
    with open_library() as library:
        batch = library.batches.get_batch(batch_id)
        if batch.state in (b.CANCELED, b.FINISHED):
            raise CliError(f"Batch {batch_id} is {batch.state}; there is nothing to pause.")
        library.batches.set_state(batch_id, b.PAUSED)
    out(f"Batch {batch_id} paused: no further row is sent; rows in flight finish.")
    out(f"Resume it with: wan27 batch resume {batch_id}")
    return EXIT_OK


def cancel_batch(args: argparse.Namespace) -> int:
    from wan27_desktop.jobs.batch.scheduler import cancel_idle_batch
    from wan27_desktop.library import batches as b

    batch_id = _batch_id(args)
    with open_library() as library:
        batch = library.batches.get_batch(batch_id)
        if batch.state == b.FINISHED:
            raise CliError(f"Batch {batch_id} has finished; there is nothing to cancel.")
        closed = cancel_idle_batch(library, batch_id)
    out(f"Batch {batch_id} canceled: {closed} row(s) not yet sent are closed; nothing of them was billed.")
    return EXIT_OK


def export_batch(args: argparse.Namespace) -> int:
    from wan27_desktop.jobs.batch.export import export_batch as export

    batch_id = _batch_id(args)
    if not args.to:
        raise CliError("Where to? Add --to DIR.")
    with open_library() as library:
        report = export(library, batch_id, Path(args.to).expanduser())
    out(f"{len(report.files)} image(s) and {report.csv_path} written to {report.folder}")
    return EXIT_OK


def grid_batch(args: argparse.Namespace) -> int:
    from wan27_desktop.jobs.batch.export import export_grid

    batch_id = _batch_id(args)
    if not args.to:
        raise CliError("Where to? Add --to FILE.png.")
    _ensure_gui_application()
    with open_library() as library:
        path = export_grid(library, batch_id, Path(args.to).expanduser(), x_axis=args.x_axis, cell=args.cell)
    out(str(path))
    return EXIT_OK


def _ensure_gui_application() -> None:
    """Labels need fonts, and fonts need a QGuiApplication (offscreen: no display needed)."""
    import os

    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _ensure_gui_application.app = QGuiApplication(["wan27"])  # type: ignore[attr-defined]


_ACTION_HANDLERS = {
    "list": list_batches,
    "show": show_batch,
    "resume": resume_batch,
    "pause": pause_batch,
    "cancel": cancel_batch,
    "export": export_batch,
    "grid": grid_batch,
}
