-- Repeated failed logins lock an account for a while (locked_until), not for ever: otherwise
-- anyone could lock out every administrator with a few requests.
ALTER TABLE app_user ADD COLUMN locked_until TIMESTAMP WITH TIME ZONE;
UPDATE app_user SET locked = FALSE, failed_logins = 0;
