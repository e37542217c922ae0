"""clientcard: a command-line client-card manager for salespeople."""

__version__ = "0.1.0"
