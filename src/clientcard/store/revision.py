"""The schema revision this clientcard expects: the newest migration in
store/migrations/versions. tests/test_migrations.py checks that this equals Alembic's head, so a
new migration cannot be forgotten here. A module of its own so that opening a book at the current
schema never imports Alembic or SQLAlchemy."""

HEAD_REVISION = "0004"
