"""`flask worker`: sends what the outbox holds."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from app.delivery.worker import run_worker


@click.command("worker")
@click.option("--once", is_flag=True, help="Send what is due now, then exit.")
@with_appcontext
def worker_command(once: bool) -> None:
    """Send queued e-mails, retrying with back-off; stop with Ctrl-C or SIGTERM."""
    if not current_app.config.get("MAIL_SERVER"):
        raise click.UsageError(
            "MAIL_SERVER is not set: messages stay in the outbox (readable at /coordinator/outbox)"
        )
    sent = run_worker(once=once)
    click.echo(f"worker stopped; {sent} message(s) sent")
