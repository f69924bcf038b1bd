"""appeals.letter_requests: the coordinator's request per recipient role and language (issue 14)

Revision ID: 0024_letter_requests
Revises: 0023_sealed_signers
Create Date: 2026-11-30 08:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0024_letter_requests"
down_revision = "0023_sealed_signers"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("appeals") as batch_op:
        batch_op.add_column(sa.Column("letter_requests", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("appeals") as batch_op:
        batch_op.drop_column("letter_requests")
