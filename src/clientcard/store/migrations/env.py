"""Alembic environment. clientcard runs migrations itself (store/migrate.py) and passes its own
connection in `config.attributes["connection"]`; developers can also run `alembic` from the
repository root (alembic.ini), which opens the database that clientcard would open."""

from alembic import context
from sqlmodel import SQLModel

import clientcard.store.models  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
target_metadata = SQLModel.metadata


def run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things: batch mode copies the table
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    from clientcard.store.alchemy import make_engine, resolve_url

    engine = make_engine(resolve_url(config.get_main_option("sqlalchemy.url")))
    with engine.connect() as conn:
        run(conn)
