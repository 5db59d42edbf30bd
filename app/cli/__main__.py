"""``python -m app.cli`` is the same program as the ``metodset`` command."""
from app.cli.entry import console_main

console_main()
