"""peel: a command-line ledger of HMICFRS monitoring of the police forces of England and Wales."""

__version__ = "0.1.0"
