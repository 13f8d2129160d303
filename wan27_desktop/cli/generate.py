"""`wan27 generate`: one journaled job, saved into the library (and --out), paths printed."""

from __future__ import annotations

import argparse
from pathlib import Path

from wan27_desktop.api.errors import ValidationError, ValidationIssue, WanError
from wan27_desktop.api.models import Box, GenerationRequest, ImageInput, Model, PaletteColor, Region, RequestMode
from wan27_desktop.cli.common import EXIT_OK, CliError, endpoint_arg, err, open_library, out


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "generate",
        help="generate or edit images (saved into the library)",
        description="Generate or edit images. Prints the path of each saved file.",
    )
    p.add_argument("prompt", help="the prompt or edit instruction (up to 5,000 characters; '-' reads stdin)")
    add_request_options(p)
    p.add_argument("--out", help="also copy the images into this folder")
    p.add_argument("--poll-interval", type=float, default=None, help=argparse.SUPPRESS)
    p.set_defaults(handler=run)


def add_request_options(p: argparse.ArgumentParser, *, default_mode: str = RequestMode.AUTO.value) -> None:
    """The parameters of a request (shared by `generate` and `batch`), the region and endpoint,
    and `--over-limit`."""
    p.add_argument("--model", default="pro", help="pro (wan2.7-image-pro, default) or standard (wan2.7-image)")
    p.add_argument("--size", default="2K", help="1K, 2K (default), 4K (pro text-to-image only) or W*H")
    p.add_argument("-n", type=int, default=1, help="number of images: 1-4, or 1-12 with --set (default 1)")
    p.add_argument("--seed", type=int, help="seed 0..2147483647 (default: random)")
    p.add_argument(
        "--ref",
        action="append",
        default=[],
        metavar="FILE_OR_URL",
        help="reference image (repeat up to 9 times; order gives 'image 1', 'image 2', ...)",
    )
    p.add_argument(
        "--box",
        action="append",
        default=[],
        metavar="I:x1,y1,x2,y2",
        help="region box on reference I (1-based), in that image's pixels; up to 2 per image",
    )
    p.add_argument("--palette", metavar="'#RRGGBB:PCT,...'", help="3-10 colours with percentages summing to 100")
    p.add_argument("--set", action="store_true", help="image set: several coherent images from one prompt")
    p.add_argument("--no-thinking", action="store_true", help="turn off thinking mode (text-to-image only)")
    p.add_argument("--watermark", action="store_true", help="add the 'AI generated' mark")
    p.add_argument(
        "--mode",
        choices=[m.value for m in RequestMode],
        default=default_mode,
        help="auto (the default: a task journaled before anything can be lost, polled so it lands about as "
        "soon as sync), sync (one call; not recoverable if interrupted mid-request) or async (polled every 5-10 s)",
    )
    p.add_argument("--region", default="sg", help="sg (Singapore, default) or cn (Beijing)")
    p.add_argument(
        "--api-base", type=endpoint_arg, help="custom endpoint ending in /api/v1 (e.g. a gateway or the fake server)"
    )
    p.add_argument("--over-limit", action="store_true", help="send even if it crosses a spending limit ('wan27 spend')")


def run(args: argparse.Namespace) -> int:
    from wan27_desktop.cli.library_cmd import export_folder
    from wan27_desktop.jobs.connection import resolve_connection
    from wan27_desktop.jobs.runner import JobEvent, JobRunner
    from wan27_desktop.jobs.spending import check_limits, request_estimate
    from wan27_desktop.library import JobState

    request = request_from_args(args)
    out_dir = export_folder(args.out) if args.out else None  # a bad --out is refused before anything is sent
    region = parse_region(args.region)
    connection = resolve_connection(region, args.api_base)
    errors: list[WanError] = []

    def on_event(event: JobEvent) -> None:
        if event.notice is not None:
            err(f"job {event.job_id}: {event.notice.message}")
            return
        if event.error is not None:
            errors.append(event.error)
        if event.server_status:
            err(f"job {event.job_id}: {event.state.value} ({event.server_status})")
        elif event.images_expected and event.images_done:
            err(f"job {event.job_id}: downloaded {event.images_done}/{event.images_expected}")
        else:
            err(f"job {event.job_id}: {event.state.value}")

    interval = (args.poll_interval, args.poll_interval) if args.poll_interval else None
    with open_library() as library:
        check_limits(library, region, request_estimate(region, request), override=args.over_limit)
        runner = JobRunner(library, connection, on_event=on_event, poll_interval=interval)
        try:
            job_id = runner.create(request, RequestMode(args.mode))
            job = runner.run(job_id)
        finally:
            runner.close()
        images = library.images.of_job(job_id)
        for image in images:
            out(str(image.path))
        if out_dir is not None and images:
            for exported in library.maintenance.export([i.id for i in images], out_dir):
                out(str(exported))
        if job.state is JobState.DONE:
            return EXIT_OK
        if job.state is JobState.PARTIAL:
            err(f"Only {len(images)} of the images could be saved; see 'wan27 jobs show {job_id}'.")
        if errors:
            raise errors[-1]
        raise WanError(
            job.error_message or f"Job {job_id} ended as {job.state.value}.",
            code=job.error_code,
            request_id=job.request_id,
            hint=job.error_hint,
        )


def request_from_args(args: argparse.Namespace, prompt: str | None = None) -> GenerationRequest:
    """The request the options describe; `prompt` replaces `args.prompt` when given."""
    prompt = args.prompt if prompt is None else prompt
    if prompt == "-":
        prompt = read_stdin_text()
    model = parse_model(args.model)
    if len(args.ref) > 9:
        raise ValidationError([ValidationIssue("images", f"{len(args.ref)} reference images; at most 9 are allowed.")])
    boxes = parse_boxes(args.box, len(args.ref))
    images = []
    for index, ref in enumerate(args.ref, start=1):
        is_url = ref.lower().startswith(("http://", "https://"))
        source = ref if is_url else str(Path(ref).expanduser())
        if not is_url and not Path(source).is_file():
            raise ValidationError([ValidationIssue(f"images[{index}]", f"File not found: {ref}")])
        images.append(ImageInput(source, tuple(boxes.get(index, ()))))
    return GenerationRequest(
        prompt=prompt,
        model=model,
        images=tuple(images),
        n=args.n,
        size=args.size,
        seed=args.seed,
        watermark=args.watermark,
        thinking_mode=not args.no_thinking,
        enable_sequential=args.set,
        color_palette=parse_palette(args.palette) if args.palette is not None else (),
    )


def parse_model(text: str) -> Model:
    try:
        return Model.parse(text)
    except ValueError:
        raise CliError(f"Unknown model '{text}': use 'pro' or 'standard'.") from None


def read_stdin_text() -> str:
    """The prompt from stdin, which must be UTF-8 (a file in another encoding is refused, exit 2)."""
    import sys

    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValidationError(
            [
                ValidationIssue(
                    "prompt",
                    f"The prompt is not UTF-8 text (byte {data[error.start]:#04x} at position {error.start}); "
                    "save it as UTF-8 and try again.",
                )
            ]
        ) from None


def parse_region(text: str) -> Region:
    try:
        return Region.parse(text)
    except ValueError as error:
        raise CliError(str(error)) from None


def parse_boxes(specs: list[str], image_count: int) -> dict[int, list[Box]]:
    boxes: dict[int, list[Box]] = {}
    for spec in specs:
        index_text, _, coords = spec.partition(":")
        try:
            index = int(index_text)
            values = [int(v) for v in coords.split(",")]
        except ValueError:
            raise CliError(f"Box '{spec}' is not I:x1,y1,x2,y2 (whole numbers).") from None
        if len(values) != 4:
            raise CliError(f"Box '{spec}' needs four numbers: I:x1,y1,x2,y2.")
        if not 1 <= index <= image_count:
            raise CliError(f"Box '{spec}' names image {index}, but there are {image_count} --ref images.")
        boxes.setdefault(index, []).append(Box(*values))
    return boxes


def parse_palette(spec: str) -> tuple[PaletteColor, ...]:
    if not spec.strip():
        raise CliError("--palette is empty: give 3-10 colours as '#RRGGBB:PERCENT,...' or leave the option out.")
    colors = []
    for part in spec.split(","):
        hex_code, _, pct = part.strip().partition(":")
        try:
            ratio = float(pct.strip().rstrip("%"))
        except ValueError:
            raise CliError(f"Palette entry '{part.strip()}' is not #RRGGBB:PERCENT.") from None
        colors.append(PaletteColor(hex_code.strip(), ratio))
    return tuple(colors)
