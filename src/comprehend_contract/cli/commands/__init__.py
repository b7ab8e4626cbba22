"""The commands, one module each; ``COMMANDS`` lists them in the order ``--help`` shows them.

Each module has ``register(commands)``, which adds its parser (and its subcommands) to the top-level parser's
subparsers and sets ``handler``: a function of the parsed arguments that returns the exit status.
"""

from comprehend_contract.cli.commands import (
    cleanup,
    compare,
    expectations,
    mutants,
    run,
    serve,
    snapshot,
    spec,
)

COMMANDS = (run, serve, cleanup, expectations, compare, snapshot, mutants, spec)

__all__ = ["COMMANDS"]
