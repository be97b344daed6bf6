"""`python -m archive_app.cli_entry …` is the same as the `archive-app` console script."""

from .cli import main

if __name__ == "__main__":
    main()
