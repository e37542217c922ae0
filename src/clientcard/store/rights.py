"""A right the database refused, as the one line a salesperson can act on (exit 77).

On a team's PostgreSQL book each person logs in with a role of their own, which needs the
grants of docs/team-grants.sql (docs/team.md). A role without them meets PostgreSQL's
insufficient_privilege (SQLSTATE 42501) at its first read or write; that is not a bug in
clientcard, nor a database that cannot be opened: it is a right the book's owner must grant,
and the message says which right and for which role.

Standard library only: store/open.py maps the error for every command.
"""

import getpass
import os
from urllib.parse import parse_qs, unquote, urlsplit

from clientcard.domain.errors import NoPermission
from clientcard.i18n import _

GRANTS_SCRIPT = "docs/team-grants.sql"


def role_of(url: str) -> str:
    """The role a URL logs in as, as libpq chooses it: the URL's user name, its `user=`
    parameter, PGUSER, else the operating system's login name."""
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is not None:
        if parts.username:
            return unquote(parts.username)
        given = parse_qs(parts.query).get("user")
        if given and given[0]:
            return given[0]
    if os.environ.get("PGUSER"):
        return os.environ["PGUSER"]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "?"


def _primary(error: BaseException) -> str:
    """The server's own first line: `permission denied for table client`."""
    diag = getattr(error, "diag", None)
    primary = getattr(diag, "message_primary", None)
    if isinstance(primary, str) and primary:
        return primary
    return (str(error).strip().splitlines() or ["permission denied"])[0]


def denied(exc: BaseException, url: str) -> NoPermission:
    """The one-line error for a right `url`'s role lacks (`store.db.is_denied(exc)` is true)."""
    error = getattr(exc, "orig", None) or exc
    primary = _primary(error)
    role = role_of(url)
    if "for schema" in primary:
        return NoPermission(
            _(
                "{error}: the role {role} may not create the book's tables; the book's owner "
                "role creates them first, with `clientcard db upgrade` (docs/team.md)"
            ).format(error=primary, role=role)
        )
    if primary.startswith("must be owner"):
        return NoPermission(
            _(
                "{error}: only the book's owner role changes its schema; run `clientcard db "
                "upgrade` as that role, not as {role} (docs/team.md)"
            ).format(error=primary, role=role)
        )
    return NoPermission(
        _("{error}: ask the book's owner to run {script} for role {role} (docs/team.md)").format(
            error=primary, script=GRANTS_SCRIPT, role=role
        )
    )
