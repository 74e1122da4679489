-- pactwatch warehouse, first schema. Dates are DATE (*_on), times are UTC TIMESTAMPTZ (*_at).

CREATE TABLE sources (
    source_name     TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    url             TEXT NOT NULL,
    site_name       TEXT,
    updated_at      TIMESTAMPTZ NOT NULL
);

-- Per-source cursor and the outcome of its last run.
CREATE TABLE source_state (
    source_name     TEXT PRIMARY KEY,
    cursor          TEXT,
    last_run_at     TIMESTAMPTZ,
    last_success_at TIMESTAMPTZ,
    last_status     TEXT,
    last_error      TEXT,
    last_counts     JSON
);

-- Conditional GET validators per URL.
CREATE TABLE http_cache (
    url             TEXT PRIMARY KEY,
    etag            TEXT,
    last_modified   TEXT,
    updated_at      TIMESTAMPTZ NOT NULL
);

-- Every fetched page version, raw bytes kept (gzip) so articles can be re-extracted offline.
CREATE TABLE pages (
    page_id         TEXT PRIMARY KEY,          -- hash of URL and content hash
    url             TEXT NOT NULL,
    canonical_url   TEXT,
    source_name     TEXT NOT NULL,
    fetched_at      TIMESTAMPTZ NOT NULL,
    http_status     INTEGER,
    status          TEXT NOT NULL,             -- fetched | skipped | failed
    reason          TEXT,                      -- why skipped or failed
    headers         JSON,
    content_hash    TEXT,
    body_gz         BLOB
);
CREATE INDEX pages_url ON pages (url);

CREATE TABLE articles (
    article_id        TEXT PRIMARY KEY,        -- hash of canonical URL and text
    page_id           TEXT NOT NULL,
    url               TEXT NOT NULL,
    canonical_url     TEXT NOT NULL,
    source_name       TEXT NOT NULL,
    title             TEXT NOT NULL,
    published_on      DATE,
    lang              TEXT,
    text              TEXT NOT NULL,
    text_hash         TEXT NOT NULL,
    is_signing        BOOLEAN NOT NULL,
    extractor_version TEXT NOT NULL,
    extracted_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX articles_text_hash ON articles (text_hash);

-- One row per signing, however many articles report it.
CREATE TABLE agreements (
    agreement_id       TEXT PRIMARY KEY,
    parties            TEXT[] NOT NULL,        -- canonical, sorted
    parties_as_written TEXT[] NOT NULL,
    agreement_type     TEXT NOT NULL,
    title              TEXT,
    signed_on          DATE,
    reported_on        DATE,
    location           TEXT,
    fields             TEXT[] NOT NULL,
    amounts            JSON NOT NULL,
    evidence           TEXT NOT NULL,
    confidence         DOUBLE NOT NULL,
    first_seen_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE agreement_sources (
    agreement_id    TEXT NOT NULL,
    article_id      TEXT NOT NULL,
    evidence        TEXT NOT NULL,
    confidence      DOUBLE NOT NULL,
    added_at        TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (agreement_id, article_id)
);

CREATE TABLE runs (
    run_id          TEXT PRIMARY KEY,
    flow            TEXT NOT NULL,
    started_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ,
    status          TEXT NOT NULL,
    counts          JSON
);

-- The outbox: a digest is stored, with its message, before any send.
CREATE TABLE digests (
    digest_id       TEXT PRIMARY KEY,
    profile         TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    period_start    TIMESTAMPTZ,
    subject         TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    recipients      TEXT[] NOT NULL,
    message         BLOB NOT NULL,             -- the complete RFC 5322 message
    state           TEXT NOT NULL,             -- queued | sent | partial | written
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    sent_at         TIMESTAMPTZ,
    html_path       TEXT,
    pdf_path        TEXT,
    eml_path        TEXT
);

-- An agreement enters at most one digest per profile: the guarantee against sending it twice.
CREATE TABLE digest_items (
    profile         TEXT NOT NULL,
    agreement_id    TEXT NOT NULL,
    digest_id       TEXT NOT NULL,
    PRIMARY KEY (profile, agreement_id)
);

CREATE TABLE digest_deliveries (
    digest_id       TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    state           TEXT NOT NULL,             -- sent | refused
    error           TEXT,
    attempted_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (digest_id, recipient)
);
