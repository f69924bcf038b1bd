"""`flask directory check|import|export`."""
import click


@click.group("directory")
def directory_cli() -> None:
    """Validate, import and export the recipient directory (recipients/*.yaml)."""
