"""Services: one function per user action. Each takes the command's open `Db` (store/db.py; one
transaction per command, opened and committed by the caller), reads and writes plain records
with SQL, applies every rule, and raises domain errors. They return plain views
(services/views/), never records, so rendering needs no database."""
