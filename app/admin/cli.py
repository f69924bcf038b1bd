"""`flask backup PATH`, `flask restore PATH` and privacy housekeeping."""
import click


@click.group("admin")
def admin_cli() -> None:
    """Backups and privacy housekeeping."""
