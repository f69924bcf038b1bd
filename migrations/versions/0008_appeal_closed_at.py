"""appeals.closed_at: the e-mail retention period counts from closing, not from the last edit

Revision ID: 0008_closed_at
Revises: 0007_merge
Create Date: 2026-11-24 22:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008_closed_at'
down_revision = '0007_merge'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))
    # Appeals closed before this column existed: their last change is the best date there is.
    op.execute("UPDATE appeals SET closed_at = updated_at WHERE state = 'closed'")


def downgrade():
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.drop_column('closed_at')
