"""The `archive-app` console script, and `python -m archive_app.cli_entry …`.

Importing this module is cheap on purpose: multiprocessing runs the main module again in every
fork-server child it starts (and the fork server imports it once), and the children that parse
and stamp files need none of the CLI. The CLI itself is imported when `main` runs."""


def main() -> None:
    from .cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
