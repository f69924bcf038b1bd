"""A Russian letter names its recipient in Russian (the directory's translations), read back with
pdftotext; an English letter to the same post is unchanged."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from sqlalchemy import select

from app.delivery.letters import supporter_letter, supporter_letter_pdf
from app.directory.files import import_paths
from app.extensions import db
from app.letters.batch import write_batch, write_labels
from app.letters.printing import print_plan
from app.letters.service import (
    letter_language,
    recipient_gaps,
    recipient_letter_pdf,
)
from app.models import AppealRecipient, Post
from tests.directory.test_files import RECIPIENTS
from tests.letters.helpers import appeal_with_posts, pdftotext, translate

ON = date(2024, 6, 3)  # Marat Akhmetzhanov is Minister of Internal Affairs; Berik Asylov Prosecutor General
RUSSIAN_RECIPIENT = ("Марат Ахметжанов", "Министр внутренних дел Республики Казахстан",
                     "Министерство внутренних дел Республики Казахстан",
                     "Уважаемый господин Министр,")
# GOST R 7.0.97 order: the organisation, then the post and the person in the dative.
RUSSIAN_ADDRESS = ("Министерство внутренних дел Республики Казахстан Министру внутренних дел "
                   "Республики Казахстан Марату Ахметжанову")
ENGLISH_RECIPIENT = ("Mr Marat Akhmetzhanov", "Minister of Internal Affairs of the Republic of Kazakhstan",
                     "Ministry of Internal Affairs of the Republic of Kazakhstan", "Dear Minister,")
# Words of the English frame and of the recipient's English names: none may be in a Russian letter.
ENGLISH_WORDS = ("Dear", "Minister", "Ministry", "Internal", "Affairs", "Republic", "Mr", "Marat",
                 "Akhmetzhanov", "Yours", "sincerely", "reference", "Date", "Prosecutor", "General",
                 "Asylov", "Office", "Cc")


def words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]+", text))


@pytest.fixture
def kz_case(db):
    """An appeal with a Russian translation, to the Minister of Internal Affairs (Cc the Prosecutor
    General) as the shipped directory (recipients/kz.yaml) has them."""
    import_paths([RECIPIENTS / "kz.yaml"])
    minister = db.session.scalar(select(Post).where(Post.slug == "kz-minister-internal-affairs"))
    prosecutor = db.session.scalar(select(Post).where(Post.slug == "kz-general-prosecutor"))
    appeal = translate(appeal_with_posts(posts=[minister]))
    appeal.recipients.append(AppealRecipient(post=prosecutor, role="cc", position=1))
    db.session.commit()
    return appeal, minister


def test_a_russian_letter_names_post_organisation_holder_and_salutation_in_russian(kz_case):
    appeal, minister = kz_case
    assert letter_language(appeal, minister) == "ru"
    text = pdftotext(recipient_letter_pdf(appeal, minister, on=ON))
    for russian in (RUSSIAN_ADDRESS, RUSSIAN_RECIPIENT[3],
                    "Копия: Берик Асылов, Генеральный прокурор Республики Казахстан", "С уважением,"):
        assert russian in " ".join(text.split()), russian
    # No nominative label or name after the dative frame.
    assert "Министр внутренних" not in text and "Марат Ахметжанов " not in text
    assert not words(text) & set(ENGLISH_WORDS), words(text) & set(ENGLISH_WORDS)
    assert recipient_gaps(minister, "ru", on=ON) == []


def test_an_english_letter_to_the_same_post_is_unchanged(kz_case):
    appeal, minister = kz_case
    text = " ".join(pdftotext(recipient_letter_pdf(appeal, minister, on=ON, language="en")).split())
    for english in (*ENGLISH_RECIPIENT, "Cc: Mr Berik Asylov, Prosecutor General of the Republic of "
                    "Kazakhstan", "Yours sincerely,"):
        assert english in text, english
    assert not [word for word in RUSSIAN_RECIPIENT if word in text]
    assert recipient_gaps(minister, "en", on=ON) == []


def test_the_print_batch_labels_and_fax_cover_use_the_letters_language(kz_case, tmp_path):
    appeal, _minister = kz_case
    appeal.recipients[1].role = "to"
    db.session.commit()
    units = print_plan(appeal, on=ON).units
    rows = list(csv.reader(io.StringIO(write_labels(units, tmp_path / "labels.csv")
                                       .read_text(encoding="utf-8-sig"))))
    by_slug = {row[0]: row for row in rows[1:]}
    # An envelope label reads as the letter's address block: in the dative.
    assert by_slug["kz-minister-internal-affairs"][1:4] == [
        "Марату Ахметжанову", "Министру внутренних дел Республики Казахстан",
        "Министерство внутренних дел Республики Казахстан"]
    assert by_slug["kz-general-prosecutor"][1:4] == [
        "Берику Асылову", "Генеральному прокурору Республики Казахстан",
        "Генеральная прокуратура Республики Казахстан"]


def test_the_supporters_letter_greets_in_russian(kz_case):
    appeal, minister = kz_case
    letter = supporter_letter(appeal, minister)
    assert letter.text.lstrip().startswith("Уважаемый господин Министр,"), letter.text[:80]
    assert "Dear" not in letter.text
    pdf_text = " ".join(pdftotext(supporter_letter_pdf(appeal, minister)).split())
    assert "Министру внутренних дел Республики Казахстан" in pdf_text and "Minister" not in pdf_text


def test_a_post_without_a_translation_falls_back_to_english_and_is_flagged(kz_case):
    appeal, minister = kz_case
    minister.translations = None
    minister.organization.translations = None
    db.session.commit()
    text = " ".join(pdftotext(recipient_letter_pdf(appeal, minister, on=ON)).split())
    assert "Minister of Internal Affairs of the Republic of Kazakhstan" in text
    # No English salutation in a Russian letter: the neutral one of the letter's language.
    assert "Dear Minister" not in text and "Уважаемые дамы и господа," in text
    assert "Марат Ахметжанов" in text  # the person is still translated
    assert recipient_gaps(minister, "ru", on=ON) == ["post label", "salutation", "organisation name"]


def test_the_letters_page_flags_a_recipient_without_a_translation(client, kz_case, login):
    appeal, minister = kz_case
    login()
    page = client.get(f"/coordinator/letters/{appeal.slug}/").get_data(as_text=True)
    assert "recipient in English" not in page
    minister.organization.translations = None
    db.session.commit()
    page = client.get(f"/coordinator/letters/{appeal.slug}/").get_data(as_text=True)
    assert page.count("recipient in English") == 1
    assert "No translation of: organisation name" in page


def test_the_directory_post_page_shows_the_translations(client, kz_case, login):
    _appeal, minister = kz_case
    login()
    page = client.get(f"/coordinator/directory/posts/{minister.slug}").get_data(as_text=True)
    for russian in ("Министр внутренних дел Республики Казахстан", "Уважаемый господин Министр",
                    "Министерство внутренних дел Республики Казахстан", "Марат Ахметжанов"):
        assert russian in page, russian


def test_the_fax_cover_and_address_block_of_a_russian_letter_to_the_president(kz_case, tmp_path):
    appeal, _minister = kz_case
    president = db.session.scalar(select(Post).where(Post.slug == "kz-president"))
    appeal.recipients.append(AppealRecipient(post=president, role="to", position=2))
    db.session.commit()
    units = print_plan(appeal, on=ON).units
    unit = next(u for u in units if u.recipient.slug == "kz-president")
    # The Akorda's first detail is its address, so the batch posts the letter; fax it here.
    assert unit.recipient.fax == "+7 7172 72 05 16"
    unit.fax_cover = True
    result = write_batch([unit], tmp_path, labels=False)
    pages = pdftotext(result.pdf_path.read_bytes()).split("\f")
    cover = " ".join(next(p for p in pages if "ФАКС" in p and "Токаев" in p).split())
    assert "Кому Администрация Президента Республики Казахстан Президенту Республики Казахстан " \
           "Касым-Жомарту Токаеву" in cover, cover
    letter = " ".join(next(p for p in pages if "Уважаемый господин Президент," in p).split())
    # The address's company name is the organisation's English name: the Russian one replaces it.
    assert "Administration" not in letter and "President" not in letter and "Mr" not in letter
    assert "Администрация Президента Республики Казахстан" in letter


def test_without_a_dative_name_the_russian_address_and_fax_cover_stay_in_the_nominative(kz_case,
                                                                                      tmp_path):
    """The neutral fallback: no dative frame over a nominative line ("Кому: Марат Ахметжанов")."""
    appeal, minister = kz_case
    holder = next(m.person for m in minister.memberships if m.person.name == "Marat Akhmetzhanov")
    holder.translations = {"ru": {"name": "Марат Ахметжанов"}}
    db.session.commit()
    unit = print_plan(appeal, on=ON).units[0]
    assert not unit.recipient.dative
    assert unit.recipient.address_lines[:3] == RUSSIAN_RECIPIENT[:3]
    unit.fax_cover = True
    cover = " ".join(pdftotext(write_batch([unit], tmp_path, labels=False).pdf_path
                               .read_bytes()).split("\f")[0].split())
    assert "Адресат Марат Ахметжанов Министр внутренних дел" in cover, cover
    assert "Кому" not in cover


def test_a_vacant_post_is_addressed_in_the_dative_without_a_name(kz_case):
    appeal, minister = kz_case
    for membership in minister.memberships:
        membership.end_date = date(2020, 1, 1)
    db.session.commit()
    unit = print_plan(appeal, on=ON).units[0]
    assert unit.recipient.to_office and unit.recipient.dative
    assert unit.recipient.address_lines[:2] == (
        "Министерство внутренних дел Республики Казахстан",
        "Министру внутренних дел Республики Казахстан")
    text = " ".join(pdftotext(recipient_letter_pdf(appeal, minister, on=ON)).split())
    assert "Министерство внутренних дел Республики Казахстан Министру внутренних дел " in text
    assert "Ахметжанов" not in text and "Уважаемые дамы и господа," in text


def test_a_kazakh_letter_keeps_its_own_nominative_label_rather_than_the_russian_dative(kz_case):
    """kk falls back to ru field by field, but a dative is taken only with its own label."""
    from app.directory.translations import recipient_text

    _appeal, minister = kz_case
    holder = next(m.person for m in minister.memberships if m.person.name == "Marat Akhmetzhanov")
    names = recipient_text(minister, holder, "kk")
    assert names.label == "Қазақстан Республикасының Ішкі істер министрі"
    assert names.label_dative is None
    assert recipient_text(minister, holder, "ru").label_dative == (
        "Министру внутренних дел Республики Казахстан")
