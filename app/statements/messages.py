"""One function per e-mail about a statement: each renders templates/email/statement_* and queues it."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.i18n import in_language, with_language
from app.mail.render import render_email
from app.models.statement import COSIGNER_CONFIRMATION_KIND, Cosigner, OrgSignature, Statement
from app.outbox import queue_email


def _link(path: str, language: str | None = None) -> str:
    """An absolute link; with `language`, one that opens the page in that language."""
    return with_language(current_app.config["BASE_URL"] + path, language)


def _sender(statement: Statement) -> str:
    group = statement.appeal.group
    return group.name if group else _("Appeal Desk")


def _queue(kind: str, to: str | None, subject: str, template: str, statement: Statement,
           *, language: str | None, sensitive: bool = False, **context) -> None:
    """Render and queue one e-mail in `language` (the one the person signed in); `subject` is
    a lazy string, translated here."""
    if not to:  # the address was purged: nobody left to tell
        return
    with in_language(language):
        context = {"statement": statement, "sender": _sender(statement),
                   "group": statement.appeal.group,
                   "statement_url": _link(f"/statements/{statement.slug}", language), **context}
        queue_email(kind=kind, to=to, subject=str(subject),
                    body_text=render_email(f"email/{template}", **context),
                    appeal_id=statement.appeal_id, sensitive=sensitive)


def org_confirmation_request(signature: OrgSignature, statement: Statement, confirm_token: str,
                             withdraw_token: str) -> None:
    """Ask the contact to confirm the organisation's signature; carries the withdrawal link."""
    _queue("statement_confirmation", signature.contact_email,
           _l("Please confirm your organisation's signature: %(title)s", title=statement.title),
           "statement_confirmation.txt", statement, sensitive=True, signature=signature,
           language=signature.language,
           confirm_url=_link(f"/statements/confirm/{confirm_token}", signature.language),
           withdraw_url=_link(f"/statements/withdraw/{withdraw_token}", signature.language),
           max_age_days=current_app.config["CONFIRMATION_MAX_AGE_DAYS"])


def org_approved(signature: OrgSignature, statement: Statement) -> None:
    """The organisation is on the list."""
    _queue("statement_approved", signature.contact_email,
           _l("Your organisation's signature is accepted: %(title)s", title=statement.title),
           "statement_approved.txt", statement, signature=signature,
           language=signature.language)


def org_rejected(signature: OrgSignature, statement: Statement, reason: str) -> None:
    """The organisation is not listed, with the coordinator's reason."""
    _queue("statement_rejected", signature.contact_email,
           _l("Your organisation's signature was not accepted: %(title)s", title=statement.title),
           "statement_rejected.txt", statement, signature=signature,
           language=signature.language, reason=reason)


def org_clarification(signature: OrgSignature, statement: Statement, question: str) -> None:
    """The coordinator needs to know more before listing the organisation."""
    _queue("statement_clarification", signature.contact_email,
           _l("A question about your organisation's signature: %(title)s", title=statement.title),
           "statement_clarification.txt", statement, signature=signature,
           language=signature.language, question=question)


def org_withdrawn(signature: OrgSignature, statement: Statement) -> None:
    """Acknowledge a withdrawal, so a contact who did not ask for it can react."""
    _queue("statement_withdrawn", signature.contact_email,
           _l("Your organisation's signature is withdrawn: %(title)s", title=statement.title),
           "statement_withdrawn.txt", statement, signature=signature,
           language=signature.language)


def cosigner_confirmation_request(cosigner: Cosigner, statement: Statement, raw_token: str,
                                  withdraw_token: str) -> None:
    """Ask an individual co-signer to confirm; carries the withdrawal link."""
    _queue(COSIGNER_CONFIRMATION_KIND, cosigner.email,
           _l("Please confirm your signature: %(title)s", title=statement.title),
           "statement_cosigner_confirmation.txt", statement, sensitive=True, cosigner=cosigner,
           language=cosigner.language,
           confirm_url=_link(f"/statements/cosign/confirm/{raw_token}", cosigner.language),
           withdraw_url=_link(f"/statements/cosign/withdraw/{withdraw_token}", cosigner.language),
           max_age_days=current_app.config["CONFIRMATION_MAX_AGE_DAYS"])
