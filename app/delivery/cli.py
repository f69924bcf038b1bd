"""`flask worker`: sends what the outbox holds."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from app.delivery.worker import run_worker


@click.command("worker")
@click.option("--once", is_flag=True, help="One round (one batch of due messages), then exit.")
@click.option("--drain", is_flag=True, help="Send until nothing is due, then exit.")
@with_appcontext
def worker_command(once: bool, drain: bool) -> None:
    """Send queued e-mails, retrying with back-off; stop with Ctrl-C or SIGTERM."""
    if not current_app.config.get("MAIL_SERVER"):
        raise click.UsageError(
            "MAIL_SERVER is not set: messages stay in the outbox (readable at /coordinator/outbox)"
        )
    sent = run_worker(once=once, drain=drain)
    click.echo(f"worker stopped; {sent} message(s) sent")
