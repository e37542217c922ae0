"""Services: one function per user action. Each takes an open session (one transaction per
command, opened by the caller), applies every rule, and raises domain errors. They return plain
views (services/views.py), never live ORM objects, so rendering needs no database."""
