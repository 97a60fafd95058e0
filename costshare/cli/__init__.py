"""The ``costshare`` command line: one module per step of the workflow.

Each command parses its options, calls one library function and prints the result; there
is no arithmetic here. Library errors (:class:`~costshare.base.errors.CostshareError`)
become a one-line ``Error: …`` and exit status 1; usage mistakes exit with status 2.
Commands register on :data:`costshare.cli.base.cli`; importing this package imports them
all, in the order ``costshare --help`` lists them.
"""

from __future__ import annotations

# Imported for their commands, in the order --help lists them (the workflow's order).
from costshare.cli import init, examples, split, run, check, settle, einvoice, data, guide  # noqa: F401  # isort: skip
from costshare.cli.base import cli

__all__ = ["cli", "main"]


def main() -> None:
    """Entry point for ``python -m costshare``."""
    cli(prog_name="costshare")
