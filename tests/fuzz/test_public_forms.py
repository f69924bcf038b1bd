"""Hostile input on every public form: never a 500, a clear message, nothing stored when refused.

Property-based (hypothesis) over the sign form, the confirmation link and the login form, with
strings from the whole of Unicode (controls, RTL, combining marks, emoji, surrogate-free), very
long values, wrong types and missing fields. FUZZ_EXAMPLES=1000 FUZZ_RANDOM=1 runs a longer fuzz.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.extensions import db as _db
from app.models import Appeal, OutboxMessage, Signature, Token, User
from app.security import NUL_MESSAGE
from app.text import has_control_characters
from tests.builders import make_appeal
from tests.conftest import csrf_token

ODD = st.sampled_from([
    "", " ", "\r\n", "Name\r\nBcc: victim@example.org", "\x00", "\u202eevil\u202c", "مريم الحسيني",
    "Z̴̢̛a̵̤͝l̶̞̈g̷̱̕o̸͙͋", "👩🏽‍⚖️🕊️", "=HYPERLINK(\"http://evil\")", "+1-2", "@SUM(A1)", "a" * 5000,
    "\u2028", "Ерлан Қасымов", "<script>alert(1)</script>", "' OR 1=1 --", "%0d%0aX: y", "\ud7ff",
])
TEXT = st.one_of(ODD, st.text(max_size=300), st.text(alphabet=st.characters(codec="utf-8"), max_size=50))
FIELDS = ("name", "email", "country", "city", "message", "public_display", "letter_inclusion",
          "wants_updates", "recipients", "website")


def _counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(_db.session.scalar(select(func.count()).select_from(m))
                     for m in (Signature, OutboxMessage, Token))


def _fields_with_errors(html: str) -> set[str]:
    return set(re.findall(r'id="([\w-]+)-error"', html))


@given(values=st.fixed_dictionaries({}, optional={field: TEXT for field in FIELDS}),
       valid_email=st.booleans())
@example(values={"name": "Name\r\nBcc: victim@example.org", "country": "KZ"}, valid_email=True)
@example(values={"name": "x" * 201, "country": "KZ"}, valid_email=True)
@example(values={"name": "A", "country": "XX"}, valid_email=True)
@example(values={"name": "A", "country": "KZ", "public_display": "everyone"}, valid_email=True)
@example(values={"name": "A", "country": "KZ", "recipients": "999999"}, valid_email=True)
@example(values={"name": "A", "country": "KZ", "city": "\u0000"}, valid_email=True)
def test_sign_form_never_fails_and_stores_nothing_it_refuses(app, fuzz_appeal, values, valid_email):
    client, slug, token, recipients = fuzz_appeal
    data = {"csrf_token": token, "recipients": recipients, **values}
    if valid_email:
        data["email"] = f"signer{abs(hash(str(values))) % 10**9}@example.org"
    before = _counts(app)
    response = client.post(f"/a/{slug}", data=data)
    after = _counts(app)
    assert response.status_code in (303, 400), response.status_code
    if response.status_code == 400:
        html = response.get_data(as_text=True)
        assert after == before, "a refused signature left something behind"
        errors = _fields_with_errors(html)
        if any("\x00" in str(v) for v in data.values()):
            assert str(NUL_MESSAGE) in html
        else:
            assert errors, "refused without saying which field is wrong"
        assert errors <= {f"{f}" for f in FIELDS} | {"csrf_token"}, errors
        assert "Traceback" not in html
    else:
        with app.app_context():
            stored = _db.session.scalars(select(Signature).order_by(Signature.id.desc())).first()
            outbox = _db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
            assert stored is not None and not has_control_characters(stored.name)
            if outbox is not None:  # header values can never carry a line break
                assert not has_control_characters(outbox.to_addr + outbox.subject)


@given(token=st.one_of(TEXT, st.binary(max_size=64).map(lambda b: b.hex())))
@example(token="../../etc/passwd")
@example(token="A" * 5000)
def test_confirmation_link_with_any_token_never_fails_or_counts(app, fuzz_appeal, token):
    client, slug, csrf, _ = fuzz_appeal
    path = "/confirm/" + quote(token, safe="")
    page = client.get(path)
    assert page.status_code in (200, 400, 404, 308), page.status_code
    response = client.post(path, data={"csrf_token": csrf})
    assert response.status_code in (400, 404, 410, 405, 308), response.status_code
    if response.status_code == 410:
        assert "link" in response.get_data(as_text=True).lower()
    with app.app_context():
        assert _db.session.scalar(select(Appeal.confirmed_count).where(Appeal.slug == slug)) == 0


@given(email=TEXT, password=TEXT)
@example(email="coord@example.org", password="x" * 2000)
@example(email="coord@example.org\r\n", password="correct horse battery")
def test_login_with_any_input_never_fails_or_tells_who_exists(app, fuzz_appeal, email, password):
    client, _slug, csrf, _ = fuzz_appeal
    response = client.post("/login", data={"csrf_token": csrf, "email": email, "password": password})
    assert response.status_code in (303, 400, 401), response.status_code
    html = response.get_data(as_text=True)
    if response.status_code == 401:
        assert "E-mail or password is not right, or the account is locked." in html
    if response.status_code == 400:
        assert _fields_with_errors(html) or str(NUL_MESSAGE) in html
    if response.status_code == 303:  # only the real account with its real password
        assert password == "correct horse battery"
        client.post("/logout", data={"csrf_token": csrf})
    with app.app_context():
        assert _db.session.scalar(select(func.count()).select_from(User)) == 1


def test_email_header_injection_through_the_name_is_refused_at_the_field(client, db):
    appeal = make_appeal()
    html = client.get(f"/a/{appeal.slug}").get_data(as_text=True)
    response = client.post(f"/a/{appeal.slug}", data={
        "csrf_token": csrf_token(html), "name": "Eve\r\nBcc: everyone@example.org",
        "email": "eve@example.org", "country": "KZ",
        "recipients": re.findall(r'name="recipients" type="checkbox" value="(\d+)"', html)})
    assert response.status_code == 400
    assert 'id="name-error">Remove line breaks and control characters.' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_email_header_injection_through_the_address_is_refused_at_the_field(client, db):
    appeal = make_appeal()
    html = client.get(f"/a/{appeal.slug}").get_data(as_text=True)
    response = client.post(f"/a/{appeal.slug}", data={
        "csrf_token": csrf_token(html), "name": "Eve", "country": "KZ",
        "email": "eve@example.org\r\nBcc: everyone@example.org",
        "recipients": re.findall(r'name="recipients" type="checkbox" value="(\d+)"', html)})
    assert response.status_code == 400
    assert 'id="email-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
