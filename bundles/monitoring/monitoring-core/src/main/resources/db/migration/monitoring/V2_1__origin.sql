-- Where a device or credential was registered: API (REST or shell) or FILE (the devices file,
-- etc/verbund-devices.yaml). What came from the file is changed and removed only through it.
ALTER TABLE monitoring_device ADD COLUMN origin VARCHAR(8) DEFAULT 'API' NOT NULL;
ALTER TABLE monitoring_credential ADD COLUMN origin VARCHAR(8) DEFAULT 'API' NOT NULL;
