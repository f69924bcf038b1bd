"""`flask users create EMAIL --organisation SLUG` (or `--admin`), `flask users set-password EMAIL`."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.auth.service import MIN_PASSWORD_LENGTH, UnknownUser, UserExists, create_user, set_password
from app.extensions import db
from app.models import Group
from app.models.enums import UserRole


@click.group("users")
def users_cli() -> None:
    """Manage coordinator and staff accounts."""


def _read_password(from_stdin: bool) -> str:
    """The password from stdin (one line) or prompted twice; refused when too short."""
    if from_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise click.UsageError(f"password: use at least {MIN_PASSWORD_LENGTH} characters")
    return password


def _organisation(slug: str | None, role: str) -> Group | None:
    """The existing organisation named by --organisation; coordinators and staff must have one."""
    if slug is None:
        if role in (UserRole.COORDINATOR, UserRole.STAFF):
            raise click.UsageError(
                f"organisation: {role} accounts see the appeals of one organisation; give "
                "--organisation SLUG (an existing one), or --admin for an account that sees all")
        return None
    group = db.session.scalar(select(Group).where(Group.slug == slug))
    if group is None:
        known = ", ".join(db.session.scalars(select(Group.slug).order_by(Group.slug))) or "none yet"
        raise click.UsageError(f"organisation: there is no organisation {slug!r} (known: {known})")
    return group


@users_cli.command("create")
@click.argument("email")
@click.option("--organisation", "organisation", metavar="SLUG",
              help="The organisation (group slug) whose appeals the account may see.")
@click.option("--admin", is_flag=True, help="An administrator: sees every organisation.")
@click.option("--role", type=click.Choice([r.value for r in UserRole if r != UserRole.ADMIN]),
              default="coordinator")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_command(email: str, organisation: str | None, admin: bool, role: str,
                   password_stdin: bool) -> None:
    """Create an account; the password is prompted for, or read from stdin."""
    role = UserRole.ADMIN.value if admin else role
    group = _organisation(organisation, role)
    password = _read_password(password_stdin)
    try:
        create_user(email, password, role=role, group=group)
    except UserExists:
        raise click.UsageError(f"email: an account for {email} already exists") from None
    click.echo(f"Created {role} account {email}" + (f" in {group.slug}" if group else ""))


@users_cli.command("set-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def set_password_command(email: str, password_stdin: bool) -> None:
    """Give an account a new password (prompted, or read from stdin); ends its sessions."""
    password = _read_password(password_stdin)
    try:
        set_password(email, password)
    except UnknownUser:
        raise click.UsageError(f"email: there is no account for {email}") from None
    click.echo(f"New password set for {email}; its earlier sessions are logged out.")
