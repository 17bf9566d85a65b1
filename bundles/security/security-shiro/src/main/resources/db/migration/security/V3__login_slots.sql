-- Password checks in progress per account (at most lock.after.failures at once; further attempts
-- wait for a slot) and when the last one started, so that slots left behind by a process that
-- died during a check can be recognised. failed_logins counts completed failures only from now on.
ALTER TABLE app_user ADD COLUMN logins_in_flight INTEGER NOT NULL DEFAULT 0;
ALTER TABLE app_user ADD COLUMN last_login_attempt_at TIMESTAMP WITH TIME ZONE;
