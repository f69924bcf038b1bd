"""One function per e-mail about a statement: each renders templates/email/statement_* and queues it."""

from __future__ import annotations

from flask import current_app

from app.delivery.outbox import queue_email
from app.mail.render import render_email
from app.models.statement import Cosigner, OrgSignature, Statement


def _link(path: str) -> str:
    return current_app.config["BASE_URL"] + path


def _sender(statement: Statement) -> str:
    group = statement.appeal.group
    return group.name if group else "Appeal Desk"


def _queue(kind: str, to: str | None, subject: str, template: str, statement: Statement,
           *, sensitive: bool = False, **context) -> None:
    if not to:  # the address was purged: nobody left to tell
        return
    context = {"statement": statement, "sender": _sender(statement),
               "group": statement.appeal.group,
               "statement_url": _link(f"/statements/{statement.slug}"), **context}
    queue_email(kind=kind, to=to, subject=subject,
                body_text=render_email(f"email/{template}", **context),
                appeal_id=statement.appeal_id, sensitive=sensitive)


def org_confirmation_request(signature: OrgSignature, statement: Statement, confirm_token: str,
                             withdraw_token: str) -> None:
    """Ask the contact to confirm the organisation's signature; carries the withdrawal link."""
    _queue("statement_confirmation", signature.contact_email,
           f"Please confirm your organisation's signature: {statement.title}",
           "statement_confirmation.txt", statement, sensitive=True, signature=signature,
           confirm_url=_link(f"/statements/confirm/{confirm_token}"),
           withdraw_url=_link(f"/statements/withdraw/{withdraw_token}"),
           max_age_days=current_app.config["CONFIRMATION_MAX_AGE_DAYS"])


def org_approved(signature: OrgSignature, statement: Statement) -> None:
    """The organisation is on the list."""
    _queue("statement_approved", signature.contact_email,
           f"Your organisation's signature is accepted: {statement.title}",
           "statement_approved.txt", statement, signature=signature)


def org_rejected(signature: OrgSignature, statement: Statement, reason: str) -> None:
    """The organisation is not listed, with the coordinator's reason."""
    _queue("statement_rejected", signature.contact_email,
           f"Your organisation's signature was not accepted: {statement.title}",
           "statement_rejected.txt", statement, signature=signature, reason=reason)


def org_clarification(signature: OrgSignature, statement: Statement, question: str) -> None:
    """The coordinator needs to know more before listing the organisation."""
    _queue("statement_clarification", signature.contact_email,
           f"A question about your organisation's signature: {statement.title}",
           "statement_clarification.txt", statement, signature=signature, question=question)


def org_withdrawn(signature: OrgSignature, statement: Statement) -> None:
    """Acknowledge a withdrawal, so a contact who did not ask for it can react."""
    _queue("statement_withdrawn", signature.contact_email,
           f"Your organisation's signature is withdrawn: {statement.title}",
           "statement_withdrawn.txt", statement, signature=signature)


def cosigner_confirmation_request(cosigner: Cosigner, statement: Statement, raw_token: str,
                                  withdraw_token: str) -> None:
    """Ask an individual co-signer to confirm; carries the withdrawal link."""
    _queue("statement_cosigner_confirmation", cosigner.email,
           f"Please confirm your signature: {statement.title}",
           "statement_cosigner_confirmation.txt", statement, sensitive=True, cosigner=cosigner,
           confirm_url=_link(f"/statements/cosign/confirm/{raw_token}"),
           withdraw_url=_link(f"/statements/cosign/withdraw/{withdraw_token}"),
           max_age_days=current_app.config["CONFIRMATION_MAX_AGE_DAYS"])
