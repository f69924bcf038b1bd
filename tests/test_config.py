"""Settings read from the environment: e-mail links follow where `make run` listens."""

from __future__ import annotations

import os
import subprocess
import sys

from app.config import PROJECT_ROOT


def _config_value(name: str, instance, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("BASE_URL", "HOST", "PORT", "EMAIL_HASH_KEY")}
    clean["APPEAL_DESK_INSTANCE"] = str(instance)
    result = subprocess.run(
        [sys.executable, "-c", f"from app.config import Config; print(Config.{name})"],
        cwd=PROJECT_ROOT, env={**clean, **env}, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def _base_url(instance, **env: str) -> str:
    return _config_value("BASE_URL", instance, **env)


def test_base_url_follows_host_and_port_unless_set(tmp_path):
    assert _base_url(tmp_path, ) == "http://127.0.0.1:5000"
    assert _base_url(tmp_path, PORT="5101") == "http://127.0.0.1:5101"
    assert _base_url(tmp_path, HOST="0.0.0.0", PORT="5101") == "http://127.0.0.1:5101"
    assert _base_url(tmp_path, HOST="::1", PORT="5101") == "http://[::1]:5101"
    assert _base_url(tmp_path, HOST="desk.local", PORT="8080") == "http://desk.local:8080"
    assert _base_url(tmp_path, BASE_URL="https://appeals.example.org/", PORT="5101") == (
        "https://appeals.example.org")


def test_make_run_passes_host_and_port_to_the_app():
    result = subprocess.run(["make", "-n", "run", "PORT=5101"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, check=True)
    flask_lines = [line for line in result.stdout.splitlines() if "bin/flask" in line]
    assert len(flask_lines) == 3
    assert all("PORT=5101" in line and "HOST=127.0.0.1" in line for line in flask_lines)


def test_email_hash_key_is_read_from_the_environment(tmp_path):
    # docs/threat-model.md and docs/configuration.md name it; email_digest falls back to SECRET_KEY.
    assert _config_value("EMAIL_HASH_KEY", tmp_path, EMAIL_HASH_KEY="hash-key") == "hash-key"
    assert _config_value("EMAIL_HASH_KEY", tmp_path) == "None"


def test_the_instance_folder_is_a_setting_the_letter_previews_find(tmp_path):
    """The letters page's first-page images are cached under INSTANCE_DIR; without the setting
    every preview answered 500 outside the test suite (whose fixture sets it)."""
    clean = {k: v for k, v in os.environ.items() if k != "APPEAL_DESK_INSTANCE"}
    result = subprocess.run(
        [sys.executable, "-c", "from app.config import Config; print(Config.INSTANCE_DIR)"],
        cwd=PROJECT_ROOT, env={**clean, "APPEAL_DESK_INSTANCE": str(tmp_path)},
        capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path)
