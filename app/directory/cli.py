"""`flask directory check|import|export`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app.datafiles.errors import DataFileError

TAKE_OVER_HELP = ("Let these files take over organisation, post and person ids that another file "
                  "owns in the database (they move to these files).")


@click.group("directory", cls=AppGroup)
def directory_cli() -> None:
    """Validate, import and export the recipient directory (recipients/*.yaml)."""


def _print_problems(problems) -> None:  # noqa: ANN001
    for problem in problems:
        click.echo(str(problem), err=True)
    click.echo(f"{len(problems)} error(s)", err=True)


@directory_cli.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--take-over", is_flag=True, help=TAKE_OVER_HELP)
def check_command(paths: tuple[Path, ...], take_over: bool) -> None:
    """List every error in the files (or directories of *.yaml); exit status 1 if there is one."""
    from app.directory.files import check_paths, known_in_database, yaml_files

    try:
        known = known_in_database()
    except Exception:  # noqa: BLE001 - no database yet: check the files on their own
        known = None
    problems = check_paths(paths, known, take_over)
    if problems:
        _print_problems(problems)
        raise SystemExit(1)
    click.echo(f"{len(yaml_files(paths))} file(s) OK")


@directory_cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--take-over", is_flag=True, help=TAKE_OVER_HELP)
def import_command(paths: tuple[Path, ...], take_over: bool) -> None:
    """Load the files into the database (all or nothing) and report what changed."""
    from app.directory.files import import_paths

    try:
        report = import_paths(paths, take_over=take_over)
    except DataFileError as error:
        _print_problems(error.problems)
        click.echo("Nothing was imported.", err=True)
        raise SystemExit(1) from None
    click.echo(report.summary())


@directory_cli.command("export")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
def export_command(out_dir: Path) -> None:
    """Write the directory from the database as one YAML file per group into OUT_DIR."""
    from app.directory.files import export_directory

    for path in export_directory(out_dir):
        click.echo(f"wrote {path}")
