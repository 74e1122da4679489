"""pactwatch ingestion: sources, fetching, parsing, extraction and the Prefect wiring."""
