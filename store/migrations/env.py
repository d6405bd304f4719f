"""Alembic's environment: the store's migrations, run on the engine that store.database hands over, in one
transaction that first takes the writer's lock, so that processes starting together migrate once."""

from alembic import context
from sqlalchemy import text

from store.schema import metadata

MIGRATION_LOCK = 20_2620  # pg_advisory_xact_lock key: one migrating process at a time on PostgreSQL


def run_migrations() -> None:
    engine = context.config.attributes.get("engine")
    if engine is None:  # the `alembic` command itself, e.g. `alembic revision --autogenerate`
        from store.database import open_engine

        engine = open_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        connection.execution_options(releasebot_write=True)
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                              compare_type=True)
            context.run_migrations()


run_migrations()
