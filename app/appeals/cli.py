"""`flask appeals list|export|import|close-due`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select

from app.appeals.files import export_appeal, import_appeal_file
from app.appeals.lifecycle import close_due
from app.appeals.queries import appeal_by_slug, signature_counts
from app.appeals.translations import incomplete_languages
from app.datafiles.errors import DataFileError
from app.extensions import db
from app.models import Appeal


@click.group("appeals")
def appeals_cli() -> None:
    """List, export and import appeals as YAML."""


@appeals_cli.command("list")
@with_appcontext
def list_command() -> None:
    """One line per appeal: slug, state, confirmed and unconfirmed signatures."""
    counts = signature_counts()
    for appeal in db.session.scalars(select(Appeal).order_by(Appeal.slug)):
        c = counts.get(appeal.id, {})
        click.echo(f"{appeal.slug}\t{appeal.state}\tconfirmed={c.get('confirmed', 0)}"
                   f"\tunconfirmed={c.get('pending', 0)}")


@appeals_cli.command("export")
@click.argument("slug")
@click.option("--out", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write to this file instead of standard output.")
@with_appcontext
def export_command(slug: str, out: Path | None) -> None:
    """Write one appeal as YAML."""
    appeal = appeal_by_slug(slug)
    if appeal is None:
        raise click.ClickException(f"slug: no appeal {slug!r} (see `flask appeals list`)")
    text = export_appeal(appeal)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}")


@appeals_cli.command("import")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_command(files: tuple[Path, ...]) -> None:
    """Import appeals from YAML files; a file with errors changes nothing and lists every error."""
    failed = False
    for path in files:
        try:
            result = import_appeal_file(path)
        except DataFileError as error:
            failed = True
            for problem in error.problems:
                click.echo(str(problem), err=True)
            continue
        click.echo(f"{path}: {result.slug} {result.action}")
        _say_incomplete_translations(path, appeal_by_slug(result.slug))
    if failed:
        raise SystemExit(1)


def _say_incomplete_translations(path: Path, appeal: Appeal) -> None:
    """A translation is stored as written, but gives no letter until it is complete: say so."""
    for language, parts in incomplete_languages(appeal).items():
        click.echo(f"{path}: translations.{language}: " + _(
            "No letter in %(language)s yet: translate the %(parts)s (it would print them in %(own)s).",
            language=language, parts=", ".join(parts), own=appeal.letter_language or "en"), err=True)


@appeals_cli.command("close-due")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Act as if today were this day (YYYY-MM-DD); for catching up after an outage.")
@with_appcontext
def close_due_command(today) -> None:  # noqa: ANN001
    """Close the open appeals whose "write before" day has come (run daily by cron)."""
    day = today.date() if today else date.today()
    closed = close_due(day)
    for slug in closed:
        click.echo(f"closed {slug}")
    click.echo(f"{len(closed)} appeal(s) closed")
