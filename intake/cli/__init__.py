"""The `shotcheck` command line: one entry point, one module per group of subcommands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from engine.errors import ShotcheckError

__all__ = ["main"]

Handler = Callable[[argparse.Namespace], int]

# Each module owns a group of subcommands and exposes `register(subparsers)`; a module that is not
# there yet (a part of the system still being built) simply adds no commands.
_COMMAND_MODULES = ("engine_commands", "case_commands", "extract_commands", "service_commands")


def _build_parser() -> argparse.ArgumentParser:
    # Subcommand modules are imported here, not at the top, so `shotcheck check` never pays for
    # OpenCV or FastAPI imports it does not use.
    parser = argparse.ArgumentParser(
        prog="shotcheck",
        description="Verify immunization records of children under six (CalWORKs).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for optional in _COMMAND_MODULES:
        try:
            module = __import__(f"intake.cli.{optional}", fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != f"intake.cli.{optional}":
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except ShotcheckError as exc:
        print(f"shotcheck: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
