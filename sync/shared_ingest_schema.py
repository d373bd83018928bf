"""The tables several ingest workers share, in DDL that SQLite and PostgreSQL both take as written.

BIGINT for seqs and counters, DOUBLE PRECISION for wall-clock seconds (PostgreSQL's REAL has only ~7 digits).
"""

SHARED_INGEST_TABLES = """
CREATE TABLE sync_parked_batches (
    stream TEXT NOT NULL, epoch INTEGER NOT NULL, first_seq BIGINT NOT NULL, last_seq BIGINT NOT NULL,
    payload TEXT NOT NULL, parked_at DOUBLE PRECISION NOT NULL, parked_by TEXT NOT NULL,
    PRIMARY KEY (stream, epoch, first_seq));
CREATE TABLE sync_leases (
    name TEXT PRIMARY KEY, holder TEXT NOT NULL, term BIGINT NOT NULL, expires_at DOUBLE PRECISION NOT NULL,
    renewed_at TEXT NOT NULL);
CREATE TABLE sync_ingest_workers (
    worker TEXT PRIMARY KEY, beat_at DOUBLE PRECISION NOT NULL, connected INTEGER NOT NULL, leader INTEGER NOT NULL,
    applied BIGINT NOT NULL, parked BIGINT NOT NULL, started_at TEXT NOT NULL,
    caught_up_at DOUBLE PRECISION NOT NULL);
"""
