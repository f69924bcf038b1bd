"""Query plans of the public page, signing and the coordinator's lists at N signatures.

    .venv/bin/python bench/plans.py [--existing N] [--postgresql URL]

Builds the schema with the real migrations, one open appeal with N signatures (default
1,000,000; bench/bulk.py), then serves in-process: the public page (cache off), a signature,
the coordinator's signer list (first page and a keyset page), the dashboard, the suspect list
and one batch of the CSV export. Every statement they send that names `signatures` is shown
with the database's own EXPLAIN. SQLite always; PostgreSQL too with --postgresql (an admin
URL: a throw-away database is created and dropped). Prints Markdown (docs/scale.md holds it).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]
from bulk import load_postgresql, load_sqlite  # noqa: E402

SLUG = "bench-appeal"


def build(url: str) -> object:
    from datetime import date

    from flask_migrate import upgrade

    from app import create_app
    from app.auth.service import create_user
    from app.config import TestConfig
    from app.extensions import db
    from app.models import Appeal, AppealRecipient, Demand, Membership, Organization, Person, Post

    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False,
                     INSTANCE_DIR=tempfile.mkdtemp())
    with app.app_context():
        upgrade(revision="heads")
        org = Organization(slug="kz-gp", name="Prosecutor General's Office", kind="prosecutor",
                           country="KZ")
        post = Post(slug="kz-pg", label="Prosecutor General", organization=org,
                    salutation="Dear Prosecutor General")
        post.memberships.append(Membership(person=Person(slug="pg", name="Berik Asylov"),
                                           start_date=date(2022, 1, 1)))
        appeal = Appeal(slug=SLUG, title="Free the journalist", summary="On trial.",
                        body_md="The case.", state="open")
        appeal.recipients.append(AppealRecipient(post=post, role="to", position=0))
        appeal.demands.append(Demand(number=1, authority="the Prosecutor General",
                                     text="Drop the charges."))
        db.session.add(appeal)
        create_user("plans@example.org", "a long plans password", role="admin")
        db.session.commit()
    return app


def requests(app) -> None:  # noqa: ANN001
    from sqlalchemy import select

    from app.coordinator.exports import signatures_csv
    from app.extensions import db
    from app.models import OutboxMessage

    client = app.test_client()
    client.get(f"/a/{SLUG}")
    client.post(f"/a/{SLUG}", data={"name": "Aigerim", "email": "plans@example.org",
                                    "country": "KZ", "recipients": ["1"]})
    with app.app_context():
        body = db.session.scalar(select(OutboxMessage.body_text).order_by(OutboxMessage.id.desc()))
    client.post("/confirm/" + re.search(r"/confirm/([\w-]+)", body).group(1))
    client.post("/login", data={"email": "plans@example.org", "password": "a long plans password"})
    client.get(f"/coordinator/appeals/{SLUG}")
    client.get(f"/coordinator/appeals/{SLUG}?before=500000")
    client.get("/coordinator/")
    client.get(f"/coordinator/appeals/{SLUG}/suspect")
    with app.app_context():
        next(iter(signatures_csv(1)))
        next(iter(signatures_csv(1)))


def plans(app) -> list[tuple[str, str]]:  # noqa: ANN001
    from sqlalchemy import event

    from app.extensions import db

    seen: dict[str, object] = {}

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        if re.search(r"\bsignature(s|_tallies)\b", statement) and not statement.startswith("EXPLAIN"):
            seen.setdefault(statement, parameters)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        requests(app)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    out = []
    with app.app_context(), db.engine.connect() as conn:
        postgresql = conn.dialect.name == "postgresql"
        explain = "EXPLAIN " if postgresql else "EXPLAIN QUERY PLAN "
        for statement, parameters in seen.items():
            rows = conn.exec_driver_sql(explain + statement, parameters).all()
            out.append((statement, "\n".join(str(row[-1]) for row in rows)))
        conn.rollback()
    return out


def markdown(title: str, results: list[tuple[str, str]], seconds: float) -> str:
    lines = [f"#### {title}", "", f"(bulk load {seconds:.0f} s)", ""]
    for statement, plan in results:
        lines += ["```sql", re.sub(r"\s+", " ", statement).strip(), "```", "```", plan, "```", ""]
    return "\n".join(lines)


def run(url: str, loader, label: str, existing: int) -> str:  # noqa: ANN001
    app = build(url)
    started = time.perf_counter()
    loader(existing)
    return markdown(label, plans(app), time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--existing", type=int, default=None, help="default 1,000,000")
    parser.add_argument("--quick", action="store_true", help="100,000 signatures")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--postgresql", help="admin URL, e.g. postgresql://postgres@127.0.0.1:54329/postgres")
    args = parser.parse_args()
    args.existing = args.existing or (100_000 if args.quick else 1_000_000)
    os.environ.setdefault("APPEAL_DESK_INSTANCE", tempfile.mkdtemp())
    path = Path(tempfile.mkdtemp()) / "plans.sqlite3"
    if not args.no_sqlite:
        print(run(f"sqlite:///{path}", lambda n: load_sqlite(str(path), 1, 1, n),
                  f"SQLite, {args.existing:,} signatures", args.existing))
    if args.postgresql:
        import psycopg

        name = f"appeal_desk_plans_{os.getpid()}"
        with psycopg.connect(args.postgresql, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        url = re.sub(r"/[^/]*$", f"/{name}", args.postgresql)
        try:
            print(run(url.replace("postgresql://", "postgresql+psycopg://"),
                      lambda n: load_postgresql(url, 1, 1, n),
                      f"PostgreSQL, {args.existing:,} signatures", args.existing))
        finally:
            with psycopg.connect(args.postgresql, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
