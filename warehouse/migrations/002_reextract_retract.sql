-- Re-extraction and retraction. Agreements are never deleted once a digest carried them: an
-- agreement no article supports any more is kept with status 'retracted' and retracted_at.

ALTER TABLE agreements ADD COLUMN signatories TEXT[] DEFAULT [];
ALTER TABLE agreements ADD COLUMN status TEXT DEFAULT 'active';   -- active | retracted
ALTER TABLE agreements ADD COLUMN retracted_at TIMESTAMPTZ;
ALTER TABLE agreements ADD COLUMN updated_at TIMESTAMPTZ;
ALTER TABLE agreements ADD COLUMN extractor_version TEXT;         -- of the report its fields came from

-- The agreement exactly as this article reported it, before the merge (warehouse/records.py).
ALTER TABLE agreement_sources ADD COLUMN reported JSON;

-- Agreements the article mentions only as background: kept for export, never merged or digested.
ALTER TABLE articles ADD COLUMN background JSON DEFAULT '[]';

