"""A throw-away PostgreSQL server for the test run: initdb in a temporary directory, a free
loopback port, run as the unprivileged `postgres` user when the tests run as root."""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

INSTALL_HINT = (
    "PostgreSQL server binaries are missing: install them with `apt-get install postgresql`"
)


def pg_bin() -> str:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not candidates:
        raise RuntimeError(INSTALL_HINT)
    return os.path.dirname(candidates[-1])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def temp_postgres(user: str = "app") -> Iterator[str]:
    """Yields a `postgresql+psycopg://` URL of a fresh server; stops and deletes it after."""
    binaries = pg_bin()
    base = tempfile.mkdtemp(prefix="spin-pg-")
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        owner = pwd.getpwnam("postgres")
        os.chown(base, owner.pw_uid, owner.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    data = os.path.join(base, "data")
    port = _free_port()

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, text=True)

    try:
        run(
            f"{binaries}/initdb",
            "-D",
            data,
            "-U",
            user,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -k {base} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        run(
            f"{binaries}/pg_ctl",
            "-D",
            data,
            "-l",
            os.path.join(base, "log"),
            "-o",
            options,
            "-w",
            "-t",
            "30",
            "start",
        )
        yield f"postgresql+psycopg://{user}@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, f"{binaries}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(base, ignore_errors=True)
