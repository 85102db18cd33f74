"""The importer's committing half: a parsed file -> a preview against the stored plans -> one transaction."""
