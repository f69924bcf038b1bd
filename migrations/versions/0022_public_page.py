"""appeals.pitch and signature_goal, appeal_photos, share_counts, pending_share_referrals (issue 17)

Revision ID: 0022_public_page
Revises: 0021_campaign_people
"""
from alembic import op
import sqlalchemy as sa


revision = "0022_public_page"
down_revision = "0021_campaign_people"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pitch", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("signature_goal", sa.Integer(), nullable=True))

    op.create_table(
        "appeal_photos",
        sa.Column("appeal_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=80), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("alt", sa.String(length=300), nullable=False),
        sa.Column("credit", sa.String(length=300), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["appeal_id"], ["appeals.id"],
                                name=op.f("fk_appeal_photos_appeal_id_appeals"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("appeal_id", name=op.f("pk_appeal_photos")),
        sa.UniqueConstraint("file_name", name=op.f("uq_appeal_photos_file_name")),
    )
    op.create_table(
        "share_counts",
        sa.Column("appeal_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("confirmed_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["appeal_id"], ["appeals.id"],
                                name=op.f("fk_share_counts_appeal_id_appeals"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("appeal_id", "channel", name=op.f("pk_share_counts")),
    )
    op.create_table(
        "pending_share_referrals",
        sa.Column("signature_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["signature_id"], ["signatures.id"],
                                name=op.f("fk_pending_share_referrals_signature_id_signatures"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("signature_id", name=op.f("pk_pending_share_referrals")),
    )


def downgrade():
    op.drop_table("pending_share_referrals")
    op.drop_table("share_counts")
    op.drop_table("appeal_photos")
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.drop_column("signature_goal")
        batch_op.drop_column("pitch")
