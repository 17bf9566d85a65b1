-- The cluster's fence against a device being polled by two nodes (issue #7). One row per device:
-- the node holding its poll lease, until when (database time), and the last poll slot claimed
-- (PollSlots: slot k of a device with interval_ms is due at k * interval_ms + its phase).
-- A node polls slot k only after an UPDATE that moves last_slot to k while the lease is its own
-- or expired; renewed every second by the holder, released on a graceful hand-over.
CREATE TABLE monitoring_poll_lease (
    device_id   VARCHAR(36)              PRIMARY KEY REFERENCES monitoring_device (id) ON DELETE CASCADE,
    owner       VARCHAR(128)             NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    last_slot   BIGINT                   NOT NULL,
    interval_ms BIGINT                   NOT NULL
);
CREATE INDEX monitoring_poll_lease_owner ON monitoring_poll_lease (owner);
