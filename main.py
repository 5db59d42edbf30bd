"""МетодСеть: ``python main.py [ARGS]`` is the same program as the ``metodset`` command."""
import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
