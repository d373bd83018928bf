"""SQLite adapters of the centre: migrations, repositories, unit of work, read queries, sync hooks."""
