package de.sid.verbund.monitoring.command.internal;

import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code verbund:credential-list}: SNMP credentials, without their secrets. */
@Service
@Command(scope = "verbund", name = "credential-list", description = "Lists SNMP credentials (never their secrets)")
public class CredentialListCommand implements Action {
    @Reference
    DeviceInventory inventory;

    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        for (String c : new String[] {"Name", "Version", "User", "Auth", "Privacy", "Id"}) {
            t.column(c);
        }
        for (Credential c : inventory.credentials()) {
            t.addRow().addContent(c.name(), c.version(), c.user() == null ? "" : c.user(),
                    c.authProtocol() == null ? "" : c.authProtocol(), c.privProtocol() == null ? "" : c.privProtocol(), c.id());
        }
        t.print(System.out);
        return null;
    }
}
