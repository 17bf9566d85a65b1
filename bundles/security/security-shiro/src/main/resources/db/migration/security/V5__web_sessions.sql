-- Web UI sessions (area: security): the SHA-256 of the cookie's secret, in the shared database so
-- that every node accepts a session and it outlives the node that opened it.
CREATE TABLE web_session (
    id            VARCHAR(36) PRIMARY KEY,
    user_id       VARCHAR(36) NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
    secret_sha256 VARCHAR(64) NOT NULL UNIQUE,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX web_session_user ON web_session (user_id);
CREATE INDEX web_session_expires ON web_session (expires_at);
