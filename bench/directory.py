"""Directory speed: check, import, re-import and export of recipients/, and resolution.

Builds a temporary SQLite database with the real migrations. Prints:

    directory_check_s: N          (all shipped files; target < 2)
    directory_import_s: N         (first import; target < 5)
    directory_reimport_s: N       (everything unchanged; target < 5)
    directory_export_s: N         (target < 2)
    resolve_per_s: N              (resolve() of every post, today; target > 500)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from flask_migrate import upgrade
    from sqlalchemy import select

    from app import create_app
    from app.config import TestConfig
    from app.directory.files import check_paths, export_directory, import_paths
    from app.directory.resolve import resolve
    from app.extensions import db
    from app.models import Post

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp}/bench.sqlite3",
                         INSTANCE_DIR=tmp)
        with app.app_context():
            upgrade(revision="heads")
            recipients = ROOT / "recipients"
            timings = {}
            start = time.perf_counter()
            assert check_paths([recipients]) == []
            timings["directory_check_s"] = time.perf_counter() - start
            start = time.perf_counter()
            import_paths([recipients])
            timings["directory_import_s"] = time.perf_counter() - start
            start = time.perf_counter()
            assert not import_paths([recipients]).changed
            timings["directory_reimport_s"] = time.perf_counter() - start
            start = time.perf_counter()
            export_directory(Path(tmp) / "out")
            timings["directory_export_s"] = time.perf_counter() - start
            posts = list(db.session.scalars(select(Post)))
            rounds = 20
            start = time.perf_counter()
            for _ in range(rounds):
                for post in posts:
                    resolve(post)
            elapsed = time.perf_counter() - start
            for name, value in timings.items():
                print(f"{name}: {value:.3f}")
            print(f"resolve_per_s: {rounds * len(posts) / elapsed:.0f}")


if __name__ == "__main__":
    main()
