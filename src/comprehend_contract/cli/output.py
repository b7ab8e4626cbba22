"""Where a command's text goes: a file given with ``--output``, or standard output."""

from __future__ import annotations

from pathlib import Path

from comprehend_contract.cli.errors import EXIT_OK, CliError


def emit(text: str, output: Path | None) -> int:
    """Write ``text`` to ``output``, or to standard output without one."""
    if output is None:
        print(text, end="")
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CliError(f"cannot write {output}: {error.strerror}") from None
        print(f"wrote {output}")
    return EXIT_OK
