"""The demo: recipients/ into the directory, the seed appeals, and an administrator account.

Every step is idempotent: a second run reports "unchanged" and creates nothing.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from app.appeals.files import import_appeal_file
from app.auth.service import create_user, find_user
from app.config import PROJECT_ROOT

DEMO_APPEALS = Path(__file__).parent / "appeals"
DEMO_COORDINATOR = "coordinator@appeal-desk.localhost"


def load_demo(recipients_dir: Path | None = None) -> list[str]:
    """Load everything and return the lines to print."""
    from app.demo.statements import load_demo_statement
    from app.directory.files import import_paths

    lines = []
    report = import_paths([recipients_dir or PROJECT_ROOT / "recipients"], actor="demo")
    lines.append(f"directory: {report.summary()}")
    for path in sorted(DEMO_APPEALS.glob("*.yaml")):
        result = import_appeal_file(path)
        lines.append(f"appeal {result.slug}: {result.action}")
    lines.append(load_demo_statement())
    if find_user(DEMO_COORDINATOR) is None:
        password = secrets.token_urlsafe(12)
        create_user(DEMO_COORDINATOR, password, role="admin")
        lines.append(f"demo administrator created: {DEMO_COORDINATOR} / password: {password}")
        lines.append("(the password is shown only this once; log in at /login. Lost it? "
                     f"`flask users set-password {DEMO_COORDINATOR}` sets a new one)")
    else:
        lines.append(f"demo administrator {DEMO_COORDINATOR} already exists (password unchanged; "
                     f"`flask users set-password {DEMO_COORDINATOR}` sets a new one)")
    return lines + _key_reminder()


def _key_reminder() -> list[str]:
    """Organisations running an appeal without a key yet: a signature made now keeps no name,
    city or message they could ever read (docs/threat-model.md), so say it before anyone signs."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Appeal, Group

    keyless = db.session.scalars(
        select(Group.slug).join(Appeal, Appeal.group_id == Group.id)
        .where(Group.public_key.is_(None)).distinct().order_by(Group.slug)).all()
    if not keyless:
        return []
    return [f"no organisation key yet for: {', '.join(keyless)}. Before anyone signs, run "
            "`flask sealing create-key SLUG > SLUG.appeal-desk-key` for each and keep the file "
            "(or a coordinator of the organisation downloads it at /coordinator/key)"]
