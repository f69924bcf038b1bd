"""`flask statements …`: list, close those past their deadline, export the list, write the letters."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy import func, select

from app.extensions import db
from app.models.statement import OrgSignature, Statement


@click.group("statements")
def statements_cli() -> None:
    """Organisational sign-on statements."""


def _statement(slug: str) -> Statement:
    statement = db.session.scalar(select(Statement).where(Statement.slug == slug))
    if statement is None:
        raise click.ClickException(f"There is no statement {slug!r} (see `flask statements list`).")
    return statement


@statements_cli.command("list")
def list_command() -> None:
    """One line per statement: slug, state, deadline, signatures by status."""
    counts: dict[int, dict[str, int]] = {}
    for statement_id, status, n in db.session.execute(
            select(OrgSignature.statement_id, OrgSignature.status, func.count())
            .group_by(OrgSignature.statement_id, OrgSignature.status)):
        counts.setdefault(statement_id, {})[status] = n
    for s in db.session.scalars(select(Statement).order_by(Statement.slug)):
        deadline = s.deadline.strftime("%Y-%m-%d %H:%M UTC") if s.deadline else "no deadline"
        by_status = ", ".join(f"{k} {v}" for k, v in sorted(counts.get(s.id, {}).items())) or "none"
        click.echo(f"{s.slug}\t{s.state}\t{deadline}\t{by_status}")


@statements_cli.command("close-due")
def close_due_command() -> None:
    """Close the statements whose sign-on deadline has passed (run it from cron)."""
    from app.statements.service import close_due

    for statement in close_due():
        click.echo(f"closed {statement.slug}")


@statements_cli.command("render-texts")
def render_texts_command() -> None:
    """Render every statement's public text again (after an upgrade, or an appeal reopened)."""
    from app.statements.published import render_all

    for slug, error in render_all():
        click.echo(f"{slug}: {error or 'rendered'}")


@statements_cli.command("purge-emails")
@click.option("--days", type=click.IntRange(min=0), default=90, show_default=True,
              help="Keep addresses this many days after the statement was sent.")
def purge_emails_command(days: int) -> None:
    """Forget the e-mail addresses of signers of statements sent more than DAYS ago."""
    from app.statements.service import purge_emails

    click.echo(f"removed {purge_emails(older_than_days=days)} e-mail addresses")


@statements_cli.command("export")
@click.argument("slug")
@click.option("--format", "fmt", type=click.Choice(["csv", "text"]), default="csv",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of standard output.")
def export_command(slug: str, fmt: str, out: str | None) -> None:
    """The undersigned (approved organisations, then individuals) as CSV or plain text."""
    from app.statements.listing import undersigned_csv, undersigned_text

    statement = _statement(slug)
    body = undersigned_csv(statement) if fmt == "csv" else undersigned_text(statement)
    if out:
        Path(out).write_text(body, encoding="utf-8")
        click.echo(f"wrote {out}")
    else:
        click.echo(body, nl=False)


@statements_cli.command("letters")
@click.argument("slug")
@click.option("--out", type=click.Path(file_okay=False), required=True,
              help="Directory for one PDF per recipient (<statement>-<post>.pdf).")
def letters_command(slug: str, out: str) -> None:
    """Write the statement as a PDF letter to each recipient, with the undersigned list."""
    from app.letters.service import LettersNotAllowed
    from app.statements.letter import letter_pdf
    from app.statements.rendering import StatementTemplateError
    from app.statements.service import recipients_of

    statement = _statement(slug)
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    for link in recipients_of(statement):
        try:
            pdf = letter_pdf(statement, link)
        except (StatementTemplateError, LettersNotAllowed) as error:
            raise click.ClickException(f"{statement.slug}: {error}") from None
        path = target / f"{statement.slug}-{link.post.slug}.pdf"
        path.write_bytes(pdf)
        click.echo(f"wrote {path} ({link.role})")
