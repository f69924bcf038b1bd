"""A copy of the database file (main file, WAL, free pages) or of a backup holds no signer's
e-mail address, full name, city or message in clear once the confirmation is sent."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.db_setup import checkpoint_wal
from app.extensions import db as _db
from tests.builders import make_appeal, make_keyed_group
from tests.signer_privacy.helpers import Signer, sign, sign_and_confirm

pytestmark = pytest.mark.sqlite_only


def _database_files(app) -> list[Path]:
    main = Path(_db.engine.url.database)
    return [main, *(p for p in (Path(f"{main}-wal"), Path(f"{main}-journal")) if p.exists())]


def _raw(paths: list[Path]) -> bytes:
    return b"".join(path.read_bytes() for path in paths).lower()


def _checkpoint() -> None:
    _db.session.remove()
    assert checkpoint_wal(_db.engine)


def _found(raw: bytes, signer: Signer) -> list[str]:
    return [marker for marker in signer.markers if marker.lower().encode() in raw]


def test_database_file_and_backup_hold_no_signer_detail_in_clear(app, client, db, smtp, tmp_path):
    group, _key = make_keyed_group()
    appeal = make_appeal(group=group)
    signer = Signer.new()
    sign(client, appeal.slug, signer)
    _checkpoint()
    # The search is real: before the confirmation is sent the address is kept in clear.
    assert signer.email.lower() in _found(_raw(_database_files(app)), signer)

    from app.delivery.worker import deliver_due
    assert deliver_due() == 1
    smtp.wait_for(1)
    _checkpoint()
    assert _found(_raw(_database_files(app)), signer) == []

    backup = tmp_path / "copy.backup"
    assert app.test_cli_runner().invoke(args=["backup", str(backup)]).exit_code == 0
    assert _found(_raw([backup]), signer) == []


def test_confirmed_signer_and_case_update_leave_nothing_in_clear(app, client, db, smtp):
    from app.delivery.timeline import EventInput, add_event
    from app.delivery.worker import deliver_due
    from app.models import WebhookDelivery, WebhookEndpoint
    from app.sealing.keys import read_key_file

    group, key = make_keyed_group()
    appeal = make_appeal(group=group)
    _db.session.add(WebhookEndpoint(group_id=group.id, url="https://crm.example.org/hook",
                                    secret="s" * 32))
    _db.session.commit()
    signer = Signer.new()
    sign_and_confirm(client, smtp, appeal.slug, signer)
    # The webhook event is stored (and would be sent): it carries nothing personal.
    assert _db.session.scalar(select(func.count()).select_from(WebhookDelivery)) == 1
    from datetime import date
    _, queued = add_event(appeal, EventInput(date=date(2026, 11, 30), kind="hearing",
                                             title="Hearing"), notify=True,
                          private_key=read_key_file(key.encode(), group))
    assert queued == 1 and deliver_due() == 1
    assert smtp.wait_for(2)[-1]["To"] == signer.email
    _checkpoint()
    assert _found(_raw(_database_files(app)), signer) == []


def test_secure_delete_is_on_for_every_connection(app, db):
    with _db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA secure_delete")).scalar() == 1
