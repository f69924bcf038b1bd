"""`flask letters render APPEAL --out DIR [--batch]`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from sqlalchemy import select

from app.extensions import db
from app.languages import CODES
from app.letters.address import AddressDoesNotFit
from app.letters.overview import letters_overview
from app.letters.printing import print_batch
from app.letters.render import LetterRenderError
from app.letters.service import LettersNotAllowed, appeal_posts, recipient_letter_pdf
from app.models import Appeal
from app.template_sandbox.environment import LetterTemplateError


@click.group("letters")
def letters_cli() -> None:
    """Render letters to PDF."""


@letters_cli.command("render")
@click.argument("appeal_slug")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory to write the PDFs into (created if missing).")
@click.option("--batch", is_flag=True, help="One print batch PDF, a ZIP and address labels.")
@click.option("--language", type=click.Choice(CODES), default=None,
              help="Override each recipient's preferred language (the appeal's text must be "
                   "complete in it).")
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date of the letters (decides who holds each post); default today.")
def render_command(appeal_slug: str, out_dir: Path, batch: bool, language: str | None, on) -> None:  # noqa: ANN001
    """Render the letters of APPEAL_SLUG (one PDF per recipient, or --batch)."""
    appeal = db.session.scalar(select(Appeal).where(Appeal.slug == appeal_slug))
    if appeal is None:
        raise click.ClickException(f"There is no appeal {appeal_slug!r} (see `flask appeals list`).")
    day: date | None = on.date() if on else None
    for warning in letters_overview(appeal, day).warnings:
        click.echo(f"warning: {warning}", err=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        if batch:
            _batch(appeal, out_dir, day, language)
        else:
            _separate(appeal, out_dir, day, language)
    except (LettersNotAllowed, AddressDoesNotFit) as error:
        raise click.ClickException(str(error)) from None
    except (LetterTemplateError, LetterRenderError) as error:
        raise click.ClickException(f"The letter template has an error: {error}") from None


def _batch(appeal: Appeal, out_dir: Path, day: date | None, language: str | None) -> None:
    posts = appeal_posts(appeal)
    with click.progressbar(length=len(posts), label="Rendering letters") as bar:
        result = print_batch(appeal, out_dir, on=day, language=language, progress=bar.update)
    click.echo(f"{_count(result.letters, 'letter')}, {_count(result.fax_covers, 'fax cover sheet')}, "
               f"{_count(result.pages, 'page')}:")
    for path in (result.pdf_path, result.zip_path, result.labels_path):
        click.echo(f"  {path}")
    for line in result.summary.lines():  # what went where, what was skipped and why
        click.echo(f"  {line}")


def _separate(appeal: Appeal, out_dir: Path, day: date | None, language: str | None) -> None:
    posts = appeal_posts(appeal)
    with click.progressbar(posts, label="Rendering letters") as bar:
        for post, _role in bar:
            path = out_dir / f"{post.slug}.pdf"
            path.write_bytes(recipient_letter_pdf(appeal, post, on=day, language=language))
    click.echo(f"{_count(len(posts), 'letter')} written to {out_dir}")


def _count(number: int, noun: str) -> str:
    """"1 letter", "2 letters": what staff read in the terminal (English, as every CLI line)."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
