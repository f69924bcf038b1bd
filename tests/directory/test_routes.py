"""Coordinator directory pages: search, post page, edits validated next to their field, change log."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.config import PROJECT_ROOT
from app.directory.files import import_paths
from app.models import ContactDetail, DirectoryChange, Membership, Post
from tests.builders import make_appeal
from tests.conftest import csrf_token


@pytest.fixture
def directory(db):
    import_paths([PROJECT_ROOT / "recipients"])
    return db


def field_error(html: str, field_id: str) -> str | None:
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', html)
    return match.group(1) if match else None


def count(db, model) -> int:  # noqa: ANN001
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def test_directory_needs_a_coordinator(client, login, directory):
    assert client.get("/coordinator/directory/").status_code == 302
    login(email="staff@example.org", role="staff")
    assert client.get("/coordinator/directory/").status_code == 403


def test_search_by_holder_name_organisation_country_and_kind(client, login, directory):
    login()
    page = client.get("/coordinator/directory/?q=tokayev").get_data(as_text=True)
    assert "President of the Republic of Kazakhstan" in page and "Minister of Justice" not in page
    page = client.get("/coordinator/directory/?q=OSCE").get_data(as_text=True)
    assert "OSCE Representative on Freedom of the Media" in page
    page = client.get("/coordinator/directory/?country=KZ&kind=ministry").get_data(as_text=True)
    assert "Minister of Justice" in page and "President of the Republic" not in page
    page = client.get("/coordinator/directory/?kind=un").get_data(as_text=True)
    assert "UN Working Group on Arbitrary Detention" in page and "Kazakhstan" not in page.split("<tbody>")[1]
    assert 'href="/coordinator/directory/">Directory</a>' in page


def test_post_page_shows_holders_contacts_flags_and_appeals(client, login, directory, db):
    login()
    post = db.session.scalar(select(Post).where(Post.slug == "kz-president"))
    make_appeal(slug="duambekov", title="Musagali Duambekov", posts=[post])
    page = client.get("/coordinator/directory/posts/kz-president").get_data(as_text=True)
    assert "Nursultan Nazarbayev" in page and "2019-03-19" in page
    assert "Kassym-Jomart Tokayev" in page
    assert "+7 7172 72 05 16" in page
    assert "fax detail last verified 2014-07-11 (older than 12 months)" in page
    assert "stale</span>" in page
    assert "Musagali Duambekov" in page
    vacant = client.get("/coordinator/directory/posts/kz-almaty-police-chief").get_data(as_text=True)
    assert "no holder is recorded on" in vacant
    assert client.get("/coordinator/directory/posts/no-such-post").status_code == 404


def test_editing_a_post_records_who_changed_what(client, login, directory, db):
    user = login()
    form = client.get("/coordinator/directory/posts/kz-minister-justice/edit").get_data(as_text=True)
    response = client.post("/coordinator/directory/posts/kz-minister-justice/edit", data={
        "csrf_token": csrf_token(form), "label": "Minister of Justice of the Republic of Kazakhstan",
        "salutation": "Dear Mr Minister", "preferred_language": "ru", "notes": ""})
    assert response.status_code == 303
    change = db.session.scalar(select(DirectoryChange).where(DirectoryChange.field == "salutation"))
    assert (change.user_id, change.actor, change.old_value, change.new_value) == \
        (user.id, "coord@example.org", "Dear Minister", "Dear Mr Minister")
    page = client.get("/coordinator/directory/posts/kz-minister-justice").get_data(as_text=True)
    assert "post kz-minister-justice: salutation" in page and "Dear Mr Minister" in page
    bad = client.post("/coordinator/directory/posts/kz-minister-justice/edit", data={
        "csrf_token": csrf_token(form), "label": "X", "salutation": "", "preferred_language": "Russian"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert field_error(html, "salutation") == "This field is required."
    assert field_error(html, "preferred_language") == "Use a language code such as ru, kk or en."


def test_a_post_without_csrf_token_changes_nothing(client, login, directory, db):
    login()
    before = count(db, DirectoryChange)
    response = client.post("/coordinator/directory/posts/kz-minister-justice/edit", data={
        "label": "Hacked", "salutation": "Hi"})
    assert response.status_code == 400
    assert count(db, DirectoryChange) == before


def test_adding_an_overlapping_holder_is_refused_next_to_the_field(client, login, directory, db):
    login()
    page = client.get("/coordinator/directory/posts/kz-president").get_data(as_text=True)
    before = count(db, Membership)
    response = client.post("/coordinator/directory/posts/kz-president/holders", data={
        "csrf_token": csrf_token(page), "holder-name": "Someone Else", "holder-start_date": "2024-01-01",
        "holder-source": "test"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "overlap Kassym-Jomart Tokayev&#39;s term (2019-03-20 to now)" in \
        field_error(html, "holder-end_date")
    assert count(db, Membership) == before


def test_ending_a_term_then_adding_the_successor(client, login, directory, db):
    login()
    page = client.get("/coordinator/directory/posts/kz-minister-internal-affairs").get_data(as_text=True)
    current = db.session.scalar(select(Membership).where(
        Membership.end_date.is_(None), Membership.post.has(slug="kz-minister-internal-affairs")))
    url = f"/coordinator/directory/posts/kz-minister-internal-affairs/holders/{current.id}/end"
    early = client.post(url, data={"csrf_token": csrf_token(page), f"end{current.id}-end_date": "2020-01-01"})
    assert early.status_code == 400
    error = field_error(early.get_data(as_text=True), f"end{current.id}-end_date")
    assert "The term started on 2022-02-25" in error
    assert client.post(url, data={"csrf_token": csrf_token(page),
                                  f"end{current.id}-end_date": "2023-06-30"}).status_code == 303
    added = client.post("/coordinator/directory/posts/kz-minister-internal-affairs/holders", data={
        "csrf_token": csrf_token(page), "holder-name": "Next Minister", "holder-honorific_prefix": "Mr",
        "holder-start_date": "2023-07-01", "holder-source": "test note"})
    assert added.status_code == 303
    from datetime import date

    from app.directory.resolve import resolve
    db.session.expire_all()
    post = db.session.scalar(select(Post).where(Post.slug == "kz-minister-internal-affairs"))
    assert resolve(post, on=date(2023, 6, 30)).holder.name == "Marat Akhmetzhanov"
    assert resolve(post, on=date(2023, 7, 1)).addressee == "Mr Next Minister"
    fields = [c.new_value for c in db.session.scalars(select(DirectoryChange).where(
        DirectoryChange.field == "holders"))]
    assert "Marat Akhmetzhanov 2022-02-25 to 2023-06-30" in fields
    assert "Next Minister 2023-07-01 to now" in fields


def test_a_bad_fax_is_shown_next_to_the_field_and_nothing_is_stored(client, login, directory, db):
    login()
    form = client.get("/coordinator/directory/posts/kz-minister-justice/contacts/new").get_data(as_text=True)
    before = (count(db, ContactDetail), count(db, DirectoryChange))
    response = client.post("/coordinator/directory/posts/kz-minister-justice/contacts/new", data={
        "csrf_token": csrf_token(form), "type": "fax", "value": "+7 7172 12", "source": "phoned them"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(html, "value") == "&#39;+7 7172 12&#39; is not a valid number for its country code"
    assert (count(db, ContactDetail), count(db, DirectoryChange)) == before


def test_a_bad_postal_code_is_shown_next_to_the_postal_code(client, login, directory, db):
    login()
    form = client.get("/coordinator/directory/posts/kz-minister-justice/contacts/new").get_data(as_text=True)
    assert re.search(r'<option selected value="KZ">', form)
    before = count(db, ContactDetail)
    response = client.post("/coordinator/directory/posts/kz-minister-justice/contacts/new", data={
        "csrf_token": csrf_token(form), "type": "address", "street_address": "Mangilik El 8",
        "city": "Astana", "postal_code": "12", "country_code": "KZ", "source": "site"})
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "postal_code") == \
        "not a valid address for KZ: postal_code is invalid"
    assert count(db, ContactDetail) == before


def test_a_valid_fax_is_stored_in_e164_and_logged(client, login, directory, db):
    user = login()
    form = client.get("/coordinator/directory/posts/kz-minister-justice/contacts/new").get_data(as_text=True)
    response = client.post("/coordinator/directory/posts/kz-minister-justice/contacts/new", data={
        "csrf_token": csrf_token(form), "type": "fax", "value": "8 (7172) 74-05-48",
        "last_verified": "2026-11-01", "source": "ministry site"})
    assert response.status_code == 303
    contact = db.session.scalar(select(ContactDetail).where(
        ContactDetail.type == "fax", ContactDetail.post.has(slug="kz-minister-justice")))
    assert contact.value == "+77172740548"
    change = db.session.scalar(select(DirectoryChange).where(DirectoryChange.user_id == user.id))
    assert change.new_value == "fax: +7 7172 74 05 48 (verified 2026-11-01); source: ministry site"
    page = client.get("/coordinator/directory/posts/kz-minister-justice").get_data(as_text=True)
    assert "+7 7172 74 05 48" in page


def test_editing_an_organisation_detail_from_a_post_page(client, login, directory, db):
    login()
    contact = db.session.scalar(select(ContactDetail).where(
        ContactDetail.type == "fax", ContactDetail.organization.has(slug="kz-presidency")))
    url = f"/coordinator/directory/posts/kz-president/contacts/{contact.id}/edit"
    form = client.get(url).get_data(as_text=True)
    assert 'value="+7 7172 72 05 16"' in form
    response = client.post(url, data={"csrf_token": csrf_token(form), "type": "fax",
                                      "value": "+7 7172 72 05 16", "last_verified": "2026-11-20",
                                      "source": "called the Akorda"})
    assert response.status_code == 303
    change = db.session.scalar(select(DirectoryChange).where(
        DirectoryChange.entity_slug == "kz-presidency", DirectoryChange.user_id.is_not(None)))
    assert change.old_value == "fax: +7 7172 72 05 16 (verified 2014-07-11); " \
        "source: Seed 000 (Open Dialog Foundation, July 2014)"
    assert change.new_value == "fax: +7 7172 72 05 16 (verified 2026-11-20); source: called the Akorda"
    other = db.session.scalar(select(ContactDetail).where(ContactDetail.organization.has(slug="coe")))
    other_url = f"/coordinator/directory/posts/kz-president/contacts/{other.id}/edit"
    assert client.get(other_url).status_code == 404


def _appeal_writing_to(client, db, *slugs: str, query: str = "") -> str:
    """An appeal ("turymbetov") to the directory posts `slugs`; its recipients' warnings page."""
    posts = [db.session.scalar(select(Post).where(Post.slug == slug)) for slug in slugs]
    make_appeal(slug="turymbetov", title="Marat Turymbetov", posts=posts)
    return client.get(f"/coordinator/directory/appeals/turymbetov/warnings{query}").get_data(as_text=True)


def test_appeal_warnings_page_lists_every_flag_of_the_appeals_recipients(client, login, directory, db):
    login()
    page = _appeal_writing_to(client, db, "kz-almaty-police-chief", "un-wgad")
    assert "Head of the Police Department of Almaty</a>: no holder is recorded on" in page
    assert "UN Working Group on Arbitrary Detention</a>: web detail never verified" in page
    assert "Dear Members of the Working Group" in page
    assert client.get("/coordinator/directory/appeals/nope/warnings").status_code == 404
    post_page = client.get("/coordinator/directory/posts/un-wgad").get_data(as_text=True)
    assert "/coordinator/directory/appeals/turymbetov/warnings" in post_page


def test_edits_in_the_interface_are_written_back_by_export(client, login, directory, db, tmp_path):
    from app.directory.files import export_directory

    login()
    page = client.get("/coordinator/directory/posts/kz-minister-justice").get_data(as_text=True)
    client.post("/coordinator/directory/posts/kz-minister-justice/holders", data={
        "csrf_token": csrf_token(page), "holder-name": "Jane Minister", "holder-honorific_prefix": "Ms",
        "holder-start_date": "2025-01-02", "holder-source": "ministry site, checked 2026-11-24"})
    form = client.get("/coordinator/directory/posts/kz-minister-justice/contacts/new").get_data(as_text=True)
    client.post("/coordinator/directory/posts/kz-minister-justice/contacts/new", data={
        "csrf_token": csrf_token(form), "type": "address", "street_address": "Mangilik El 8",
        "city": "Astana", "postal_code": "010000", "country_code": "KZ", "last_verified": "2026-11-24",
        "source": "ministry site"})
    export_directory(tmp_path)
    text = (tmp_path / "kz.yaml").read_text()
    assert """    holders:
    - person: jane-minister
      start: 2025-01-02
      source: ministry site, checked 2026-11-24
    contacts:
    - type: address
      address:
        street_address: Mangilik El 8
        city: Astana
        postal_code: '010000'
        country_code: KZ
      last_verified: 2026-11-24
      source: ministry site
""" in text
    assert text.endswith("""- id: jane-minister
  name: Jane Minister
  honorific_prefix: Ms
  source: ministry site, checked 2026-11-24
""")
    report = import_paths([tmp_path])
    assert not report.changed, report.summary()


def test_a_source_that_is_a_url_is_a_link_and_other_text_is_escaped(client, login, directory, db):
    login()
    post = db.session.scalar(select(Post).where(Post.slug == "un-wgad"))
    post.notes = "<script>alert(1)</script>"
    db.session.commit()
    page = client.get("/coordinator/directory/posts/un-wgad").get_data(as_text=True)
    assert '<a href="https://www.ohchr.org/en/special-procedures/wg-arbitrary-detention" ' \
        'rel="noreferrer noopener">' in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_marking_a_detail_verified_today_clears_its_stale_flag_and_is_logged(client, login, directory, db):
    from datetime import date

    user = login()
    contact = db.session.scalar(select(ContactDetail).where(
        ContactDetail.type == "fax", ContactDetail.organization.has(slug="kz-presidency")))
    page = client.get("/coordinator/directory/posts/kz-president").get_data(as_text=True)
    assert "fax detail last verified 2014-07-11" in page
    response = client.post(f"/coordinator/directory/posts/kz-president/contacts/{contact.id}/verified",
                           data={"csrf_token": csrf_token(page)})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(ContactDetail, contact.id).last_verified == date.today()
    page = client.get("/coordinator/directory/posts/kz-president").get_data(as_text=True)
    assert "fax detail last verified" not in page
    change = db.session.scalar(select(DirectoryChange).where(DirectoryChange.user_id == user.id))
    assert change.new_value.startswith(f"fax: +7 7172 72 05 16 (verified {date.today()})")


def test_removing_a_detail_is_logged_and_renumbers_the_rest(client, login, directory, db):
    login()
    contact = db.session.scalar(select(ContactDetail).where(
        ContactDetail.type == "address", ContactDetail.organization.has(slug="kz-presidency")))
    page = client.get("/coordinator/directory/posts/kz-president").get_data(as_text=True)
    assert client.post(f"/coordinator/directory/posts/kz-president/contacts/{contact.id}/delete",
                       data={"csrf_token": csrf_token(page)}).status_code == 303
    db.session.expire_all()
    remaining = db.session.scalars(select(ContactDetail).where(
        ContactDetail.organization.has(slug="kz-presidency")).order_by(ContactDetail.position))
    assert [(c.type, c.position) for c in remaining] == [("fax", 0), ("web", 1)]
    change = db.session.scalar(select(DirectoryChange).where(DirectoryChange.user_id.is_not(None)))
    assert change.old_value.startswith("address [Akorda]: 010000, ASTANA") and change.new_value is None


def test_directory_flags_and_warnings_are_in_the_coordinators_language(client, login, directory, db):
    """The flags were codes ("STALE:FAX") and the warnings English sentences on Russian pages."""
    login()
    index = client.get("/coordinator/directory/?q=tokayev&lang=ru").get_data(as_text=True)
    row = index.split("President of the Republic of Kazakhstan", 1)[1].split("</tr>", 1)[0]
    assert "не проверено: факс" in row and "stale:" not in row
    post = client.get("/coordinator/directory/posts/kz-president?lang=ru").get_data(as_text=True)
    assert "факс: последняя проверка 2014-07-11 (больше 12 мес. назад)" in post
    assert "detail last verified" not in post
    new_contact = client.get("/coordinator/directory/posts/kz-president/contacts/new?lang=ru")
    assert '<option value="fax">Факс</option>' in new_contact.get_data(as_text=True)
    vacant = client.get("/coordinator/directory/posts/kz-almaty-police-chief?lang=ru").get_data(as_text=True)
    assert "на дату" in vacant and "no holder is recorded" not in vacant


def test_appeal_warnings_and_post_pages_name_roles_states_and_contacts_in_words(client, login, directory, db):
    """"to", "open", "vacant", "address, fax" were codes or English literals on Russian pages."""
    login()
    page = _appeal_writing_to(client, db, "kz-almaty-police-chief", "kz-president", query="?lang=ru")
    rows = page.split("<tbody>", 1)[1]
    assert "<td>Кому</td>" in rows and "<td>to</td>" not in rows
    assert "<td>вакантна</td>" in rows and "<td>vacant</td>" not in rows
    assert "адрес, факс" in rows
    post = client.get("/coordinator/directory/posts/kz-president?lang=ru").get_data(as_text=True)
    assert "(Кому, открыто)" in post
