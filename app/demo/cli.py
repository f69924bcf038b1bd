"""`flask demo`: load the seed appeals, their recipients and a demo administrator (idempotent)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.demo.loader import load_demo


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load the demo data; running it again changes nothing."""
    for line in load_demo():
        click.echo(line)
