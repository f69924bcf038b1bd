"""The OSDI resource shapes the API answers with (HAL: `_links`, `_embedded`, `osdi:` curies).

Declared once with pydantic: the views build their answers through these models and the tests
validate every answer back against them (extra fields are refused, so a field that is not
documented here cannot leak out). Shapes follow OSDI 1.x petitions and signatures
(https://opensupporter.github.io/osdi-docs/); Appeal Desk's own fields carry the
`appeal_desk:` prefix, as OSDI asks of vendor extensions.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

OSDI_CURIE = {"name": "osdi", "href": "https://opensupporter.github.io/osdi-docs/{rel}",
              "templated": True}
ORIGIN_SYSTEM = "Appeal Desk"


class Shape(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)


class Link(Shape):
    href: str
    title: str | None = None


class Curie(Shape):
    name: str
    href: str
    templated: bool


class Target(Shape):
    name: str


class Coalition(Shape):
    name: str
    total_signatures: int


class PetitionLinks(Shape):
    self: Link
    signatures: Link = Field(alias="osdi:signatures")
    curies: list[Curie]


class Petition(Shape):
    """An appeal, or an organisations' statement, as an OSDI petition."""

    identifiers: list[str]
    origin_system: str = ORIGIN_SYSTEM
    created_date: datetime
    modified_date: datetime
    title: str
    description: str
    petition_text: str
    browser_url: str
    total_signatures: int
    target: list[Target]
    state: str = Field(alias="appeal_desk:state")
    coalition: list[Coalition] = Field(default_factory=list, alias="appeal_desk:coalition")
    links: PetitionLinks = Field(alias="_links")


class EmailAddress(Shape):
    address: str
    primary: bool = True


class PostalAddress(Shape):
    country: str
    locality: str | None = None


class Person(Shape):
    """The signer, as much as the caller may see: a display name and a country by default."""

    display_name: str | None = Field(default=None, alias="appeal_desk:display_name")
    organisation: str | None = Field(default=None, alias="appeal_desk:organisation")
    email_addresses: list[EmailAddress] | None = None
    postal_addresses: list[PostalAddress]


class SignatureLinks(Shape):
    self: Link
    petition: Link = Field(alias="osdi:petition")
    curies: list[Curie]


class SignatureEmbedded(Shape):
    person: Person = Field(alias="osdi:person")


class Signature(Shape):
    identifiers: list[str]
    origin_system: str = ORIGIN_SYSTEM
    created_date: datetime | None = None
    modified_date: datetime | None = None
    comments: str | None = None
    status: str | None = Field(default=None, alias="appeal_desk:status")
    # The signer's full name, e-mail, city and message as a libsodium sealed box (base64) to
    # the organisation's public key: only its private key opens them (docs/threat-model.md).
    sealed: str | None = Field(default=None, alias="appeal_desk:sealed")
    embedded: SignatureEmbedded = Field(alias="_embedded")
    links: SignatureLinks = Field(alias="_links")


class CollectionLinks(Shape):
    self: Link
    next: Link | None = None
    prev: Link | None = None
    petitions: list[Link] | None = Field(default=None, alias="osdi:petitions")
    signatures: list[Link] | None = Field(default=None, alias="osdi:signatures")
    curies: list[Curie]


class CollectionEmbedded(Shape):
    petitions: list[Petition] | None = Field(default=None, alias="osdi:petitions")
    signatures: list[Signature] | None = Field(default=None, alias="osdi:signatures")


class Collection(Shape):
    """A page of petitions or signatures (OSDI collection with HAL paging)."""

    total_pages: int
    per_page: int
    page: int
    total_records: int
    links: CollectionLinks = Field(alias="_links")
    embedded: CollectionEmbedded = Field(alias="_embedded")


class EntryLinks(Shape):
    self: Link
    petitions: Link = Field(alias="osdi:petitions")
    statements: Link = Field(alias="appeal_desk:statements")
    curies: list[Curie]


class EntryPoint(Shape):
    """The API entry point (OSDI AEP)."""

    motd: str
    vendor_name: str = ORIGIN_SYSTEM
    product_name: str = ORIGIN_SYSTEM
    osdi_version: str = "1.1"
    links: EntryLinks = Field(alias="_links")


def dump(model: Shape) -> dict:
    """The JSON-ready dict of a shape: aliases, no empty optional fields."""
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)
