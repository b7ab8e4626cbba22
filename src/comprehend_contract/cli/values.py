"""Command-line values checked as argparse reads them: numbers within bounds, ports, http(s) URLs."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from urllib.parse import urlsplit


def number(noun: str, *, above: float | None = None, at_least: float | None = None) -> Callable[[str], float]:
    """A checker of a finite number that is ``above`` a bound (exclusive) or ``at_least`` one (inclusive)."""

    def check(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {noun}") from None
        if not math.isfinite(value) or (above is not None and value <= above):
            raise argparse.ArgumentTypeError(f"{text!r} must be a finite {noun} greater than {above:g}")
        if at_least is not None and value < at_least:
            raise argparse.ArgumentTypeError(f"{text!r} must be a finite {noun} >= {at_least:g}")
        return value

    return check


positive = number("number", above=0)
seconds = number("number of seconds", at_least=0)


def port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port {value} is outside 0..65535")
    return value


def http_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"{text!r} is not an http(s) URL such as http://127.0.0.1:9000")
    return text
