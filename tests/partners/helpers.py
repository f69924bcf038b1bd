"""Builders and steps shared by the partner tests."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage, Partner
from tests.conftest import csrf_token


def make_partner(appeal, *, name: str = "PEN Kazakhstan", code: str = "pen-kz",
                 origins: str = "https://pen.example.org") -> Partner:
    partner = Partner(appeal_id=appeal.id, name=name, code=code, frame_origins=origins)
    db.session.add(partner)
    db.session.commit()
    return partner


def form_token(html: str) -> str:
    match = re.search(r'name="form_token" type="hidden" value="([^"]+)"', html)
    assert match, "no form token in the embed page"
    return match.group(1)


def embed_sign(client, slug: str, code: str, token: str | None = None, **overrides):
    page = client.get(f"/embed/{slug}/{code}").get_data(as_text=True)
    token = form_token(page) if token is None else token
    data = {"form_token": token, "name": "Aigerim Sultanova", "email": "aigerim@example.org",
            "country": "KZ", "public_display": "none", "letter_inclusion": "count_only",
            "recipients": re.findall(r'name="recipients" type="checkbox" value="(\d+)"', page)}
    data.update(overrides)
    return client.post(f"/embed/{slug}/{code}", data=data)


def confirm_latest(client) -> None:
    """Confirm the signature of the newest confirmation e-mail in the outbox."""
    body = db.session.scalar(select(OutboxMessage.body_text).order_by(OutboxMessage.id.desc()))
    db.session.rollback()
    token = re.search(r"/confirm/(\S+)", body).group(1)
    page = client.get(f"/confirm/{token}")
    response = client.post(f"/confirm/{token}",
                           data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 200, response.get_data(as_text=True)
