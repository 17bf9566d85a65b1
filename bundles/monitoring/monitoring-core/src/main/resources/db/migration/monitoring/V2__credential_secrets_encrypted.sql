-- Secrets at rest are encrypted (area: monitoring): AES-256-GCM with a key from the key file
-- (SecretCipher in monitoring-core). A stored community or passphrase is the base64 of nonce,
-- ciphertext and tag (255 characters of UTF-8 need up to about 1,100), and secret_key_id names the
-- key of the row's values. Rows stored before keep their plaintext and a NULL secret_key_id only
-- until the inventory starts: it encrypts them before it answers any call.
ALTER TABLE monitoring_credential ALTER COLUMN community SET DATA TYPE VARCHAR(2048);
ALTER TABLE monitoring_credential ALTER COLUMN auth_passphrase SET DATA TYPE VARCHAR(2048);
ALTER TABLE monitoring_credential ALTER COLUMN priv_passphrase SET DATA TYPE VARCHAR(2048);
ALTER TABLE monitoring_credential ADD COLUMN secret_key_id VARCHAR(16);

-- The key the stored secrets are encrypted with, claimed by the first node that starts: a node
-- whose key file holds another key does not start its inventory (and says why) instead of
-- writing secrets the other nodes cannot read.
CREATE TABLE monitoring_secret_key (
    id         INTEGER      PRIMARY KEY CHECK (id = 1),
    key_id     VARCHAR(16)  NOT NULL,
    claimed_at TIMESTAMP WITH TIME ZONE NOT NULL
);
