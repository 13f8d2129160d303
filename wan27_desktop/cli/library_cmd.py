"""`wan27 library ...`: browse, search, import, export, rebuild and trash, fully offline."""

from __future__ import annotations

import argparse
import os
from functools import partial
from pathlib import Path

from wan27_desktop.cli.common import EXIT_OK, CliError, existing_dir, open_library, out, parse_ids


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("library", help="browse and manage the local image library (offline)")
    sub = p.add_subparsers(dest="library_action", metavar="ACTION")
    sub.required = True
    ls = sub.add_parser("list", help="newest images first")
    ls.add_argument("--limit", type=int, default=30)
    ls.add_argument("--trash", action="store_true", help="list the trash instead")
    ls.set_defaults(handler=list_images)
    search = sub.add_parser("search", help="full-text search over prompts")
    search.add_argument("text")
    search.add_argument("--limit", type=int, default=30)
    search.set_defaults(handler=search_images)
    imp = sub.add_parser("import", help="adopt PNG/JPEG/WebP images from a folder (files are copied)")
    imp.add_argument("folder")
    imp.set_defaults(handler=import_dir)
    exp = sub.add_parser("export", help="copy images out with their metadata intact")
    exp.add_argument("ids", nargs="+", help="image ids (see 'wan27 library list')")
    exp.add_argument("--to", required=True, help="destination folder")
    exp.set_defaults(handler=export_images)
    sub.add_parser("rebuild", help="rebuild the index from the images' embedded metadata").set_defaults(handler=rebuild)
    rec = sub.add_parser(
        "recover",
        help="set a damaged database aside, rebuild it from the image files and salvage its journal",
    )
    rec.add_argument(
        "--force", action="store_true", help="set the database aside even though it passes the integrity check"
    )
    rec.set_defaults(handler=recover)
    sub.add_parser("stats", help="counts, sizes and spend").set_defaults(handler=stats)
    trash = sub.add_parser("trash", help="move images to the trash (restorable)")
    trash.add_argument("ids", nargs="+")
    trash.set_defaults(handler=trash_images)
    restore = sub.add_parser("restore", help="restore images from the trash")
    restore.add_argument("ids", nargs="+")
    restore.set_defaults(handler=restore_images)
    sub.add_parser("empty-trash", help="delete the trashed images' files for good").set_defaults(handler=empty_trash)


def _print_images(images) -> None:
    for image in images:
        prompt = (image.prompt or "").replace("\n", " ")
        out(f"{image.id:>7}  {image.created_at[:19]}  {image.width}x{image.height}  {image.path}  {prompt[:50]}")


def list_images(args: argparse.Namespace) -> int:
    from wan27_desktop.library import ImageQuery

    with open_library() as library:
        query = ImageQuery(trashed=args.trash)
        images = library.images.query(query, 0, args.limit)
        if not images:
            library.explain_empty(trashed=args.trash)  # a damaged index can look empty
            out("The trash is empty." if args.trash else "The library is empty.")
        _print_images(images)
    return EXIT_OK


def search_images(args: argparse.Namespace) -> int:
    from wan27_desktop.library import ImageQuery

    with open_library() as library:
        images = library.images.query(ImageQuery(text=args.text), 0, args.limit)
        if not images:
            out(f"No image matches '{args.text}'.")
        _print_images(images)
    return EXIT_OK


def import_dir(args: argparse.Namespace) -> int:
    folder = existing_dir(args.folder)
    with open_library() as library:
        report = library.maintenance.import_dir(folder)
        out(str(report))
    return EXIT_OK


def export_images(args: argparse.Namespace) -> int:
    from wan27_desktop.library import ExportIncomplete

    ids = parse_ids(args.ids)
    target = export_folder(args.to)
    with open_library() as library:
        try:
            written = library.maintenance.export(ids, target)
        except ExportIncomplete as incomplete:
            for path in incomplete.written:
                out(str(path))
            raise
        for path in written:
            out(str(path))
    return EXIT_OK


def export_folder(text: str) -> Path:
    """The folder to export into, created if needed; a clear CliError when that cannot be."""
    target = Path(text).expanduser()
    if target.exists() and not target.is_dir():
        raise CliError(f"{target} is a file, not a folder: choose a folder to export into.")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CliError(f"Cannot create the folder {target}: {error.strerror or error}.") from None
    if not os.access(target, os.W_OK):
        raise CliError(f"The folder {target} cannot be written to: choose another one.")
    return target


def rebuild(args: argparse.Namespace) -> int:
    with open_library() as library:
        out(str(library.maintenance.rebuild()))
    return EXIT_OK


def recover(args: argparse.Namespace) -> int:
    from wan27_desktop import config
    from wan27_desktop.library import Library

    report = Library.recover(config.library_root(), force=args.force)
    out(str(report))
    if report.moved_aside is not None:
        out(f"The damaged database was kept aside as {report.moved_aside}, not deleted.")
    unfinished = report.salvage.jobs if report.salvage is not None else 0
    if unfinished:
        out("Unfinished jobs kept their task ids and result links: run 'wan27 jobs resume' to fetch what is missing.")
    return EXIT_OK


def stats(args: argparse.Namespace) -> int:
    from wan27_desktop import config
    from wan27_desktop.library.space import format_size

    with open_library() as library:
        counts = library.stats()
        if not counts["images"]:
            library.explain_empty()
        for key, value in counts.items():
            out(f"{key}: {value}")
        out(f"spent today: ¥{library.ledger.spend_today()}")
        out(f"library folder: {config.library_root()}")
        for job_id, owner in sorted(library.jobs.leased().items()):
            out(f"running now: job {job_id} ({owner})")
        for copy in library.old_copies():
            size = sum(p.stat().st_size for p in (copy, Path(f"{copy}-wal")) if p.exists())
            out(
                f"old database copy: {copy} ({format_size(size)}), kept by the last rebuild or recover; "
                "delete it once the library looks right"
            )
    return EXIT_OK


def trash_images(args: argparse.Namespace) -> int:
    ids = parse_ids(args.ids)
    with open_library() as library:
        library.curation.trash(ids)
    out(f"Moved {len(ids)} image(s) to the trash. Undo with: wan27 library restore {' '.join(map(str, ids))}")
    return EXIT_OK


def restore_images(args: argparse.Namespace) -> int:
    ids = parse_ids(args.ids)
    with open_library() as library:
        library.curation.restore(ids)
    out(f"Restored {len(ids)} image(s).")
    return EXIT_OK


def empty_trash(args: argparse.Namespace) -> int:
    from wan27_desktop.imaging.thumbnails import drop_thumbnails  # QtGui: only this command touches images' cache

    with open_library() as library:
        count = library.curation.empty_trash(on_gone=partial(drop_thumbnails, library.data_dir))
    out(f"Deleted {count} image(s) from the trash.")
    return EXIT_OK
