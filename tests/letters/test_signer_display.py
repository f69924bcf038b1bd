"""Letters and lists sent to officials show exactly what each signer chose (issue 11, item 11).

"Include my name and country": the name and the country, never the city. "Count me only":
nothing that identifies them. Every output goes through app.letters.views.signatory_view.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.delivery import service as delivery
from app.delivery.letters import plain_letter
from app.letters.printing import print_batch
from app.letters.service import recipient_letter_pdf, signer_letter_email, signer_letter_pdf
from app.models import OutboxAttachment, OutboxMessage
from tests.letters.helpers import add_signature, appeal_with_posts, pdf_file_pages, pdf_pages, pdftotext

CITY = "Secretville"


def _signers():
    appeal = appeal_with_posts()
    named = add_signature(appeal, name="Named Supporter", email="n@example.org", city=CITY)
    quiet = add_signature(appeal, name="Quiet Supporter", email="q@example.org", city="Hushtown",
                          inclusion="count_only")
    return appeal, appeal.recipients[0].post, named, quiet


def test_the_annex_of_the_joint_letter_names_without_the_city(db):
    appeal, post, _named, _quiet = _signers()
    text = pdftotext(recipient_letter_pdf(appeal, post))
    assert "Named Supporter" in text and "Germany" in text
    assert CITY not in text and "Quiet Supporter" not in text and "Hushtown" not in text


def test_the_print_batch_names_without_the_city(db, tmp_path):
    appeal, _post, _named, _quiet = _signers()
    result = print_batch(appeal, tmp_path)
    text = "\n".join(pdf_file_pages(result.pdf_path))
    assert "Named Supporter" in text
    assert CITY not in text and "Quiet Supporter" not in text


@pytest.mark.parametrize("output", ["pdf", "email"])
def test_a_named_signers_own_letter_shows_name_and_country_only(db, output):
    appeal, post, named, _quiet = _signers()
    text = ("\n".join(pdf_pages(signer_letter_pdf(named, post))) if output == "pdf"
            else "\n".join(signer_letter_email(named, post)[1:]))
    assert "Named Supporter" in text and "Germany" in text
    assert CITY not in text


@pytest.mark.parametrize("output", ["pdf", "email"])
def test_a_count_only_signers_own_letter_is_signed_by_a_supporter(db, output):
    appeal, post, _named, quiet = _signers()
    text = ("\n".join(pdf_pages(signer_letter_pdf(quiet, post))) if output == "pdf"
            else "\n".join(signer_letter_email(quiet, post)[1:]))
    assert "A supporter" in text
    assert "Quiet Supporter" not in text and "Hushtown" not in text


def test_the_plain_fallback_letter_follows_the_same_choice(db):
    appeal, post, named, quiet = _signers()
    assert "Named Supporter" in plain_letter(appeal, post, named).text
    assert CITY not in plain_letter(appeal, post, named).text
    assert "Quiet Supporter" not in plain_letter(appeal, post, quiet).text


@pytest.mark.parametrize("batching", ["daily", "per_signer"])
def test_what_delivery_sends_to_officials_follows_the_choice(db, batching):
    from tests.builders import make_appeal, make_post
    from tests.delivery.helpers import confirmed_signer

    post = make_post(contacts=[("email", "x@example.org")])
    appeal = make_appeal(posts=[post])
    delivery.save_policy(appeal, send_email=True, send_fax=False, batching=batching,
                         max_per_domain_per_hour=None)
    confirmed_signer(appeal, name="Named Supporter", named=True).city = CITY
    confirmed_signer(appeal, name="Quiet Supporter").city = "Hushtown"
    db.session.commit()
    assert delivery.run_batches() >= 1
    texts = list(db.session.scalars(select(OutboxMessage.body_text)))
    texts += [pdftotext(data) for data in db.session.scalars(select(OutboxAttachment.data))]
    everything = "\n".join(texts)
    assert "Named Supporter" in everything
    assert CITY not in everything and "Quiet Supporter" not in everything and "Hushtown" not in everything
