"""The shell scripts a first-time user runs: `make test` waits for apt, PostgreSQL is private."""

from __future__ import annotations

import glob
import os
import socket
import subprocess
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT

SCRIPTS = PROJECT_ROOT / "scripts"
needs_postgres = pytest.mark.skipif(not glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                                    reason="make test installs PostgreSQL")


@pytest.fixture
def world_readable_tmp():
    """A temp dir the postgres user can reach (pytest's own are private to root)."""
    import shutil
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="appeal-desk-test-", dir="/tmp"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _private_postgres_script() -> None:
    """Refuse to go on with a postgres.sh that ignores its DIR: an older one stopped the server
    in its fixed default directory (a shared one on port 54329) whatever it was given."""
    assert "usage: $0 start|stop DIR" in (SCRIPTS / "postgres.sh").read_text()


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _fake_bin(tmp_path: Path, apt_get: str) -> dict[str, str]:
    """A PATH with a fake apt-get (and sudo) first, and without chromium, so it is "missing"."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "apt-get").write_text("#!/bin/bash\n" + apt_get)
    (bin_dir / "sudo").write_text('#!/bin/bash\nexec "$@"\n')
    for tool in ("apt-get", "sudo"):
        (bin_dir / tool).chmod(0o755)
    for directory in os.environ["PATH"].split(":"):  # every other tool, but no chromium
        for tool in Path(directory).glob("*") if Path(directory).is_dir() else ():
            link = bin_dir / tool.name
            if tool.name != "chromium" and not link.exists():
                link.symlink_to(tool)
    return {**os.environ, "PATH": str(bin_dir), "APT_LOCK_RETRY_S": "0.1"}


def test_system_deps_waits_for_another_apt_process_holding_the_lock(tmp_path):
    calls = tmp_path / "calls"
    # Locked for the first two calls (update's lists lock), then free.
    env = _fake_bin(tmp_path, f"""
echo "$@" >> {calls}
n=$(wc -l < {calls})
if [ "$n" -le 2 ]; then
  echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)" >&2
  exit 100
fi
""")
    result = subprocess.run([str(SCRIPTS / "system-deps.sh")], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "waiting" in result.stdout
    lines = calls.read_text().splitlines()
    assert len(lines) == 4 and "update" in lines[2] and "install" in lines[3]
    assert all("DPkg::Lock::Timeout=600" in line for line in lines)


def test_system_deps_stops_on_an_error_that_is_not_a_lock(tmp_path):
    env = _fake_bin(tmp_path, 'echo "E: The repository is not signed." >&2; exit 100\n')
    result = subprocess.run([str(SCRIPTS / "system-deps.sh")], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0 and "not signed" in result.stderr


@needs_postgres
def test_postgres_script_starts_a_private_server_and_stops_only_it(world_readable_tmp):
    import psycopg

    _private_postgres_script()
    data_dir = world_readable_tmp / "pg"
    data_dir.mkdir()
    start = subprocess.run([str(SCRIPTS / "postgres.sh"), "start", str(data_dir)],
                           capture_output=True, text=True, timeout=120)
    assert start.returncode == 0, start.stderr
    url = start.stdout.strip()
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    try:
        assert port != 54329  # never the shared server's fixed port
        with psycopg.connect(url) as conn:
            assert conn.execute("SHOW data_directory").fetchone()[0] == str(data_dir / "data")
    finally:
        subprocess.run([str(SCRIPTS / "postgres.sh"), "stop", str(data_dir)], timeout=120)
    assert not _port_open(port)


@needs_postgres
def test_run_tests_stops_and_removes_the_server_it_started(tmp_path, world_readable_tmp):
    _private_postgres_script()
    seen = tmp_path / "seen"
    fake_pytest = tmp_path / "fake-pytest"
    # Stands in for pytest: notes the database URL it was given, and fails like a red suite.
    fake_pytest.write_text(f'#!/bin/bash\necho "$TEST_DATABASE_URL" > {seen}\nexit 1\n')
    fake_pytest.chmod(0o755)
    result = subprocess.run([str(SCRIPTS / "run-tests.sh"), "postgres"],
                            env={**os.environ, "PYTEST": str(fake_pytest), "TMPDIR": str(world_readable_tmp)},
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 1, result.stdout + result.stderr  # the suite's status
    url = seen.read_text().strip()
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    assert port != 54329
    assert not _port_open(port)
    assert not list(world_readable_tmp.glob("appeal-desk-pg.*"))  # its data directory is gone


def test_make_install_first_installs_what_a_fresh_debian_lacks(tmp_path):
    # A fresh Debian's python3 cannot make a venv without python3-venv, and WeasyPrint needs Pango.
    calls = tmp_path / "calls"
    env = _fake_bin(tmp_path, f'echo "$@" >> {calls}\n')
    for tool, script in (("python-without-venv", "exit 1"), ("ldconfig", "exit 0")):
        fake = tmp_path / "bin" / tool
        fake.unlink(missing_ok=True)
        fake.write_text(f"#!/bin/bash\n{script}\n")
        fake.chmod(0o755)
    env["PYTHON"] = "python-without-venv"
    result = subprocess.run([str(SCRIPTS / "system-deps.sh"), "run"], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    install = calls.read_text().splitlines()[-1]
    assert "python3-venv" in install and "libpango-1.0-0" in install and "libpangoft2-1.0-0" in install
    assert "chromium" not in install  # the tests' packages only with `make test`
    make = subprocess.run(["make", "-n", "-B", "install"], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, check=True).stdout.splitlines()
    first_venv = next(i for i, line in enumerate(make) if "-m venv" in line)
    assert any("system-deps.sh run" in line for line in make[:first_venv])


def test_system_deps_for_run_leaves_the_tests_packages_alone(tmp_path):
    calls = tmp_path / "calls"
    env = _fake_bin(tmp_path, f'echo "$@" >> {calls}\n')  # chromium missing, the rest present
    result = subprocess.run([str(SCRIPTS / "system-deps.sh"), "run"], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and not calls.exists(), result.stdout + result.stderr


def test_every_bench_script_takes_the_quick_flag_make_bench_passes():
    import sys

    refusing = []
    for script in sorted((PROJECT_ROOT / "bench").glob("*.py")):
        if "argparse" in script.read_text():
            usage = subprocess.run([sys.executable, str(script), "-h"], cwd=PROJECT_ROOT,
                                   capture_output=True, text=True, timeout=120).stdout
            if "--quick" not in usage:
                refusing.append(script.name)
    assert refusing == []
