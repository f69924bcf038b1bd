"""What a letter says to its recipient (issue 14): the request to this recipient, charges per
person, an office letter for a post without a named holder, one voice, and its languages."""

from __future__ import annotations

import io

from PIL import Image

from app.extensions import db
from app.letters.address import heading_lines, postal_lines
from app.letters.service import recipient_letter_pdf
from app.models import CasePerson, Charge, ContactDetail, Demand
from tests.builders import make_post
from tests.letters.helpers import (
    RU_CASE_CHARGES,
    RU_CASE_PEOPLE,
    add_signature,
    appeal_with_posts,
    pdftotext,
    translate,
)


def text_of(pdf: bytes) -> str:
    return " ".join(pdftotext(pdf).split())


def first_page(pdf: bytes) -> str:
    return " ".join(pdftotext(pdf).split("\f")[0].split())


def _kazakh_case():
    """An appeal in Kazakhstan to a minister (demand 1), a prosecutor (demand 2) and a foreign
    head of government (no demand: a third party)."""
    minister = make_post(contacts=[("address", "Mangilik El 8\nAstana 010000")])
    prosecutor = make_post(slug="kz-prosecutor", label="Prosecutor General", holder="Berik Asylov",
                           salutation="Dear Prosecutor General",
                           contacts=[("address", "Mangilik El 14\nAstana 010000")])
    canada = make_post(slug="ca-prime-minister", label="Prime Minister of Canada",
                       holder="Justin Trudeau", salutation="Dear Prime Minister",
                       contacts=[("address", "80 Wellington Street\nOttawa ON K1A 0A2")])
    canada.organization.country = "CA"
    appeal = appeal_with_posts(posts=[minister, prosecutor, canada])
    appeal.country = "KZ"
    appeal.demands[0].post = minister
    appeal.demands.append(Demand(number=2, authority="the Prosecutor General", post=prosecutor,
                                 text="Drop the charges against both of them."))
    for name in ("Marat Turymbetov", "Danagul Kaliyeva"):
        appeal.people.append(CasePerson(name=name, role="activist", status="on_trial"))
    db.session.flush()
    appeal.charges.append(Charge(person=appeal.people[0], code="Criminal Code of the Republic of "
                                 "Kazakhstan", article="274", label="false information"))
    appeal.charges.append(Charge(person=appeal.people[1], code="Criminal Code of the Republic of "
                                 "Kazakhstan", article="174", label="inciting discord"))
    db.session.commit()
    return appeal, minister, prosecutor, canada


def test_each_recipient_is_asked_for_its_own_demands_and_a_third_party_to_act(db):
    appeal, minister, prosecutor, canada = _kazakh_case()
    to_minister = first_page(recipient_letter_pdf(appeal, minister))
    assert "Release him." in to_minister and "Drop the charges" not in to_minister
    to_prosecutor = first_page(recipient_letter_pdf(appeal, prosecutor))
    assert "Drop the charges against both of them." in to_prosecutor
    assert "Release him." not in to_prosecutor
    to_canada = first_page(recipient_letter_pdf(appeal, canada))
    assert "raise the case of Marat Turymbetov and Danagul Kaliyeva with the authorities" in to_canada
    assert "Release him." not in to_canada and "Drop the charges" not in to_canada


def test_charges_are_grouped_per_person_with_the_article_spelled_out(db):
    appeal, minister, _prosecutor, _canada = _kazakh_case()
    text = first_page(recipient_letter_pdf(appeal, minister))
    assert ("Marat Turymbetov (activist) is on trial. Charges: Article 274 of the Criminal Code of "
            "the Republic of Kazakhstan (false information).") in text
    assert ("Danagul Kaliyeva (activist) is on trial. Charges: Article 174 of the Criminal Code of "
            "the Republic of Kazakhstan (inciting discord).") in text
    assert text.count("Article 274") == 1


def test_no_zero_signatories_and_one_voice_per_letter(db):
    appeal, minister, _prosecutor, _canada = _kazakh_case()
    joint = first_page(recipient_letter_pdf(appeal, minister))
    assert "0 signatories" not in joint and "signed this appeal" not in joint
    assert "We are writing" in joint and "I am" not in joint
    signer = add_signature(appeal, name="Ann Lee", email="ann@example.org")
    from app.letters.service import signer_letter_pdf

    own = first_page(signer_letter_pdf(signer, minister))
    assert "I am writing" in own and "We " not in own
    assert "on behalf of one signatory" in first_page(recipient_letter_pdf(appeal, minister))


def _vacant_post():
    post = make_post(slug="coe-sg", label="Secretary General of the Council of Europe",
                     holder=None, salutation="Dear Madam President",
                     contacts=[("address", "Avenue de l'Europe\n67075 Strasbourg\nFrance")])
    post.organization.name = "Council of Europe"
    post.translations = {"ru": {"label": "Генеральный секретарь Совета Европы"}}
    post.organization.translations = {"ru": {"name": "Совет Европы"}}
    return post


def test_a_vacant_post_gets_an_office_letter_with_a_neutral_salutation_in_each_language(db):
    post = _vacant_post()
    appeal = translate(appeal_with_posts(posts=[post]))
    english = first_page(recipient_letter_pdf(appeal, post, language="en"))
    assert "Dear Sir or Madam," in english and "Yours faithfully," in english
    assert "Madam President" not in english and "holder of the post" not in english
    russian = first_page(recipient_letter_pdf(appeal, post, language="ru"))
    assert "Уважаемые дамы и господа," in russian and "Должностному лицу" not in russian
    assert "Генеральный секретарь Совета Европы Совет Европы" in russian


def test_a_french_letter_is_a_body_file_and_a_catalog(db):
    post = _vacant_post()
    appeal = translate(appeal_with_posts(posts=[post]), "fr", title="Libérer le journaliste",
                       summary="Un journaliste est jugé.", subject="Libération d’Amangeldy",
                       demands={"1": {"authority": "Au ministre", "text": "Le libérer."}})
    text = first_page(recipient_letter_pdf(appeal, post, language="fr"))
    for french in ("Madame, Monsieur,", "Notre référence", "Nous vous écrivons", "Le libérer.",
                   "Respectueusement,", "Libération d’Amangeldy"):
        assert french in text, french


def test_a_kazakh_letter_uses_the_kazakh_body_and_frame(db):
    post = make_post(contacts=[("address", "Mangilik El 8\nAstana 010000")])
    post.preferred_language = "kk"
    appeal = translate(appeal_with_posts(posts=[post]), "kk", title="Журналисті босату",
                       summary="Журналист сотта.", subject="Амангелді Батырбековты босату туралы",
                       demands={"1": {"authority": "Министрге", "text": "Оны босату."}})
    text = first_page(recipient_letter_pdf(appeal, post))
    for kazakh in ("Біз Сізге", "Оны босату.", "Құрметпен,", "Біздің нөміріміз"):
        assert kazakh in text, kazakh
    assert "Мы обращаемся" not in text and "С уважением" not in text


def test_addresses_follow_the_destination_country(db):
    london = postal_lines({"country_code": "GB", "city": "London", "postal_code": "SW1A 2AA",
                           "street_address": "10 Downing Street"}, "")
    assert london == ["10 Downing Street", "LONDON", "SW1A 2AA", "UNITED KINGDOM"]
    astana = postal_lines({"country_code": "KZ", "city": "Astana", "postal_code": "010000",
                           "street_address": "Mangilik El 8",
                           "company_name": "Ministry of Information"}, "", ["Ministry of Information"])
    assert astana == ["Mangilik El 8", "010000 ASTANA", "KAZAKHSTAN"]
    assert heading_lines(None, "President of the Parliamentary Assembly of the Council of Europe",
                         "Parliamentary Assembly of the Council of Europe") == [
        "President of the Parliamentary Assembly of the Council of Europe"]


def test_a_structured_gb_address_prints_its_postcode_on_its_own_line(db):
    post = make_post(slug="uk-fcdo", label="Foreign Secretary", salutation="Dear Foreign Secretary")
    post.contacts.append(ContactDetail(type="address", value="King Charles Street", address={
        "country_code": "GB", "city": "London", "postal_code": "SW1A 2AH",
        "street_address": "King Charles Street"}))
    appeal = appeal_with_posts(posts=[post])
    lines = pdftotext(recipient_letter_pdf(appeal, post)).splitlines()
    assert "SW1A 2AH" in lines and "UNITED KINGDOM" in lines


def test_letters_page_warns_about_an_office_letter_and_shows_a_preview(client, login, db):
    post = _vacant_post()
    appeal = appeal_with_posts(posts=[post])
    login()
    page = client.get(f"/coordinator/letters/{appeal.slug}/").get_data(as_text=True)
    assert "Check before printing or sending" in page
    assert "no holder recorded on" in page and "Secretary General of the Council of Europe" in page
    assert 'class="language-link"' in page and ">RU<" not in page  # English text only
    response = client.get(f"/coordinator/letters/{appeal.slug}/to/{post.slug}.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data)).convert("RGB")
    assert image.size[0] < 400  # a small picture
    # The window outline: red pixels 20 mm from the left, 45 to 90 mm from the top.
    mm = image.size[0] / 210
    assert image.getpixel((round(20 * mm), round(60 * mm)))[0] > 150
    again = client.get(f"/coordinator/letters/{appeal.slug}/to/{post.slug}.png")
    assert again.data == response.data  # from the cache


def test_an_address_whose_company_is_the_post_itself_names_it_once(db):
    """The OSCE's address names the Representative as its company: not printed twice."""
    post = make_post(slug="osce-rfom", label="OSCE Representative on Freedom of the Media",
                     holder="Jan Braathu", salutation="Dear Representative")
    post.organization.country = "AT"
    post.contacts.append(ContactDetail(type="address", value="Wallnerstrasse 6", address={
        "company_name": "OSCE Representative on Freedom of the Media",
        "street_address": "Wallnerstrasse 6", "city": "Vienna", "postal_code": "1010",
        "country_code": "AT"}))
    appeal = appeal_with_posts(posts=[post])
    page = first_page(recipient_letter_pdf(appeal, post))
    assert "Jan Braathu OSCE Representative on Freedom of the Media Office of the OSCE " \
           "Representative on Freedom of the Media Wallnerstrasse 6 1010 VIENNA AUSTRIA" in page


def test_the_fax_cover_of_an_office_letter_names_the_office_once(db, tmp_path):
    from app.letters.batch import write_batch
    from app.letters.printing import print_plan

    post = _vacant_post()
    post.contacts.append(ContactDetail(type="fax", value="+33388412000"))
    appeal = appeal_with_posts(posts=[post])
    unit = print_plan(appeal).units[0]
    assert unit.recipient.to_office
    unit.fax_cover = True
    cover = " ".join(pdftotext(write_batch([unit], tmp_path, labels=False).pdf_path.read_bytes())
                     .split("\f")[0].split())
    assert cover.count(unit.recipient.post_label) == 1, cover


def test_an_article_with_a_part_keeps_its_number_in_every_language(db):
    """"274 part 4" is article 274 (it was printed "Article 4"); a Russian "ч. 4 ст. 274" keeps
    its part instead of losing it, and its "ст." is not said twice."""
    appeal, minister, _prosecutor, _canada = _kazakh_case()
    appeal.charges[0].article = "274 part 4"
    translate(appeal, people=[{"name": "Марат Турымбетов"}, {"name": "Данагуль Калиева"}],
              demands={"1": {"authority": "Министру", "text": "Освободить его."},
                       "2": {"authority": "Генпрокурору", "text": "Снять обвинения."}},
              court="Суд", charges={"274 part 4": {"code": "УК РК", "article": "ч. 4 ст. 274",
                                                   "label": "ложная информация"},
                                    "174": {"code": "УК РК", "article": "ст. 174", "label": "рознь"}})
    english = first_page(recipient_letter_pdf(appeal, minister, language="en"))
    assert "Charges: Article 274 part 4 of the Criminal Code" in english, english
    russian = first_page(recipient_letter_pdf(appeal, minister, language="ru"))
    assert "УК РК, статья 274, ч. 4 (ложная информация)" in russian, russian
    assert "УК РК, статья 174 (рознь)" in russian


def test_one_signatory_and_two_people_read_as_english_and_french_sentences(db):
    """"the 1 people", "on behalf of 1 signatories" and "the case of A, B" are not how a letter
    reads: one signatory is counted in words, the last two names are joined by "and"/"et"."""
    appeal, minister, _prosecutor, canada = _kazakh_case()
    translate(appeal, "fr", title="Libérez le journaliste", summary="Un journaliste est jugé.",
              subject="Libération", court="Tribunal",
              people=[{"name": "Marat Turymbetov"}, {"name": "Danagul Kaliyeva"}],
              demands={"1": {"authority": "Au ministre", "text": "Libérez-le."},
                       "2": {"authority": "Au procureur", "text": "Abandonnez les poursuites."}},
              charges={"274": {"code": "Code pénal", "article": "art. 274", "label": "fausses"},
                       "174": {"code": "Code pénal", "article": "art. 174", "label": "discorde"}})
    add_signature(appeal, name="Ann Lee", email="ann@example.org")
    to_minister = first_page(recipient_letter_pdf(appeal, minister))
    assert "the case of Marat Turymbetov and Danagul Kaliyeva" in to_minister
    assert "and the one person who signed this appeal" in to_minister
    assert "on behalf of one signatory" in to_minister and "1 signatories" not in to_minister
    to_canada = first_page(recipient_letter_pdf(appeal, canada))
    assert "the case of Marat Turymbetov and Danagul Kaliyeva with the authorities" in to_canada
    french = first_page(recipient_letter_pdf(appeal, minister, language="fr"))
    assert "au sujet de Marat Turymbetov et Danagul Kaliyeva" in french
    assert "et de la personne qui a signé cet appel" in french and "des 1 personnes" not in french


def test_a_russian_letter_leaves_out_an_organisation_the_directory_has_only_in_english(db, tmp_path):
    """The ombudsman's office has no Russian name in the directory: its English name is not put
    above the Russian post and name, which (with the postal lines) reach the office."""
    post = make_post(slug="kz-ombudsman", label="Commissioner for Human Rights",
                     holder="Artur Lastayev", salutation="Dear Commissioner",
                     contacts=[("address", "House of Ministries, entrance 15\nAstana 010000")])
    post.organization.name = "Office of the Commissioner for Human Rights"
    post.translations = {"ru": {"label": "Уполномоченный по правам человека",
                                "label_dative": "Уполномоченному по правам человека",
                                "salutation": "Уважаемый господин Уполномоченный"}}
    post.memberships[0].person.translations = {"ru": {"name": "Артур Ластаев",
                                                      "name_dative": "Артуру Ластаеву"}}
    appeal = translate(appeal_with_posts(posts=[post]))
    russian = first_page(recipient_letter_pdf(appeal, post, language="ru"))
    assert "Уполномоченному по правам человека Артуру Ластаеву House of Ministries" in russian
    assert "Office of the Commissioner" not in russian
    english = first_page(recipient_letter_pdf(appeal, post, language="en"))
    assert "Office of the Commissioner for Human Rights" in english
    # The address label reads like the letter's address block.
    from app.letters.printing import print_batch

    labels = print_batch(appeal, tmp_path, language="ru").labels_path.read_text("utf-8-sig")
    assert "Уполномоченному по правам человека" in labels and "Office of the" not in labels


def test_a_large_signature_count_is_written_as_numbers_are_in_the_letters_language(db):
    """"the 12345 people who signed" is not how a letter writes a number: 12,345 / 12 345."""
    from app.letters.render import render_body
    from app.letters.service import letter_unit

    appeal, minister, _prosecutor, _canada = _kazakh_case()
    translate(appeal, people=RU_CASE_PEOPLE, charges=RU_CASE_CHARGES,
              demands={"1": {"authority": "Министру", "text": "Освободить его."},
                       "2": {"authority": "Генпрокурору", "text": "Снять обвинения."}})
    english = str(render_body(letter_unit(appeal, minister, language="en", count=12345)))
    assert "the 12,345 people who signed this appeal" in english
    russian = str(render_body(letter_unit(appeal, minister, language="ru", count=12345)))
    assert "подписавших это обращение (12\xa0345)" in russian


def test_a_quoted_name_inside_russian_quotes_takes_the_inner_quotes(db):
    """«Международный фонд «Адил Соз»» closed its quotes twice; Russian and Kazakh typography nest
    „…“ inside «…»."""
    appeal = translate(appeal_with_posts())
    appeal.group.name = "Международный фонд защиты свободы слова «Адил Соз»"
    add_signature(appeal, name="Анна Ким", email="a@example.org", country="KZ")
    db.session.commit()
    text = text_of(recipient_letter_pdf(appeal, appeal.recipients[0].post, language="ru"))
    assert "организации «Международный фонд защиты свободы слова „Адил Соз“» и подписавших" in text
