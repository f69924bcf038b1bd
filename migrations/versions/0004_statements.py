"""organisational sign-on statements

Revision ID: 0004_statements
Revises: 0001
Create Date: 2026-11-24 20:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0004_statements'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appeal_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('intro', sa.Text(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('deadline', sa.DateTime(), nullable=True),
    sa.Column('allow_individuals', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('reopened_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeals.id'], name=op.f('fk_statements_appeal_id_appeals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statements')),
    sa.UniqueConstraint('slug', name=op.f('uq_statements_slug'))
    )
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statements_appeal_id'), ['appeal_id'], unique=False)

    op.create_table('statement_recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=4), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_statement_recipients_post_id_posts')),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_statement_recipients_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_recipients')),
    sa.UniqueConstraint('statement_id', 'post_id', name=op.f('uq_statement_recipients_statement_id'))
    )
    with op.batch_alter_table('statement_recipients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_statement_recipients_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_statement_recipients_statement_id'), ['statement_id'], unique=False)

    op.create_table('statement_org_signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('org_name', sa.String(length=300), nullable=False),
    sa.Column('name_key', sa.String(length=300), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('domain', sa.String(length=253), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_role', sa.String(length=200), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('consent_listed', sa.Boolean(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('domain_verified', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('moderation_note', sa.Text(), nullable=True),
    sa.Column('moderated_by_id', sa.Integer(), nullable=True),
    sa.Column('moderated_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['moderated_by_id'], ['users.id'], name=op.f('fk_statement_org_signatures_moderated_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_statement_org_signatures_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_org_signatures')),
    sa.UniqueConstraint('statement_id', 'name_key', name=op.f('uq_statement_org_signatures_statement_id'))
    )
    with op.batch_alter_table('statement_org_signatures', schema=None) as batch_op:
        batch_op.create_index('ix_statement_org_signatures_statement_domain', ['statement_id', 'domain'], unique=False)
        batch_op.create_index('ix_statement_org_signatures_statement_status', ['statement_id', 'status'], unique=False)

    op.create_table('statement_cosigners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('email_hash', sa.String(length=64), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('affiliation', sa.String(length=300), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['statement_id'], ['statements.id'], name=op.f('fk_statement_cosigners_statement_id_statements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_statement_cosigners')),
    sa.UniqueConstraint('statement_id', 'email_hash', name=op.f('uq_statement_cosigners_statement_id'))
    )
    with op.batch_alter_table('statement_cosigners', schema=None) as batch_op:
        batch_op.create_index('ix_statement_cosigners_statement_status', ['statement_id', 'status'], unique=False)


def downgrade():
    with op.batch_alter_table('statement_cosigners', schema=None) as batch_op:
        batch_op.drop_index('ix_statement_cosigners_statement_status')
    op.drop_table('statement_cosigners')
    with op.batch_alter_table('statement_org_signatures', schema=None) as batch_op:
        batch_op.drop_index('ix_statement_org_signatures_statement_status')
        batch_op.drop_index('ix_statement_org_signatures_statement_domain')
    op.drop_table('statement_org_signatures')
    with op.batch_alter_table('statement_recipients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statement_recipients_statement_id'))
        batch_op.drop_index(batch_op.f('ix_statement_recipients_post_id'))
    op.drop_table('statement_recipients')
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_statements_appeal_id'))
    op.drop_table('statements')
