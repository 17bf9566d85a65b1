-- Devices and their SNMP credentials (area: monitoring). Portable between H2 (PostgreSQL mode) and PostgreSQL.
-- Secrets live only in monitoring_credential; nothing but the poller reads them back.
CREATE TABLE monitoring_credential (
    id              VARCHAR(36)  PRIMARY KEY,
    name            VARCHAR(63)  NOT NULL UNIQUE,
    version         VARCHAR(8)   NOT NULL,
    community       VARCHAR(255),
    usm_user        VARCHAR(32),
    auth_protocol   VARCHAR(16),
    auth_passphrase VARCHAR(255),
    priv_protocol   VARCHAR(16),
    priv_passphrase VARCHAR(255),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE monitoring_device (
    id              VARCHAR(36)  PRIMARY KEY,
    name            VARCHAR(63)  NOT NULL UNIQUE,
    address         VARCHAR(253) NOT NULL,
    port            INTEGER      NOT NULL,
    site            VARCHAR(63)  NOT NULL,
    kind            VARCHAR(16)  NOT NULL,
    poll_interval_s INTEGER      NOT NULL,
    profiles        VARCHAR(1000) NOT NULL,
    credential_id   VARCHAR(36)  NOT NULL REFERENCES monitoring_credential (id),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    -- one agent may serve several devices by community (a simulator, a proxy, Cisco community@vlan)
    CONSTRAINT monitoring_device_agent UNIQUE (address, port, credential_id)
);
CREATE INDEX monitoring_device_credential ON monitoring_device (credential_id);
