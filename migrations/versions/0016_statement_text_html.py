"""statements.text_html: the statement text rendered when saved, served to the public as is

Revision ID: 0016_statement_text_html
Revises: 0014_event_date_precision
Create Date: 2026-11-30 06:20:00

Existing statements are rendered on their next save, or all at once with
`flask statements render-texts` (rendering needs the application, not just the schema).
"""
from alembic import op
import sqlalchemy as sa


revision = '0016_statement_text_html'
down_revision = "0014_event_date_precision"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_html', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_column('text_html')
