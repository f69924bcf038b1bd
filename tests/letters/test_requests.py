"""The request to each kind of recipient (authority / third party), editable by the coordinator
per letter language (issue 14), read back from the letters' PDFs."""

from __future__ import annotations

from app.letters.service import recipient_letter_pdf
from app.models import Appeal
from tests.conftest import csrf_token
from tests.letters.helpers import RU_CASE_CHARGES, RU_CASE_PEOPLE, pdftotext, translate
from tests.letters.test_letter_content import _kazakh_case, first_page

URL = "/coordinator/letters/test-appeal/requests/{language}"
THIRD_PARTY = ("<p class=\"lead\">We ask {{ post.label }} to raise the case of "
               "{{ appeal.people|map(attribute='name')|join(' and ') }} at the next dialogue "
               "with Kazakhstan.</p>")


def _post(client, language: str = "en", **data):
    page = client.get(URL.format(language=language))
    assert page.status_code == 200
    form = {"csrf_token": csrf_token(page.get_data(as_text=True)), "authority": "",
            "third_party": ""}
    form.update(data)
    return client.post(URL.format(language=language), data=form)


def test_the_page_starts_from_the_bundled_request_of_each_role(client, db, login):
    _kazakh_case()
    login()
    html = client.get(URL.format(language="ru")).get_data(as_text=True)
    assert "Вас поднять этот вопрос перед властями Республики Казахстан" in html
    assert "Вас в пределах Ваших полномочий прекратить преследование" in html


def test_a_coordinators_third_party_request_reaches_third_parties_only(client, db, login):
    appeal, minister, _prosecutor, canada = _kazakh_case()
    login()
    response = _post(client, save="Save", third_party=THIRD_PARTY)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "were saved" in response.get_data(as_text=True)
    db.session.expire_all()
    appeal = db.session.get(Appeal, appeal.id)
    # The authority's request was left as bundled: only the edited one is stored.
    assert appeal.letter_requests == {"en": {"third_party": THIRD_PARTY}}
    to_canada = first_page(recipient_letter_pdf(appeal, canada))
    assert ("We ask Prime Minister of Canada to raise the case of Marat Turymbetov and Danagul "
            "Kaliyeva at the next dialogue with Kazakhstan.") in to_canada
    assert "with the authorities of Kazakhstan and to call on them" not in to_canada
    to_minister = first_page(recipient_letter_pdf(appeal, minister))
    assert "next dialogue" not in to_minister and "Release him." in to_minister


def test_a_request_in_one_language_leaves_the_others_bundled(client, db, login):
    appeal, _minister, _prosecutor, canada = _kazakh_case()
    translate(appeal, demands={"1": {"authority": "Министру", "text": "Освободить его."},
                               "2": {"authority": "Прокурору", "text": "Снять обвинения."}},
              people=RU_CASE_PEOPLE, charges=RU_CASE_CHARGES)
    login()
    response = _post(client, "ru", save="Save",
                     third_party="<p>Просим Вас обсудить дело на ближайшей встрече.</p>")
    assert response.status_code == 200
    db.session.expire_all()
    appeal = db.session.get(Appeal, appeal.id)
    russian = first_page(recipient_letter_pdf(appeal, canada, language="ru"))
    assert "Просим Вас обсудить дело на ближайшей встрече." in russian
    english = first_page(recipient_letter_pdf(appeal, canada, language="en"))
    assert "raise the case of Marat Turymbetov and Danagul Kaliyeva with the authorities" in english


def test_preview_shows_both_requests_for_real_recipients(client, db, login):
    _kazakh_case()
    login()
    response = _post(client, preview="Preview", third_party=THIRD_PARTY,
                     authority="<p>Please: {% for d in demands %}{{ d.text }} {% endfor %}</p>")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "We ask Prime Minister of Canada to raise the case" in html
    assert "<p>Please: Release him. </p>" in html


def test_a_broken_request_names_the_field_and_line_and_nothing_is_saved(client, db, login):
    appeal, *_ = _kazakh_case()
    login()
    response = _post(client, save="Save", authority="<p>x</p>\n{{ ''.__class__.__mro__ }}",
                     third_party=THIRD_PARTY)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "To an authority of the case (the demands addressed to it), line 2:" in html
    assert "not allowed" in html and "Traceback" not in html and "Nothing was saved" in html
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id).letter_requests is None


def test_emptying_a_request_goes_back_to_the_bundled_one(client, db, login):
    appeal, _minister, _prosecutor, canada = _kazakh_case()
    appeal.letter_requests = {"en": {"third_party": THIRD_PARTY}}
    db.session.commit()
    login()
    assert _post(client, save="Save", third_party="  ").status_code == 200
    db.session.expire_all()
    appeal = db.session.get(Appeal, appeal.id)
    assert appeal.letter_requests is None
    assert "with the authorities of Kazakhstan" in " ".join(
        pdftotext(recipient_letter_pdf(appeal, canada)).split())


def test_the_request_page_refuses_a_post_without_csrf_and_an_unknown_language(client, db, login):
    appeal, *_ = _kazakh_case()
    login()
    response = client.post(URL.format(language="en"), data={"third_party": "<p>x</p>",
                                                            "save": "Save"})
    assert response.status_code == 400
    assert client.get(URL.format(language="xx")).status_code == 404
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id).letter_requests is None


def test_a_broken_request_in_a_language_the_appeal_lacks_is_refused_too(client, db, login):
    """No letter is written in French yet, but a request saved for it must work once one is."""
    appeal, *_ = _kazakh_case()
    login()
    page = client.get(URL.format(language="fr")).get_data(as_text=True)
    assert "not complete in this language yet" in page
    response = _post(client, "fr", save="Save", third_party="<p>{{ appeal.nothing_here }}</p>")
    assert response.status_code == 400
    assert "there is no field &#39;nothing_here&#39;" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id).letter_requests is None


def test_a_paused_appeals_request_is_still_checked_for_syntax(client, db, login):
    appeal, *_ = _kazakh_case()
    appeal.state = "paused"
    db.session.commit()
    login()
    response = _post(client, save="Save", authority="<p>{% if %}</p>")
    assert response.status_code == 400 and "syntax error" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id).letter_requests is None
