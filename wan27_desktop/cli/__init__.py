"""The `wan27` command: generation, keys, the job journal and the library from a terminal.

Exit codes: 0 success; 2 invalid input (nothing was sent); 3 the service refused or failed;
4 network failure; 130 interrupted. No traceback reaches the user unless --debug is given.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from wan27_desktop.api.errors import InterruptedCreateError, NetworkError, ServiceError, ValidationError, WanError
from wan27_desktop.buildinfo import VersionAction
from wan27_desktop.cli.common import EXIT_INTERRUPTED, EXIT_INVALID, EXIT_NETWORK, EXIT_OK, EXIT_SERVICE, CliError, err


def build_parser() -> argparse.ArgumentParser:
    from wan27_desktop.cli import batch_cmd, generate, jobs_cmd, keys_cmd, library_cmd, spend_cmd

    parser = argparse.ArgumentParser(
        prog="wan27", description="Generate and edit images with Alibaba Cloud Wan 2.7 from the terminal."
    )
    parser.add_argument("--version", action=VersionAction)
    parser.add_argument("--debug", action="store_true", help="show tracebacks and HTTP logging (key redacted)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    generate.register(commands)
    keys_cmd.register(commands)
    jobs_cmd.register(commands)
    library_cmd.register(commands)
    batch_cmd.register(commands)
    spend_cmd.register(commands)
    return parser


def exit_code_for(error: BaseException) -> int:
    from wan27_desktop.jobs.spending import SpendLimitExceeded
    from wan27_desktop.library import NotEnoughSpace, NotFound

    if isinstance(error, (ValidationError, CliError, NotFound, NotEnoughSpace, SpendLimitExceeded)):
        return EXIT_INVALID
    if isinstance(error, (NetworkError, InterruptedCreateError)):
        return EXIT_NETWORK
    if isinstance(error, (ServiceError, WanError)):
        return EXIT_SERVICE
    return EXIT_SERVICE


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.debug:
        logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")
    try:
        return int(args.handler(args) or EXIT_OK)
    except KeyboardInterrupt:
        err("Interrupted. Unfinished jobs stay in the journal: run 'wan27 jobs resume' to carry them on.")
        return EXIT_INTERRUPTED
    except (WanError, CliError) as error:
        if args.debug:
            import traceback

            traceback.print_exc()
        report_error(error)
        return exit_code_for(error)


def report_error(error: BaseException) -> None:
    if isinstance(error, ValidationError):
        err("Invalid request; nothing was sent:")
        for issue in error.issues:
            err(f"  {issue.field}: {issue.message}")
        return
    if isinstance(error, WanError):
        err(f"Error: {error.message}")
        if error.code:
            err(f"  code: {error.code}")
        if error.request_id:
            err(f"  request id: {error.request_id}")
        err(f"  hint: {error.hint}")
        return
    err(f"Error: {error}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
