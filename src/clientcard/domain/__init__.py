"""Pure domain rules: no I/O, no database, no terminal. Easy to test on their own."""
