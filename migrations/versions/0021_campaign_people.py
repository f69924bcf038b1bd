"""signature_days (per-day counts for the campaign charts, kept by triggers), groups.logo_png

Revision ID: 0021_campaign_people
Revises: 0020_campaign_lifecycle
Create Date: 2026-11-30 08:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = "0021_campaign_people"
down_revision = "0020_campaign_lifecycle"
branch_labels = None
depends_on = None

KEY = "appeal_id = {0}.appeal_id AND day = date({0}.created_at) AND country = {0}.country " \
      "AND status = {0}.status"

# SQLite: one trigger per event, INSERT OR IGNORE then UPDATE (as 0011_signature_scale does).
SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER signature_day_insert AFTER INSERT ON signatures BEGIN
         INSERT OR IGNORE INTO signature_days (appeal_id, day, country, status, count)
           VALUES (NEW.appeal_id, date(NEW.created_at), NEW.country, NEW.status, 0);
         UPDATE signature_days SET count = count + 1 WHERE {KEY.format('NEW')};
       END""",
    f"""CREATE TRIGGER signature_day_update AFTER UPDATE OF status, country, created_at
         ON signatures
         WHEN OLD.status IS NOT NEW.status OR OLD.country IS NOT NEW.country
           OR date(OLD.created_at) IS NOT date(NEW.created_at) BEGIN
         UPDATE signature_days SET count = count - 1 WHERE {KEY.format('OLD')};
         INSERT OR IGNORE INTO signature_days (appeal_id, day, country, status, count)
           VALUES (NEW.appeal_id, date(NEW.created_at), NEW.country, NEW.status, 0);
         UPDATE signature_days SET count = count + 1 WHERE {KEY.format('NEW')};
       END""",
    f"""CREATE TRIGGER signature_day_delete AFTER DELETE ON signatures BEGIN
         UPDATE signature_days SET count = count - 1 WHERE {KEY.format('OLD')};
       END""",
)

PG_GROUP = "appeal_id, created_at::date, country, status"
PG_MATCH = ("signature_days.appeal_id = d.appeal_id AND signature_days.day = d.day "
            "AND signature_days.country = d.country AND signature_days.status = d.status")
PG_CHANGED = ("o.status IS DISTINCT FROM n.status OR o.country IS DISTINCT FROM n.country "
              "OR o.created_at::date IS DISTINCT FROM n.created_at::date")

# PostgreSQL: statement-level triggers over transition tables, one change per statement and key
# (a COPY of a million rows touches each day's row once, not once per signature).
POSTGRESQL_TRIGGERS = (
    f"""CREATE FUNCTION signature_day_add() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO signature_days (appeal_id, day, country, status, count)
           SELECT {PG_GROUP}, count(*) FROM new_rows GROUP BY {PG_GROUP}
           ON CONFLICT (appeal_id, day, country, status)
           DO UPDATE SET count = signature_days.count + excluded.count;
         RETURN NULL;
       END $$""",
    f"""CREATE FUNCTION signature_day_remove() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE signature_days SET count = signature_days.count - d.n
           FROM (SELECT appeal_id, created_at::date AS day, country, status, count(*) AS n
                 FROM old_rows GROUP BY {PG_GROUP}) AS d
           WHERE {PG_MATCH};
         RETURN NULL;
       END $$""",
    f"""CREATE FUNCTION signature_day_move() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE signature_days SET count = signature_days.count - d.n
           FROM (SELECT o.appeal_id, o.created_at::date AS day, o.country, o.status,
                        count(*) AS n
                 FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {PG_CHANGED}
                 GROUP BY o.appeal_id, o.created_at::date, o.country, o.status) AS d
           WHERE {PG_MATCH};
         INSERT INTO signature_days (appeal_id, day, country, status, count)
           SELECT n.appeal_id, n.created_at::date, n.country, n.status, count(*)
           FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {PG_CHANGED}
           GROUP BY n.appeal_id, n.created_at::date, n.country, n.status
           ON CONFLICT (appeal_id, day, country, status)
           DO UPDATE SET count = signature_days.count + excluded.count;
         RETURN NULL;
       END $$""",
    """CREATE TRIGGER signature_day_insert AFTER INSERT ON signatures
       REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
       EXECUTE FUNCTION signature_day_add()""",
    """CREATE TRIGGER signature_day_delete AFTER DELETE ON signatures
       REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
       EXECUTE FUNCTION signature_day_remove()""",
    """CREATE TRIGGER signature_day_update AFTER UPDATE ON signatures
       REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
       EXECUTE FUNCTION signature_day_move()""",
)
PG_NAMES = (("signature_day_insert", "signature_day_add"),
            ("signature_day_delete", "signature_day_remove"),
            ("signature_day_update", "signature_day_move"))


def upgrade():
    op.create_table(
        "signature_days",
        sa.Column("appeal_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["appeal_id"], ["appeals.id"],
                                name=op.f("fk_signature_days_appeal_id_appeals"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("appeal_id", "day", "country", "status",
                                name=op.f("pk_signature_days")),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    day = "created_at::date" if postgresql else "date(created_at)"
    op.execute(
        "INSERT INTO signature_days (appeal_id, day, country, status, count) "
        f"SELECT appeal_id, {day}, country, status, count(*) FROM signatures "
        f"GROUP BY appeal_id, {day}, country, status"
    )
    for statement in POSTGRESQL_TRIGGERS if postgresql else SQLITE_TRIGGERS:
        op.execute(statement)
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.add_column(sa.Column("logo_png", sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_column("logo_png")
    if op.get_bind().dialect.name == "postgresql":
        for name, function in PG_NAMES:
            op.execute(f"DROP TRIGGER {name} ON signatures")
            op.execute(f"DROP FUNCTION {function}()")
    else:
        for name, _function in PG_NAMES:
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table("signature_days")
