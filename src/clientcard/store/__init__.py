"""The store: the data access layer (`db`) and its two backends, the command's transaction
(`open`), the records, the schema revision and migrations, where the book is, and the settings
file, and the filter builder (`where`). Services import `db`, `records`, `where` and
`config_file`; the CLI imports `open`, `config_file`
and, for type hints, `db`; the other modules are the store's own (and the tests'). Inside the
store imports point one way, down (docs/design.md, "The store")."""
