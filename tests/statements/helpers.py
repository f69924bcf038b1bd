"""Builders and steps for statement tests."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from app.delivery.worker import deliver_due
from app.extensions import db
from app.models import Appeal, OutboxMessage, utcnow
from app.models.statement import OrgSignature, Statement, StatementRecipient
from tests.builders import make_appeal, make_post
from tests.conftest import csrf_token

TEXT = """<p>The undersigned {{ appeal.signatory_count }} freedom of expression and human rights
organisations call for the release of journalist Amangeldy Batyrbekov.</p>"""

ORG = {
    "org_name": "Adil Soz",
    "country": "KZ",
    "org_website": "https://www.adilsoz.kz",
    "description": "International Foundation for Freedom of Speech Protection",
    "contact_name": "Tamara Kaleyeva",
    "contact_role": "President",
    "contact_email": "info@adilsoz.kz",
    "consent": "y",
}


def make_statement(*, slug: str = "batyrbekov-sign-on", appeal: Appeal | None = None,
                   deadline: datetime | None = None, allow_individuals: bool = False,
                   state: str = "collecting", group=None) -> Statement:
    """A statement to the Minister of Information, Cc the General Prosecutor (as in the seed)."""
    if appeal is None:
        minister = make_post()
        appeal = make_appeal(posts=[minister], group=group)
    else:
        minister = appeal.recipients[0].post
    from sqlalchemy import select

    from app.models import Post

    prosecutor = db.session.scalar(select(Post).where(Post.slug == "kz-general-prosecutor")) or make_post(
        slug="kz-general-prosecutor", label="General Prosecutor", holder="Gizat Nurdauletov",
        salutation="Dear Prosecutor General")
    statement = Statement(
        appeal=appeal, slug=slug, title="Kazakhstan: release Amangeldy Batyrbekov",
        intro="Adil Soz is requesting your support for the statement below.", text=TEXT,
        deadline=deadline if deadline is not None else utcnow() + timedelta(days=7),
        allow_individuals=allow_individuals, state=state,
        recipients=[StatementRecipient(post=minister, role="to", position=0),
                    StatementRecipient(post=prosecutor, role="cc", position=1)],
    )
    db.session.add(statement)
    db.session.flush()
    from app.statements.published import render_text

    render_text(statement)  # as saving through the service does
    db.session.commit()
    return statement


def sign(client, slug: str, **overrides):
    html = client.get(f"/statements/{slug}").get_data(as_text=True)
    data = {**ORG, "csrf_token": csrf_token(html), **overrides}
    return client.post(f"/statements/{slug}", data={k: v for k, v in data.items() if v is not None})


def last_body(to: str) -> str:
    from sqlalchemy import select

    message = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_addr == to).order_by(OutboxMessage.id.desc())
    ).first()
    return message.body_text


def link_path(body: str, kind: str) -> str:
    return re.search(rf"https?://[^/\s]+(/statements/{kind}/\S+)", body).group(1)


def press(client, path: str):
    """Open a link page and press its button, as a person does."""
    page = client.get(path)
    assert page.status_code == 200
    return client.post(path, data={"csrf_token": csrf_token(page.get_data(as_text=True))})


def sign_and_confirm(client, slug: str, **overrides) -> OrgSignature:
    from sqlalchemy import select

    response = sign(client, slug, **overrides)
    assert response.status_code == 303, response.get_data(as_text=True)
    email = overrides.get("contact_email", ORG["contact_email"])
    result = press(client, link_path(last_body(email), "confirm"))
    assert result.status_code == 200, result.get_data(as_text=True)
    db.session.expire_all()
    return db.session.scalars(select(OrgSignature).order_by(OrgSignature.id.desc())).first()


def sent_messages(smtp, count: int):
    deliver_due()
    return smtp.wait_for(count)
