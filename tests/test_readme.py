"""README.md carries each area's reference section from docs/: they must not drift apart."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_reference_sections_match_docs():
    result = subprocess.run([sys.executable, "scripts/readme.py", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_readme_check_names_the_fix_when_a_doc_changed(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "readme.py").write_text((ROOT / "scripts" / "readme.py").read_text())
    (tmp_path / "README.md").write_text((ROOT / "README.md").read_text())
    for doc in (ROOT / "docs").glob("*.md"):
        (tmp_path / "docs" / doc.name).write_text(doc.read_text())
    (tmp_path / "docs" / "appeals.md").write_text("## Appeals as YAML\n\nChanged.\n")
    result = subprocess.run([sys.executable, "scripts/readme.py", "--check"], cwd=tmp_path,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "python scripts/readme.py" in result.stdout
