"""Server time of the campaign charts for an appeal with no signatures and one with N.

    .venv/bin/python bench/charts.py [--quick] [--existing N] [--repeat R]

Builds a SQLite database with the real migrations (bench/plans.py's appeal), bulk-loads N
signatures into it (bench/bulk.py; default and --quick: 100,000) and adds an empty appeal.
In-process, each figure is the median of R runs:

- `bare_ms`: a bare request (`/healthz` through the test client), the framework's floor;
- `charts_ms_0`, `charts_ms_100k`: building every chart (queries, drawing) of one appeal;
- `page_ms_0`, `page_ms_100k`: the coordinator's whole appeal page, charts included;
- `dashboard_ms_100k`: the dashboard, charts of every appeal included;
- `scan_groupby_ms_100k`: for comparison, one GROUP BY day over the `signatures` rows
  themselves (what the charts would cost without the `signature_days` summary).

Target: `charts_ms_100k` < 200 on 2 cores, and about `charts_ms_0`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]
from bulk import load_sqlite  # noqa: E402
from plans import SLUG, build  # noqa: E402

EMPTY = "bench-empty"


def median_ms(action, repeat: int) -> float:  # noqa: ANN001
    action()  # warm: templates compiled, statements cached
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def add_empty_appeal(app) -> int:  # noqa: ANN001
    from app.extensions import db
    from app.models import Appeal

    with app.app_context():
        appeal = Appeal(slug=EMPTY, title="An appeal nobody signed yet", state="open")
        db.session.add(appeal)
        db.session.commit()
        return appeal.id


def chart_time(app, slug: str, repeat: int) -> float:  # noqa: ANN001
    from sqlalchemy import select

    from app.campaign_charts.charts import appeal_goal, campaign_charts
    from app.extensions import db
    from app.models import Appeal

    with app.test_request_context("/coordinator/"):
        appeal = db.session.scalar(select(Appeal).where(Appeal.slug == slug))
        return median_ms(lambda: campaign_charts([appeal.id], appeal_goal(appeal)), repeat)


def page_time(client, path: str, repeat: int) -> float:  # noqa: ANN001
    def get() -> None:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)

    return median_ms(get, repeat)


def scan_time(app, repeat: int) -> float:  # noqa: ANN001
    from sqlalchemy import text

    from app.extensions import db

    query = text("SELECT date(created_at), status, count(*) FROM signatures "
                 "WHERE appeal_id = 1 GROUP BY 1, 2")
    with app.app_context():
        return median_ms(lambda: db.session.execute(query).all(), repeat)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--existing", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="the default 100,000, fewer repeats")
    parser.add_argument("--repeat", type=int, default=None)
    args = parser.parse_args()
    repeat = args.repeat or (10 if args.quick else 30)
    path = Path(tempfile.mkdtemp()) / "charts.sqlite3"
    app = build(f"sqlite:///{path}")
    load_sqlite(str(path), 1, 1, args.existing)
    add_empty_appeal(app)
    client = app.test_client()
    client.post("/login", data={"email": "plans@example.org", "password": "a long plans password"})
    label = f"{args.existing // 1000}k"
    figures = {
        "bare_ms": page_time(client, "/healthz", repeat),
        "charts_ms_0": chart_time(app, EMPTY, repeat),
        f"charts_ms_{label}": chart_time(app, SLUG, repeat),
        "page_ms_0": page_time(client, f"/coordinator/appeals/{EMPTY}", repeat),
        f"page_ms_{label}": page_time(client, f"/coordinator/appeals/{SLUG}", repeat),
        f"dashboard_ms_{label}": page_time(client, "/coordinator/", repeat),
        f"scan_groupby_ms_{label}": scan_time(app, max(repeat // 3, 3)),
    }
    for name, value in figures.items():
        print(f"{name}: {value:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
