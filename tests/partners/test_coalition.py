"""Coalitions: partner names on the public page and in the letters, each with its own count."""

from __future__ import annotations

import re

from app.letters.service import render_letter
from tests.builders import make_appeal, make_group
from tests.conftest import csrf_token
from tests.letters.helpers import appeal_with_posts, pdf_pages
from tests.partners.helpers import make_partner


def test_public_page_names_the_coalition(client, db):
    appeal = make_appeal(slug="batyrbekov")
    assert 'id="coalition"' not in client.get("/a/batyrbekov").get_data(as_text=True)
    make_partner(appeal, name="PEN Kazakhstan")
    make_partner(appeal, name="IFEX", code="ifex")
    html = client.get("/a/batyrbekov").get_data(as_text=True)
    assert re.search(r'id="coalition">Together with PEN Kazakhstan, IFEX</p>', html)


def test_joint_letter_names_the_coalition_under_the_running_group(db):
    appeal = appeal_with_posts()
    make_partner(appeal, name="PEN Kazakhstan")
    make_partner(appeal, name="IFEX", code="ifex")
    text = "\n".join(pdf_pages(render_letter(appeal, appeal.recipients[0].post)))
    assert "PEN Kazakhstan · IFEX" in text


def _partners_page(client, slug="batyrbekov"):
    return client.get(f"/coordinator/appeals/{slug}/partners/")


def test_coordinator_adds_partners_and_sees_counts_and_snippet(client, login, db):
    group = make_group()
    login(group=group)
    make_appeal(slug="batyrbekov", group=group)
    page = _partners_page(client).get_data(as_text=True)
    response = client.post("/coordinator/appeals/batyrbekov/partners/", data={
        "csrf_token": csrf_token(page), "name": "PEN Kazakhstan", "code": "pen-kz",
        "website": "https://pen.example.org", "frame_origins": "https://pen.example.org/\nhttps://Mirror.example.org"})
    assert response.status_code == 303
    html = _partners_page(client).get_data(as_text=True)
    assert ("&lt;iframe src=&#34;http://127.0.0.1:5000/embed/batyrbekov/pen-kz&#34;" in html
            or '&lt;iframe src="http://127.0.0.1:5000/embed/batyrbekov/pen-kz"' in html)
    assert re.search(r'id="partner-pen-kz">.*?<td class="count">0</td>', html, re.S)
    embed = client.get("/embed/batyrbekov/pen-kz")
    assert "frame-ancestors https://pen.example.org https://mirror.example.org;" in \
        embed.headers["Content-Security-Policy"]


def test_bad_origin_or_code_is_refused_with_the_field_named(client, login, db):
    group = make_group()
    login(group=group)
    make_partner(make_appeal(slug="batyrbekov", group=group))
    page = _partners_page(client).get_data(as_text=True)
    for field, value, message in (
            ("frame_origins", "https://ok.example.org https://x.example.org/path",
             "“https://x.example.org/path” is not an origin"),
            ("frame_origins", "https://a.example.org; script-src *",
             "“https://a.example.org;” is not an origin"),
            ("code", "Bad Code", "Use lower-case letters, digits and dashes."),
            ("code", "pen-kz", "Another partner of this appeal has this code.")):
        data = {"csrf_token": csrf_token(page), "name": "X", "code": "x", "frame_origins": ""}
        data[field] = value
        response = client.post("/coordinator/appeals/batyrbekov/partners/", data=data)
        assert response.status_code == 400, (field, value)
        assert message in response.get_data(as_text=True), (field, value)


def test_partners_of_another_groups_appeal_are_not_found(client, login, db):
    login(group=make_group())
    make_partner(make_appeal(slug="theirs", group=make_group(slug="other", name="Other")))
    assert _partners_page(client, "theirs").status_code == 404


def test_coordinator_changes_origins_and_removes_a_partner(client, login, db):
    group = make_group()
    login(group=group)
    partner = make_partner(make_appeal(slug="batyrbekov", group=group))
    partner_id = partner.id
    page = _partners_page(client).get_data(as_text=True)
    url = f"/coordinator/appeals/batyrbekov/partners/{partner_id}/origins"
    bad = client.post(url, data={"csrf_token": csrf_token(page), "frame_origins": "pen.example.org"})
    assert bad.status_code == 400 and "“pen.example.org” is not an origin" in bad.get_data(as_text=True)
    saved = client.post(url, data={"csrf_token": csrf_token(page),
                                   "frame_origins": "https://new.example.org"})
    assert saved.status_code == 303
    policy = client.get("/embed/batyrbekov/pen-kz").headers["Content-Security-Policy"]
    assert "frame-ancestors https://new.example.org;" in policy
    removed = client.post("/coordinator/appeals/batyrbekov/partners/remove",
                          data={"csrf_token": csrf_token(page), "partner_id": partner_id})
    assert removed.status_code == 303
    assert client.get("/embed/batyrbekov/pen-kz").status_code == 404
