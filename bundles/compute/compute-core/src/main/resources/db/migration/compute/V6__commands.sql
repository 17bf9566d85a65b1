-- Commands taken from queue compute.commands (catalogue fulfilment), by event id, so that a
-- redelivered command does not act twice. STARTED: being carried out (a redelivery after a crash
-- picks up the VMs already made, by name); DONE: the reply was stored in the outbox with this row.
CREATE TABLE compute_command (
    event_id    VARCHAR(36)  PRIMARY KEY,
    type        VARCHAR(100) NOT NULL,
    state       VARCHAR(8)   NOT NULL,
    received_at TIMESTAMP WITH TIME ZONE NOT NULL,
    done_at     TIMESTAMP WITH TIME ZONE
);
