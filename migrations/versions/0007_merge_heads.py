"""merge the area branches into one head

Each area (directory, statements, delivery, hardening) branched from 0001 while they were built
side by side; this revision joins them so `flask db upgrade` has one head to reach.

Revision ID: 0007_merge
Revises: 0002_directory, 0004_statements, 0005_delivery, 0006_hardening
"""

revision = "0007_merge"
down_revision = ("0002_directory", "0004_statements", "0005_delivery", "0006_hardening")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
