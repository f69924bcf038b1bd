"""A letter's request and body are rendered once per letter, not again on every use."""

from __future__ import annotations

from app.letters import render
from app.letters.service import letter_unit
from tests.letters.test_letter_content import _kazakh_case


def test_a_prepared_letter_is_not_rendered_again(db, monkeypatch):
    appeal, minister, *_ = _kazakh_case()
    unit = letter_unit(appeal, minister)
    assert unit.demands  # a letter with its own demands (a tuple made per letter)
    render.prepare_bodies([unit])
    calls = []
    original = render.render_named_template
    monkeypatch.setattr(render, "render_named_template",
                        lambda *args: calls.append(args[0]) or original(*args))
    render.render_body(unit)
    render.render_request(unit)
    assert calls == []
