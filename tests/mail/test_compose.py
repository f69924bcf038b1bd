"""Messages built by app.mail.compose, written out as smtplib sends them and read back."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from app.mail.compose import Draft, build_message, relay_address

SENDER = "Appeal Desk <appeals@localhost>"
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 4


def _wire(draft: Draft) -> bytes:
    """The bytes SmtpSession.send hands to the relay (without SMTPUTF8)."""
    return build_message(draft, SENDER).as_bytes()


def test_cyrillic_headers_go_out_encoded_and_read_back_as_written():
    draft = Draft(to="Айгерим Султанова <aigerim@example.org>",
                  subject="Свободу журналисту Махамбету Абжану — " * 4,
                  body="Текст письма.\r\n.начинается с точки\rFrom the group\n",
                  message_id="<1.2@example.org>",
                  reply_to="Группа «Право на слово» <group@example.org>")
    raw = _wire(draft)
    head = raw.partition(b"\r\n\r\n")[0]
    assert head.isascii() and all(len(line) <= 998 for line in head.split(b"\r\n"))  # RFC 5322
    mail = message_from_bytes(raw, policy=policy.default)
    assert mail["Subject"] == draft.subject
    assert mail["To"].addresses[0].display_name == "Айгерим Султанова"
    # The standard library's folding may add a space inside a long encoded display name
    # (as Flask-Mail's policy.SMTP did): compared without white space.
    assert mail["Reply-To"].addresses[0].display_name.replace(" ", "") == "Группа«Правонаслово»"
    assert mail["Message-ID"] == "<1.2@example.org>"
    assert mail.get_content().splitlines() == [
        "Текст письма.", ".начинается с точки", "From the group"]


def test_html_alternative_and_attachment_with_a_cyrillic_file_name():
    draft = Draft(to="minister@gov.example.kz", subject="Письмо", body="См. вложение.",
                  html="<p>Привет</p>", message_id="<3@example.org>",
                  attachments=(("письмо министру.pdf", "application/pdf", PDF),))
    mail = message_from_bytes(_wire(draft), policy=policy.default)
    assert mail.get_body(("plain",)).get_content().strip() == "См. вложение."
    assert mail.get_body(("html",)).get_content().strip() == "<p>Привет</p>"
    [pdf] = list(mail.iter_attachments())
    assert (pdf.get_filename(), pdf.get_content_type()) == ("письмо министру.pdf", "application/pdf")
    assert pdf.get_content() == PDF


@pytest.mark.parametrize("subject", ["Hello\nBcc: victim@example.org", "Hi\r\nX-Evil: 1"])
def test_a_line_break_in_a_header_refuses_to_build(subject):
    with pytest.raises(ValueError, match="linefeed or carriage return"):
        build_message(Draft(to="reader@example.org", subject=subject, body="b",
                            message_id="<4@example.org>"), SENDER)


def test_an_international_domain_is_written_in_ascii_and_a_local_part_is_left_alone():
    assert str(relay_address("reader@пример.рф")) == "reader@xn--e1afmkfd.xn--p1ai"
    assert str(relay_address("Имя <reader@пример.рф>")) == "Имя <reader@xn--e1afmkfd.xn--p1ai>"
    assert relay_address("пользователь@example.org") == "пользователь@example.org"
    assert relay_address("reader@example.org") == "reader@example.org"
