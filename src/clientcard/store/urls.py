"""Database URLs as clientcard shows them: the password masked, in every form.

One reading of a URL, the standard library's (`urllib.parse`, RFC 3986): the user information
ends at the last `@` of the authority, the password is what follows its first `:`, `%40` is an
`@`; IPv6 hosts are bracketed (`[::1]:5432`); a query parameter named like a password
(`?password=...`, any case) is a secret too. Never a regular expression over the string.

SQLAlchemy reads some URLs differently (its password ends at the *first* `@`, and may hold a raw
`/`, `?` or `#`), so a URL the two would read differently is refused before it is used
(`url_problem`, exit 2): what is masked is then exactly what is sent. A URL too malformed to read
shows as its scheme and `***`.

Messages that quote a driver's or SQLAlchemy's own text may still hold the password (in a DSN, a
host name); `scrub` removes every form of every password of the URLs this process was given
(`remember`, called by store/location.py) and of PGPASSWORD. cli/errors.py scrubs every error line
and every traceback with it.

Standard library only: the everyday SQLite path must not import SQLAlchemy.
"""

import os
import re
from urllib.parse import SplitResult, quote, quote_plus, unquote, unquote_plus, urlsplit

from clientcard.i18n import N_

MASK = "***"
EXAMPLE = "postgresql+psycopg://USER@HOST/DB"
SQLITE = "sqlite"
# A query parameter whose lower-cased name contains one of these holds a secret
# (libpq's `password` and `sslpassword`, and whatever a driver calls its own).
_SECRET_KEYS = ("pass", "pwd", "secret", "token")
_NOT_SECRET_KEYS = frozenset({"passfile"})  # libpq: the path of a .pgpass file

# A password this short is scrubbed from a message only where it stands alone, not inside a word:
# scrubbing "pw" everywhere would garble the message and hide nothing worth hiding.
SHORT = 4

_remembered: list[str] = []


def _split(url: str) -> SplitResult | None:
    """The URL's parts when it is readable one way only; None when it is too malformed."""
    scheme, sep, rest = url.partition("://")
    if not sep or not _good_scheme(scheme):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (reading it checks it: a number from 0 to 65535)
    except ValueError:  # an unbalanced [ ] around an IPv6 host, a port that is not a number
        return None
    if parts.scheme.lower() != scheme.lower() or "#" in url:
        return None
    at_signs = rest.count("@")
    if parts.netloc and (at_signs > 1 or at_signs != parts.netloc.count("@")):
        # A raw @, /, ? or # in the user name or password: SQLAlchemy would cut it elsewhere.
        return None
    return parts


def _good_scheme(scheme: str) -> bool:
    """`dialect` or `dialect+driver`, as SQLAlchemy spells them."""
    return scheme.isascii() and scheme.replace("+", "").replace("_", "").isalnum()


def _secret_key(raw_key: str) -> bool:
    key = unquote_plus(raw_key).lower()
    return key not in _NOT_SECRET_KEYS and any(word in key for word in _SECRET_KEYS)


def shorten(text: str, limit: int = 80) -> str:
    """At most `limit` characters of `text`: a message quotes no more of a bad value."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _too_malformed(url: str) -> str:
    scheme = url.partition("://")[0]
    return f"{scheme}://{MASK}" if _good_scheme(scheme) else MASK


def mask_url(url: str) -> str:
    """`url` fit to be shown: its password, and any password in its query, as ***."""
    parts = _split(url)
    if parts is None:
        return _too_malformed(url)
    netloc = parts.netloc
    userinfo, at, hostport = netloc.rpartition("@")
    if at and parts.password is not None:
        netloc = f"{userinfo.partition(':')[0]}:{MASK}@{hostport}"
    query = "&".join(
        f"{piece.partition('=')[0]}={MASK}" if _secret_key(piece.partition("=")[0]) else piece
        for piece in parts.query.split("&")
    )
    if (netloc, query) == (parts.netloc, parts.query):
        return url
    scheme = url.partition("://")[0]
    return f"{scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")


def url_problem(url: str) -> str | None:
    """Why `url` cannot be used as a database URL, or None when it can (as far as its form
    goes: whether its dialect and driver exist is SQLAlchemy's to say). In English: the
    caller translates it (`_()`) where it is shown."""
    scheme, _, rest = url.partition("://")
    if not scheme:
        return N_("it has no database kind before ://")
    if not _good_scheme(scheme):
        return N_("its database kind (before ://) may hold only letters, digits, _ and +")
    if "#" in url:
        return N_("a # in it must be written %23")
    try:
        parts = urlsplit(url)
    except ValueError:
        return N_("an IPv6 host goes in brackets, as in [::1]:5432")
    if _split(url) is None:
        if rest.count("@") > 1 or rest.count("@") != parts.netloc.count("@"):
            return N_(
                "an @ other than the one before the host, or a /, ? or # in the password, "
                "must be written %40, %2F, %3F or %23"
            )
        return N_("its port is not a number from 0 to 65535")
    if scheme.partition("+")[0].lower() != SQLITE and parts.path in ("", "/"):
        return N_("it names no database")
    return None


def _forms(secret: str) -> set[str]:
    """`secret` (as it stands in a URL) in every way a message may quote it."""
    plain = unquote(secret)
    forms = {secret, plain, unquote_plus(secret), quote(plain, safe=""), quote_plus(plain)}
    forms.add(plain.replace("\\", "\\\\").replace("'", "\\'"))  # in a libpq DSN
    forms.add(repr(plain)[1:-1])  # in a Python repr
    return forms


def secrets_of(url: str) -> set[str]:
    """Every form of every password `url` holds (empty ones left out): for `scrub`."""
    found: set[str] = set()
    _, sep, rest = url.partition("://")
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is not None and parts.password:
        found |= _forms(parts.netloc.rpartition("@")[0].partition(":")[2])
    # When the URL cannot be read one way only (refused before use, but quoted in a traceback
    # all the same): whatever lies from the first : to the last @.
    if sep and "@" in rest:
        userinfo = rest.rpartition("@")[0]
        if ":" in userinfo:
            found |= _forms(userinfo.partition(":")[2])
    query = parts.query if parts is not None else rest.partition("?")[2]
    for piece in query.replace("#", "&").split("&"):
        key, _, value = piece.partition("=")
        if _secret_key(key) and value:
            found |= _forms(value)
    return {form for form in found if form}


def remember(url: str) -> None:
    """Note a URL this process was given, so that `scrub` hides its passwords."""
    if url not in _remembered:
        _remembered.append(url)


def forget() -> None:
    """Forget the URLs remembered so far (a new command starts)."""
    _remembered.clear()


def scrub(text: str, *urls: str) -> str:
    """`text` with every form of every password of `urls`, of the remembered URLs and of
    PGPASSWORD replaced by ***; each of those URLs written whole is shown masked."""
    every = [*urls, *_remembered]
    for url in sorted(set(every), key=len, reverse=True):
        text = text.replace(url, mask_url(url))
    secrets: set[str] = set()
    for url in every:
        secrets |= secrets_of(url)
    pgpassword = os.environ.get("PGPASSWORD")
    if pgpassword:
        secrets |= _forms(quote(pgpassword, safe=""))
    for secret in sorted(secrets, key=len, reverse=True):  # the longest first
        if len(secret) >= SHORT:
            text = text.replace(secret, MASK)
        else:  # (a regular expression over the message, not over the URL)
            text = re.sub(rf"(?<!\w){re.escape(secret)}(?!\w)", MASK, text)
    return text
