"""`flask backup PATH` and `flask restore PATH`: a consistent copy while the app runs, and back."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import create_engine, select, text

from app.models import Appeal, Group, Signature
from app.signatures.identity import email_digest
from tests.builders import make_appeal


def _snapshot(db) -> dict:
    """Everything the comparison looks at, as plain values."""
    return {
        "appeals": [(a.slug, a.title, a.state, a.confirmed_count)
                    for a in db.session.scalars(select(Appeal).order_by(Appeal.id))],
        "signatures": [(s.name, s.email, s.status)
                       for s in db.session.scalars(select(Signature).order_by(Signature.id))],
        "groups": db.session.scalars(select(Group.slug).order_by(Group.id)).all(),
    }


def _fill(db) -> None:
    appeal = make_appeal(title="Free Äsel — «now» 🕊")
    for i, name in enumerate(["Aigerim", "Ерлан Қасымов", "مريم"]):
        email = f"s{i}@example.org"
        db.session.add(Signature(appeal_id=appeal.id, name=name, email=email,
                                 email_hash=email_digest(email), country="KZ", status="confirmed"))
    appeal.confirmed_count = 3
    db.session.add(Group(slug="adil-soz", name="Adil Soz"))
    db.session.commit()


def test_backup_then_restore_brings_back_the_same_data(app, db, tmp_path):
    _fill(db)
    before = _snapshot(db)
    runner = app.test_cli_runner()
    path = tmp_path / "backups" / "appeal-desk.backup"
    made = runner.invoke(args=["backup", str(path)])
    assert made.exit_code == 0, made.output
    assert path.is_file() and "Backup written to" in made.output

    # Damage: a signer deleted, an appeal changed, a group added.
    db.session.delete(db.session.scalars(select(Signature)).first())
    db.session.scalar(select(Appeal)).title = "Changed"
    db.session.add(Group(slug="extra", name="Extra"))
    db.session.commit()
    assert _snapshot(db) != before
    db.session.remove()

    restored = runner.invoke(args=["restore", str(path), "--yes"])
    assert restored.exit_code == 0, restored.output
    db.session.remove()
    assert _snapshot(db) == before


def test_restore_asks_before_replacing_the_database(app, db, tmp_path):
    _fill(db)
    path = tmp_path / "b.backup"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    refused = runner.invoke(args=["restore", str(path)], input="n\n")
    assert refused.exit_code != 0 and "Replace the whole database" in refused.output


def test_restore_of_a_missing_file_says_so_and_changes_nothing(app, db, tmp_path):
    _fill(db)
    before = _snapshot(db)
    result = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "nope.backup"), "--yes"])
    assert result.exit_code != 0
    assert "nope.backup: no such backup file" in result.output
    db.session.remove()
    assert _snapshot(db) == before


@pytest.mark.sqlite_only
def test_restore_refuses_a_file_that_is_not_a_database(app, db, tmp_path):
    _fill(db)
    before = _snapshot(db)
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"this is not a database" * 100)
    result = app.test_cli_runner().invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code != 0 and "not a SQLite database" in result.output
    db.session.remove()
    assert _snapshot(db) == before


@pytest.mark.sqlite_only
def test_sqlite_backup_is_consistent_while_another_connection_writes(app, db, tmp_path):
    """A writer adds groups two at a time in one transaction; no backup may hold half of one."""
    _fill(db)
    db.session.remove()
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    stop = threading.Event()
    written = []

    def writer() -> None:
        i = 0
        while not stop.is_set():
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO groups (slug, name, created_at) VALUES "
                                  "(:a, 'x', CURRENT_TIMESTAMP), (:b, 'x', CURRENT_TIMESTAMP)"),
                             {"a": f"w{i}a", "b": f"w{i}b"})
            written.append(i)
            i += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        runner = app.test_cli_runner()
        paths = []
        for n in range(5):
            path = tmp_path / f"live-{n}.sqlite3"
            result = runner.invoke(args=["backup", str(path)])
            assert result.exit_code == 0, result.output
            paths.append(path)
    finally:
        stop.set()
        thread.join()
        engine.dispose()
    assert written, "the writer never ran"
    for path in paths:
        conn = sqlite3.connect(path)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            pairs = conn.execute("SELECT COUNT(*) FROM groups WHERE slug LIKE 'w%'").fetchone()[0]
        finally:
            conn.close()
        assert pairs % 2 == 0, f"{path.name} holds half a transaction"


@pytest.mark.sqlite_only
def test_backup_of_an_in_memory_database_is_refused(tmp_path):
    from app.admin.backup import BackupError, backup_database

    with pytest.raises(BackupError, match="in-memory"):
        backup_database("sqlite://", tmp_path / "x")



@pytest.fixture
def upload_dir(app, tmp_path, monkeypatch):
    """This test's own UPLOAD_DIR (the app's is shared by the tests of a worker)."""
    root = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(root))
    return root


def _uploads(root):
    files = {"photos/a1b2.jpg": b"\xff\xd8photo", "replies/c3d4.pdf": b"%PDF-scan",
             "previews/e5f6.png": b"\x89PNGcard"}
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return files


def test_backup_holds_the_uploaded_files_and_restore_puts_them_back(app, db, tmp_path, upload_dir):
    import shutil

    _fill(db)
    files = _uploads(upload_dir)
    runner = app.test_cli_runner()
    path = tmp_path / "appeal-desk.backup"
    made = runner.invoke(args=["backup", str(path)])
    assert made.exit_code == 0, made.output
    assert f"Uploaded files written to {path}.uploads.tar (2 files)" in made.output

    shutil.rmtree(upload_dir)
    db.session.remove()
    restored = runner.invoke(args=["restore", str(path), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert "Uploaded files restored from" in restored.output
    assert (upload_dir / "photos/a1b2.jpg").read_bytes() == files["photos/a1b2.jpg"]
    assert (upload_dir / "replies/c3d4.pdf").read_bytes() == files["replies/c3d4.pdf"]
    assert not (upload_dir / "previews").exists()  # link-preview cards are drawn again when missing


def test_restore_refuses_an_uploads_archive_that_writes_outside_and_changes_nothing(
        app, db, tmp_path, upload_dir):
    import io
    import tarfile

    _fill(db)
    path = tmp_path / "appeal-desk.backup"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    with tarfile.open(f"{path}.uploads.tar", "w") as archive:
        member = tarfile.TarInfo("../../outside.txt")
        member.size = 4
        archive.addfile(member, io.BytesIO(b"evil"))
    db.session.add(Group(slug="after-backup", name="Added after the backup"))
    db.session.commit()
    before = _snapshot(db)
    db.session.remove()

    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code != 0
    assert f"{path}.uploads.tar: not a usable uploads archive" in result.output
    assert not (tmp_path / "outside.txt").exists()
    assert not any(p.name == "outside.txt" for p in tmp_path.parent.iterdir())
    db.session.remove()
    assert _snapshot(db) == before  # the database was not replaced either


def test_backup_without_uploaded_files_removes_an_older_archive(app, db, tmp_path, upload_dir):
    _fill(db)
    path = tmp_path / "appeal-desk.backup"
    (tmp_path / "appeal-desk.backup.uploads.tar").write_bytes(b"an older day's files")
    made = app.test_cli_runner().invoke(args=["backup", str(path)])
    assert made.exit_code == 0 and "Uploaded files" not in made.output
    assert not (tmp_path / "appeal-desk.backup.uploads.tar").exists()
