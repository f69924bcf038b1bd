"""The worker's own rendering against Flask-Mail's (the same message, read back)."""

from __future__ import annotations

import random
import smtplib
import time
from email import message_from_bytes, policy
from email.utils import parseaddr

import pytest
from flask_mail import Message, sanitize_address

from app.delivery.worker import (
    Outgoing,
    _header_address,
    _mime,
    _plain_text,
    _smtp_address,
    render,
)

SENDER = "Appeal Desk <appeals@localhost>"
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 4

CASES = {
    "plain ascii": {"to": "reader@example.org", "subject": "Update", "body": "Hello\nthere\n"},
    "cyrillic, long subject, named recipient, reply-to": {
        "to": "Айгерим Султанова <aigerim@example.org>",
        "subject": "Свободу журналисту Махамбету Абжану — " * 4,
        "body": "Текст письма.\r\n.начинается с точки\rFrom the group\n",
        "reply_to": "Группа «Право на слово» <group@example.org>",
    },
    "long ascii subject, html alternative": {
        "to": "reader@example.org", "subject": "A rather long subject line that goes on " * 3,
        "body": "x" * 1500, "html": "<p>Привет, <b>мир</b></p>",
    },
    "letter with attachment, non-ascii file name": {
        "to": "minister@gov.example.kz", "subject": "Письмо", "body": "См. вложение.",
        "attachments": [("письмо министру.pdf", "application/pdf", PDF)],
        "reply_to": "group@example.org",
    },
    "html and attachment, odd spacing": {
        "to": "reader@example.org", "subject": "  spaced   subject ", "body": "b",
        "html": "<b>x</b>", "attachments": [("letter.pdf", "application/pdf", PDF)],
    },
    "no subject, empty body": {"to": "reader@example.org", "subject": "", "body": ""},
}


def _item(case: dict, date: float) -> Outgoing:
    return Outgoing(1, "test", 0, False, case["to"], case["subject"], case["body"],
                    case.get("html"), case.get("reply_to"), "<1.2@example.org>", date,
                    case.get("attachments", []))


def _flask_mail(case: dict, date: float) -> bytes:
    message = Message(subject=case["subject"], recipients=[case["to"]], body=case["body"],
                      html=case.get("html"), sender=SENDER, reply_to=case.get("reply_to"))
    message.msgId, message.date = "<1.2@example.org>", date
    for attachment in case.get("attachments", []):
        message.attach(*attachment)
    return message.as_bytes()


def _read(raw: bytes) -> list:
    """Headers (decoded) and every leaf part (type, file name, decoded content), in order.

    White space in headers is left out: policy.SMTP's refolding can add a space inside a
    display name ("«Право на слово »"), which the worker's rendering does not (checked below).
    """
    mail = message_from_bytes(raw, policy=policy.default)
    headers = [(name, "".join(str(value).split())) for name, value in mail.items()
               if name != "Content-Type"]
    parts = [(part.get_content_type(), part.get_filename(), part.get_content())
             for part in mail.walk() if not part.is_multipart()]
    return [mail.get_content_type(), headers, parts]


@pytest.mark.parametrize("name", list(CASES))
def test_rendered_message_reads_back_as_flask_mails_does(app_ctx, name):
    case, date = CASES[name], time.time()
    to, ours = render(_item(case, date), SENDER)
    assert _read(ours) == _read(_flask_mail(case, date))
    assert parseaddr(to)[1] == parseaddr(case["to"])[1]  # RCPT TO's address
    head, _, _ = ours.partition(b"\r\n\r\n")
    assert b"\n" not in head.replace(b"\r\n", b"") and b"\r" not in head.replace(b"\r\n", b"")
    assert head.isascii()  # non-ASCII subjects and names are RFC 2047 encoded
    assert all(len(line) <= 78 for line in head.split(b"\r\n")), head
    body_lines = ours.split(b"\r\n")
    assert not any(b"\n" in line or b"\r" in line for line in body_lines)  # CRLF throughout


def test_rendered_headers_are_encoded_words_for_cyrillic(app_ctx):
    case = CASES["cyrillic, long subject, named recipient, reply-to"]
    _, ours = render(_item(case, time.time()), SENDER)
    mail = message_from_bytes(ours, policy=policy.default)
    assert mail["Subject"] == case["subject"]
    assert mail["To"].addresses[0].display_name == "Айгерим Султанова"
    assert mail["Reply-To"].addresses[0].display_name == "Группа «Право на слово»"
    assert b"=?utf-8?" in ours.partition(b"Subject:")[2][:20]


def _random_text(rng: random.Random, length: int) -> str:
    alphabet = "abc XYZ.-=:;\"'\t Жюё€😀\n\r\n\r" + "From " + ".."
    return "".join(rng.choice(alphabet) for _ in range(length))


def test_plain_text_short_cut_writes_what_the_mime_tree_does(app_ctx):
    rng = random.Random(6)
    for n in range(300):
        case = {"to": rng.choice(["a@example.org", "Имя Фамилия <b@example.org>",
                                  '"Quoted, Name" <c@example.org>']),
                "subject": _random_text(rng, rng.choice([0, 5, 60, 200])).replace("\n", " ")
                .replace("\r", " "),
                "body": _random_text(rng, rng.choice([0, 1, 50, 3000])),
                "reply_to": rng.choice([None, "group@example.org", "Группа <g@example.org>"])}
        item = _item(case, time.time())
        to, ours = render(item, SENDER)
        assert ours == _plain_text(item, to, SENDER) == _mime(item, to, SENDER).as_bytes(), n


@pytest.mark.parametrize("address", [
    "reader@example.org", "first.last+tag@mail.example.kz", "o'brien@example.org",
    "a..b@example.org", ".lead@example.org", "trail.@example.org", "x@-example..org",
    "Reader <reader@example.org>", '"Last, First" <first@example.org>', "Имя <a@example.org>",
    "a b@example.org", "(comment) a@example.org",
])
def test_short_cuts_for_bare_addresses_agree_with_flask_mail_and_smtplib(app_ctx, address):
    assert _header_address(address) == sanitize_address(address, "utf-8")
    assert _smtp_address(address) == smtplib.quoteaddr(address)


@pytest.mark.parametrize("subject", ["Hello\nBcc: victim@example.org", "Hi\r\nX-Evil: 1",
                                     "Hi\x0cX-Evil: 1"])
def test_a_line_break_in_a_header_refuses_to_render(app_ctx, subject):
    item = _item({"to": "reader@example.org", "subject": subject, "body": "b"}, time.time())
    with pytest.raises(ValueError, match="line break in the Subject header"):
        render(item, SENDER)
