"""What a ``campaign-ledger`` subcommand is: a name, a help line, its arguments and
the function that runs it. Each command module declares its subcommands as data;
:data:`graphql_api.cli.COMMANDS` lists them all."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Handler = Callable[[argparse.Namespace], int]


@dataclass(frozen=True)
class Argument:
    """One ``add_argument`` call."""

    flags: tuple[str, ...]
    options: dict[str, Any]


@dataclass(frozen=True)
class Subcommand:
    name: str
    help: str
    handler: Handler
    arguments: tuple[Argument, ...] = ()


def argument(*flags: str, **options: Any) -> Argument:
    """One ``add_argument`` call, declared with the subcommand that uses it."""
    return Argument(flags, options)


def whole_number(text: str, minimum: int) -> int:
    """An argparse value: an integer of at least ``minimum``."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least {minimum}")
    return value


def positive_int(text: str) -> int:
    return whole_number(text, 1)


def non_negative_int(text: str) -> int:
    return whole_number(text, 0)


def port_number(text: str) -> int:
    value = positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a TCP port")
    return value
