"""``python -m ecomgit`` runs the CLI."""

from ecomgit.cli.main import main

main()
