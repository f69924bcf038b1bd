"""`flask appeals list|export|import`."""
import click


@click.group("appeals")
def appeals_cli() -> None:
    """List, export and import appeals as YAML."""
