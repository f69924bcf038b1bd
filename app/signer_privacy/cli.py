"""`flask sealing create-key|seal-existing|dedupe|high-risk|checkpoint`."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.appeals.queries import appeal_by_slug
from app.db_setup import checkpoint_wal
from app.extensions import db
from app.models import Group
from app.sealing.holder import key_from_file
from app.sealing.keys import KeyExistsError, KeyFileError, create_group_key
from app.signer_privacy.duplicates import remove_duplicates, set_high_risk
from app.signer_privacy.existing import (
    BATCH_SIZE,
    seal_existing,
    signatures_to_seal,
    signatures_without_key,
)


@click.group("sealing")
def sealing_cli() -> None:
    """Organisation keys and sealed signer details (docs/threat-model.md)."""


@sealing_cli.command("create-key")
@click.argument("group_slug")
@click.option("--replace", is_flag=True, help="Replace an existing key: sealed details become unreadable.")
@with_appcontext
def create_key_command(group_slug: str, replace: bool) -> None:
    """Print a new key file for GROUP_SLUG on standard output; only its public key is stored.

    Run it over ssh and redirect on your own machine: `ssh host flask sealing create-key adil-soz
    > adil-soz.appeal-desk-key`. Nothing is written to the server's disk.
    """
    group = db.session.scalar(select(Group).where(Group.slug == group_slug))
    if group is None:
        raise click.ClickException(f"no organisation {group_slug!r}")
    try:
        click.echo(create_group_key(group, replace=replace), nl=False)
    except KeyExistsError:
        raise click.ClickException(f"{group_slug} has a key already (--replace to replace it)") from None


@sealing_cli.command("seal-existing")
@click.option("--batch-size", default=BATCH_SIZE, show_default=True)
@with_appcontext
def seal_existing_command(batch_size: int) -> None:
    """Seal every signature stored in clear to its organisation's key and erase the clear
    columns. Safe to stop and run again: it carries on where it stopped."""
    with click.progressbar(length=signatures_to_seal(), label="Sealing signatures",
                           file=sys.stderr) as bar:
        total = seal_existing(batch_size, bar.update)
    click.echo(f"sealed: {total}")
    if left := signatures_without_key():
        click.echo(f"left in clear: {left} (their organisation has no key yet: "
                   "`flask sealing create-key`, then run this again)")


@sealing_cli.command("dedupe")
@click.argument("slug")
@with_appcontext
def dedupe_command(slug: str) -> None:
    """Remove duplicate signatures of a high-risk appeal; reads the key file on standard input."""
    appeal = appeal_by_slug(slug)
    if appeal is None:
        raise click.ClickException(f"no appeal {slug!r}")
    try:
        private_key = key_from_file(sys.stdin.buffer.read(), appeal.group)
    except KeyFileError as error:
        raise click.ClickException(f"key file on standard input: {error.reason}") from None
    click.echo(f"removed: {remove_duplicates(appeal, private_key)}")


@sealing_cli.command("high-risk")
@click.argument("slug")
@click.option("--on/--off", default=True)
@with_appcontext
def high_risk_command(slug: str, on: bool) -> None:
    """Keep no e-mail hash for SLUG's signatures, erasing those kept (duplicates: `flask sealing
    dedupe`)."""
    appeal = appeal_by_slug(slug)
    if appeal is None:
        raise click.ClickException(f"no appeal {slug!r}")
    set_high_risk(appeal, on)
    click.echo(f"{slug}: high-risk {'on' if on else 'off'}")


@sealing_cli.command("checkpoint")
@with_appcontext
def checkpoint_command() -> None:
    """SQLite: copy the WAL into the database and truncate it, so erased data leaves the WAL."""
    done = checkpoint_wal(db.engine)
    click.echo("checkpoint: " + ("done" if done else "incomplete, readers active; run again"))
