"""The campaign charts: valid SVG with every number beside it, at 0 and 100,000 signatures."""

from __future__ import annotations

import re
import time
from datetime import date, datetime, timedelta
from xml.etree import ElementTree as ET

from sqlalchemy import insert, select, update

from app.extensions import db as _db
from app.models import Delivery, OfficialReply, Signature, SignatureDay
from app.security import CONTENT_SECURITY_POLICY
from tests.builders import make_appeal, make_group, make_post

SVG = re.compile(r"<svg\b.*?</svg>", re.S)
START = datetime(2026, 10, 1, 9, 0)


def bulk_signatures(appeal, n: int) -> None:
    """n signatures over 20 days: 80 % confirmed, KZ / RU / DE, in one executemany."""
    countries = ("KZ", "KZ", "KZ", "RU", "DE")
    rows = [{"appeal_id": appeal.id, "name": f"Signer {i}", "email": None,
             "email_hash": f"h{appeal.id}-{i}", "country": countries[i % 5],
             "status": "pending" if (i // 5) % 5 == 4 else "confirmed",
             "created_at": START + timedelta(seconds=i * 20 * 86400 // n),
             "public_display": "none", "letter_inclusion": "count_only", "wants_updates": False}
            for i in range(n)]
    connection = _db.session.connection()
    if connection.dialect.name == "postgresql":  # COPY: an executemany of 100,000 takes minutes
        columns = [c for c in rows[0] if c != "email"]
        with connection.connection.driver_connection.cursor() as cursor, cursor.copy(
                f"COPY signatures ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
    else:
        connection.execute(insert(Signature), rows)
    _db.session.commit()


def svgs(html: str) -> list[ET.Element]:
    found = SVG.findall(html)
    assert found, "no chart on the page"
    return [ET.fromstring(s) for s in found]


def chart_section(html: str) -> str:
    return html.split('<section class="charts"', 1)[1].split("</section>", 1)[0]


def assert_nothing_external(html: str) -> None:
    for drawing in SVG.findall(html):
        assert "http" not in drawing.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "href" not in drawing and "<image" not in drawing and "style=" not in drawing


def test_charts_of_an_appeal_with_no_signatures_are_valid_svg_with_zeros(client, db, login):
    appeal = make_appeal()
    login()
    response = client.get(f"/coordinator/appeals/{appeal.slug}")
    html = response.get_data(as_text=True)
    assert len(svgs(html)) == 5
    section = chart_section(html)
    assert "No signatures yet." in section
    assert "this appeal has no goal set" in section
    assert_nothing_external(html)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_charts_at_100000_signatures_show_the_numbers_beside_the_drawing(client, db, login):
    group = make_group()
    appeal = make_appeal(group=group)
    bulk_signatures(appeal, 100_000)
    post = make_post(slug="kz-prosecutor")
    _db.session.add_all([Delivery(appeal_id=appeal.id, post_id=post.id, channel="email",
                                  status="sent") for _ in range(3)]
                        + [Delivery(appeal_id=appeal.id, post_id=post.id, channel="post",
                                    status="sent"),
                           Delivery(appeal_id=appeal.id, post_id=post.id, channel="fax",
                                    status="failed"),
                           OfficialReply(appeal_id=appeal.id, received_on=date(2026, 10, 9),
                                         summary="We are looking into it.")])
    _db.session.commit()
    login()
    started = time.perf_counter()
    response = client.get(f"/coordinator/appeals/{appeal.slug}")
    elapsed = time.perf_counter() - started
    html = response.get_data(as_text=True)
    drawings = svgs(html)
    assert len(drawings) == 5
    section = chart_section(html)
    # 80,000 confirmed, 20,000 pending; 48,000 from Kazakhstan (3 in 5 of the confirmed).
    for number in ("80,000", "20,000", "48,000", "16,000"):
        assert f'<td class="num">{number}</td>' in section
    for country in ("Kazakhstan", "Russia", "Germany"):
        assert f'<th scope="row">{country}</th>' in section
    assert "KZ</th>" not in section
    assert re.search(r"E-mail \(sent by the service\)</th><td class=\"num\">3<", section)
    assert re.search(r"Replies received</th><td class=\"num\">1<", section)
    assert "Fax (sent by the service)" not in section  # failed, not sent
    assert section.count("<tr><th scope=\"row\">") >= 20 + 20  # a row per day, twice
    assert_nothing_external(html)
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert elapsed < 5  # a sanity bound only; bench/charts.py measures


def test_per_day_counts_follow_confirmation_and_deletion(db):
    appeal = make_appeal()
    bulk_signatures(appeal, 10)
    first = _db.session.scalar(select(Signature).order_by(Signature.id))
    _db.session.execute(update(Signature).where(Signature.id == first.id).values(status="pending"))
    _db.session.delete(_db.session.get(Signature, first.id + 1))
    _db.session.commit()
    counts = {(row.day, row.country, row.status): row.count
              for row in _db.session.scalars(select(SignatureDay))}
    kept = _db.session.execute(select(Signature.created_at, Signature.country, Signature.status))
    expected: dict = {}
    for created, country, status in kept:
        key = (created.date(), country, status)
        expected[key] = expected.get(key, 0) + 1
    assert {k: v for k, v in counts.items() if v} == expected


def test_dashboard_charts_add_up_the_appeals_a_coordinator_sees_only(client, db, login):
    mine, other = make_group(), make_group(slug="other", name="Other")
    bulk_signatures(make_appeal(group=mine), 50)
    bulk_signatures(make_appeal(slug="second", group=mine, posts=[]), 25)
    bulk_signatures(make_appeal(slug="theirs", group=other, posts=[]), 1000)
    login(group=mine)
    section = chart_section(client.get("/coordinator/").get_data(as_text=True))
    assert re.search(r"Confirmed</th><td class=\"num\">60<", section)  # 40 + 20, not 800 more
    assert "800" not in section


def test_goal_is_drawn_when_the_appeal_has_one(app_ctx, db):
    from app.campaign_charts.charts import appeal_goal, campaign_charts

    appeal = make_appeal()
    bulk_signatures(appeal, 100)
    appeal.signature_goal = 500  # the goal the public page's progress bar shows
    assert appeal_goal(appeal) == 500
    with app_ctx.test_request_context():
        chart = campaign_charts([appeal.id], appeal_goal(appeal))[1]
    assert "Goal: 500" in chart.svg and "80 of a goal of 500." in chart.summary
    assert ET.fromstring(str(chart.svg)).find("{http://www.w3.org/2000/svg}line") is not None
