"""pactwatch warehouse: the DuckDB schema, migrations and every read and write."""
