"""Resolution: who holds a post on a date, how to reach them, and what to warn about."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.config import PROJECT_ROOT
from app.directory.contacts import address_lines, display_value, format_phone
from app.directory.files import import_paths
from app.directory.resolve import holder_on, resolve
from app.directory.routing import appeal_warnings
from app.models import ContactDetail, Post
from tests.builders import make_appeal, make_post

RECIPIENTS = PROJECT_ROOT / "recipients"
DEMO_POSTS = (
    "kz-president", "kz-human-rights-ombudsman", "kz-minister-internal-affairs", "kz-general-prosecutor",
    "kz-minister-foreign-affairs", "kz-minister-information", "kz-supreme-court-chair",
    "kz-minister-justice", "kz-almaty-police-chief", "un-sr-freedom-of-expression", "un-wgad",
    "osce-rfom", "eu-delegation-kazakhstan", "coe-commissioner-human-rights",
)


@pytest.fixture
def directory(db):
    import_paths([RECIPIENTS])

    def post(slug: str) -> Post:
        return db.session.scalar(select(Post).where(Post.slug == slug))

    return post


def test_the_president_changes_on_20_march_2019(directory):
    president = directory("kz-president")
    assert resolve(president, on=date(2019, 3, 19)).holder.name == "Nursultan Nazarbayev"
    assert resolve(president, on=date(2019, 3, 20)).holder.name == "Kassym-Jomart Tokayev"
    assert resolve(president).addressee == "Mr Kassym-Jomart Tokayev"
    assert resolve(president).salutation == "Your Excellency"


@pytest.mark.parametrize(("slug", "on", "name"), [
    ("kz-human-rights-ombudsman", date(2014, 7, 1), "Askar Shakirov"),
    ("kz-human-rights-ombudsman", date(2020, 6, 1), "Elvira Azimova"),
    ("kz-minister-internal-affairs", date(2014, 7, 1), "Kalmukhanbet Kassymov"),
    ("kz-minister-internal-affairs", date(2020, 7, 20), "Yerlan Turgumbayev"),
    ("kz-general-prosecutor", date(2014, 7, 1), "Askhat Daulbayev"),
    ("kz-general-prosecutor", date(2019, 11, 1), "Gizat Nurdauletov"),
    ("kz-minister-foreign-affairs", date(2014, 7, 1), "Erlan Idrisov"),
    ("kz-minister-information", date(2019, 11, 1), "Dauren Abayev"),
    ("un-sr-freedom-of-expression", date(2019, 1, 1), "David Kaye"),
    ("un-sr-freedom-of-expression", date(2021, 1, 1), "Irene Khan"),
    ("coe-commissioner-human-rights", date(2024, 3, 31), "Dunja Mijatović"),
    ("coe-commissioner-human-rights", date(2024, 4, 1), "Michael O'Flaherty"),
    ("kz-supreme-court-chair", date(2022, 12, 7), "Zhakip Asanov"),
    ("kz-supreme-court-chair", date(2022, 12, 8), "Aslambek Mergaliyev"),
    ("kz-minister-foreign-affairs", date(2025, 9, 25), "Murat Nurtleu"),
    ("kz-minister-foreign-affairs", date(2025, 9, 26), "Yermek Kosherbayev"),
    ("eu-special-representative-human-rights", date(2024, 2, 29), "Eamon Gilmore"),
])
def test_holders_named_in_the_seeds_resolve_on_their_dates(directory, slug, on, name):
    assert resolve(directory(slug), on=on).holder.name == name


def test_a_date_between_attested_holders_is_flagged_vacant(directory):
    resolution = resolve(directory("kz-general-prosecutor"), on=date(2017, 1, 1))
    assert resolution.holder is None and resolution.vacant
    assert "vacant" in resolution.flags


def test_a_post_whose_term_ended_without_a_recorded_successor_is_vacant(directory):
    assert resolve(directory("eu-special-representative-human-rights"), on=date(2025, 3, 1)).holder.name \
        == "Olof Skoog"
    assert resolve(directory("eu-special-representative-human-rights"), on=date(2025, 3, 2)).vacant


def test_every_demo_recipient_exists_and_resolves_to_a_contact(directory):
    for slug in DEMO_POSTS:
        post = directory(slug)
        assert post is not None, slug
        resolution = resolve(post)
        assert resolution.contacts, slug
        assert "no-contact" not in resolution.flags
        assert post.source and all(c.source for c in resolution.contacts), slug
        assert post.salutation != "Dear Sir or Madam", slug
        if slug.startswith("kz-"):
            assert post.preferred_language == "ru", slug


def test_the_seed_addresses_and_numbers_are_recorded(directory):
    president = resolve(directory("kz-president"))
    assert format_phone(president.first("fax").value) == "+7 7172 72 05 16"
    ombudsman = resolve(directory("kz-human-rights-ombudsman"))
    assert ombudsman.first("email").value == "ombudsman-kz@mail.ru"
    assert ombudsman.first("fax").value == "+77172740548"
    prosecutor = resolve(directory("kz-general-prosecutor"))
    assert "Mangilik El avenue, 14" in display_value(prosecutor.first("address"))


def test_vacant_post_is_flagged_but_a_collective_body_is_not(directory):
    police = resolve(directory("kz-almaty-police-chief"))
    assert police.vacant and "vacant" in police.flags
    # No details of its own: it is reached through the Ministry of Internal Affairs (its parent).
    assert police.first("address").organization.slug == "kz-ministry-internal-affairs"
    wgad = resolve(directory("un-wgad"))
    assert not wgad.vacant and "vacant" not in wgad.flags
    assert wgad.first("web").value == "https://spsubmission.ohchr.org/"


def test_a_detail_older_than_the_configured_age_is_stale(app, db):
    today = date(2026, 6, 15)
    post = make_post(contacts=[("fax", "+77172720516")])
    post.contacts[0].last_verified = date(2025, 6, 16)
    assert resolve(post, on=today).flags == []
    post.contacts[0].last_verified = date(2025, 6, 15)
    assert resolve(post, on=today).flags == ["stale:fax"]
    app.config["DIRECTORY_STALE_MONTHS"] = 24
    try:
        assert resolve(post, on=today).flags == []
    finally:
        app.config["DIRECTORY_STALE_MONTHS"] = 12
    post.contacts[0].last_verified = None
    assert resolve(post, on=today).flags == ["stale:fax"]


def test_a_recipient_reachable_only_by_web_form(db):
    post = make_post(slug="web-only", holder="Someone", contacts=[("web", "https://example.org/form")])
    web = resolve(post, channel="web")
    assert web.flags == [] and web.first("web").value == "https://example.org/form"
    fax = resolve(post, channel="fax")
    assert fax.contacts == [] and fax.flags == ["no-channel:fax"]
    assert resolve(post).first("address") is None


def test_holder_on_uses_inclusive_dates_and_latest_start():
    from app.models import Membership, Person

    post = Post(slug="p", label="P")
    old = Membership(person=Person(slug="a", name="A"), start_date=date(2010, 1, 1),
                     end_date=date(2015, 12, 31))
    new = Membership(person=Person(slug="b", name="B"), start_date=date(2016, 1, 1))
    post.memberships.extend([old, new])
    assert holder_on(post, date(2015, 12, 31)) is old
    assert holder_on(post, date(2016, 1, 1)) is new
    assert holder_on(post, date(2009, 12, 31)) is None


def test_appeal_warnings_list_every_flag_of_every_addressed_post(directory, db):
    appeal = make_appeal(posts=[directory("kz-almaty-police-chief"), directory("un-wgad")])
    warnings = appeal_warnings(appeal, on=date(2026, 11, 24))
    texts = [str(w) for w in warnings]
    assert "Head of the Police Department of Almaty: no holder is recorded on 2026-11-24: " \
        "check who holds the post" in texts
    assert any(t.startswith("Head of the Police Department of Almaty: address detail last verified "
                            "2014-07-11 (older than 12 months)") for t in texts)
    assert any(t.startswith("UN Working Group on Arbitrary Detention: web detail never verified")
               for t in texts)
    fresh = make_post(slug="fresh", contacts=[("email", "a@example.org")])
    assert appeal_warnings(make_appeal(slug="fresh-appeal", posts=[fresh])) == []


def test_address_lines_follow_the_country_format_with_the_recipient(directory, db):
    contact = resolve(directory("kz-president")).first("address")
    lines = address_lines(contact, "Mr Kassym-Jomart Tokayev")
    assert lines == ["010000", "ASTANA", "Akorda building, Left Bank of the Ishim River",
                     "Administration of the President of the Republic of Kazakhstan",
                     "Mr Kassym-Jomart Tokayev", "KAZAKHSTAN"]
    geneva = resolve(directory("un-sr-freedom-of-expression")).first("address")
    lines = address_lines(geneva, "Ms Irene Khan")
    assert lines[0] == "OHCHR, Palais des Nations, United Nations Office at Geneva"
    assert lines[-2:] == ["CH-1211 Geneva 10", "SWITZERLAND"]


def test_address_lines_of_a_detail_without_structure_is_its_value(db):
    contact = ContactDetail(type="address", value="Somewhere 1, Astana")
    assert address_lines(contact) == ["Somewhere 1, Astana"]
