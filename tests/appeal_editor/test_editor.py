"""The appeal editor: messages next to their fields, nothing typed lost, nothing half stored,
lists without JavaScript, who may edit what."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from app.appeals.files import export_appeal, import_appeal_text
from app.models import Appeal
from tests.appeal_editor.helpers import form_fields, press
from tests.builders import make_appeal, make_group, make_post

NEW = "/coordinator/appeals/new"


def error_of(html: str, field_id: str) -> str:
    """The message shown right under the field `field_id` (its aria-describedby target)."""
    found = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S)
    assert found, f"no message next to {field_id}"
    assert f'aria-describedby="{field_id}-error"' in html
    return unescape(found.group(1))


def grown(client, html: str, url: str, *buttons: str) -> str:  # noqa: ANN001
    for button in buttons:
        response = press(client, url, html, button)
        assert response.status_code == 200, response.get_data(as_text=True)
        html = response.get_data(as_text=True)
    return html


YAML = """\
slug: existing
title: Free the editor
summary: A case.
letter_requests:
  ru:
    third_party: <p>Просим Вас поднять этот вопрос.</p>
people:
- name: Aigul Bekova
  role: journalist
  status: imprisoned
charges:
- person: Aigul Bekova
  code: Criminal Code
  article: '174'
  label: inciting discord
events:
- date: 2021-05
  kind: arrest
  title: Arrested
demands:
- number: 1
  authority: the Prosecutor General
  text: Release her.
recipients:
- post: kz-general-prosecutor
translations:
  ru:
    title: Освободить редактора
    demands:
      1:
        authority: Генеральному прокурору
        text: Освободить её.
"""


@pytest.fixture
def stored(db):
    make_post(slug="kz-general-prosecutor", label="Prosecutor General")
    db.session.commit()
    import_appeal_text(YAML)
    return db.session.scalar(select(Appeal).where(Appeal.slug == "existing"))


def test_every_message_sits_next_to_its_field_and_keeps_what_was_typed(client, db, login, stored):
    login()
    html = grown(client, client.get(NEW).get_data(as_text=True), NEW,
                 "add:people", "add:charges", "add:events", "add:sources")
    response = press(client, NEW, html, "save", slug="existing", title="", people__0__name="Aigul Bekova",
                     charges__0__person="Someone Else", charges__0__code="Criminal Code",
                     charges__0__article="174", charges__0__label="defamation",
                     events__0__date="2021-13", events__0__title="Arrested",
                     sources__0__title="Report", sources__0__url="adilsoz.kz/report")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert error_of(html, "title") == "is required"
    assert "already has the address 'existing'" in error_of(html, "slug")
    assert "'2021-13' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD" in error_of(html, "events-0-date")
    assert error_of(html, "sources-0-url") == "must start with http:// or https://"
    kept = form_fields(html)
    assert kept["charges-0-person"] == "Someone Else" and kept["events-0-date"] == "2021-13"
    assert kept["sources-0-url"] == "adilsoz.kz/report" and kept["charges-0-label"] == "defamation"
    assert db.session.scalar(select(func.count()).select_from(Appeal)) == 1
    # Rules between parts of the appeal are checked once each field is right (as for a file).
    response = press(client, NEW, html, "save", slug="second", title="Second", events__0__date="2021-12",
                     sources__0__url="https://adilsoz.kz/report")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert error_of(html, "charges-0-person") == "'Someone Else' is not one of the people of the case"
    assert form_fields(html)["charges-0-person"] == "Someone Else"
    assert db.session.scalar(select(func.count()).select_from(Appeal)) == 1


def test_an_edit_with_an_error_changes_nothing_stored(client, db, login, stored):
    before = export_appeal(stored)
    login()
    url = "/coordinator/appeals/existing/edit"
    html = client.get(url).get_data(as_text=True)
    response = press(client, url, html, "save", title="A new title", people__0__name="Renamed")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert error_of(html, "charges-0-person") == "'Aigul Bekova' is not one of the people of the case"
    assert form_fields(html)["title"] == "A new title"
    response = press(client, url, html, "save", people__0__name="Aigul Bekova",
                     translations__0__demands__0__text="")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert error_of(html, "translations-0-demands-0-text") == "is required"
    assert form_fields(html)["title"] == "A new title"
    db.session.expire_all()
    assert export_appeal(db.session.scalar(select(Appeal))) == before


def test_edit_shows_the_stored_appeal_and_saves_changes_and_a_new_slug(client, db, login, stored):
    before = export_appeal(stored)
    login()
    url = "/coordinator/appeals/existing/edit"
    html = client.get(url).get_data(as_text=True)
    kept = form_fields(html)
    assert kept["events-0-date"] == "2021-05" and kept["translations-0-language"] == "ru"
    assert kept["translations-0-demands-0-authority"] == "Генеральному прокурору"
    response = press(client, url, html, "save", slug="free-the-editor", title="Free the editor now")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/coordinator/appeals/free-the-editor/edit")
    db.session.expire_all()
    appeal = db.session.scalar(select(Appeal))
    assert (appeal.slug, appeal.title, appeal.state) == ("free-the-editor", "Free the editor now", "draft")
    assert export_appeal(appeal) == before.replace("slug: existing", "slug: free-the-editor").replace(
        "title: Free the editor\n", "title: Free the editor now\n")


def test_add_and_remove_buttons_keep_everything_typed(client, db, login):
    login()
    html = grown(client, client.get(NEW).get_data(as_text=True), NEW, "add:people", "add:people")
    html = press(client, NEW, html, "add:people", title="Three people", people__0__name="Anna",
                 people__1__name="Boris").get_data(as_text=True)
    html = grown(client, html, NEW, "add:translations")
    response = press(client, NEW, html, "remove:people:0", people__2__name="Vera",
                     translations__0__people__0="Анна", translations__0__people__1="Борис",
                     translations__0__people__2="Вера")
    kept = form_fields(response.get_data(as_text=True))
    assert response.status_code == 200
    assert kept["title"] == "Three people"
    assert [kept["people-0-name"], kept["people-1-name"]] == ["Boris", "Vera"] and "people-2-name" not in kept
    assert [kept["translations-0-people-0"], kept["translations-0-people-1"]] == ["Борис", "Вера"]
    assert db.session.scalar(select(func.count()).select_from(Appeal)) == 0


def test_recipients_are_found_by_search_and_added_with_checkboxes(client, db, login):
    make_post(slug="kz-general-prosecutor", label="Prosecutor General")
    make_post(slug="kz-supreme-court", label="Chairman of the Supreme Court")
    db.session.commit()
    login()
    html = client.get(NEW).get_data(as_text=True)
    html = press(client, NEW, html, "search", recipient_query="supreme", title="Kept").get_data(as_text=True)
    assert 'value="kz-supreme-court"' in html and 'value="kz-general-prosecutor"' not in html
    html = press(client, NEW, html, "pick", pick=["kz-supreme-court"]).get_data(as_text=True)
    kept = form_fields(html)
    assert kept["recipients-0-post"] == "kz-supreme-court" and kept["title"] == "Kept"
    assert "<select multiple" not in html


def test_a_new_appeal_is_a_draft_hidden_from_the_public_until_published(client, db, login):
    group = make_group()
    login(group=group)
    html = client.get("/coordinator/").get_data(as_text=True)
    assert 'id="new-appeal"' in html and "flask appeals import" not in html
    response = press(client, NEW, client.get(NEW).get_data(as_text=True), "save", slug="quiet", title="Quiet")
    assert response.status_code == 303
    appeal = db.session.scalar(select(Appeal))
    assert (appeal.state, appeal.group_id) == ("draft", group.id)
    assert client.get("/a/quiet").status_code == 404
    assert "Preview, seen only by coordinators" in client.get("/coordinator/appeals/quiet/preview").get_data(
        as_text=True)
    page = client.get("/coordinator/appeals/quiet").get_data(as_text=True)
    assert 'href="/coordinator/appeals/quiet/edit"' in page
    response = client.post("/coordinator/appeals/quiet/publish", data={"csrf_token": re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)})
    assert response.status_code == 303
    assert client.get("/a/quiet").status_code == 200


def test_state_changing_posts_need_the_csrf_token(client, db, login, stored):
    login()
    html = client.get("/coordinator/appeals/existing/edit").get_data(as_text=True)
    data = {**form_fields(html), "action": "save", "title": "Forged"}
    del data["csrf_token"]
    assert client.post("/coordinator/appeals/existing/edit", data=data).status_code == 400
    assert client.post(NEW, data={**data, "slug": "forged"}).status_code == 400
    assert client.post("/coordinator/appeals/existing/publish").status_code == 400
    db.session.expire_all()
    assert db.session.scalars(select(Appeal.title)).all() == ["Free the editor"]


@pytest.mark.parametrize("method,path", [
    ("get", "/edit"), ("post", "/edit"), ("get", "/preview"), ("get", "/preview/letters"),
    ("get", "/preview/letters/kz-minister-information.pdf"), ("post", "/publish")])
def test_a_coordinator_of_another_group_cannot_see_or_change_an_appeal(client, db, login, method, path):
    make_appeal(slug="theirs", state="draft", group=make_group(slug="theirs", name="Theirs"))
    login(group=make_group(slug="mine", name="Mine"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      client.get(NEW).get_data(as_text=True)).group(1)
    sent = {"data": {"csrf_token": token, "action": "save"}} if method == "post" else {}
    response = getattr(client, method)("/coordinator/appeals/theirs" + path, **sent)
    assert response.status_code == 404
    assert db.session.scalar(select(Appeal.state)) == "draft"


def test_a_coordinator_cannot_give_an_appeal_to_another_group(client, db, login):
    other = make_group(slug="other", name="Other")
    login(group=make_group(slug="mine", name="Mine"))
    html = client.get(NEW).get_data(as_text=True)
    assert f'value="{other.id}"' not in html
    response = press(client, NEW, html, "save", slug="taken-over", title="Taken over", group=str(other.id))
    assert response.status_code == 400
    assert "choose one of the groups" in error_of(response.get_data(as_text=True), "group")
    assert db.session.scalar(select(func.count()).select_from(Appeal)) == 0


def test_a_coordinator_without_a_group_cannot_start_an_appeal(client, db, login):
    login(role="coordinator")
    assert client.get(NEW).status_code == 403


def test_the_preview_of_an_open_appeal_shows_its_sign_form(client, db, login):
    make_appeal(slug="open-one", state="open")
    login()
    html = client.get("/coordinator/appeals/open-one/preview").get_data(as_text=True)
    assert "This is the page as the public sees it now." in html
    assert 'action="/a/open-one#sign"' in html and 'id="email"' in html


def test_changing_only_a_charge_marks_the_appeal_changed_for_the_page_cache(client, db, login, stored):
    before = stored.updated_at
    login()
    url = "/coordinator/appeals/existing/edit"
    response = press(client, url, client.get(url).get_data(as_text=True), "save",
                     charges__0__label="incitement")
    assert response.status_code == 303
    db.session.expire_all()
    appeal = db.session.scalar(select(Appeal))
    assert appeal.charges[0].label == "incitement" and appeal.updated_at > before
