"""The signer's private link: shows exactly their data, deletes it, and nothing of anyone else's."""

from __future__ import annotations

from sqlalchemy import func, select

from app.models import Appeal, OutboxMessage, Signature, Token
from tests.builders import make_appeal, make_keyed_group
from tests.conftest import csrf_token
from tests.signer_privacy.helpers import Signer, link_in, sign_and_confirm


def confirm_link_secret(smtp) -> str:
    return link_in(smtp.messages[0], "/confirm/").split("?")[0].rsplit("/", 1)[1]


def _two_signers(client, smtp):
    group, _key = make_keyed_group()
    appeal = make_appeal(group=group)
    first, second = Signer.new("a"), Signer.new("b")
    first_mail = sign_and_confirm(client, smtp, appeal.slug, first)
    sign_and_confirm(client, smtp, appeal.slug, second, already_received=1)
    return appeal, first, second, link_in(first_mail, "/my/")


def test_private_link_shows_the_signers_own_data_and_no_one_elses(client, db, smtp):
    _appeal, first, second, path = _two_signers(client, smtp)
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for marker in (first.name, first.email, first.city, first.message):
        assert marker in html
    for marker in second.markers:
        assert marker not in html
    assert page.headers["Cache-Control"] == "no-store"  # no shared cache keeps it


def test_wrong_forged_and_deleted_links_give_the_same_generic_page(client, db, smtp):
    _appeal, _first, _second, path = _two_signers(client, smtp)
    secret = path.split("?")[0].rsplit("/", 1)[1]
    assert client.get(f"/my/{secret}").status_code == 200
    forged = client.get("/my/" + secret[:-2] + ("AA" if not secret.endswith("AA") else "BB"))
    unknown = client.get("/my/nothing-here")
    assert forged.status_code == unknown.status_code == 404
    assert forged.get_data() == unknown.get_data()
    # Another link's secret (the confirmation's, already used) opens nothing here either.
    confirm_secret = confirm_link_secret(smtp)
    other = client.get(f"/my/{confirm_secret}")
    assert other.status_code == 404 and other.get_data() == unknown.get_data()
    assert "opens nothing" in unknown.get_data(as_text=True)


def test_private_link_withdraws_and_deletes_the_signature(client, db, smtp):
    appeal, first, second, path = _two_signers(client, smtp)
    html = client.get(path).get_data(as_text=True)
    refused = client.post(path, data={})  # no CSRF token: nothing deleted
    assert refused.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 2
    done = client.post(path, data={"csrf_token": csrf_token(html)})
    assert done.status_code == 200 and "deleted" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 1
    assert db.session.get(Appeal, appeal.id).confirmed_count == 1
    addresses = db.session.scalars(select(OutboxMessage.to_addr)).all()
    assert first.email not in addresses
    gone = client.get(path)
    assert gone.status_code == 404
    assert gone.get_data() == client.get("/my/nothing-here").get_data()
    # The other signer is untouched.
    assert db.session.scalar(select(Signature.status)) == "confirmed"
    assert second.email not in addresses  # and kept in no clear row either


def test_the_server_keeps_only_a_digest_of_the_private_link(client, db, smtp):
    _appeal, _first, _second, path = _two_signers(client, smtp)
    secret = path.split("?")[0].rsplit("/", 1)[1]
    for row in db.session.execute(select(Token.digest)).all():
        assert secret.encode() not in row.digest
    for body in db.session.scalars(select(OutboxMessage.body_text)):
        assert secret not in body


def test_signing_again_while_pending_replaces_the_private_link(client, db, smtp):
    from app.delivery.worker import deliver_due
    from tests.signer_privacy.helpers import sign

    group, _key = make_keyed_group()
    appeal = make_appeal(group=group)
    signer = Signer.new()
    sign(client, appeal.slug, signer)
    sign(client, appeal.slug, Signer(signer.name, signer.email, "Newcity", signer.message))
    assert deliver_due() == 2
    first, second = smtp.wait_for(2)
    old, new = link_in(first, "/my/"), link_in(second, "/my/")
    assert client.get(old).status_code == 404
    page = client.get(new).get_data(as_text=True)
    assert "Newcity" in page and signer.city not in page
