-- Hosts and VMs (area: compute). Portable between H2 (PostgreSQL mode) and PostgreSQL.
CREATE TABLE compute_host (
    id              VARCHAR(36)   PRIMARY KEY,
    name            VARCHAR(63)   NOT NULL UNIQUE,
    uri             VARCHAR(500)  NOT NULL,
    site            VARCHAR(63)   NOT NULL,
    cpu_cores       INTEGER       NOT NULL DEFAULT 0,
    ram_mib         BIGINT        NOT NULL DEFAULT 0,
    cpu_overcommit  DECIMAL(6, 2) NOT NULL,
    ram_overcommit  DECIMAL(6, 2) NOT NULL,
    ram_reserve_mib BIGINT        NOT NULL,
    state           VARCHAR(16)   NOT NULL,
    maintenance     BOOLEAN       NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE compute_vm (
    id                  VARCHAR(36)  PRIMARY KEY,
    name                VARCHAR(63)  NOT NULL,
    tenant_id           VARCHAR(36)  NOT NULL,
    offering_id         VARCHAR(36),
    host_id             VARCHAR(36)  NOT NULL REFERENCES compute_host (id),
    state               VARCHAR(16)  NOT NULL,
    vcpu                INTEGER      NOT NULL,
    ram_mib             BIGINT       NOT NULL,
    disk_gib            INTEGER      NOT NULL,
    anti_affinity_group VARCHAR(63),
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    deleted_at          TIMESTAMP WITH TIME ZONE
);
CREATE INDEX compute_vm_tenant ON compute_vm (tenant_id, created_at, id);
CREATE INDEX compute_vm_host ON compute_vm (host_id, state);
