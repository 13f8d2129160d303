"""`wan27 library ...`: browse, search, import, export, rebuild and trash, fully offline."""

from __future__ import annotations

import argparse
from functools import partial
from pathlib import Path

from wan27_desktop.cli.common import EXIT_OK, existing_dir, open_library, out, parse_ids


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
    sub.add_parser("recover", help="set a damaged database aside and rebuild it from the image files").set_defaults(
        handler=recover
    )
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
    ids = parse_ids(args.ids)
    target = Path(args.to).expanduser()
    target.mkdir(parents=True, exist_ok=True)
    with open_library() as library:
        for path in library.maintenance.export(ids, target):
            out(str(path))
    return EXIT_OK


def rebuild(args: argparse.Namespace) -> int:
    with open_library() as library:
        out(str(library.maintenance.rebuild()))
    return EXIT_OK


def recover(args: argparse.Namespace) -> int:
    from wan27_desktop import config
    from wan27_desktop.library import Library

    report = Library.recover(config.library_root())
    out(str(report))
    out("The damaged database was kept aside, not deleted.")
    return EXIT_OK


def stats(args: argparse.Namespace) -> int:
    from wan27_desktop import config

    with open_library() as library:
        for key, value in library.stats().items():
            out(f"{key}: {value}")
        out(f"spent today: ¥{library.ledger.spend_today()}")
        out(f"library folder: {config.library_root()}")
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
