"""E-mail fields refuse what cannot be delivered (a local part that is not ASCII), naming the
field, and keep internationalised domains."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.auth.forms import LoginForm, ResetRequestForm
from app.delivery.worker import deliver_due
from app.models import OutboxMessage, Signature
from app.public.forms import SignForm
from app.statements.forms import CosignForm, OrgSignForm
from tests.builders import make_appeal
from tests.signatures.test_sign_flow import sign

INTERNATIONAL = "пользователь@example.org"
REFUSAL = "the part before the @ can only use Latin letters"


def test_signing_with_an_international_local_part_is_refused_next_to_the_field(client, db):
    appeal = make_appeal()
    response = sign(client, appeal.slug, email=INTERNATIONAL)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    error = re.search(r'<p class="error" id="email-error">([^<]*)</p>', page)
    assert error, "no error shown next to the e-mail field"
    message = html_lib.unescape(error.group(1))
    assert message.startswith("E-mail (never published") and REFUSAL in message
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_signing_with_an_international_domain_is_accepted_and_delivered(client, db, smtp):
    appeal = make_appeal()
    assert sign(client, appeal.slug, email="reader@пример.рф").status_code == 303
    assert db.session.scalar(select(Signature.email)) == "reader@пример.рф"
    assert deliver_due() == 1
    [mail] = smtp.wait_for(1)
    assert mail["To"] == "reader@xn--e1afmkfd.xn--p1ai"


@pytest.mark.parametrize(("form_class", "field", "label"), [
    (SignForm, "email", "E-mail (never published"),
    (OrgSignForm, "contact_email", "Contact e-mail"),
    (CosignForm, "email", "E-mail (never published"),
    (LoginForm, "email", "E-mail"),
    (ResetRequestForm, "email", "Your account's e-mail"),
])
def test_every_email_field_refuses_an_international_local_part_by_name(app, form_class, field,
                                                                      label):
    with app.test_request_context(method="POST"):
        form = form_class(formdata=MultiDict({field: INTERNATIONAL}), meta={"csrf": False})
        form.validate()
        [message] = [m for m in form.errors.get(field, []) if REFUSAL in m]
    assert message.startswith(f"{label}")


@pytest.mark.parametrize("form_class", [SignForm, OrgSignForm, CosignForm])
def test_email_fields_keep_an_international_domain(app, form_class):
    field = "contact_email" if form_class is OrgSignForm else "email"
    with app.test_request_context(method="POST"):
        form = form_class(formdata=MultiDict({field: "reader@пример.рф"}), meta={"csrf": False})
        form.validate()
        assert field not in form.errors
        assert form[field].data == "reader@пример.рф"
