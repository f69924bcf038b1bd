"""Signing through the public form with distinctive markers, and reading the e-mails that follow."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from app.delivery.worker import deliver_due
from tests.conftest import csrf_token


@dataclass(frozen=True)
class Signer:
    """A signer whose every private detail is a string found nowhere else."""

    name: str
    email: str
    city: str
    message: str

    @classmethod
    def new(cls, label: str = "") -> Signer:
        tag = uuid.uuid4().hex[:12]
        return cls(name=f"Zhanar Qxname{label}{tag}", email=f"qxmail{label}{tag}@example.org",
                   city=f"Qxcity{label}{tag}", message=f"Qxmessage{label}{tag} free him")

    @property
    def markers(self) -> tuple[str, ...]:
        return (self.name, self.email, self.city, self.message.split()[0])


def sign(client, slug: str, signer: Signer, **choices) -> None:
    html = client.get(f"/a/{slug}").get_data(as_text=True)
    recipients = re.findall(r'name="recipients" type="checkbox" value="(\d+)"', html)
    data = {"name": signer.name, "email": signer.email, "country": "KZ", "city": signer.city,
            "message": signer.message, "public_display": "none", "letter_inclusion": "count_only",
            "wants_updates": "y", "csrf_token": csrf_token(html), "recipients": recipients,
            **choices}
    assert client.post(f"/a/{slug}", data=data).status_code == 303


def link_in(message, path: str) -> str:
    """The local path of the link to `path` (e.g. "/confirm/", "/my/") in an e-mail."""
    body = message.get_body(("plain",)).get_content()
    return re.search(rf"http://\S+?({re.escape(path)}\S+)", body).group(1)


def sign_and_confirm(client, smtp, slug: str, signer: Signer, already_received: int = 0):
    """Sign, let the worker send the confirmation, confirm it; returns the e-mail."""
    sign(client, slug, signer)
    assert deliver_due() == 1
    mail = smtp.wait_for(already_received + 1)[-1]
    path = link_in(mail, "/confirm/")
    page = client.get(path).get_data(as_text=True)
    assert client.post(path, data={"csrf_token": csrf_token(page)}).status_code == 200
    return mail
