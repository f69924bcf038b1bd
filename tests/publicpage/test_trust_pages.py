"""About, contact and privacy pages: linked from every public page, in every language."""

from __future__ import annotations

import pytest

from tests.builders import make_appeal, make_group


def _group(db):
    group = make_group(slug="adil-soz", name="Adil Soz")
    group.website, group.email, group.postal_address = "https://adilsoz.kz", "info@adilsoz.kz", "Almaty"
    db.session.commit()
    return group


def test_about_and_contact_name_the_organisations_running_public_appeals(client, db):
    group = _group(db)
    make_appeal(slug="open-one", group=group)
    make_appeal(slug="hidden", state="draft", posts=[],
                group=make_group(slug="secret", name="Secret Group"))
    for path in ("/about", "/contact"):
        html = client.get(path).get_data(as_text=True)
        assert 'id="group-adil-soz"' in html and "info@adilsoz.kz" in html and "Almaty" in html
        assert "Secret Group" not in html
    appeal_page = client.get("/a/open-one").get_data(as_text=True)
    assert 'href="/about#group-adil-soz"' in appeal_page


def test_privacy_page_states_the_configured_retention(client, app):
    app.config["APPEAL_EMAIL_RETENTION_DAYS"] = 45
    try:
        html = client.get("/privacy").get_data(as_text=True)
    finally:
        app.config["APPEAL_EMAIL_RETENTION_DAYS"] = 90
    assert "deleted 45 days after the appeal closes" in html
    # What issue 19 changed: sealed details, the address erased once the confirmation is sent,
    # and the private link that deletes a signature (docs/threat-model.md).
    assert "Sealed, so that a copy of the server does not reveal them" in html
    assert "stays readable only until your confirmation e-mail is sent" in html
    assert "carries a private link" in html
    assert "never confirmed is deleted after 30 days" in html
    assert "How to have it deleted" in html


@pytest.mark.parametrize(("lang", "heading"), [
    ("ru", "Конфиденциальность: что мы храним"), ("kk", "Құпиялылық: біз не сақтаймыз"),
    ("fr", "Confidentialité : ce que nous conservons"),
])
def test_privacy_page_is_translated(client, lang, heading):
    html = client.get(f"/privacy?lang={lang}").get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in html


@pytest.mark.parametrize("path", ["/", "/a/open-one", "/about", "/privacy", "/contact"])
def test_every_public_page_links_the_trust_pages_in_its_footer(client, db, path):
    make_appeal(slug="open-one")
    html = client.get(path).get_data(as_text=True)
    footer = html[html.index('<footer class="site">'):]
    for link in ('href="/about"', 'href="/contact"', 'href="/privacy"'):
        assert link in footer


def test_a_group_without_contact_details_has_no_empty_list(client, db):
    """The about page drew an empty fact list (a blank gap) under a group with no website,
    e-mail or address."""
    make_appeal(slug="quiet", group=make_group(slug="civil", name="Civil Initiatives"))
    html = client.get("/about").get_data(as_text=True)
    section = html.split('id="group-civil"', 1)[1].split("</section>", 1)[0]
    assert "<dl" not in section
