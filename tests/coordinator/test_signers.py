"""The signer list: every signer's message and choices, keyset pages, search, bulk moderation."""

from __future__ import annotations

import logging

from sqlalchemy import insert, select

from app.extensions import db as _db
from app.models import Signature, SignatureRecipient
from app.signatures.identity import email_digest
from tests.builders import make_appeal, make_group
from tests.conftest import csrf_token


def add(appeal, name, email, *, status="confirmed", **extra):
    signature = Signature(appeal_id=appeal.id, name=name, email=email,
                          email_hash=email_digest(email), country="KZ", status=status, **extra)
    _db.session.add(signature)
    _db.session.commit()
    return signature


def search(client, appeal, q, **extra):
    page = client.get(f"/coordinator/appeals/{appeal.slug}/signers").get_data(as_text=True)
    return client.post(f"/coordinator/appeals/{appeal.slug}/signers",
                       data={"csrf_token": csrf_token(page), "q": q, **extra})


def test_list_shows_message_choices_and_chosen_recipients_but_no_email(client, db, login):
    appeal = make_appeal()
    signer = add(appeal, "Aigerim Sultanova", "aigerim@example.org", city="Almaty",
                 message="Free him now.", public_display="initials",
                 letter_inclusion="name_country", wants_updates=True, language="ru")
    _db.session.add(SignatureRecipient(signature_id=signer.id,
                                       post_id=appeal.recipients[0].post_id))
    _db.session.commit()
    login()
    response = client.get(f"/coordinator/appeals/{appeal.slug}/signers")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    for text in ("Aigerim Sultanova", "Kazakhstan, Almaty", "Free him now.", "Initials on the page",
                 "Named in letters with country", "Wants case updates", "Russian",
                 "Minister of Information", "Confirmed"):
        assert text in html, text
    assert "aigerim@example.org" not in html


def test_pages_go_back_by_keyset_and_filter_by_status(client, db, login):
    appeal = make_appeal()
    _db.session.execute(insert(Signature), [
        {"appeal_id": appeal.id, "name": f"Signer {i:03d}", "email_hash": f"h{i}", "country": "KZ",
         "status": "pending" if i % 2 else "confirmed"} for i in range(150)])
    _db.session.commit()
    login()
    first = client.get(f"/coordinator/appeals/{appeal.slug}/signers").get_data(as_text=True)
    assert "Signer 149" in first and "Signer 050" in first and "Signer 049" not in first
    last_id = _db.session.scalar(select(Signature.id).where(Signature.name == "Signer 050"))
    assert f"before={last_id}" in first
    older = client.get(f"/coordinator/appeals/{appeal.slug}/signers?before={last_id}")
    html = older.get_data(as_text=True)
    assert "Signer 049" in html and "Signer 000" in html and "Signer 050" not in html
    pending = client.get(f"/coordinator/appeals/{appeal.slug}/signers?status=pending")
    assert "Signer 149" in pending.get_data(as_text=True)
    assert "Signer 148" not in pending.get_data(as_text=True)


def test_search_finds_part_of_a_name_in_any_case_or_of_an_email_and_never_logs_it(
        client, db, login, caplog):
    appeal = make_appeal()
    add(appeal, "Айгерим Султанова", "a@example.org")
    add(appeal, "Dauren Akhmetov", "dauren.private@mail.example")
    add(appeal, "100% Percent", "p@example.org")
    login()
    with caplog.at_level(logging.DEBUG):
        by_name = search(client, appeal, "султан").get_data(as_text=True)
        by_email = search(client, appeal, "PRIVATE@mail").get_data(as_text=True)
        wildcard = search(client, appeal, "%").get_data(as_text=True)
        nothing = search(client, appeal, "nobody").get_data(as_text=True)
    assert "Айгерим Султанова" in by_name and "Dauren" not in by_name
    assert "Dauren Akhmetov" in by_email and "Айгерим" not in by_email
    assert "100% Percent" in wildcard and "Dauren" not in wildcard  # % is a character, not a wildcard
    assert "No signer matches." in nothing
    assert not any("султан" in r.getMessage().lower() or "private@mail" in r.getMessage().lower()
                   for r in caplog.records)


def test_search_without_csrf_is_refused(client, db, login):
    appeal = make_appeal()
    add(appeal, "Dauren Akhmetov", "d@example.org")
    login()
    response = client.post(f"/coordinator/appeals/{appeal.slug}/signers", data={"q": "Dauren"})
    assert response.status_code == 400 and "Dauren Akhmetov" not in response.get_data(as_text=True)


def test_overlong_search_term_names_the_field(client, db, login):
    appeal = make_appeal()
    login()
    response = search(client, appeal, "x" * 201)
    assert response.status_code == 400
    assert 'id="q-error"' in response.get_data(as_text=True)


def test_suspects_ticked_in_the_list_are_released_or_dropped_in_one_submit(client, db, login):
    appeal = make_appeal()
    keep = add(appeal, "Real Person", "real@example.org", status="suspect")
    bots = [add(appeal, f"Bot {i}", f"bot{i}@example.org", status="suspect") for i in range(3)]
    login()
    html = client.get(f"/coordinator/appeals/{appeal.slug}/signers?status=suspect").get_data(
        as_text=True)
    assert f'name="ids" value="{keep.id}"' in html and 'form="bulk"' in html
    token = csrf_token(html)
    released = client.post(f"/coordinator/appeals/{appeal.slug}/suspect",
                           data={"csrf_token": token, "ids": [keep.id], "release": "1"})
    dropped = client.post(f"/coordinator/appeals/{appeal.slug}/suspect",
                          data={"csrf_token": token, "ids": [b.id for b in bots], "drop": "1"})
    assert released.status_code == dropped.status_code == 303
    _db.session.expire_all()
    assert _db.session.scalars(select(Signature.status)).all() == ["pending"]


def test_bulk_moderation_without_csrf_changes_nothing(client, db, login):
    appeal = make_appeal()
    bot = add(appeal, "Bot", "bot@example.org", status="suspect")
    login()
    response = client.post(f"/coordinator/appeals/{appeal.slug}/suspect",
                           data={"ids": [bot.id], "drop": "1"})
    assert response.status_code == 400
    assert _db.session.get(Signature, bot.id) is not None


def test_list_links_each_signer_to_the_delete_confirmation(client, db, login):
    appeal = make_appeal()
    signer = add(appeal, "Aigerim Sultanova", "a@example.org")
    login()
    html = client.get(f"/coordinator/appeals/{appeal.slug}/signers").get_data(as_text=True)
    path = f"/coordinator/appeals/{appeal.slug}/signatures/{signer.id}/delete"
    assert f'href="{path}"' in html
    assert "Delete the signature of Aigerim Sultanova?" in client.get(path).get_data(as_text=True)


def test_another_groups_coordinator_gets_404(client, db, login):
    appeal = make_appeal(group=make_group())
    signer = add(appeal, "Aigerim Sultanova", "a@example.org")
    login(group=make_group(slug="other", name="Other"))
    for path in ("signers", "signers?status=suspect", f"signatures/{signer.id}/delete"):
        assert client.get(f"/coordinator/appeals/{appeal.slug}/{path}").status_code == 404
    page = client.get("/coordinator/").get_data(as_text=True)
    response = client.post(f"/coordinator/appeals/{appeal.slug}/signers",
                           data={"csrf_token": csrf_token(page), "q": "Aigerim"})
    assert response.status_code == 404


def test_sealed_details_show_only_with_the_key_and_a_whole_address_finds_its_signer(
        client, db, login):
    from tests.builders import key_upload, make_keyed_group, seal_as_signing_does

    group, key = make_keyed_group()
    appeal = make_appeal(group=group)
    signer = add(appeal, "Aigerim Qxsealed", "aigerim.sealed@example.org", city="Qxcity",
                 message="Qxmessage free him")
    add(appeal, "Dauren Other", "dauren@example.org")
    seal_as_signing_does(signer)
    _db.session.commit()
    login(group=group)
    html = client.get(f"/coordinator/appeals/{appeal.slug}/signers").get_data(as_text=True)
    assert "(sealed)" in html
    assert not any(marker in html for marker in ("Qxsealed", "Qxcity", "Qxmessage"))

    found = search(client, appeal, "Aigerim.Sealed@example.org").get_data(as_text=True)
    assert f"/signatures/{signer.id}/delete" in found and "Dauren" not in found
    assert search(client, appeal, "sealed@example").get_data(as_text=True).count("(sealed)") == 0

    opened = search(client, appeal, "", key_file=key_upload(key)).get_data(as_text=True)
    for marker in ("Aigerim Qxsealed", "Qxcity", "Qxmessage free him"):
        assert marker in opened, marker
    wrong = search(client, appeal, "", key_file=key_upload(make_keyed_group(slug="x", name="X")[1]))
    assert wrong.status_code == 400
    assert "This key file is not your organisation&#39;s key." in wrong.get_data(as_text=True)


def test_a_refused_key_file_shows_its_error_and_no_false_empty_list(client, db, login):
    """A wrong key file refused the search, and the table below then read "No signatures on this
    page." beside an appeal that has signers."""
    from tests.builders import key_upload, make_keyed_group

    group, _key = make_keyed_group()
    appeal = make_appeal(group=group)
    add(appeal, "Aigerim Qxnamed", "aigerim.named@example.org")
    login(group=group)
    refused = search(client, appeal, "Aigerim", key_file=key_upload("not a key"))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "This file is not an Appeal Desk key file" in html
    assert 'value="Aigerim"' in html  # what was typed stays
    assert "No signatures on this page." not in html and "No signer matches." not in html
