"""Drain a backlog of outbox messages to an SMTP server on loopback, against one connection each.

Builds a temporary SQLite database with the real migrations, starts aiosmtpd in its own
process on 127.0.0.1 with STARTTLS and AUTH as a production relay has (a throw-away
self-signed certificate; `--plain` for no TLS nor AUTH). Queues the backlog and drains it
as `flask worker --drain` does: rounds of OUTBOX_BATCH_SIZE claims over one SMTP connection
kept across rounds (smtplib's send_message, each result committed before the next message),
renewed every OUTBOX_RECONNECT_EVERY messages. Then it drains a second backlog with the same
worker code, the same server and a new connection (STARTTLS + AUTH) for every message
(OUTBOX_RECONNECT_EVERY=1), the baseline (half before the drain and half after, so a change
in the machine's load during the run weighs on both figures alike). Prints:

    drain_per_s: N
    connect_per_message_per_s: N
    drain_vs_connect: N        (target >= 3)
    drain_worker_cpu_ms_per_message: N   (where the drain's time goes: the worker's CPU,
    drain_server_cpu_ms_per_message: N    and the SMTP server process's)

`--quick` uses smaller backlogs (well under a minute); `--profile FILE` writes a cProfile of
the drain.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _smtp_server(port_out, stop, tls_files) -> None:  # noqa: ANN001
    """aiosmtpd in a process of its own, so the server does not share the worker's GIL."""
    import logging
    import ssl
    import warnings

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    class Sink:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001
            return "250 OK"

    warnings.filterwarnings("ignore")  # aiosmtpd's own deprecation notes, once per login
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    options = {}
    if tls_files:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*tls_files)
        options = {"tls_context": context, "require_starttls": True,
                   "authenticator": lambda *args: AuthResult(success=True)}

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port, **options)
    controller.start()
    port_out.send(port)
    stop.wait()
    controller.stop()


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc; -1e9 where there is none)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return -1e9
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _certificate(workdir: Path) -> tuple[str, str] | None:
    """A throw-away self-signed certificate for 127.0.0.1 (None if openssl is missing)."""
    cert, key = workdir / "cert.pem", workdir / "key.pem"
    try:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return str(cert), str(key)


def _fill(db, count: int) -> None:
    from sqlalchemy import insert

    from app.models import OutboxMessage, utcnow

    now = utcnow()
    rows = [{"kind": "bench", "to_addr": f"reader{i}@example.org", "subject": f"Update {i}",
             "body_text": "A short update on the appeal.\n" * 20, "sensitive": False,
             "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now}
            for i in range(count)]
    db.session.execute(insert(OutboxMessage), rows)
    db.session.commit()


def _drain(app) -> tuple[int, float]:
    """What `flask worker --drain` does: rounds of claim and send over one kept connection."""
    from app.delivery.worker import new_session, run_round

    sent = 0
    started = time.perf_counter()
    session = new_session()
    try:
        while True:
            claimed, n = run_round(session)
            sent += n
            if claimed == 0:
                break
    finally:
        session.close()
    return sent, time.perf_counter() - started


def _baseline(app, db, count: int) -> tuple[int, float]:
    """The same worker opening a new SMTP connection for every message."""
    app.config["OUTBOX_RECONNECT_EVERY"] = 1
    _fill(db, count)
    sent, seconds = _drain(app)
    _check(db, count, sent)
    return sent, seconds


def _check(db, expected: int, sent: int) -> None:
    """Stop with the server's answer if anything was not sent."""
    from sqlalchemy import select

    from app.models import OutboxMessage

    if sent != expected:
        errors = db.session.scalars(select(OutboxMessage.last_error)
                                    .where(OutboxMessage.last_error.is_not(None)).limit(3)).all()
        raise SystemExit(f"sent {sent} of {expected}; errors: {errors}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller backlogs (< 1 minute)")
    parser.add_argument("--messages", type=int, default=None, help="backlog size (default 5000)")
    parser.add_argument("--baseline", type=int, default=None,
                        help="messages for the one-connection-each baseline (default 1000)")
    parser.add_argument("--plain", action="store_true",
                        help="no STARTTLS/AUTH (a relay nobody should run in production)")
    parser.add_argument("--profile", metavar="FILE",
                        help="write a cProfile of the drain (not the baseline) to FILE")
    args = parser.parse_args()
    backlog = args.messages or (1000 if args.quick else 5000)
    baseline = args.baseline or (300 if args.quick else 1000)

    workdir = Path(tempfile.mkdtemp(prefix="email-drain-"))
    os.environ.setdefault("APPEAL_DESK_INSTANCE", str(workdir))
    tls_files = None if args.plain else _certificate(workdir)
    receive, send = multiprocessing.Pipe(duplex=False)
    stop = multiprocessing.Event()
    server = multiprocessing.Process(
        target=_smtp_server, args=(send, stop, tls_files), daemon=True)
    server.start()
    if not receive.poll(30):
        raise SystemExit("the SMTP server did not start")
    port = receive.recv()

    import logging

    from flask_migrate import upgrade

    from app import create_app
    from app.config import Config
    from app.extensions import db

    logging.getLogger("alembic").setLevel(logging.WARNING)
    app = create_app(
        Config, SECRET_KEY="bench", SQLALCHEMY_DATABASE_URI=f"sqlite:///{workdir / 'bench.sqlite3'}",
        MAIL_SERVER="127.0.0.1", MAIL_PORT=port, RATELIMIT_STORAGE_URI="memory://",
        OUTBOX_BATCH_SIZE=50, OUTBOX_BACKOFF_BASE_S=0,
        OUTBOX_RECONNECT_EVERY=100,
        MAIL_USE_TLS=bool(tls_files), MAIL_USERNAME="bench" if tls_files else None,
        MAIL_PASSWORD="bench" if tls_files else None,
        MAIL_TLS_CA_FILE=tls_files[0] if tls_files else None,
    )
    mail = app.extensions["mail"]
    mail.server, mail.port, mail.use_tls = "127.0.0.1", port, bool(tls_files)
    mail.username = mail.password = "bench" if tls_files else None
    try:
        with app.app_context():
            upgrade(revision="heads")
            # The baseline runs half before and half after the drain, so a machine that gets
            # busier or quieter during the run weighs on both figures alike.
            first, first_s = _baseline(app, db, baseline // 2)
            app.config["OUTBOX_RECONNECT_EVERY"] = 100
            _fill(db, backlog)
            cpu = (time.process_time(), _cpu_seconds(server.pid))
            if args.profile:
                import cProfile

                profile = cProfile.Profile()
                sent, seconds = profile.runcall(_drain, app)
                profile.dump_stats(args.profile)
            else:
                sent, seconds = _drain(app)
            cpu = (time.process_time() - cpu[0], _cpu_seconds(server.pid) - cpu[1])
            _check(db, backlog, sent)
            drain_rate = sent / seconds
            second, second_s = _baseline(app, db, baseline - baseline // 2)
            connect_rate = (first + second) / (first_s + second_s)
    finally:
        stop.set()
        server.join(5)
    mode = "STARTTLS+AUTH" if tls_files else "plain SMTP"
    print(f"backlog: {backlog} (baseline {baseline}), {mode}, reconnect_every: 100, batch: 50")
    print(f"drain_per_s: {drain_rate:.0f}")
    print(f"connect_per_message_per_s: {connect_rate:.0f}")
    print(f"drain_vs_connect: {drain_rate / connect_rate:.1f}")
    # Where the drain's time goes: the worker's CPU and the server's, per message.
    print(f"drain_worker_cpu_ms_per_message: {cpu[0] * 1000 / backlog:.2f}")
    if cpu[1] >= 0:
        print(f"drain_server_cpu_ms_per_message: {cpu[1] * 1000 / backlog:.2f}")


if __name__ == "__main__":
    main()
