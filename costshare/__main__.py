"""``python -m costshare`` runs the command line."""

from .cli import main

main()
