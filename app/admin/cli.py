"""`flask backup PATH`, `flask restore PATH` and privacy housekeeping (`flask admin ...`)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.admin.backup import BackupError, backup_database, restore_database
from app.admin.privacy import purge_expired_emails
from app.admin.uploads import archive_path, backup_uploads, restore_uploads, uploads_in
from app.signatures.expiry import expire_unconfirmed
from app.statements.expiry import expire_unconfirmed_cosigners


@click.group("admin")
def admin_cli() -> None:
    """Backups and privacy housekeeping."""


@admin_cli.command("purge-emails")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Retention after closing, in days (default APPEAL_EMAIL_RETENTION_DAYS).")
@with_appcontext
def purge_emails_command(days: int | None) -> None:
    """Remove signers' e-mail addresses from appeals closed longer than the retention period."""
    retention = current_app.config["APPEAL_EMAIL_RETENTION_DAYS"] if days is None else days
    purged = purge_expired_emails(retention)
    for slug, count in purged.items():
        click.echo(f"{slug}: {count} address(es) removed")
    click.echo(f"{sum(purged.values())} address(es) removed from {len(purged)} closed appeal(s)")


@admin_cli.command("expire-signatures")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Age in days (default UNCONFIRMED_SIGNATURE_MAX_AGE_DAYS).")
@with_appcontext
def expire_signatures_command(days: int | None) -> None:
    """Delete unconfirmed and suspect signatures, and unconfirmed statement co-signers, older than
    the set period (run it daily)."""
    max_age = current_app.config["UNCONFIRMED_SIGNATURE_MAX_AGE_DAYS"] if days is None else days
    expired = expire_unconfirmed(max_age)
    for slug, count in expired.items():
        click.echo(f"{slug}: {count} unconfirmed or suspect signature(s) deleted")
    click.echo(f"{sum(expired.values())} signature(s) older than {max_age} days deleted")
    cosigners = expire_unconfirmed_cosigners(max_age)
    click.echo(f"{cosigners} unconfirmed statement co-signer(s) older than {max_age} days deleted")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write a consistent copy of the database to PATH while the app keeps running, and the
    uploaded files (photos, reply scans) to PATH.uploads.tar beside it."""
    try:
        written = backup_database(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
        files = backup_uploads(Path(current_app.config["UPLOAD_DIR"]), path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backup written to {written} ({written.stat().st_size} bytes)")
    if files:
        click.echo(f"Uploaded files written to {archive_path(path)} ({files} files)")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace the database by the backup at PATH (stop the web and worker processes first)."""
    if not yes:
        click.confirm(f"Replace the whole database by {path}?", abort=True)
    try:
        members = uploads_in(Path(current_app.config["UPLOAD_DIR"]), path)
        restore_database(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
        if members:
            restore_uploads(Path(current_app.config["UPLOAD_DIR"]), path, members)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Database restored from {path}")
    if members:
        click.echo(f"Uploaded files restored from {archive_path(path)} ({len(members)} files)")
