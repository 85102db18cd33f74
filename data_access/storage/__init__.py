"""The database: engine and migrations, the schema, the one writer, the audit trail and plan administration."""
