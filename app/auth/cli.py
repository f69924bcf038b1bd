"""`flask users create EMAIL --role coordinator`."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from app.auth.service import UserExists, create_user
from app.models.enums import UserRole

MIN_PASSWORD_LENGTH = 12


@click.group("users")
def users_cli() -> None:
    """Manage coordinator and staff accounts."""


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in UserRole]), default="coordinator")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_command(email: str, role: str, password_stdin: bool) -> None:
    """Create an account; the password is prompted for, or read from stdin."""
    if password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.UsageError(f"password: use at least {MIN_PASSWORD_LENGTH} characters")
    try:
        create_user(email, password, role=role)
    except UserExists:
        raise click.UsageError(f"email: an account for {email} already exists") from None
    click.echo(f"Created {role} account {email}")
