"""`flask worker` sends what the outbox holds; `flask delivery batch` (cron) queues the letters."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from app.delivery.service import deliver_batches
from app.delivery.worker import run_worker
from app.extensions import db
from app.models import Appeal


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


delivery_cli = AppGroup("delivery", help="Letters to officials.")


@delivery_cli.command("batch")
@click.option("--appeal", "slug", help="Only this appeal (slug).")
def batch_command(slug: str | None) -> None:
    """Queue today's letters to officials (run daily by cron; the worker sends them)."""
    appeal = None
    if slug:
        appeal = db.session.scalar(select(Appeal).where(Appeal.slug == slug))
        if appeal is None:
            raise click.UsageError(f"no appeal with slug {slug!r}")
    report = deliver_batches(appeal=appeal)
    click.echo(f"{report.queued} message(s) queued for officials")
    for line in report.lines():  # what went where, what was skipped and why
        click.echo(f"  {line}")
