"""signatures, statement_org_signatures, statement_cosigners .language: the language a person
signed in, so that every e-mail to them is in that language

Revision ID: 0013_signer_language
Revises: 0012_user_session_generation
Create Date: 2026-11-30 06:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013_signer_language'
down_revision = "0012_user_session_generation"
branch_labels = None
depends_on = None

TABLES = ('signatures', 'statement_org_signatures', 'statement_cosigners')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('language')
