-- Authorities (tenants) in a hierarchy ministry -> authority -> unit, their contacts, quotas and
-- monthly budgets, and the quota reservations held against them (area: tenancy).
-- Portable between H2 (PostgreSQL mode) and PostgreSQL.
CREATE TABLE authority (
    id                  VARCHAR(36)  PRIMARY KEY,
    name                VARCHAR(200) NOT NULL,
    kind                VARCHAR(16)  NOT NULL,
    parent_id           VARCHAR(36)  REFERENCES authority (id),
    -- parent_id, or 'root' for a ministry: names are unique among siblings
    sibling_scope       VARCHAR(36)  NOT NULL,
    cost_centre         VARCHAR(64),
    leitweg_id          VARCHAR(50),
    address_line1       VARCHAR(200),
    address_line2       VARCHAR(200),
    postal_code         VARCHAR(20),
    city                VARCHAR(100),
    country_code        VARCHAR(2),
    billing_mode        VARCHAR(16)  NOT NULL,
    vat_liable          BOOLEAN      NOT NULL,
    quota_vcpu          INTEGER,
    quota_ram_mib       BIGINT,
    quota_disk_gib      INTEGER,
    quota_vms           INTEGER,
    budget_monthly_eur  DECIMAL(14, 2),
    budget_soft_percent INTEGER      NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT authority_sibling_name UNIQUE (sibling_scope, name)
);
CREATE INDEX authority_parent ON authority (parent_id);

CREATE TABLE authority_contact (
    authority_id VARCHAR(36)  NOT NULL REFERENCES authority (id) ON DELETE CASCADE,
    position     INTEGER      NOT NULL,
    role         VARCHAR(40)  NOT NULL,
    name         VARCHAR(200) NOT NULL,
    email        VARCHAR(254) NOT NULL,
    phone        VARCHAR(40),
    PRIMARY KEY (authority_id, position)
);

-- One row per reservation, keyed by the caller's reference (e.g. order/<id>)
CREATE TABLE quota_reservation (
    reference    VARCHAR(200) PRIMARY KEY,
    authority_id VARCHAR(36)  NOT NULL REFERENCES authority (id),
    vcpu         INTEGER      NOT NULL,
    ram_mib      BIGINT       NOT NULL,
    disk_gib     INTEGER      NOT NULL,
    vms          INTEGER      NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX quota_reservation_authority ON quota_reservation (authority_id);
