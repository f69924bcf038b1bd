"""The appeal file (YAML) carries the pitch and the signature goal; the photo stays out of it."""

from __future__ import annotations

import pytest

from app.appeals.files import export_appeal, import_appeal_text
from app.datafiles.errors import DataFileError

FILE = """slug: pitched
title: Free the blogger
pitch: |-
  Amangeldy wrote about a road. He is in prison for it.
signature_goal: 5000
"""


def test_pitch_and_goal_round_trip_through_the_appeal_file(db):
    import_appeal_text(FILE, "pitched.yaml")
    from app.models import Appeal

    appeal = db.session.scalar(db.select(Appeal).where(Appeal.slug == "pitched"))
    assert appeal.pitch == "Amangeldy wrote about a road. He is in prison for it."
    assert appeal.signature_goal == 5000
    exported = export_appeal(appeal)
    assert "signature_goal: 5000" in exported and "pitch:" in exported
    assert "photo" not in exported
    assert import_appeal_text(exported, "again.yaml").action == "unchanged"


def test_a_goal_that_is_not_a_whole_number_is_named_with_file_and_line(db):
    with pytest.raises(DataFileError) as caught:
        import_appeal_text(FILE.replace("5000", "lots"), "pitched.yaml")
    assert "pitched.yaml:5" in str(caught.value) and "signature_goal" in str(caught.value)
