"""Domain errors.

Every mistake a user can make is one of these. Services raise them; the CLI maps each class to one
line on stderr and one exit code (see `clientcard.cli.errors` and docs/exit-codes.md). The message
is written for the user: what was wrong and what is accepted.
"""


class ClientcardError(Exception):
    """Base of every error the user can cause. The message is one line."""


class NotFound(ClientcardError):
    """The named card or record does not exist."""


class Ambiguous(ClientcardError):
    """A name matched more than one card; the message lists the candidates."""


class InvalidValue(ClientcardError):
    """A value the user typed is not acceptable (bad grade, empty name, bad date...)."""


class Refused(ClientcardError):
    """The request is well formed but the card's state forbids it (same grade, closed promise,
    delete without --yes...)."""


class DatabaseBusy(ClientcardError):
    """Another process held the database lock for longer than the busy timeout."""


class DatabaseError(ClientcardError):
    """The database cannot be opened or is of an unknown (newer) schema."""


class NoPermission(ClientcardError):
    """The database refused the role a right it needs (PostgreSQL's insufficient_privilege):
    the book's owner must grant it (docs/team.md)."""
