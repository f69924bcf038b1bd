"""An appeal that names no person (a case about a newspaper, a group of unnamed protesters) still
gets letters that read as sentences, in every bundled language."""

from __future__ import annotations

import pytest

from app.letters.service import recipient_letter_pdf
from tests.letters.helpers import RU_CASE_CHARGES, translate
from tests.letters.test_letter_content import _kazakh_case, first_page

LEADS = {
    "en": ("on the case described in the appeal “{title}”", "the case described in the appeal “{title}”"),
    "ru": ("по делу, изложенному в обращении «{title}»", "по делу, изложенному в обращении «{title}»"),
}
COURT = {"en": "The case is before the Almaty City Court.",
         "ru": "Дело рассматривает Алматинский городской суд."}


def _case_without_people():
    appeal, minister, prosecutor, canada = _kazakh_case()
    for charge in appeal.charges:
        charge.person = None
    appeal.people.clear()
    appeal.court = "the Almaty City Court"
    translate(appeal, court="Алматинский городской суд",
              demands={"1": {"authority": "Министру", "text": "Освободить его."},
                       "2": {"authority": "Прокурору", "text": "Снять обвинения."}},
              charges=RU_CASE_CHARGES)
    return appeal, minister, canada


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_letter_of_an_appeal_without_people_names_the_case_by_its_appeal(db, language):
    appeal, minister, canada = _case_without_people()
    title = appeal.title if language == "en" else "Освободить журналиста"
    for post, lead in zip((minister, canada), LEADS[language], strict=True):
        text = first_page(recipient_letter_pdf(appeal, post, language=language))
        assert lead.format(title=title) in text
        assert "case of ." not in text and "делу: ." not in text and " ." not in text
        assert COURT[language] in text
