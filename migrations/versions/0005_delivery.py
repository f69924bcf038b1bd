"""delivery: policy, outbox attachments and throttling, delivery log, official replies

Revision ID: 0005_delivery
Revises: 0001
Create Date: 2026-11-24 20:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0005_delivery'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('delivery_policies',
    sa.Column('appeal_id', sa.Integer(), nullable=False),
    sa.Column('send_email', sa.Boolean(), nullable=False),
    sa.Column('send_fax', sa.Boolean(), nullable=False),
    sa.Column('batching', sa.String(length=20), nullable=False),
    sa.Column('max_per_domain_per_hour', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeals.id'], name=op.f('fk_delivery_policies_appeal_id_appeals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('appeal_id', name=op.f('pk_delivery_policies'))
    )
    op.create_table('outbox_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['outbox_messages.id'], name=op.f('fk_outbox_attachments_message_id_outbox_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_attachments'))
    )
    with op.batch_alter_table('outbox_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_attachments_message_id'), ['message_id'], unique=False)

    op.create_table('deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appeal_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('recipient', sa.String(length=300), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('outbox_message_id', sa.Integer(), nullable=True),
    sa.Column('sent_by_user_id', sa.Integer(), nullable=True),
    sa.Column('signature_count', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=True),
    sa.Column('tracking_number', sa.String(length=100), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeals.id'], name=op.f('fk_deliveries_appeal_id_appeals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_messages.id'], name=op.f('fk_deliveries_outbox_message_id_outbox_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_deliveries_post_id_posts')),
    sa.ForeignKeyConstraint(['sent_by_user_id'], ['users.id'], name=op.f('fk_deliveries_sent_by_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliveries'))
    )
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliveries_appeal_id'), ['appeal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliveries_outbox_message_id'), ['outbox_message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliveries_post_id'), ['post_id'], unique=False)

    op.create_table('delivery_signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('signature_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['deliveries.id'], name=op.f('fk_delivery_signatures_delivery_id_deliveries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_delivery_signatures_post_id_posts')),
    sa.ForeignKeyConstraint(['signature_id'], ['signatures.id'], name=op.f('fk_delivery_signatures_signature_id_signatures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_signatures')),
    sa.UniqueConstraint('post_id', 'signature_id', name=op.f('uq_delivery_signatures_post_id'))
    )
    with op.batch_alter_table('delivery_signatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_signatures_delivery_id'), ['delivery_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delivery_signatures_signature_id'), ['signature_id'], unique=False)

    op.create_table('official_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('appeal_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('scan_path', sa.String(length=200), nullable=True),
    sa.Column('scan_content_type', sa.String(length=50), nullable=True),
    sa.Column('scan_size', sa.Integer(), nullable=True),
    sa.Column('recorded_by_user_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['appeal_id'], ['appeals.id'], name=op.f('fk_official_replies_appeal_id_appeals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['case_events.id'], name=op.f('fk_official_replies_event_id_case_events'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_official_replies_post_id_posts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recorded_by_user_id'], ['users.id'], name=op.f('fk_official_replies_recorded_by_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_official_replies'))
    )
    with op.batch_alter_table('official_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_official_replies_appeal_id'), ['appeal_id'], unique=False)

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_to', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('throttle_key', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('throttle_per_hour', sa.Integer(), nullable=True))
        batch_op.create_index('ix_outbox_throttle', ['throttle_key', 'sent_at'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_throttle')
        batch_op.drop_column('throttle_per_hour')
        batch_op.drop_column('throttle_key')
        batch_op.drop_column('reply_to')

    with op.batch_alter_table('official_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_official_replies_appeal_id'))
    op.drop_table('official_replies')
    with op.batch_alter_table('delivery_signatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_signatures_signature_id'))
        batch_op.drop_index(batch_op.f('ix_delivery_signatures_delivery_id'))
    op.drop_table('delivery_signatures')
    with op.batch_alter_table('deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliveries_post_id'))
        batch_op.drop_index(batch_op.f('ix_deliveries_outbox_message_id'))
        batch_op.drop_index(batch_op.f('ix_deliveries_appeal_id'))
    op.drop_table('deliveries')
    with op.batch_alter_table('outbox_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_attachments_message_id'))
    op.drop_table('outbox_attachments')
    op.drop_table('delivery_policies')
