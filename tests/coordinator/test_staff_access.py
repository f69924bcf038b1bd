"""Office staff print, fax and log letters: they reach the letters page, its PDFs and batches,
and the delivery log where they record what they sent and the replies. They never reach a page
that shows signers, settings, the timeline or the outbox."""

from __future__ import annotations

from sqlalchemy import select

from app.models import Delivery
from tests.builders import make_appeal, make_group
from tests.conftest import csrf_token


def _staff(client, login):
    group = make_group()
    appeal = make_appeal(group=group, slug="free-him", title="Free the journalist")
    login(email="office@example.org", role="staff", group=group)
    return appeal


def test_staff_land_on_the_appeals_and_reach_letters_and_the_delivery_log(client, db, login):
    appeal = _staff(client, login)
    dashboard = client.get("/coordinator/")
    assert dashboard.status_code == 200
    html = dashboard.get_data(as_text=True)
    assert f'href="/coordinator/letters/{appeal.slug}/"' in html
    assert "/coordinator/appeals/free-him" not in html and 'id="new-appeal"' not in html
    assert "/coordinator/directory/" not in html and "/coordinator/outbox" not in html

    letters = client.get(f"/coordinator/letters/{appeal.slug}/")
    assert letters.status_code == 200
    post = appeal.recipients[0].post
    pdf = client.get(f"/coordinator/letters/{appeal.slug}/to/{post.slug}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.get(f"/coordinator/letters/{appeal.slug}/batch.csv").status_code == 200

    log = client.get(f"/coordinator/delivery/{appeal.slug}")
    assert log.status_code == 200
    page = log.get_data(as_text=True)
    assert 'action="/coordinator/delivery/free-him/hand#log"' in page
    assert "/policy" not in page and "/events" not in page  # settings and timeline: coordinators'
    recorded = client.post(f"/coordinator/delivery/{appeal.slug}/hand", data={
        "csrf_token": csrf_token(page), "post_id": post.id, "channel": "post",
        "sent_on": "2026-11-30", "tracking_number": "RR123456789KZ"})
    assert recorded.status_code == 303
    assert db.session.scalar(select(Delivery.tracking_number)) == "RR123456789KZ"


def test_staff_never_reach_signers_settings_or_the_timeline(client, db, login):
    appeal = _staff(client, login)
    for path in (f"/coordinator/appeals/{appeal.slug}", f"/coordinator/appeals/{appeal.slug}/signers",
                 "/coordinator/outbox", f"/coordinator/letters/{appeal.slug}/template",
                 "/coordinator/key", "/coordinator/directory/"):
        assert client.get(path).status_code == 403, path
    token = csrf_token(client.get(f"/coordinator/delivery/{appeal.slug}").get_data(as_text=True))
    for path in (f"/coordinator/delivery/{appeal.slug}/policy", f"/coordinator/delivery/{appeal.slug}/events",
                 f"/coordinator/delivery/{appeal.slug}/batch"):
        assert client.post(path, data={"csrf_token": token}).status_code == 403, path


def test_staff_of_another_organisation_see_nothing_of_this_one(client, db, login):
    appeal = make_appeal(group=make_group(slug="adil-soz", name="Adil Soz"), slug="free-him")
    login(email="office@example.org", role="staff", group=make_group(slug="other", name="Other"))
    assert client.get(f"/coordinator/letters/{appeal.slug}/").status_code == 404
    assert client.get(f"/coordinator/delivery/{appeal.slug}").status_code == 404
