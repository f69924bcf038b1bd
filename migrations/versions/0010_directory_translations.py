"""organizations, posts, persons .translations: directory names per language (JSON)

Revision ID: 0010_directory_translations
Revises: 0009_appeal_translations
Create Date: 2026-11-24 23:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010_directory_translations'
down_revision = '0009_appeal_translations'
branch_labels = None
depends_on = None

TABLES = ('organizations', 'persons', 'posts')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=True))


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('translations')
