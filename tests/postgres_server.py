"""A throwaway PostgreSQL server for the tests (the `postgres_server` fixture in conftest.py).

initdb into a new temporary folder, then `pg_ctl start` listening on a Unix socket in that folder
only (no TCP), with fsync off; `stop()` shuts it down and removes the folder. The binaries are
found on PATH, else in /usr/lib/postgresql/*/bin (Debian's layout, newest first). initdb and
postgres refuse to run as root, so as root they run as the `postgres` system user.

Without the binaries or the psycopg driver the tests that need the server are skipped, unless
CLIENTCARD_REQUIRE_POSTGRES=1 (set by .ci/run), which makes that a failure.
"""

import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import NoReturn

import pytest

REQUIRE_POSTGRES = "CLIENTCARD_REQUIRE_POSTGRES"
TOOLS = ("initdb", "pg_ctl", "postgres")
DEBIAN_BINS = "/usr/lib/postgresql"


def find_bin(path: str | None = None, debian: str = DEBIAN_BINS) -> Path | None:
    """The folder holding initdb, pg_ctl and postgres: on PATH first, then Debian's folders."""
    found = shutil.which("pg_ctl", path=path)
    if found is not None:
        folder = Path(found).parent
        if all(shutil.which(tool, path=str(folder)) for tool in TOOLS):
            return folder
    for folder in sorted(Path(debian).glob("*/bin"), key=_version, reverse=True):
        if all((folder / tool).is_file() for tool in TOOLS):
            return folder
    return None


def _version(folder: Path) -> tuple[int, str]:
    name = folder.parent.name
    return (int(name), name) if name.isdigit() else (-1, name)


def unavailable(why: str) -> NoReturn:
    """Skip, or fail when CLIENTCARD_REQUIRE_POSTGRES=1: CI must not pass by skipping."""
    if os.environ.get(REQUIRE_POSTGRES) == "1":
        pytest.fail(f"{REQUIRE_POSTGRES}=1, but PostgreSQL cannot run here: {why}", pytrace=False)
    pytest.skip(f"no PostgreSQL server to test on: {why}")


class PostgresServer:
    def __init__(self, bin_dir: Path, user: str | None) -> None:
        self.bin_dir, self.user = bin_dir, user
        self.root = Path(tempfile.mkdtemp(prefix="clientcard-pg-"))
        self.data, self.socket = self.root / "data", self.root / "socket"
        self.numbers = itertools.count(1)
        self.started = False

    @classmethod
    def prepare(cls) -> "PostgresServer":
        """A server ready to start, or skip/fail (see `unavailable`) when there can be none."""
        bin_dir = find_bin()
        if bin_dir is None:
            unavailable(f"no {', '.join(TOOLS)} on PATH or in {DEBIAN_BINS}/*/bin")
        try:
            import psycopg  # noqa: F401
        except ImportError:
            unavailable("the psycopg driver is not installed: pip install '.[postgres]'")
        user = None
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            import pwd

            try:
                pwd.getpwnam("postgres")
            except KeyError:
                unavailable("running as root, and there is no `postgres` user to run the server")
            user = "postgres"
        return cls(bin_dir, user)

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run(
            [str(self.bin_dir / tool), *args],
            user=self.user,
            cwd=self.root,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            log = self.root / "server.log"
            more = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(
                f"{tool} failed ({done.returncode}):\n{done.stdout}{done.stderr}{more}"
            )

    def start(self) -> None:
        self.socket.mkdir()
        if self.user is not None:
            for folder in (self.root, self.socket):
                shutil.chown(folder, self.user)
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--no-locale", "--no-sync",
        )  # fmt: skip
        self.started = True
        options = f"-k {self.socket} -c listen_addresses='' -c fsync=off"
        self._run(
            "pg_ctl", "start", "-w", "-D", str(self.data),
            "-l", str(self.root / "server.log"), "-o", options,
        )  # fmt: skip

    def stop(self) -> None:
        try:
            if self.started and (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data))
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.socket}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            host=str(self.socket), user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(sql)

    def create_database(self) -> str:
        """A new, empty database (not a table in it): its URL."""
        name = f"book_{next(self.numbers)}"
        self._admin(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.split("/")[3].split("?")[0]
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
