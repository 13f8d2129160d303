"""`wan27 key set|status|clear|check`: the key lives in the OS keyring, never in a file."""

from __future__ import annotations

import argparse
import sys

from wan27_desktop.api.models import Region
from wan27_desktop.cli.common import EXIT_INVALID, EXIT_OK, EXIT_SERVICE, CliError, endpoint_arg, err, out
from wan27_desktop.cli.generate import parse_region


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser(
        "key",
        help="store, inspect, check or remove the API key",
        description="Manage the DashScope API key in the OS keyring.",
    )
    p.add_argument("action", choices=["set", "status", "clear", "check"])
    p.add_argument("--region", default="sg", help="sg (Singapore, default) or cn (Beijing)")
    p.add_argument("--api-base", type=endpoint_arg, help="check against this endpoint instead of the region's host")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    region = parse_region(args.region)
    return {"set": key_set, "status": key_status, "clear": key_clear, "check": key_check}[args.action](region, args)


def _require_keyring() -> None:
    from wan27_desktop import keys

    available, why = keys.keyring_available()
    if not available:
        raise CliError(
            f"No OS keyring is available: {why}\n"
            "Set the DASHSCOPE_API_KEY environment variable instead; it is used and never saved."
        )


def key_set(region: Region, args: argparse.Namespace) -> int:
    from wan27_desktop import keys

    _require_keyring()
    if sys.stdin.isatty():
        import getpass

        key = getpass.getpass(f"DashScope API key for {region.label} (input hidden): ")
    else:
        key = sys.stdin.readline()
    key = key.strip()
    if not key:
        raise CliError("No key given; nothing was stored.")
    keys.store_key(region, key)
    out(f"Stored the key for {region.label} in the OS keyring ({keys.mask(key)}).")
    return EXIT_OK


def key_status(region: Region, args: argparse.Namespace) -> int:
    from wan27_desktop import keys

    source = keys.resolve_key(region)
    available, why = keys.keyring_available()
    out(f"Region: {region.label}")
    out(f"Keyring: {'available' if available else 'not available - ' + why}")
    if source.key:
        out(f"Key: {keys.mask(source.key)} (from {source.origin})")
        return EXIT_OK
    out("Key: none. Run 'wan27 key set' or set DASHSCOPE_API_KEY.")
    return EXIT_INVALID


def key_clear(region: Region, args: argparse.Namespace) -> int:
    from wan27_desktop import keys

    _require_keyring()
    keys.clear_key(region)
    out(f"Removed the stored key for {region.label}.")
    return EXIT_OK


def key_check(region: Region, args: argparse.Namespace) -> int:
    """Zero-cost: GET /tasks/<random id> is 200 UNKNOWN for a valid key, 401 for an invalid one."""
    from wan27_desktop import config, keys
    from wan27_desktop.api.client import check_key_regions

    source = keys.resolve_key(region)
    if not source.key:
        raise CliError(f"No key for {region.label}. Run 'wan27 key set --region {region.value}' first.")
    bases = {region: config.api_base(region, args.api_base)}
    if not args.api_base:
        other = Region.BEIJING if region is Region.SINGAPORE else Region.SINGAPORE
        bases[other] = config.api_base(other)
    belongs = check_key_regions(source.key, bases)
    if belongs is region:
        out(f"The key ({keys.mask(source.key)}) is valid for {region.label}.")
        return EXIT_OK
    if belongs is not None:
        err(f"The key is not valid for {region.label}; it belongs to {belongs.label}. Use --region {belongs.value}.")
        return EXIT_SERVICE
    err(f"The key ({keys.mask(source.key)}) was refused by {region.label}. Check it in the Model Studio console.")
    return EXIT_SERVICE
