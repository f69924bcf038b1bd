"""`flask letters render APPEAL --out DIR [--batch]`."""
import click


@click.group("letters")
def letters_cli() -> None:
    """Render letters to PDF."""
