"""`flask webhooks deliver`: the webhook side of the outbox, next to `flask worker`."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from app.webhooks.delivery import deliver_due

webhooks_cli = AppGroup("webhooks", help="Signed webhooks for other tools (docs/api.md).")


@webhooks_cli.command("deliver")
@click.option("--once", is_flag=True, help="One round, then exit.")
@click.option("--sleep", default=5.0, show_default=True, help="Seconds between idle rounds.")
def deliver_command(once: bool, sleep: float) -> None:
    """Send due webhook events, retrying failed ones with back-off."""
    while True:
        sent = deliver_due()
        if once:
            click.echo(f"webhooks sent: {sent}")
            return
        if not sent:
            time.sleep(sleep)
