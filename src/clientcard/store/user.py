"""Who is running this command: the name stored as a record's author and a new card's owner,
and shown by `db status`.

In this order (issue 17):
1. `CLIENTCARD_USER`, when set to something other than blanks: a name the team chose, the same
   on every machine a person uses;
2. on PostgreSQL, the database role the command logged in as (`current_user`): each salesperson
   has a role of their own (docs/team.md);
3. the login name of the operating system's user (`getpass.getuser()`: LOGNAME, USER, LNAME,
   USERNAME, then the password database).
None of them: "unknown" (a container without a user name).
"""

import getpass
import os

from clientcard.store.db import Db

USER_VARIABLE = "CLIENTCARD_USER"
UNKNOWN = "unknown"


def current_user(db: Db) -> str:
    """The current user's name (stripped): `CLIENTCARD_USER`, else the database role on
    PostgreSQL, else the login name."""
    return user_and_source(db)[0]


def user_and_source(db: Db | None) -> tuple[str, str]:
    """The current user's name and where it came from, in words (`db status`). Without a
    database (no book yet), the role is not asked."""
    given = os.environ.get(USER_VARIABLE, "").strip()
    if given:
        return given, f"from {USER_VARIABLE}"
    if db is not None and db.dialect == "postgresql":
        role = db.scalar("SELECT current_user")
        if role:
            return str(role), "the database role (CLIENTCARD_USER is not set)"
    return login_name(), "the login name (CLIENTCARD_USER is not set)"


def login_name() -> str:
    """The operating system's name for the user running clientcard, "unknown" if it has none."""
    try:
        name = getpass.getuser().strip()
    except (KeyError, OSError):  # no variable set and no entry in the password database
        return UNKNOWN
    return name or UNKNOWN
