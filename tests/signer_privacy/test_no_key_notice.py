"""Coordinators are told, before anyone signs, that their organisation has no key: what people
sign then is sealed only to their own link, and the organisation can never open it."""

from __future__ import annotations

from tests.builders import make_appeal, make_group, make_keyed_group

NOTICE = 'id="no-key-notice"'


def test_a_keyless_organisation_is_told_on_the_dashboard_and_the_appeal_page(client, db, login):
    group = make_group()
    appeal = make_appeal(group=group, title="Free the journalist")
    login(group=group)
    for path in ("/coordinator/", f"/coordinator/appeals/{appeal.slug}"):
        html = client.get(path).get_data(as_text=True)
        assert NOTICE in html, path
        assert 'href="/coordinator/key"' in html  # the coordinator can make it there
    ru = client.get(f"/coordinator/appeals/{appeal.slug}?lang=ru").get_data(as_text=True)
    assert "У вашей организации ещё нет ключа" in ru


def test_no_notice_once_the_organisation_has_its_key(client, db, login):
    group, _key = make_keyed_group()
    keyed = make_appeal(group=group, slug="keyed")
    login(group=group)
    assert NOTICE not in client.get(f"/coordinator/appeals/{keyed.slug}").get_data(as_text=True)
    assert NOTICE not in client.get("/coordinator/").get_data(as_text=True)


def test_no_notice_for_a_closed_appeal_which_gathers_no_more_signatures(client, db, login):
    group = make_group()
    closed = make_appeal(group=group, slug="closed", state="closed")
    login(group=group)
    assert NOTICE not in client.get("/coordinator/").get_data(as_text=True)
    closed.state = "open"
    db.session.commit()
    assert NOTICE in client.get("/coordinator/").get_data(as_text=True)


def test_an_administrator_is_told_which_appeals_and_the_command(client, db, login):
    make_appeal(group=make_group(), slug="one", title="Free the journalist")
    make_appeal(group=make_keyed_group(slug="keyed", name="Keyed")[0], slug="two", title="Keyed appeal",
                posts=[])
    login()  # an administrator belongs to no organisation
    html = client.get("/coordinator/").get_data(as_text=True)
    assert "Appeals concerned: Free the journalist</p>" in html
    assert "flask sealing create-key" in html and 'href="/coordinator/key"' not in html
