"""appeals.translations: the letter text of an appeal in other languages (JSON)

Revision ID: 0009_appeal_translations
Revises: 0008_closed_at
Create Date: 2026-11-24 22:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_appeal_translations'
down_revision = '0008_closed_at'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.drop_column('translations')
