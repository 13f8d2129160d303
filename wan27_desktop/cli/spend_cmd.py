"""`wan27 spend`: today's and this month's spend per region against its limits, and
`wan27 spend limit --daily AMOUNT --monthly AMOUNT` to set them ('none' removes one).

The limits live in the library, so the app (Settings) and this command share them. A job or batch
whose estimate would cross one is refused before sending; `--over-limit` sends it anyway.
"""

from __future__ import annotations

import argparse
from decimal import Decimal

from wan27_desktop.cli.common import EXIT_OK, CliError, open_library, out
from wan27_desktop.cli.generate import parse_region


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("spend", help="today's and this month's spend, and the spending limits")
    p.add_argument("--region", help="sg or cn (default: both)")
    p.set_defaults(handler=show)
    sub = p.add_subparsers(dest="spend_action", metavar="ACTION")
    limit = sub.add_parser("limit", help="set the daily and monthly limits of a region (CNY; 'none' removes)")
    limit.add_argument("--daily", help="the most to spend in one day, e.g. 20 (or 'none')")
    limit.add_argument("--monthly", help="the most to spend in one calendar month, e.g. 300 (or 'none')")
    limit.add_argument("--region", default="sg", help="sg (Singapore, default) or cn (Beijing)")
    limit.set_defaults(handler=set_limit)


def show(args: argparse.Namespace) -> int:
    from wan27_desktop.api.models import Region

    regions = [parse_region(args.region)] if args.region else list(Region)
    with open_library() as library:
        for region in regions:
            status = library.spend_limits.status(region.value)
            out(f"{region.label} ({region.value}):")
            out(f"  today:      {_money(status.today)} of {_limit(status.daily)}")
            out(f"  this month: {_money(status.month)} of {_limit(status.monthly)}")
            if status.in_flight:
                out(
                    f"  (includes {_money(status.in_flight)} estimated for jobs that may be billed: running, "
                    "or interrupted after sending)"
                )
    return EXIT_OK


def set_limit(args: argparse.Namespace) -> int:
    from wan27_desktop.library.spendlimits import parse_amount

    if args.daily is None and args.monthly is None:
        raise CliError("Give --daily AMOUNT and/or --monthly AMOUNT (CNY; 'none' removes a limit).")
    region = parse_region(args.region)
    with open_library() as library:
        daily, monthly = library.spend_limits.limits(region.value)
        try:
            if args.daily is not None:
                daily = parse_amount(args.daily)
            if args.monthly is not None:
                monthly = parse_amount(args.monthly)
        except ValueError as error:
            raise CliError(f"{error}: give an amount in CNY such as 20 or 12.50, or 'none'.") from None
        library.spend_limits.set_limits(region.value, daily, monthly)
    out(f"{region.label}: daily limit {_limit(daily)}, monthly limit {_limit(monthly)}.")
    return EXIT_OK


def _money(amount: Decimal) -> str:
    from wan27_desktop.api.pricing import format_cny

    return format_cny(amount)


def _limit(value: Decimal | None) -> str:
    return "no limit" if value is None else _money(value)
