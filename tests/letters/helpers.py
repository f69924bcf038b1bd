"""Builders and PDF readers for the letters tests."""

from __future__ import annotations

import io
import subprocess
from datetime import date

from pypdf import PdfReader

from app.extensions import db
from app.models import Membership, Person, Signature
from tests.builders import make_appeal, make_group, make_post


def pdf_pages(data: bytes) -> list[str]:
    """Text of each page, read back with pypdf."""
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def pdftotext(data: bytes) -> str:
    """The PDF's text as poppler's pdftotext reads it (pages separated by form feeds)."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, check=True,
                          capture_output=True).stdout.decode("utf-8")


def pdf_file_pages(path) -> list[str]:  # noqa: ANN001
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def add_signature(appeal, *, name: str, email: str, country: str = "DE", city: str | None = "Berlin",
                  inclusion: str = "name_country", status: str = "confirmed",
                  message: str | None = None) -> Signature:
    signature = Signature(appeal=appeal, name=name, email=email, email_hash=email, country=country,
                          city=city, letter_inclusion=inclusion, status=status, message=message)
    db.session.add(signature)
    db.session.commit()
    return signature


def appeal_with_posts(*, state: str = "open", posts=None, **kwargs):  # noqa: ANN001
    group = make_group()
    group.postal_address = "Abay Ave 1\nAlmaty 050000"
    group.website = "https://adilsoz.example"
    posts = posts if posts is not None else [make_post(
        contacts=[("address", "pr. Mangilik El 8, House of Ministries\nAstana 010000, Kazakhstan")])]
    appeal = make_appeal(state=state, posts=posts, group=group, **kwargs)
    appeal.letter_subject = "Release Amangeldy Batyrbekov"
    db.session.commit()
    return appeal


RU_TRANSLATION = {
    "title": "Освободить журналиста",
    "summary": "Журналист находится под судом.",
    "subject": "Об освобождении Амангельды Батырбекова",
    "demands": {"1": {"authority": "Министру", "text": "Освободить его."}},
}


# The Russian of _kazakh_case's names and charges (tests/letters/test_letter_content.py).
RU_CASE_PEOPLE = [{"name": "Марат Турымбетов"}, {"name": "Данагуль Калиева"}]
RU_CASE_CHARGES = {
    "274": {"code": "Уголовный кодекс Республики Казахстан", "article": "ст. 274",
            "label": "распространение заведомо ложной информации"},
    "174": {"code": "Уголовный кодекс Республики Казахстан", "article": "ст. 174",
            "label": "возбуждение розни"},
}


def translate(appeal, language: str = "ru", **fields):  # noqa: ANN001
    """Give `appeal` (from appeal_with_posts) a complete translation into `language`."""
    appeal.translations = {**(appeal.translations or {}), language: {**RU_TRANSLATION, **fields}}
    db.session.commit()
    return appeal


def post_with_two_holders(slug: str = "kz-general-prosecutor"):
    """A post held by Asanov until 2019-06-30, then by Nurdauletov."""
    post = make_post(slug=slug, label="General Prosecutor", holder="Zhakyp Asanov",
                     since=date(2016, 4, 1), salutation="Dear Prosecutor General",
                     contacts=[("address", "Mangilik El 14\nAstana 010000")])
    post.memberships[0].end_date = date(2019, 6, 30)
    post.memberships.append(Membership(person=Person(slug=f"{slug}-new", name="Gizat Nurdauletov"),
                                       start_date=date(2019, 7, 1)))
    db.session.commit()
    return post
