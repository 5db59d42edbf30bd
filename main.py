"""МетодСеть: ``python main.py [ARGS]`` is the same program as the ``metodset`` command.

When it starts the window, a small one is painted first (app/ui/shell/splash.py),
before the rest of the program is imported: the user sees it start at once.
"""
import sys

if __name__ == "__main__":
    from app.ui.shell.splash import show_splash_for

    show_splash_for(sys.argv[1:])
    from app.cli import main

    sys.exit(main())
