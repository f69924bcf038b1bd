"""An appeal's lifecycle from the browser: deadline, pause, resume, close with the outcome."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.appeals.files import export_appeal, import_appeal_text
from app.datafiles.errors import DataFileError
from app.models import Appeal
from tests.builders import make_appeal, make_group, make_post
from tests.conftest import csrf_token

PAGE = "/coordinator/appeals/free-him"


@pytest.fixture
def appeal(db, login):
    group = make_group()
    appeal = make_appeal(slug="free-him", group=group)
    login(group=group)
    return appeal


def _token(client) -> str:
    return csrf_token(client.get(PAGE).get_data(as_text=True))


def _state(db, slug="free-him") -> Appeal:
    db.session.expire_all()
    return db.session.scalar(select(Appeal).where(Appeal.slug == slug))


def test_the_deadline_is_set_from_the_appeal_page_and_shown_on_the_public_page(appeal, client, db):
    day = date.today() + timedelta(days=20)
    response = client.post(f"{PAGE}/deadline", data={"csrf_token": _token(client),
                                                     "write_before": day.isoformat()})
    assert response.status_code == 303 and response.location.endswith(f"{PAGE}#lifecycle")
    assert _state(db).write_before == day
    public = client.get("/a/free-him?lang=ru").get_data(as_text=True)
    assert f'<time datetime="{day.isoformat()}">Написать до ' in public


@pytest.mark.parametrize(("typed", "message"), [
    ("2020-01-01", "Write before: choose a day after today"),
    ("15/12/2026", "Write before: write the date as YYYY-MM-DD"),
])
def test_a_bad_deadline_is_refused_beside_the_field_and_nothing_changes(appeal, client, db, typed, message):
    response = client.post(f"{PAGE}/deadline", data={"csrf_token": _token(client), "write_before": typed})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert re.search(r'id="write_before-error">' + re.escape(message), html)
    assert f'value="{typed}"' in html  # what was typed is kept
    assert _state(db).write_before is None


def test_close_due_closes_only_due_open_appeals_and_a_second_run_changes_nothing(app, db):
    today = date(2026, 12, 15)
    due = make_appeal(slug="due", posts=[make_post(slug="p1")])
    past = make_appeal(slug="long-past", posts=[make_post(slug="p2")])
    later = make_appeal(slug="later", posts=[make_post(slug="p3")])
    paused = make_appeal(slug="paused", state="paused", paused_notice="Quiet.", posts=[make_post(slug="p4")])
    make_appeal(slug="no-deadline", posts=[make_post(slug="p5")])
    due.write_before = paused.write_before = today
    past.write_before, later.write_before = today - timedelta(days=9), today + timedelta(days=1)
    db.session.commit()
    runner = app.test_cli_runner()

    first = runner.invoke(args=["appeals", "close-due", "--today", today.isoformat()])
    assert first.exit_code == 0, first.output
    assert first.output.splitlines() == ["closed due", "closed long-past", "2 appeal(s) closed"]
    states = dict(db.session.execute(select(Appeal.slug, Appeal.state)).all())
    assert states == {"due": "closed", "long-past": "closed", "later": "open", "paused": "paused",
                      "no-deadline": "open"}
    closed_at = _state(db, "due").closed_at

    second = runner.invoke(args=["appeals", "close-due", "--today", today.isoformat()])
    assert second.output.splitlines() == ["0 appeal(s) closed"]
    assert _state(db, "due").closed_at == closed_at


def test_pause_needs_a_notice_the_page_shows_and_resume_opens_again(appeal, client, db):
    token = _token(client)
    refused = client.post(f"{PAGE}/pause", data={"csrf_token": token, "notice": "  "})
    assert refused.status_code == 400
    assert 'id="notice-error">Say on the public page why writing is paused.' in refused.get_data(as_text=True)
    assert _state(db).state == "open"

    assert client.post(f"{PAGE}/pause", data={"csrf_token": token,
                                              "notice": "The family asked us to wait."}).status_code == 303
    public = client.get("/a/free-him").get_data(as_text=True)
    assert "Writing is paused" in public and "The family asked us to wait." in public
    assert 'action="/a/free-him"' not in public  # no sign form while paused

    assert client.post(f"{PAGE}/resume", data={"csrf_token": token}).status_code == 303
    assert _state(db).state == "open"


def test_closing_takes_an_outcome_shown_in_the_readers_language(appeal, client, db):
    token = _token(client)
    refused = client.post(f"{PAGE}/close", data={"csrf_token": token, "outcome": ""})
    assert refused.status_code == 400
    assert 'id="outcome-error">Outcome: choose how the case ended.' in refused.get_data(as_text=True)
    assert client.post(f"{PAGE}/close", data={"csrf_token": token, "outcome": "nonsense"}).status_code == 400
    assert _state(db).state == "open"

    assert client.post(f"{PAGE}/close", data={"csrf_token": token, "outcome": "released"}).status_code == 303
    assert (_state(db).state, _state(db).outcome) == ("closed", "released")
    assert '<p id="outcome">Outcome: Released</p>' in client.get("/a/free-him").get_data(as_text=True)
    assert '<p id="outcome">Итог: Освобождён</p>' in client.get("/a/free-him?lang=ru").get_data(as_text=True)
    french = client.get("/a/free-him?lang=fr").get_data(as_text=True)
    assert '<p id="outcome">Issue\u00a0: Libéré</p>' in french


def test_a_draft_cannot_be_closed_into_public_view(appeal, client, db):
    _state(db).state = "draft"
    db.session.commit()
    response = client.post(f"{PAGE}/close", data={"csrf_token": _token(client), "outcome": "released"})
    assert response.status_code == 400
    assert "A draft is not published: there is nothing to close." in response.get_data(as_text=True)
    assert _state(db).state == "draft"


def test_lifecycle_forms_without_csrf_token_change_nothing(appeal, client, db):
    for action, data in (("deadline", {"write_before": "2099-01-01"}), ("pause", {"notice": "x"}),
                         ("close", {"outcome": "released"})):
        assert client.post(f"{PAGE}/{action}", data=data).status_code == 400
    state = _state(db)
    assert (state.state, state.write_before, state.outcome) == ("open", None, None)


def test_another_groups_coordinator_gets_404(appeal, client, login, db):
    client.post("/logout", data={"csrf_token": _token(client)})
    login(email="elsewhere@example.org", group=make_group(slug="other-group", name="Other"))
    token = csrf_token(client.get("/coordinator/").get_data(as_text=True))
    for action, data in (("deadline", {"write_before": "2099-01-01"}), ("pause", {"notice": "x"}),
                         ("resume", {}), ("close", {"outcome": "released"})):
        assert client.post(f"{PAGE}/{action}", data={"csrf_token": token, **data}).status_code == 404
    assert _state(db).state == "open"


YAML = """\
slug: closed-case
title: A closed case
state: closed
write_before: 2026-12-15
outcome: sentence_reduced
"""


def test_deadline_and_outcome_round_trip_through_the_yaml(db):
    assert import_appeal_text(YAML).action == "created"
    appeal = _state(db, "closed-case")
    assert (appeal.write_before, appeal.outcome) == (date(2026, 12, 15), "sentence_reduced")
    exported = export_appeal(appeal)
    assert "\nwrite_before: 2026-12-15\noutcome: sentence_reduced\n" in exported
    assert import_appeal_text(exported).action == "unchanged"


def test_a_bad_outcome_or_deadline_in_the_yaml_names_line_and_field(db):
    with pytest.raises(DataFileError) as error:
        import_appeal_text(YAML.replace("2026-12-15", "15 Dec").replace("sentence_reduced", "freed"),
                           "case.yaml")
    messages = [str(p) for p in error.value.problems]
    assert messages[0] == "case.yaml:4: write_before: '15 Dec' is not a date (YYYY-MM-DD)"
    assert messages[1].startswith("case.yaml:5: outcome: must be one of released, sentence_reduced")
