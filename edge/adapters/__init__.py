"""SQLite adapters of the edge: migrations, repositories, the unit of work, read queries."""
