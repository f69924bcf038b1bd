"""Recognising one organisation under different spellings and addresses."""

from __future__ import annotations

import pytest

from app.statements.identity import email_domain, normalise_name, website_domain


@pytest.mark.parametrize("a, b", [
    ("Adil Soz", 'PF "ADIL SOZ".'),
    ("Adil Soz", "Public Foundation Adil Soz"),
    ("Article 19", "ARTICLE 19 Ltd"),
    ("Kazakhstan International Bureau for Human Rights", "Kazakhstan international bureau for human rights!"),
    ("Әділ Сөз", "ОФ «Әділ сөз»"),
    ("Reporters sans frontières", "Reporters Sans Frontieres"),
])
def test_spellings_of_one_organisation_have_the_same_key(a, b):
    assert normalise_name(a) == normalise_name(b)


def test_different_organisations_have_different_keys():
    assert normalise_name("PEN Kazakhstan") != normalise_name("PEN America")
    assert normalise_name("The Foundation") == "foundation"
    assert normalise_name("The NGO") == "the ngo"  # only legal-form words: kept


@pytest.mark.parametrize("website, domain", [
    ("https://www.adilsoz.kz/en/news", "adilsoz.kz"),
    ("adilsoz.kz", "adilsoz.kz"),
    ("http://news.adilsoz.kz", "adilsoz.kz"),
    ("https://www.hrw.org.uk/", "hrw.org.uk"),
    ("https://bureau.org.kz", "bureau.org.kz"),
    ("https://www.facebook.com/adilsoz", None),
    ("https://t.me/adilsoz", None),
    ("https://adilsoz.wordpress.com/about", "adilsoz.wordpress.com"),
    ("https://wordpress.com", None),
    ("https://alpha-hr.pp.ua", "alpha-hr.pp.ua"),
    ("https://www.beta-media.pp.ua/about", "beta-media.pp.ua"),
    ("https://pen.github.io", "pen.github.io"),
    ("not a site", None),
    ("", None),
])
def test_website_domain(website, domain):
    assert website_domain(website) == domain


def test_two_pages_on_one_social_network_are_not_one_organisation(client, db):
    from sqlalchemy import func, select

    from app.models.statement import OrgSignature
    from tests.statements.helpers import make_statement, sign

    statement = make_statement()
    sign(client, statement.slug, org_name="Adil Soz", org_website="https://facebook.com/adilsoz")
    sign(client, statement.slug, org_name="Erkin Kazakhstan", org_website="https://facebook.com/erkin",
         contact_email="erkin@example.org")
    assert db.session.scalar(select(func.count()).select_from(OrgSignature)) == 2


def test_organisations_under_a_shared_suffix_are_two_organisations(client, db):
    from sqlalchemy import select

    from app.models.statement import OrgSignature
    from tests.statements.helpers import make_statement, sign

    statement = make_statement()
    sign(client, statement.slug, org_name="Alpha Human Rights", org_website="https://alpha-hr.pp.ua",
         contact_email="info@alpha-hr.pp.ua")
    sign(client, statement.slug, org_name="Beta Media", org_website="https://beta-media.pp.ua",
         contact_email="info@beta-media.pp.ua")
    domains = db.session.scalars(select(OrgSignature.domain).order_by(OrgSignature.id)).all()
    assert domains == ["alpha-hr.pp.ua", "beta-media.pp.ua"]


def test_email_domain():
    assert email_domain("info@mail.adilsoz.kz") == "adilsoz.kz"
    assert email_domain("me@adilsoz.wordpress.com") == "adilsoz.wordpress.com"
    assert email_domain("info@mail.alpha-hr.pp.ua") == "alpha-hr.pp.ua"
