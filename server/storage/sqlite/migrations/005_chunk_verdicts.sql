-- Chunks whose events the server did not read at ingest (an envelope: the client summarised
-- them) are checked afterwards by a worker: NULL until then, then 'ok', 'corrupt' (not a
-- batch of events within the inflate limit) or 'lying' (its counts disagree with its events).
-- Chunks stored before were read at ingest.
ALTER TABLE chunks ADD COLUMN verdict TEXT DEFAULT 'ok';
CREATE INDEX chunks_unchecked ON chunks (received_at) WHERE verdict IS NULL;
