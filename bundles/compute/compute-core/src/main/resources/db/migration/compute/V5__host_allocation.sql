-- What a host's VMs hold (VMs in PROVISIONING, RUNNING, PAUSED, STOPPED, UNKNOWN), kept on the
-- host row: every reservation, resize and release changes it in its own transaction under the
-- host row's lock. Placement then reads the hosts only; summing over every VM cost each create
-- more and more as VMs accumulated.
ALTER TABLE compute_host ADD COLUMN alloc_vcpu BIGINT NOT NULL DEFAULT 0;
ALTER TABLE compute_host ADD COLUMN alloc_ram_mib BIGINT NOT NULL DEFAULT 0;
ALTER TABLE compute_host ADD COLUMN alloc_disk_gib BIGINT NOT NULL DEFAULT 0;
-- Capacity of the storage pool VM volumes go to, GiB, as read from the hypervisor.
ALTER TABLE compute_host ADD COLUMN disk_gib BIGINT NOT NULL DEFAULT 0;

UPDATE compute_host SET
    alloc_vcpu = COALESCE((SELECT SUM(v.vcpu) FROM compute_vm v WHERE v.host_id = compute_host.id
        AND v.state IN ('PROVISIONING', 'RUNNING', 'PAUSED', 'STOPPED', 'UNKNOWN')), 0),
    alloc_ram_mib = COALESCE((SELECT SUM(v.ram_mib) FROM compute_vm v WHERE v.host_id = compute_host.id
        AND v.state IN ('PROVISIONING', 'RUNNING', 'PAUSED', 'STOPPED', 'UNKNOWN')), 0),
    alloc_disk_gib = COALESCE((SELECT SUM(v.disk_gib) FROM compute_vm v WHERE v.host_id = compute_host.id
        AND v.state IN ('PROVISIONING', 'RUNNING', 'PAUSED', 'STOPPED', 'UNKNOWN')), 0);

-- Anti-affinity: which hosts hold a member of the requested group.
CREATE INDEX compute_vm_group ON compute_vm (anti_affinity_group, host_id);
