"""`flask statements …`."""
import click


@click.group("statements")
def statements_cli() -> None:
    """Organisational sign-on statements."""
