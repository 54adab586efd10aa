"""A private, throwaway PostgreSQL server for tests: `with throwaway_server() as env: ...`.

It runs the PostgreSQL 15 binaries of the machine image (or those named by
LEADGEN_PG_BIN) in a temporary data folder, listening on a free port of
127.0.0.1 only, with trust authentication (nothing but this machine's own
processes can reach it).  PostgreSQL refuses to run as root, so as root the
folder is given to the `postgres` user and every server command runs as that
user through `runuser`.  The server is stopped and its folder removed when the
block ends, whether it ends normally, by an exception or by Ctrl-C.

`env` holds the PG* variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE)
a client needs, as a loader or dbt's postgres profile reads them, and
LEADGEN_PG_ROOT, the server's temporary folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

DEFAULT_PG_BIN = "/usr/lib/postgresql/15/bin"
SUPERUSER = "postgres"
DATABASE = "leadgen"


class ServerError(RuntimeError):
    """The throwaway server could not be started."""


def dsn(env: dict[str, str], user: str | None = None) -> str:
    """The libpq connection string of a throwaway server's `env`, as its superuser or as `user`."""
    return f"host={env['PGHOST']} port={env['PGPORT']} dbname={env['PGDATABASE']} user={user or env['PGUSER']}"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bin() -> Path:
    folder = Path(os.environ.get("LEADGEN_PG_BIN") or DEFAULT_PG_BIN)
    if not (folder / "pg_ctl").exists():
        raise ServerError(
            f"no PostgreSQL server binaries in {folder} (set LEADGEN_PG_BIN to the folder holding initdb and pg_ctl)"
        )
    return folder


def _as_server_user(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            raise ServerError("running as root, PostgreSQL must run as the postgres user, but runuser is missing")
        return ["runuser", "-u", SUPERUSER, "--", *cmd]
    return cmd


def _run(cmd: list[str], what: str) -> None:
    done = subprocess.run(_as_server_user(cmd), capture_output=True, text=True)
    if done.returncode != 0:
        raise ServerError(f"{what} failed (exit {done.returncode}): {(done.stderr or done.stdout).strip()[-2000:]}")


def _raise_exit(signum, frame):
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def throwaway_server() -> Iterator[dict[str, str]]:
    pg_bin = _pg_bin()
    # `kill` (SIGTERM) of the process holding the server must stop it too:
    # turn the signal into an exception, so that the finally block runs.
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _raise_exit)
    root = Path(tempfile.mkdtemp(prefix="leadgen-pg-"))
    data, sockets = root / "data", root / "sockets"
    data.mkdir()
    sockets.mkdir()
    if os.geteuid() == 0:
        # the server user must own its folders and reach them through the temp root
        shutil.chown(root, user=SUPERUSER)
        shutil.chown(data, user=SUPERUSER)
        shutil.chown(sockets, user=SUPERUSER)
        root.chmod(0o755)
    port = _free_port()
    started = False
    try:
        _run(
            [str(pg_bin / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-sync"],
            "initdb",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=50"
        )
        _run(
            [str(pg_bin / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-o", options, "-w", "start"],
            "pg_ctl start",
        )
        started = True
        _run(
            [str(pg_bin / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", SUPERUSER, DATABASE],
            "createdb",
        )
        yield {
            "PGHOST": "127.0.0.1",
            "PGPORT": str(port),
            "PGUSER": SUPERUSER,
            "PGPASSWORD": "",
            "PGDATABASE": DATABASE,
            # the server's temporary folder (data, socket, log), removed on exit
            "LEADGEN_PG_ROOT": str(root),
        }
    finally:
        if started:
            subprocess.run(
                _as_server_user([str(pg_bin / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                capture_output=True,
            )
        shutil.rmtree(root, ignore_errors=True)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
