"""Alembic environment. The app and CLI pass their own connection (data_access.storage.database.upgrade);
the alembic CLI (`alembic -c migrations/alembic.ini upgrade head`) builds one from the
configured database URL."""

from alembic import context

from data_access.storage.database import database_url, make_engine
from data_access.storage.schema import Base

config = context.config
target_metadata = Base.metadata


def run_migrations(connection) -> None:
    # render_as_batch: SQLite cannot ALTER most things, so Alembic rebuilds tables in batches.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    with make_engine(database_url()).connect() as conn:
        run_migrations(conn)
        conn.commit()
