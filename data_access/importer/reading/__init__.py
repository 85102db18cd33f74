"""The importer's reading half: a tracker's bytes -> ParsedFile. No database: the sandbox's child
process imports only this half."""
