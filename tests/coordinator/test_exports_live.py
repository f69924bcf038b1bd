"""The signatures CSV export through a real gunicorn: streamed a batch at a time, complete."""

from __future__ import annotations

import csv
import http.cookiejar
import io
import urllib.parse
import urllib.request

from sqlalchemy import insert

from app.auth.service import create_user
from app.extensions import db as _db
from app.models import Signature, utcnow
from tests.builders import make_appeal, make_group
from tests.conftest import csrf_token

SIGNERS = 4500  # more than two batches of the export


def _seed(app) -> str:
    with app.app_context():
        appeal = make_appeal(group=make_group())
        now = utcnow()
        _db.session.execute(insert(Signature), [
            {"appeal_id": appeal.id, "name": f"Signer {i}", "email": f"s{i}@example.org",
             "email_hash": f"h{i}", "country": "KZ", "city": "=HYPERLINK(1)" if i == 7 else None,
             "status": "confirmed", "created_at": now, "confirmed_at": now}
            for i in range(SIGNERS)])
        create_user("coord@example.org", "correct horse battery", role="coordinator", group=appeal.group)
        _db.session.commit()
        return appeal.slug


class Browser:
    """urllib with a cookie jar: logs in over HTTP like a coordinator's browser."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path: str) -> str:
        return self.opener.open(self.base + path, timeout=30).read().decode()

    def post(self, path: str, fields: dict):  # noqa: ANN201
        body = urllib.parse.urlencode(fields).encode()
        return self.opener.open(self.base + path, data=body, timeout=60)

    def log_in(self, email: str, password: str) -> None:
        token = csrf_token(self.get("/login"))
        self.post("/login", {"csrf_token": token, "email": email, "password": password})


def test_signatures_csv_export_streams_every_row_under_gunicorn(app, gunicorn_server):
    slug = _seed(app)
    browser = Browser(gunicorn_server.url)
    browser.log_in("coord@example.org", "correct horse battery")
    page = browser.get(f"/coordinator/appeals/{slug}")
    response = browser.post(f"/coordinator/appeals/{slug}/signatures.csv",
                            {"csrf_token": csrf_token(page)})
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.read().decode())))
    assert rows[0][:2] == ["name", "country"] and "email" not in rows[0]
    assert [row[0] for row in rows[1:]] == [f"Signer {i}" for i in range(SIGNERS)]
    assert rows[8][2] == "'=HYPERLINK(1)"  # still safe to open in a spreadsheet
    assert "Traceback" not in gunicorn_server.log()
