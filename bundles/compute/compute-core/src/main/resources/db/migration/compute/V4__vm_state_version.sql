-- Incremented by every state change: a resync applies its finding only if no change came in
-- between (a state compared by value alone could have gone away and come back: ABA).
ALTER TABLE compute_vm ADD COLUMN state_version BIGINT NOT NULL DEFAULT 0;
