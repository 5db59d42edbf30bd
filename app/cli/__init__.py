"""The command line: ``entry`` builds the parser and dispatches; one module per command group."""
from app.cli.entry import console_main, main

__all__ = ["console_main", "main"]
