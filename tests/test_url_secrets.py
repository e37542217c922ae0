"""Secrets stay secret (issue 13): the password of a database URL, in whatever form it was
written, never reaches stdout or stderr: not in a message, not in a driver's text quoted in one,
not in a traceback (CLIENTCARD_TRACEBACK=1). A malformed URL is one line and exit 2.

The masking itself (store/urls.py) is tested on every form of URL; then every kind of connection
failure runs through the CLI with a unique password. The network is closed: every server is on
the loopback or the throwaway PostgreSQL's Unix socket (tests/postgres_server.py)."""

import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from typer.testing import Result

from clientcard.store.urls import mask_url, scrub, secrets_of, url_problem
from postgres_server import PostgresServer

TRACEBACK = {"CLIENTCARD_TRACEBACK": "1"}
EXAMPLE = "a URL looks like postgresql+psycopg://USER@HOST/DB"

# ---- the masking, form by form ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        # no password: shown as given
        ("postgresql+psycopg://me@dbhost/cards", "postgresql+psycopg://me@dbhost/cards"),
        ("postgresql+psycopg://dbhost/cards", "postgresql+psycopg://dbhost/cards"),
        (
            "postgresql+psycopg://me@/cards?host=/run/pg",
            "postgresql+psycopg://me@/cards?host=/run/pg",
        ),
        ("sqlite:////home/me/@work/cards.db", "sqlite:////home/me/@work/cards.db"),
        ("sqlite:///cards.db", "sqlite:///cards.db"),
        ("sqlite://", "sqlite://"),
        # a password, plain, percent-quoted, with : inside, empty
        ("postgresql+psycopg://me:S3cr3t@dbhost/cards", "postgresql+psycopg://me:***@dbhost/cards"),
        ("postgresql://me:p%40ss%3Aw%2Fd@dbhost:5432/c", "postgresql://me:***@dbhost:5432/c"),
        ("postgresql://me:a:b:c@dbhost/cards", "postgresql://me:***@dbhost/cards"),
        ("postgresql://me:@dbhost/cards", "postgresql://me:***@dbhost/cards"),
        ("postgresql://:S3cr3t@dbhost/cards", "postgresql://:***@dbhost/cards"),
        ("sqlite+pysqlcipher://:passphrase@/cards.db", "sqlite+pysqlcipher://:***@/cards.db"),
        # IPv6 hosts
        ("postgresql://me:S3cr3t@[::1]:5432/cards", "postgresql://me:***@[::1]:5432/cards"),
        ("postgresql://me:S3cr3t@[2001:db8::7]/cards", "postgresql://me:***@[2001:db8::7]/cards"),
        # passwords in the query string, any case; other parameters kept as typed
        (
            "postgresql://me@dbhost/cards?password=S3cr3t&sslmode=require",
            "postgresql://me@dbhost/cards?password=***&sslmode=require",
        ),
        ("postgresql://me@h/c?PassWord=S3cr3t", "postgresql://me@h/c?PassWord=***"),
        ("postgresql://me@h/c?sslpassword=S3cr3t", "postgresql://me@h/c?sslpassword=***"),
        (
            "postgresql://me@h/c?passfile=/home/me/.pgpass",
            "postgresql://me@h/c?passfile=/home/me/.pgpass",
        ),
        (
            "postgresql://me:S3cr3t@[::1]/c?host=a%20b&password=x%40y",
            "postgresql://me:***@[::1]/c?host=a%20b&password=***",
        ),
        # read differently by SQLAlchemy and by the URL library, or not at all: scheme and ***
        ("postgresql+psycopg://u:p@ss@host/db", "postgresql+psycopg://***"),
        ("postgresql+psycopg://u:pa/ss@host/db", "postgresql+psycopg://***"),
        ("postgresql+psycopg://u:12/34@host/db", "postgresql+psycopg://***"),
        ("postgresql+psycopg://u:pa?ss@host/db", "postgresql+psycopg://***"),
        ("postgresql+psycopg://u:pa#ss@host/db", "postgresql+psycopg://***"),
        ("postgresql://me@h/c?password=pa#ss", "postgresql://***"),
        ("postgresql://u:p@[::1", "postgresql://***"),
        ("postgresql://u:S3cr3t@host:notaport/db", "postgresql://***"),
        ("postgresql://u:S3cr3t@host:99999/db", "postgresql://***"),
        ("://u:S3cr3t@host/db", "***"),
        ("post gres://u:S3cr3t@host/db", "***"),
    ],
)
def test_mask_url_hides_the_password_in_every_form(url: str, shown: str) -> None:
    assert mask_url(url) == shown


def test_mask_url_hides_every_password_form_it_is_given() -> None:
    """Property-like: for passwords with every awkward character, quoted as a URL requires, the
    masked URL holds no form of the password, and the host stays readable."""
    for password in ["S3cr3t", "p@ss", "p:ss", "p/ss", "p?ss", "p#ss", "p%ss", "p ss", "密码123"]:
        for quoted in (quote(password, safe=""), quote(password, safe=":")):
            url = f"postgresql+psycopg://me:{quoted}@db.example.org:5432/cards"
            assert mask_url(url) == "postgresql+psycopg://me:***@db.example.org:5432/cards"
            assert password in secrets_of(url)
            for form in secrets_of(url):
                assert form not in mask_url(url)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("postgresql+psycopg://me@dbhost/cards", None),
        ("postgresql+psycopg://me:p%40ss@[::1]:5432/cards", None),
        ("postgresql+psycopg://me@/cards?host=/run/pg&password=x", None),
        ("sqlite://", None),
        ("sqlite:////tmp/@work/cards.db", None),
        ("postgresql://u:p@[::1", "an IPv6 host goes in brackets, as in [::1]:5432"),
        ("postgresql://:@", "it names no database"),
        ("postgresql://dbhost/", "it names no database"),
        ("://x", "it has no database kind before ://"),
        (
            "post-gres://h/db",
            "its database kind (before ://) may hold only letters, digits, _ and +",
        ),
        ("postgresql://u:p#ss@h/db", "a # in it must be written %23"),
        ("postgresql://u:S3cr3t@h:abc/db", "its port is not a number from 0 to 65535"),
        (
            "postgresql://u:p@ss@h/db",
            "an @ other than the one before the host, or a /, ? or # in the password, "
            "must be written %40, %2F, %3F or %23",
        ),
        (
            "postgresql://u:p/ss@h/db",
            "an @ other than the one before the host, or a /, ? or # in the password, "
            "must be written %40, %2F, %3F or %23",
        ),
    ],
)
def test_url_problem_names_what_is_wrong(url: str, problem: str | None) -> None:
    assert url_problem(url) == problem


def test_scrub_removes_every_form_of_the_password_and_leaves_short_ones_inside_words() -> None:
    url = "postgresql+psycopg://me:S3cr3t%40x@dbhost/cards?password=Other%3Aone"
    text = (
        f"could not connect to {url}: password 'S3cr3t@x' (S3cr3t%40x, S3cr3t%40x) "
        "and Other:one / Other%3Aone were refused"
    )
    scrubbed = scrub(text, url)
    for form in ("S3cr3t", "Other"):
        assert form not in scrubbed
    assert "postgresql+psycopg://me:***@dbhost/cards?password=***" in scrubbed
    # A two-letter password is hidden where it stands alone, not inside "postgresql".
    assert scrub("user pw failed for postgresql, pw", "postgresql://u:pw@h/db") == (
        "user *** failed for postgresql, ***"
    )


def test_masking_a_path_or_an_sqlite_url_does_not_import_sqlalchemy() -> None:
    program = (
        "import sys\n"
        "from clientcard.store import urls\n"
        "from clientcard.store.location import locate\n"
        "locate('sqlite:////tmp/cards.db')\n"
        "urls.mask_url('sqlite:////tmp/cards.db'); urls.url_problem('/tmp/cards.db')\n"
        "urls.scrub('text', 'postgresql://u:p@h/db')\n"
        "print(sorted(m for m in ('sqlalchemy', 'sqlmodel', 'alembic') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout == "[]\n"


# ---- every kind of failure, through the CLI --------------------------------------------------


def unique_password() -> str:
    return f"S3cr3t-{uuid.uuid4().hex[:12]}"


def leaks(result: Result | subprocess.CompletedProcess[str], secret: str) -> list[str]:
    """The forms of `secret` (as typed: raw, percent-decoded, percent-encoded) found in the
    output."""
    from urllib.parse import unquote

    plain = unquote(secret)
    forms = {secret, plain, quote(plain, safe=""), quote_plus(plain), plain.split("@")[0]}
    out = result.stdout + result.stderr
    return sorted(form for form in forms if form and form in out)


def free_port() -> int:
    """A loopback port nothing listens on (bound, then closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


# How a password is written into a URL: (userinfo part, query part).
PASSWORD_FORMS: dict[str, Callable[[str], tuple[str, str]]] = {
    "plain": lambda pw: (f"me:{pw}@", ""),
    "quoted-@": lambda pw: (f"me:{pw}%40x@", ""),
    "quoted-:/": lambda pw: (f"me:{pw}%3Ax%2F@", ""),
    "raw-:": lambda pw: (f"me:{pw}:x@", ""),
    "query": lambda pw: ("me@", f"password={pw}"),
    "query-any-case": lambda pw: ("me@", f"PASSWORD={pw}%40x"),
}


def _url(base: str, userinfo: str, query: str, *, extra: str = "") -> str:
    params = "&".join(p for p in (query, extra) if p)
    return base.format(userinfo=userinfo) + (f"?{params}" if params else "")


# Connection failures that need no server: (URL template, exit code, start of the message).
NO_SERVER = {
    "refused-port": ("postgresql+psycopg://{userinfo}127.0.0.1:%d/cards", 74, "cannot open"),
    "missing-socket": ("postgresql+psycopg://{userinfo}/cards", 74, "cannot open"),
    "unknown-driver": ("postgresql+nosuchdriver://{userinfo}127.0.0.1:%d/cards", 74, "cannot use"),
    "unknown-dialect": ("nosuchdialect://{userinfo}127.0.0.1:%d/cards", 74, "cannot use"),
    "driver-not-installed": ("postgresql+pg8000://{userinfo}127.0.0.1:%d/cards", 74, "cannot use"),
    "bad-option": ("postgresql+psycopg://{userinfo}127.0.0.1:%d/cards", 74, "cannot open"),
}


@pytest.mark.parametrize("traceback", [False, True], ids=["plain", "traceback"])
@pytest.mark.parametrize("form", sorted(PASSWORD_FORMS))
@pytest.mark.parametrize("kind", sorted(NO_SERVER))
def test_no_connection_failure_shows_the_password(
    cli, kind: str, form: str, traceback: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PGPASSWORD", raising=False)
    password = unique_password()
    template, code, start = NO_SERVER[kind]
    if "%d" in template:
        template = template % free_port()
    userinfo, query = PASSWORD_FORMS[form](password)
    extra = {
        "missing-socket": f"host={tmp_path / 'no-such-socket-dir'}",
        "bad-option": "sslmode=sometimes",
    }.get(kind, "")
    url = _url(template, userinfo, query, extra=extra)
    result = cli("--db", url, "list", env=TRACEBACK if traceback else None)
    assert result.exit_code == code, result.stderr
    assert leaks(result, password) == []
    assert result.stdout == ""
    assert f"clientcard: {start}" in result.stderr
    assert "***" in result.stderr  # the URL is shown, masked
    if traceback:  # and the traceback, scrubbed, down to the driver's exception
        assert "Traceback (most recent call last)" in result.stderr
        assert result.stderr.count("***") >= 2


@pytest.mark.parametrize("traceback", [False, True], ids=["plain", "traceback"])
def test_a_missing_driver_does_not_show_the_password(
    cli, traceback: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """psycopg not installed (simulated: importing it fails), with the password in the URL."""
    monkeypatch.setitem(sys.modules, "psycopg", None)
    password = unique_password()
    url = f"postgresql+psycopg://me:{password}%40x@127.0.0.1:{free_port()}/cards"
    result = cli("--db", url, "list", env=TRACEBACK if traceback else None)
    assert result.exit_code == 74
    assert leaks(result, f"{password}%40x") == []
    assert "its driver is not installed" in result.stderr
    assert "cannot use database URL 'postgresql+psycopg://me:***@127.0.0.1:" in result.stderr


@pytest.mark.skipif(not ipv6_loopback(), reason="no IPv6 loopback here")
@pytest.mark.parametrize("traceback", [False, True], ids=["plain", "traceback"])
def test_an_ipv6_host_refusing_does_not_show_the_password(cli, traceback: bool) -> None:
    password = unique_password()
    port = free_port()
    url = f"postgresql+psycopg://me:{password}@[::1]:{port}/cards?connect_timeout=5"
    result = cli("--db", url, "list", env=TRACEBACK if traceback else None)
    assert result.exit_code == 74
    assert leaks(result, password) == []
    assert f"cannot open the database postgresql+psycopg://me:***@[::1]:{port}/cards" in (
        result.stderr
    )


MALFORMED = [
    "postgresql://me:{pw}@[::1",
    "postgresql://:@",
    "://x",
    "://me:{pw}@dbhost/cards",
    "postgresql+psycopg://me:{pw}@@dbhost/cards",
    "postgresql+psycopg://me:{pw}@ss@dbhost/cards",
    "postgresql+psycopg://me:{pw}/x@dbhost/cards",
    "postgresql+psycopg://me:{pw}#x@dbhost/cards",
    "postgresql+psycopg://me:{pw}@dbhost:port/cards",
    "postgresql+psycopg://me:{pw}@dbhost:70000/cards",
    "postgresql+psycopg://me@dbhost/cards?password={pw}#x",
    "post-gres://me:{pw}@dbhost/cards",
]


@pytest.mark.parametrize("traceback", [False, True], ids=["plain", "traceback"])
@pytest.mark.parametrize("template", MALFORMED)
def test_a_malformed_url_is_one_line_exit_2_without_the_password(
    cli, template: str, traceback: bool, snapshot
) -> None:
    password = unique_password()
    result = cli(
        "--db", template.format(pw=password), "add", "张伟", env=TRACEBACK if traceback else None
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert leaks(result, password) == []
    assert result.stderr.startswith("clientcard: malformed database URL ")
    assert result.stderr.count("\n") == 1
    assert f"; {EXAMPLE} (keep the password out of it: PGPASSWORD or ~/.pgpass)" in result.stderr


def test_a_malformed_url_in_clientcard_db_is_refused_the_same_way(cli) -> None:
    password = unique_password()
    result = cli("list", env={"CLIENTCARD_DB": f"postgresql://me:{password}@[::1"})
    assert result.exit_code == 2
    assert result.stderr == (
        "clientcard: malformed database URL 'postgresql://***': an IPv6 host goes in brackets, "
        f"as in [::1]:5432; {EXAMPLE} (keep the password out of it: PGPASSWORD or ~/.pgpass)\n"
    )


def test_a_malformed_url_is_quoted_at_most_80_characters(cli) -> None:
    result = cli("--db", "a" * 120_000 + "://x", "list")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"clientcard: malformed database URL '{'a' * 79}…': ")
    assert len(result.stderr) < 400


def test_a_bug_that_quotes_the_url_shows_no_password_in_its_traceback(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An internal error (exit 70) whose text holds the URL and the decoded password: scrubbed
    from the traceback that CLIENTCARD_TRACEBACK=1 prints, and from the one line without it."""
    password = unique_password()
    url = f"postgresql+psycopg://me:{password}%3Ax@127.0.0.1:{free_port()}/cards"

    def broken(db: str | None) -> None:
        raise RuntimeError(f"boom on {db} with {password}:x (dsn password='{password}:x')")

    monkeypatch.setattr("clientcard.store.pg.connect", broken)  # store/open.py's first step
    result = cli("--db", url, "list", env=TRACEBACK)
    assert result.exit_code == 70
    assert leaks(result, f"{password}%3Ax") == []
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: boom on postgresql+psycopg://me:***@127.0.0.1:" in result.stderr
    result = cli("--db", url, "list")
    assert (result.exit_code, leaks(result, password)) == (70, [])


def test_in_a_real_process_the_traceback_shows_the_masked_url_only(tmp_path: Path) -> None:
    password = unique_password()
    port = free_port()
    url = f"postgresql+psycopg://me:{password}%40x@127.0.0.1:{port}/cards?password={password}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(CLIENTCARD_DB=url, CLIENTCARD_TRACEBACK="1", PYTHONIOENCODING="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "clientcard", "list"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 74
    assert leaks(done, f"{password}%40x") == []
    assert "Traceback (most recent call last)" in done.stderr
    assert (
        f"clientcard: cannot open the database postgresql+psycopg://me:***@127.0.0.1:{port}/cards"
        "?password=***: " in done.stderr
    )


# ---- against the throwaway server, with a role that needs a password ---------------------------

ROLE = "card_keeper"


@pytest.fixture(scope="module")
def keeper(postgres_server: PostgresServer) -> Iterator[tuple[str, str]]:
    """A role that must give a password (scram-sha-256; every other role keeps the server's
    trust), and a database it owns: (the URL without a password, the password)."""
    password = unique_password()
    postgres_server._admin(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{password}'")
    postgres_server._admin(f"CREATE DATABASE {ROLE}_book OWNER {ROLE}")
    hba = postgres_server.data / "pg_hba.conf"
    before = hba.read_text()
    hba.write_text(f"local all {ROLE} scram-sha-256\n{before}")
    postgres_server._run("pg_ctl", "reload", "-w", "-D", str(postgres_server.data))
    try:
        yield f"postgresql+psycopg://{ROLE}@/{ROLE}_book?host={postgres_server.socket}", password
    finally:
        hba.write_text(before)
        postgres_server._run("pg_ctl", "reload", "-w", "-D", str(postgres_server.data))
        postgres_server._admin(f"DROP DATABASE IF EXISTS {ROLE}_book WITH (FORCE)")
        postgres_server._admin(f"DROP ROLE IF EXISTS {ROLE}")


@pytest.fixture
def no_pg_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No PGPASSWORD or PGPASSFILE from outside, and a HOME of the test's own."""
    for name in ("PGPASSWORD", "PGPASSFILE", "PGUSER", "PGHOST", "PGDATABASE"):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.mark.parametrize("traceback", [False, True], ids=["plain", "traceback"])
@pytest.mark.parametrize("form", ["plain", "quoted-@", "raw-:", "query"])
def test_a_wrong_password_against_the_server_is_not_shown(
    cli, keeper: tuple[str, str], no_pg_env: Path, form: str, traceback: bool
) -> None:
    url, _ = keeper
    wrong = unique_password()
    userinfo, query = PASSWORD_FORMS[form](wrong)
    bad = url.replace(f"{ROLE}@", f"{ROLE}{userinfo[2:]}").replace(
        "?", f"?{query}&" if query else "?"
    )
    result = cli("--db", bad, "list", env=TRACEBACK if traceback else None)
    assert result.exit_code == 74, result.stderr
    assert leaks(result, wrong) == []
    assert f'password authentication failed for user "{ROLE}"' in result.stderr
    assert "PGPASSWORD or ~/.pgpass can give the password (see the README)" in result.stderr


def test_a_database_that_does_not_exist_with_a_password_in_the_url(
    cli, keeper: tuple[str, str], no_pg_env: Path
) -> None:
    url, password = keeper
    password_url = url.replace(f"{ROLE}@", f"{ROLE}:{password}@")
    for env in (None, TRACEBACK):
        result = cli("--db", password_url.replace("_book?", "_nosuchbook?"), "list", env=env)
        assert result.exit_code == 74
        assert leaks(result, password) == []
        assert f'database "{ROLE}_nosuchbook" does not exist' in result.stderr


def test_a_url_without_a_password_works_with_pgpassword_or_pgpass(
    cli, ok, keeper: tuple[str, str], no_pg_env: Path
) -> None:
    """The README's advice: keep the password out of the URL (and shell history); psycopg's
    libpq reads PGPASSWORD, or ~/.pgpass."""
    url, password = keeper
    result = cli("--db", url, "list")
    assert result.exit_code == 74
    assert "no password supplied" in result.stderr
    assert "PGPASSWORD or ~/.pgpass can give the password" in result.stderr

    added = ok("--db", url, "add", "张伟", env={"PGPASSWORD": password}).stdout
    assert added.startswith("Added #1 张伟")

    wrong = unique_password()
    result = cli("--db", url, "list", env={"PGPASSWORD": wrong})
    assert (result.exit_code, leaks(result, wrong)) == (74, [])

    pgpass = no_pg_env / ".pgpass"
    pgpass.write_text(f"*:*:*:{ROLE}:{password}\n")
    pgpass.chmod(0o600)
    assert "张伟" in ok("--db", url, "list").stdout
