"""What the command modules share: exit codes, the help layout, JSON output, the «saved» line of a document."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


class RussianHelpFormatter(argparse.HelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32)


def print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2, default=str))


def add_pdf_out_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, metavar="ФАЙЛ.pdf", help="куда сохранить документ")


def document_saved(path: Path, out: TextIO) -> int:
    print(f"Документ сохранён: {path}", file=out)
    return EXIT_OK
