"""Settings: every environment variable the board reads, listed once (environment.py).

Standard library only, so the importer's reader process and the command line stay quick to start."""
