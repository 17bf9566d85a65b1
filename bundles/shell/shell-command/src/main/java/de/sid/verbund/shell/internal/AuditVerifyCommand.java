package de.sid.verbund.shell.internal;

import de.sid.verbund.security.AuditLog;
import de.sid.verbund.security.AuditVerification;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code verbund:audit-verify}: checks the audit log's hash chain and names the first entry that
 * was changed, inserted or removed; fails (non-zero for {@code bin/client}) when the chain is broken.
 */
@Service
@Command(scope = "verbund", name = "audit-verify", description = "Checks the audit log's hash chain")
public class AuditVerifyCommand implements Action {
    @Reference
    AuditLog audit;

    @Override
    public Object execute() {
        AuditVerification v = audit.verify();
        if (!v.intact()) {
            throw new IllegalStateException("audit log broken after " + (v.checked() - 1) + " intact entries: " + v.reason());
        }
        System.out.println("audit log intact: " + v.checked() + " entries checked");
        return null;
    }
}
