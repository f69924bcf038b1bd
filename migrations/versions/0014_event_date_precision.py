"""case_events.date_precision: an event may be dated to the year or the month ("April 2017")

Revision ID: 0014_event_date_precision
Revises: 0013_signer_language
Create Date: 2026-11-30 06:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014_event_date_precision'
down_revision = "0013_signer_language"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('date_precision', sa.String(length=5), server_default='day',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_column('date_precision')
