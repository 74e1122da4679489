-- Feed GUIDs of entries whose page is stored (settled), so an article is not fetched again when
-- its feed moves it to a new URL. A table of its own, not a column on pages: a page row is one
-- version of one URL, while a GUID names the feed item across URLs and versions; GUIDs are only
-- unique within one feed, hence the key per source.
CREATE TABLE feed_entries (
    source_name     TEXT NOT NULL,
    guid            TEXT NOT NULL,
    url             TEXT NOT NULL,             -- the (normalised) URL fetched for it first
    first_seen_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source_name, guid)
);
