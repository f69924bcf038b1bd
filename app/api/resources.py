"""Appeals, statements and their signatures as OSDI resources: public by default, more for owners."""

from __future__ import annotations

import base64

from app.api import osdi
from app.api.links import petition_url, signature_url, site_url, statement_url
from app.models import Appeal, Partner, Signature
from app.models.enums import PublicDisplay
from app.models.statement import Cosigner, OrgSignature, Statement
from app.statements.listing import Undersigned
from app.text import initials

CURIES = [osdi.Curie(**osdi.OSDI_CURIE)]


def _link(href: str) -> osdi.Link:
    return osdi.Link(href=href)


def appeal_petition(appeal: Appeal, partners: list[Partner]) -> osdi.Petition:
    """An appeal as an OSDI petition; its count is the public count of confirmed signatures."""
    url = petition_url(appeal.slug)
    return osdi.Petition(
        identifiers=[f"appeal_desk:{appeal.slug}"], created_date=appeal.created_at,
        modified_date=appeal.updated_at, title=appeal.title, description=appeal.summary,
        petition_text=appeal.body_md, browser_url=site_url(f"/a/{appeal.slug}"),
        total_signatures=appeal.confirmed_count,
        target=[osdi.Target(name=r.post.label) for r in appeal.recipients],
        state=appeal.state,
        coalition=[osdi.Coalition(name=p.name, total_signatures=p.confirmed_count) for p in partners],
        links=osdi.PetitionLinks(self=_link(url), signatures=_link(url + "/signatures"),
                                 curies=CURIES),
    )


def statement_petition(statement: Statement, total: int) -> osdi.Petition:
    """An organisations' joint statement as an OSDI petition."""
    url = statement_url(statement.slug)
    return osdi.Petition(
        identifiers=[f"appeal_desk:statement:{statement.slug}"],
        created_date=statement.created_at, modified_date=statement.updated_at,
        title=statement.title, description=statement.intro, petition_text=statement.text,
        browser_url=site_url(f"/statements/{statement.slug}"), total_signatures=total,
        target=[osdi.Target(name=r.post.label) for r in statement.recipients],
        state=statement.state,
        links=osdi.PetitionLinks(self=_link(url), signatures=_link(url + "/signatures"),
                                 curies=CURIES),
    )


def _signature_links(self_url: str, petition: str) -> osdi.SignatureLinks:
    return osdi.SignatureLinks(self=_link(self_url), petition=_link(petition), curies=CURIES)


def public_signature(slug: str, signature: Signature) -> osdi.Signature:
    """A signer who chose to be shown: the name as they chose (full or initials) and a country."""
    name = signature.name if signature.public_display == PublicDisplay.FULL else initials(signature.name)
    person = osdi.Person(display_name=name,
                         postal_addresses=[osdi.PostalAddress(country=signature.country)])
    return osdi.Signature(
        identifiers=[f"appeal_desk:signature:{signature.id}"],
        embedded=osdi.SignatureEmbedded(person=person),
        links=_signature_links(signature_url(slug, signature.id), petition_url(slug)),
    )


def owner_signature(slug: str, signature: Signature) -> osdi.Signature:
    """What the owning organisation holds of a signature: in clear only the name form the signer
    disclosed and the country; full name, e-mail, city and message sealed to its key."""
    person = osdi.Person(display_name=signature.name,
                         postal_addresses=[osdi.PostalAddress(country=signature.country)])
    sealed = base64.b64encode(signature.sealed).decode() if signature.sealed else None
    return osdi.Signature(
        identifiers=[f"appeal_desk:signature:{signature.id}"], created_date=signature.created_at,
        modified_date=signature.confirmed_at, status=signature.status, sealed=sealed,
        embedded=osdi.SignatureEmbedded(person=person),
        links=_signature_links(signature_url(slug, signature.id), petition_url(slug)),
    )


def undersigned_signature(slug: str, number: int, entry: Undersigned) -> osdi.Signature:
    """An approved organisation as listed publicly (anonymous ones stay anonymous)."""
    person = osdi.Person(organisation=entry.name,
                         postal_addresses=[osdi.PostalAddress(country=entry.country_code)])
    url = statement_url(slug)
    return osdi.Signature(identifiers=[f"appeal_desk:statement:{slug}:{number}"],
                          embedded=osdi.SignatureEmbedded(person=person),
                          links=_signature_links(f"{url}/signatures#{number}", url))


def cosigner_signature(slug: str, cosigner: Cosigner, *, owner: bool) -> osdi.Signature:
    """An individual co-signer: name and country; the e-mail only for the owner."""
    emails = [osdi.EmailAddress(address=cosigner.email)] if owner and cosigner.email else None
    person = osdi.Person(display_name=cosigner.name, organisation=cosigner.affiliation,
                         email_addresses=emails,
                         postal_addresses=[osdi.PostalAddress(country=cosigner.country)])
    url = statement_url(slug)
    return osdi.Signature(
        identifiers=[f"appeal_desk:cosigner:{cosigner.id}"],
        created_date=cosigner.created_at if owner else None,
        status=cosigner.status if owner else None,
        embedded=osdi.SignatureEmbedded(person=person),
        links=_signature_links(f"{url}/signatures#cosigner-{cosigner.id}", url))


def org_signature(slug: str, signature: OrgSignature) -> osdi.Signature:
    """An organisation's signature as its owner sees it: contact, status, every state."""
    emails = [osdi.EmailAddress(address=signature.contact_email)] if signature.contact_email else None
    person = osdi.Person(display_name=signature.contact_name, organisation=signature.org_name,
                         email_addresses=emails,
                         postal_addresses=[osdi.PostalAddress(country=signature.country)])
    url = statement_url(slug)
    return osdi.Signature(
        identifiers=[f"appeal_desk:org_signature:{signature.id}"],
        created_date=signature.created_at, modified_date=signature.confirmed_at,
        comments=signature.description, status=signature.status,
        embedded=osdi.SignatureEmbedded(person=person),
        links=_signature_links(f"{url}/signatures#org-{signature.id}", url))
