"""Deleting a signer at their request: a page says what will go, a POST from it deletes."""

from __future__ import annotations

from app.models import Appeal, Signature
from tests.builders import make_appeal
from tests.conftest import csrf_token
from tests.coordinator.test_dashboard import add_signature


def test_deleting_a_signer_asks_first_then_says_plainly_what_was_deleted(client, db, login):
    appeal = make_appeal()
    signer = add_signature(appeal, name="Aigerim Sultanova", status="confirmed")
    db.session.query(Appeal).filter_by(id=appeal.id).update({"confirmed_count": 1})
    db.session.commit()
    login()
    listing = client.get(f"/coordinator/appeals/{appeal.slug}").get_data(as_text=True)
    path = f"/coordinator/appeals/{appeal.slug}/signatures/{signer.id}/delete"
    assert f'href="{path}"' in listing  # a link to the question, not a one-click button

    question = client.get(path)
    html = question.get_data(as_text=True)
    assert question.status_code == 200
    assert "Delete the signature of Aigerim Sultanova?" in html and "cannot be undone" in html
    assert "goes from 1 to 0 confirmed signatures" in html
    assert db.session.get(Signature, signer.id) is not None  # asking deleted nothing

    one_click = client.post(path, data={"csrf_token": csrf_token(listing)})
    assert one_click.status_code == 400 and db.session.get(Signature, signer.id) is not None

    done = client.post(path, data={"csrf_token": csrf_token(html), "confirm": "yes"},
                       follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "Deleted the signature of Aigerim Sultanova: their name, e-mail address" in text
    assert "It no longer counts: the appeal now has 0 confirmed signatures." in text
    db.session.expire_all()
    assert db.session.get(Signature, signer.id) is None


def test_deleting_without_the_csrf_token_is_refused(client, db, login):
    appeal = make_appeal()
    signer = add_signature(appeal, status="pending")
    login()
    path = f"/coordinator/appeals/{appeal.slug}/signatures/{signer.id}/delete"
    assert client.post(path, data={"confirm": "yes"}).status_code == 400
    assert db.session.get(Signature, signer.id) is not None
