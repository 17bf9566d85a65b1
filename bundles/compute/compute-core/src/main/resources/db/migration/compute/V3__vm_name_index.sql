-- Every create checks that the tenant has no live VM of that name.
CREATE INDEX compute_vm_tenant_name ON compute_vm (tenant_id, name);
