"""The store: SQLModel tables, the engine, migrations and queries. Only services import it."""
