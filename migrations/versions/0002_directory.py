"""directory: file group and position for round-trip export, collective posts

Revision ID: 0002_directory
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002_directory"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("file_group", sa.String(length=40), server_default="other",
                                      nullable=False))
        batch_op.add_column(sa.Column("position", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("file_group", sa.String(length=40), server_default="other",
                                      nullable=False))
        batch_op.add_column(sa.Column("position", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("collective", sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column("position", sa.Integer(), server_default="0", nullable=False))


def downgrade():
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_column("position")
        batch_op.drop_column("collective")
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_column("position")
        batch_op.drop_column("file_group")
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_column("position")
        batch_op.drop_column("file_group")
