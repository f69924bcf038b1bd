"""Two organisations, each with an appeal, signatures and a statement, for the API tests."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.api.keys import create_key
from app.extensions import db
from app.models import Appeal, Signature, utcnow
from app.models.statement import Cosigner, OrgSignature, Statement
from tests.builders import make_appeal, make_keyed_group, make_post, seal_as_signing_does


@dataclass
class Org:
    slug: str
    appeal_slug: str
    statement_slug: str
    key: str
    private_strings: tuple[str, ...]  # what only this organisation's key may ever read
    org_key: str = ""  # the organisation's key file (app/sealing), which opens sealed signers
    # Of private_strings, the signers' own: never in clear, even for the owner (sealed).
    sealed_strings: tuple[str, ...] = ()


def _signature(appeal, name: str, email: str, display: str, status: str = "confirmed"):
    signature = Signature(
        appeal_id=appeal.id, name=name, email=email, email_hash=email, country="KZ",
        city="Almaty", message=f"Message of {name}", public_display=display, status=status,
        confirmed_at=utcnow() if status == "confirmed" else None)
    db.session.add(signature)
    db.session.flush()
    seal_as_signing_does(signature)


def _statement(appeal, prefix: str) -> Statement:
    statement = Statement(appeal_id=appeal.id, slug=f"{prefix}-statement", title="Joint statement",
                          text="We, the undersigned organisations…")
    db.session.add(statement)
    db.session.flush()
    for status, org in (("approved", "Listed"), ("awaiting", "Pending")):
        db.session.add(OrgSignature(
            statement_id=statement.id, org_name=f"{prefix} {org} Org", name_key=f"{prefix}{org}",
            country="DE", contact_name=f"{prefix} Contact {org}", contact_role="Director",
            contact_email=f"{prefix.lower()}-{org.lower()}@contact.example", status=status))
    db.session.add(Cosigner(statement_id=statement.id, name=f"{prefix} Cosigner", country="FR",
                            email=f"{prefix.lower()}-cosigner@person.example",
                            email_hash=f"{prefix}-cosigner", status="confirmed"))
    return statement


def make_org(prefix: str) -> Org:
    """A group with an open appeal (3 signatures), a statement and an API key."""
    group, org_key = make_keyed_group(slug=f"{prefix.lower()}-group", name=f"{prefix} Group")
    appeal = make_appeal(slug=f"{prefix.lower()}-appeal", group=group,
                         posts=[make_post(slug=f"{prefix.lower()}-post")])
    _signature(appeal, f"{prefix} Shown Signer", f"{prefix.lower()}-shown@signer.example", "full")
    _signature(appeal, f"{prefix} Hidden Signer", f"{prefix.lower()}-hidden@signer.example", "none")
    _signature(appeal, f"{prefix} Pending Signer", f"{prefix.lower()}-pending@signer.example",
               "full", status="pending")
    appeal.confirmed_count = 2
    statement = _statement(appeal, prefix)
    db.session.commit()
    raw, _key = create_key(group.id, "CRM", None)
    lower = prefix.lower()
    signers = (f"{lower}-shown@signer.example", f"{lower}-hidden@signer.example",
               f"{prefix} Hidden Signer", f"Message of {prefix} Shown Signer")
    return Org(group.slug, appeal.slug, statement.slug, raw, (
        *signers, f"{lower}-listed@contact.example",
        f"{prefix} Contact Listed", f"{prefix} Pending Org", f"{lower}-cosigner@person.example",
        f"{prefix} Pending Signer"), org_key, signers)


def resource_paths(org: Org) -> list[str]:
    """Every API resource that concerns `org`."""
    ids = db.session.scalars(select(Signature.id).join(Appeal).where(
        Appeal.slug == org.appeal_slug).order_by(Signature.id)).all()
    db.session.rollback()
    return ["/api/v1", "/api/v1/petitions", f"/api/v1/petitions/{org.appeal_slug}",
            f"/api/v1/petitions/{org.appeal_slug}/signatures",
            *[f"/api/v1/petitions/{org.appeal_slug}/signatures/{n}" for n in ids],
            "/api/v1/statements", f"/api/v1/statements/{org.statement_slug}",
            f"/api/v1/statements/{org.statement_slug}/signatures"]
