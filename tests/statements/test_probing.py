"""Nobody learns from the answer whether an address co-signed or an organisation signed."""

from __future__ import annotations

from sqlalchemy import update

from app.models.statement import Cosigner
from tests.conftest import csrf_token
from tests.signatures.test_probing import _request
from tests.statements.helpers import ORG, make_statement


def _without_date(answer: tuple) -> tuple:
    status, headers, body = answer
    return status, [(k, v) for k, v in headers if k.lower() != "date"], body


def test_cosign_and_sign_answer_byte_for_byte_the_same_whoever_signed_before(app, db,
                                                                          gunicorn_server):
    """Through a real gunicorn: status, every header (Set-Cookie included) and body."""
    statement = make_statement(allow_individuals=True)
    base, path = gunicorn_server.url, f"/statements/{statement.slug}"
    db.session.rollback()  # no read transaction of ours in the way of the server's writes
    status, headers, page = _request(base, "GET", path)
    assert status == 200
    cookie = next(v for k, v in headers if k.lower() == "set-cookie").split(";", 1)[0]
    token = csrf_token(page.decode())
    person = {"csrf_token": token, "name": "Evgeniy Zhovtis", "country": "KZ", "consent": "y"}

    def cosign(email: str) -> tuple:
        return _request(base, "POST", f"{path}/cosign", cookie=cookie, form={**person, "email": email})

    cosign("pending@example.org")
    cosign("confirmed@example.org")
    db.session.execute(update(Cosigner).where(Cosigner.email == "confirmed@example.org")
                       .values(status="confirmed"))
    db.session.commit()
    answers = [_without_date(cosign(email)) for email in
               ("new@example.org", "pending@example.org", "confirmed@example.org")]
    organisation = {**ORG, "csrf_token": token}
    answers += [_without_date(_request(base, "POST", path, cookie=cookie, form={**organisation,
                                                                               **changes}))
                for changes in ({}, {}, {"org_name": 'PF "ADIL SOZ".',
                                     "contact_email": "press@adilsoz.org"})]
    assert answers[0][0] == 303, gunicorn_server.log()
    assert all(answer == answers[0] for answer in answers), answers
    assert not any(k.lower() == "set-cookie" for k, _v in answers[0][1])
