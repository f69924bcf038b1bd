"""signatures at scale: indexes for every per-page query, per-status tallies kept by triggers

Revision ID: 0011_signature_scale
Revises: 0010_directory_translations
Create Date: 2026-11-30 06:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011_signature_scale'
down_revision = "0010_directory_translations"
branch_labels = None
depends_on = None

PUBLICLY_LISTED = "status = 'confirmed' AND public_display != 'none'"

# SQLite: one trigger per event. INSERT OR IGNORE then UPDATE, as UPSERT's ON CONFLICT is
# ambiguous inside a trigger body on older SQLite.
SQLITE_TRIGGERS = (
    """CREATE TRIGGER signature_tally_insert AFTER INSERT ON signatures BEGIN
         INSERT OR IGNORE INTO signature_tallies (appeal_id, status, count)
           VALUES (NEW.appeal_id, NEW.status, 0);
         UPDATE signature_tallies SET count = count + 1
           WHERE appeal_id = NEW.appeal_id AND status = NEW.status;
       END""",
    """CREATE TRIGGER signature_tally_update AFTER UPDATE OF status ON signatures
         WHEN OLD.status IS NOT NEW.status BEGIN
         UPDATE signature_tallies SET count = count - 1
           WHERE appeal_id = OLD.appeal_id AND status = OLD.status;
         INSERT OR IGNORE INTO signature_tallies (appeal_id, status, count)
           VALUES (NEW.appeal_id, NEW.status, 0);
         UPDATE signature_tallies SET count = count + 1
           WHERE appeal_id = NEW.appeal_id AND status = NEW.status;
       END""",
    """CREATE TRIGGER signature_tally_delete AFTER DELETE ON signatures BEGIN
         UPDATE signature_tallies SET count = count - 1
           WHERE appeal_id = OLD.appeal_id AND status = OLD.status;
       END""",
)

# PostgreSQL: statement-level triggers over transition tables, one tally change per statement
# and status. A row-level trigger would update the same tally row once per signature, and a
# bulk statement (COPY, expiring a batch) would walk an ever longer chain of row versions.
POSTGRESQL_TRIGGERS = (
    """CREATE FUNCTION signature_tally_add() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO signature_tallies (appeal_id, status, count)
           SELECT appeal_id, status, count(*) FROM new_rows GROUP BY appeal_id, status
           ON CONFLICT (appeal_id, status)
           DO UPDATE SET count = signature_tallies.count + excluded.count;
         RETURN NULL;
       END $$""",
    """CREATE FUNCTION signature_tally_remove() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE signature_tallies SET count = signature_tallies.count - gone.n
           FROM (SELECT appeal_id, status, count(*) AS n FROM old_rows
                 GROUP BY appeal_id, status) AS gone
           WHERE signature_tallies.appeal_id = gone.appeal_id
             AND signature_tallies.status = gone.status;
         RETURN NULL;
       END $$""",
    """CREATE FUNCTION signature_tally_move() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE signature_tallies SET count = signature_tallies.count - moved.n
           FROM (SELECT o.appeal_id, o.status, count(*) AS n
                 FROM old_rows o JOIN new_rows n ON n.id = o.id
                 WHERE o.status IS DISTINCT FROM n.status GROUP BY o.appeal_id, o.status) AS moved
           WHERE signature_tallies.appeal_id = moved.appeal_id
             AND signature_tallies.status = moved.status;
         INSERT INTO signature_tallies (appeal_id, status, count)
           SELECT n.appeal_id, n.status, count(*)
           FROM old_rows o JOIN new_rows n ON n.id = o.id
           WHERE o.status IS DISTINCT FROM n.status GROUP BY n.appeal_id, n.status
           ON CONFLICT (appeal_id, status)
           DO UPDATE SET count = signature_tallies.count + excluded.count;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER signature_tally_insert AFTER INSERT ON signatures
       REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
       EXECUTE FUNCTION signature_tally_add()""",
    """CREATE TRIGGER signature_tally_delete AFTER DELETE ON signatures
       REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
       EXECUTE FUNCTION signature_tally_remove()""",
    """CREATE TRIGGER signature_tally_update AFTER UPDATE ON signatures
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
       EXECUTE FUNCTION signature_tally_move()""",
)


def upgrade():
    op.create_table(
        'signature_tallies',
        sa.Column('appeal_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['appeal_id'], ['appeals.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('appeal_id', 'status'),
    )
    op.execute(
        "INSERT INTO signature_tallies (appeal_id, status, count) "
        "SELECT appeal_id, status, count(*) FROM signatures GROUP BY appeal_id, status"
    )
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_index('ix_signatures_appeal_status')
        batch_op.create_index('ix_signatures_appeal_status', ['appeal_id', 'status', 'id'],
                              unique=False)
        batch_op.create_index('ix_signatures_appeal_id', ['appeal_id', 'id'], unique=False)
        batch_op.create_index('ix_signatures_public_recent', ['appeal_id', 'confirmed_at'],
                              unique=False, sqlite_where=sa.text(PUBLICLY_LISTED),
                              postgresql_where=sa.text(PUBLICLY_LISTED))
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.create_index('ix_tokens_subject', ['subject_id'], unique=False)
    # Last: a batch operation that rebuilt the table would drop its triggers.
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for statement in POSTGRESQL_TRIGGERS if postgresql else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade():
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.drop_index('ix_tokens_subject')
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_index('ix_signatures_public_recent')
        batch_op.drop_index('ix_signatures_appeal_id')
        batch_op.drop_index('ix_signatures_appeal_status')
        batch_op.create_index('ix_signatures_appeal_status', ['appeal_id', 'status'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        for name, function in (('signature_tally_insert', 'signature_tally_add'),
                               ('signature_tally_delete', 'signature_tally_remove'),
                               ('signature_tally_update', 'signature_tally_move')):
            op.execute(f"DROP TRIGGER {name} ON signatures")
            op.execute(f"DROP FUNCTION {function}()")
    else:
        for name in ('signature_tally_insert', 'signature_tally_update', 'signature_tally_delete'):
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table('signature_tallies')
