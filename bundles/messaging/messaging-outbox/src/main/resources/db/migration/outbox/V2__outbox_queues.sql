-- Commands for point-to-point queues go through the outbox too (Outbox.send): 'topic' rows are
-- published to every subscription, 'queue' rows are sent to the one queue of that name.
ALTER TABLE messaging_outbox ADD COLUMN routing VARCHAR(5) DEFAULT 'topic' NOT NULL;
