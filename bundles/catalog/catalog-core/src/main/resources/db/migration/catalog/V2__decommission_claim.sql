-- One open DECOMMISSION order per VM: the claim is written with the order and removed when the
-- order ends without deleting the VM (REJECTED, CANCELLED, FAILED). Portable H2/PostgreSQL.
CREATE TABLE catalog_decommission_claim (
    vm_id    VARCHAR(36) PRIMARY KEY,
    order_id VARCHAR(36) NOT NULL
);
CREATE INDEX catalog_decommission_claim_order ON catalog_decommission_claim (order_id);
