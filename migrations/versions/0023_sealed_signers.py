"""sealed signers: organisation public keys, sealed signer details, high-risk appeals (issue 19)

Revision ID: 0023_sealed_signers
Revises: 0022_public_page
Create Date: 2026-11-30 08:40:00

The clear columns `signatures.city` and `message` stay for now: the organisations' keys do
not exist yet when this runs, so `flask sealing seal-existing` seals and empties them later.
"""
from alembic import op
import sqlalchemy as sa


revision = "0023_sealed_signers"
down_revision = "0022_public_page"
branch_labels = None
depends_on = None

# The tally triggers of 0011_signature_scale and the per-day triggers of 0021_campaign_people:
# a batch rebuild of `signatures` on SQLite drops them, so they are dropped first and created
# again afterwards (PostgreSQL alters in place).
SQLITE_TRIGGER_NAMES = ("signature_tally_insert", "signature_tally_update",
                        "signature_tally_delete", "signature_day_insert", "signature_day_update",
                        "signature_day_delete")
TRIGGER_MIGRATIONS = ("0011_signature_scale.py", "0021_campaign_people.py")


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _recreate_sqlite_triggers() -> None:
    for filename in TRIGGER_MIGRATIONS:
        for statement in _load(filename).SQLITE_TRIGGERS:
            op.execute(statement)


def _load(filename: str):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).with_name(filename)
    spec = importlib.util.spec_from_file_location(f"migration_{filename[:4]}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _alter_signatures(*, nullable: bool) -> None:
    if _sqlite():
        for name in SQLITE_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("signatures", schema=None) as batch_op:
        if nullable:
            batch_op.add_column(sa.Column("sealed", sa.LargeBinary(), nullable=True))
            batch_op.add_column(sa.Column("own_copy", sa.LargeBinary(), nullable=True))
        batch_op.alter_column("name", existing_type=sa.String(length=200), nullable=nullable)
        batch_op.alter_column("email_hash", existing_type=sa.String(length=64),
                              nullable=nullable)
        if not nullable:
            batch_op.drop_column("own_copy")
            batch_op.drop_column("sealed")
    if _sqlite():
        _recreate_sqlite_triggers()


def upgrade():
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public_key", sa.LargeBinary(length=32), nullable=True))
        batch_op.add_column(sa.Column("key_created_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("high_risk", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signature_id", sa.Integer(), nullable=True))
    _alter_signatures(nullable=True)


def downgrade():
    op.execute("UPDATE signatures SET name = '' WHERE name IS NULL")
    op.execute("UPDATE signatures SET email_hash = 'sealed-' || id WHERE email_hash IS NULL")
    _alter_signatures(nullable=False)
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("signature_id")
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.drop_column("high_risk")
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_column("key_created_at")
        batch_op.drop_column("public_key")
