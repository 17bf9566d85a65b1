-- The audit log becomes a hash chain: hash = SHA-256(prev_hash || canonical content), see
-- JdbcAuditLog. Rows written before this migration are chained by the security component on its
-- next start (in id order, under the chain lock), so the chain covers them too.
ALTER TABLE audit ADD COLUMN prev_hash VARCHAR(64);
ALTER TABLE audit ADD COLUMN hash VARCHAR(64);
CREATE INDEX audit_at ON audit (at);

-- The head of the chain, one row: every append locks it (SELECT ... FOR UPDATE), so entries are
-- chained one at a time and the chain never forks, also with several nodes on one database.
-- anchor_*: after retention deleted old entries, the first kept entry and the hash it links to.
CREATE TABLE audit_chain (
    id               INTEGER PRIMARY KEY,
    last_id          BIGINT,
    last_hash        VARCHAR(64),
    anchor_id        BIGINT,
    anchor_prev_hash VARCHAR(64)
);
INSERT INTO audit_chain (id) VALUES (1);
