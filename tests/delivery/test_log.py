"""The coordinator's delivery log: policy, letters sent by hand, replies with scans, timeline."""

from __future__ import annotations

import io
from datetime import date

from nacl.public import PrivateKey
from PIL import Image
from pypdf import PdfWriter
from sqlalchemy import select

from app.delivery.timeline import EventInput, add_event
from app.delivery.worker import deliver_due
from app.models import CaseEvent, Delivery, OfficialReply, OutboxMessage, Signature
from tests.builders import key_upload, make_appeal, make_keyed_group, make_post
from tests.conftest import csrf_token
from tests.delivery.helpers import confirmed_signer


def _pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


def _setup(client, login, db, **appeal_args):
    login()
    post = make_post(contacts=[("email", "x@example.org"), ("address", "Astana, Mangilik El 8")])
    appeal = make_appeal(posts=[post], **appeal_args)
    page = client.get(f"/coordinator/delivery/{appeal.slug}")
    assert page.status_code == 200
    return appeal, post, csrf_token(page.get_data(as_text=True))


def _reply(client, appeal, post, token, *, data: bytes | None, name="reply.pdf", summary="Refused."):
    form = {"csrf_token": token, "post_id": str(post.id), "received_on": "2026-11-20",
            "summary": summary}
    if data is not None:
        form["scan"] = (io.BytesIO(data), name)
    return client.post(f"/coordinator/delivery/{appeal.slug}/replies", data=form,
                       content_type="multipart/form-data")


def test_log_needs_a_coordinator(client, db):
    appeal = make_appeal()
    assert client.get(f"/coordinator/delivery/{appeal.slug}").status_code in (302, 401)


def test_letter_posted_by_hand_is_recorded_in_the_log(client, login, db):
    appeal, post, token = _setup(client, login, db)
    response = client.post(f"/coordinator/delivery/{appeal.slug}/hand", data={
        "csrf_token": token, "post_id": str(post.id), "channel": "post", "sent_on": "2026-11-23",
        "tracking_number": "RR123456789KZ", "pages": "3", "note": "Registered mail"})
    assert response.status_code == 303
    delivery = db.session.scalar(select(Delivery))
    assert (delivery.channel, delivery.status, delivery.pages) == ("post", "sent", 3)
    assert delivery.recipient == "Astana, Mangilik El 8"
    page = client.get(f"/coordinator/delivery/{appeal.slug}").get_data(as_text=True)
    assert "RR123456789KZ" in page and "2026-11-23" in page and "coord@example.org" in page


def test_hand_record_without_date_is_refused_next_to_the_field(client, login, db):
    appeal, post, token = _setup(client, login, db)
    response = client.post(f"/coordinator/delivery/{appeal.slug}/hand", data={
        "csrf_token": token, "post_id": str(post.id), "channel": "post", "sent_on": ""})
    assert response.status_code == 400
    assert 'id="sent_on-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Delivery)) is None


def test_service_delivery_appears_with_its_status(client, login, db, smtp):
    appeal, post, token = _setup(client, login, db)
    confirmed_signer(appeal)
    response = client.post(f"/coordinator/delivery/{appeal.slug}/policy", data={
        "csrf_token": token, "send_email": "y", "batching": "daily",
        "max_per_domain_per_hour": "5"})
    assert response.status_code == 303
    client.post(f"/coordinator/delivery/{appeal.slug}/batch", data={"csrf_token": token})
    page = client.get(f"/coordinator/delivery/{appeal.slug}").get_data(as_text=True)
    assert "x@example.org" in page and ">queued<" in page
    deliver_due()
    page = client.get(f"/coordinator/delivery/{appeal.slug}").get_data(as_text=True)
    assert ">sent<" in page and "the service" in page
    delivery = db.session.scalar(select(Delivery))
    client.post(f"/coordinator/delivery/{appeal.slug}/deliveries/{delivery.id}/bounced",
                data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(Delivery, delivery.id).status == "bounced"


def test_fax_policy_without_gateway_is_refused_with_a_message(client, login, db):
    appeal, _, token = _setup(client, login, db)
    response = client.post(f"/coordinator/delivery/{appeal.slug}/policy", data={
        "csrf_token": token, "send_fax": "y", "batching": "daily"})
    assert response.status_code == 400
    assert "No fax gateway is configured" in response.get_data(as_text=True)


def test_reply_with_pdf_scan_is_stored_outside_the_web_root_and_served_as_attachment(
        client, login, db, app):
    appeal, post, token = _setup(client, login, db)
    data = _pdf()
    assert _reply(client, appeal, post, token, data=data, name="../../evil name.pdf").status_code == 303
    reply = db.session.scalar(select(OfficialReply))
    assert reply.scan_content_type == "application/pdf" and "evil" not in reply.scan_path
    download = client.get(f"/coordinator/delivery/{appeal.slug}/replies/{reply.id}/scan")
    assert download.data == data
    assert download.headers["Content-Disposition"] == (
        f"attachment; filename=reply-{reply.id}-2026-11-20.pdf")
    assert download.headers["Cache-Control"] == "no-store"
    assert app.config["UPLOAD_DIR"] in str(next(__import__("pathlib").Path(
        app.config["UPLOAD_DIR"]).rglob(reply.scan_path)))
    client.post("/logout", data={"csrf_token": token})
    assert client.get(f"/coordinator/delivery/{appeal.slug}/replies/{reply.id}/scan"
                      ).status_code in (302, 401)


def test_png_scan_is_accepted(client, login, db):
    appeal, post, token = _setup(client, login, db)
    assert _reply(client, appeal, post, token, data=_png(), name="scan.png").status_code == 303
    assert db.session.scalar(select(OfficialReply.scan_content_type)) == "image/png"


def test_upload_of_wrong_type_is_refused_with_a_clear_message(client, login, db):
    appeal, post, token = _setup(client, login, db)
    for data, message in ((b"MZ\x90\x00 not a scan", "Only PDF, PNG or JPEG"),
                          (b"%PDF-1.7\nnot really a pdf", "cannot be read as one"),
                          (b"\x89PNG\r\n\x1a\nbroken", "cannot be read as one")):
        response = _reply(client, appeal, post, token, data=data, name="reply.pdf")
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert 'id="scan-error"' in page and message in page
    assert db.session.scalar(select(OfficialReply)) is None


def test_oversize_upload_is_refused_with_a_clear_message(client, login, db, app):
    appeal, post, token = _setup(client, login, db)
    app.config["UPLOAD_MAX_BYTES"], saved = 1000, app.config["UPLOAD_MAX_BYTES"]
    try:
        response = _reply(client, appeal, post, token, data=_pdf() + b"\0" * 2000)
    finally:
        app.config["UPLOAD_MAX_BYTES"] = saved
    assert response.status_code == 400
    assert "The file is larger than 1000 bytes" in response.get_data(as_text=True)
    assert db.session.scalar(select(OfficialReply)) is None


def test_recorded_reply_appears_on_the_public_timeline(client, login, db):
    appeal, post, token = _setup(client, login, db)
    _reply(client, appeal, post, token, data=None, summary="The ministry says the case is closed.")
    reply = db.session.scalar(select(OfficialReply))
    response = client.post(f"/coordinator/delivery/{appeal.slug}/replies/{reply.id}/event",
                           data={"csrf_token": token})
    assert response.status_code == 303
    event = db.session.scalar(select(CaseEvent))
    assert (event.kind, event.date) == ("reply_received", date(2026, 11, 20))
    public = client.get(f"/a/{appeal.slug}").get_data(as_text=True)
    assert "Reply received from Minister of Information" in public
    assert "The ministry says the case is closed." in public


def test_event_emails_opted_in_signers_who_can_unsubscribe(client, login, db, smtp):
    group, key = make_keyed_group()
    appeal, post, token = _setup(client, login, db, group=group)
    wants = confirmed_signer(appeal, name="Aigerim Sultanova", wants_updates=True, named=True)
    confirmed_signer(appeal, name="Bolat Nurlanov", wants_updates=False)
    confirmed_signer(appeal, name="Pending Person", wants_updates=True, status="pending")
    response = client.post(f"/coordinator/delivery/{appeal.slug}/events", data={
        "csrf_token": token, "date": "2026-11-24", "kind": "hearing",
        "title": "Appeal hearing", "court": "Astana City Court", "public": "y", "notify": "y",
        "key_file": key_upload(key)}, content_type="multipart/form-data")
    assert response.status_code == 303
    assert "Appeal hearing" in client.get(f"/a/{appeal.slug}").get_data(as_text=True)
    assert deliver_due() == 1
    [mail] = smtp.wait_for(1)
    assert mail["To"] == "aigerim@example.org"
    body = mail.get_body(("plain",)).get_content()
    assert "Appeal hearing" in body
    write = body.split("with your own letter: ", 1)[1].split()[0].split("127.0.0.1:5000", 1)[1]
    assert "Aigerim Sultanova" in client.get(write).get_data(as_text=True)  # their own letter
    link = body.split("To stop these e-mails: ", 1)[1].split()[0]
    path = link.split("127.0.0.1:5000", 1)[1]
    client.post("/logout", data={"csrf_token": token})
    page = client.get(path)
    assert page.status_code == 200
    db.session.expire_all()
    assert db.session.get(Signature, wants.id).wants_updates  # a GET changes nothing
    done = client.post(path, data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert done.status_code == 200 and "no more update e-mails" in done.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(Signature, wants.id).wants_updates
    assert db.session.scalar(select(OutboxMessage)).body_text.startswith("[sent;")


def test_paused_appeal_event_emails_no_one(db):
    appeal = make_appeal(state="paused", paused_notice="Quiet, please.")
    confirmed_signer(appeal, wants_updates=True)
    _, queued = add_event(appeal, EventInput(date=date(2026, 11, 24), kind="verdict",
                                             title="Verdict"), notify=True,
                          private_key=PrivateKey.generate())
    assert queued == 0
    assert db.session.scalar(select(OutboxMessage)) is None


def test_private_event_is_not_on_the_public_page(client, db):
    appeal = make_appeal()
    add_event(appeal, EventInput(date=date(2026, 11, 24), kind="other", title="Internal note",
                                 public=False), notify=True)
    assert "Internal note" not in client.get(f"/a/{appeal.slug}").get_data(as_text=True)


def test_timeline_and_letter_status_are_in_the_coordinators_language(client, login, db):
    """The kinds of events and the status of letters were codes ("verdict", "sent") in English."""
    appeal, post, token = _setup(client, login, db)
    add_event(appeal, EventInput(date=date(2026, 11, 24), kind="verdict", title="Two years"), notify=False)
    client.post(f"/coordinator/delivery/{appeal.slug}/hand", data={
        "csrf_token": token, "post_id": str(post.id), "channel": "post", "sent_on": "2026-11-23"})
    page = client.get(f"/coordinator/delivery/{appeal.slug}?lang=ru").get_data(as_text=True)
    assert "— приговор: Two years" in page and "verdict:" not in page
    assert '<option value="arrest">арест</option>' in page
    assert '<span class="badge sent">отправлено</span>' in page


def test_a_letter_the_service_sent_names_its_channel_in_words(client, login, db):
    """A service e-mail or fax showed its channel as a code ("email") in every language."""
    appeal, post, _token = _setup(client, login, db)
    db.session.add(Delivery(appeal_id=appeal.id, post_id=post.id, channel="email", kind="batch",
                            recipient="x@example.org", status="queued"))
    db.session.commit()
    page = client.get(f"/coordinator/delivery/{appeal.slug}?lang=ru").get_data(as_text=True)
    row = page.split("x@example.org</td>", 1)[0].rsplit("<tr>", 1)[1]
    assert "<td>эл. почта</td>" in row and "<td>email</td>" not in row


def test_timeline_prints_a_month_only_date_as_recorded_not_as_the_first_of_the_month(
        client, login, db):
    """An event known to the month ("March 2024", from the editor) read "2024-03-01" here."""
    appeal, _post, _token = _setup(client, login, db)
    db.session.add(CaseEvent(appeal_id=appeal.id, date=date(2024, 3, 1), date_precision="month",
                             kind="arrest", title="Arrested in Almaty"))
    db.session.add(CaseEvent(appeal_id=appeal.id, date=date(2019, 1, 1), date_precision="year",
                             kind="charge", title="Charged"))
    db.session.commit()
    page = client.get(f"/coordinator/delivery/{appeal.slug}").get_data(as_text=True)
    assert '<time datetime="2024-03">2024-03</time> — arrest: Arrested in Almaty' in page
    assert '<time datetime="2019">2019</time> — charge: Charged' in page
    assert "2024-03-01" not in page and "2019-01-01" not in page
