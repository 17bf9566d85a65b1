package de.sid.verbund.monitoring.command.internal;

import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import de.sid.verbund.monitoring.inventory.NewCredential;
import java.io.IOException;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code verbund:credential-add <name> [--version v2c|v1|v3] [--user u --auth SHA256 --priv AES128]}:
 * stores a credential. The community or passphrases are asked for with masked input, so they
 * never land in the shell history.
 */
@Service
@Command(scope = "verbund", name = "credential-add", description = "Stores an SNMP credential; secrets are asked for, masked")
public class CredentialAddCommand implements Action {
    /** Split-brain protection: the command is refused on a node without quorum. */
    @Reference(optional = true)
    ClusterService cluster;

    @Reference
    DeviceInventory inventory;

    @Reference
    Session session;

    @Argument(index = 0, name = "name", required = true, description = "Credential name, e.g. dc1-switches")
    String name;

    @Option(name = "--version", description = "v1, v2c (default) or v3")
    String version = "v2c";

    @Option(name = "--user", description = "v3: USM user name")
    String user;

    @Option(name = "--auth", description = "v3: none, SHA1, SHA224, SHA256, SHA384 or SHA512")
    String auth;

    @Option(name = "--priv", description = "v3: none, DES, AES128 or AES256")
    String priv;

    @Override
    public Object execute() throws IOException {
        ClusterService.refuseWithoutQuorum(cluster, "verbund:credential-add");
        boolean v3 = "v3".equals(version.toLowerCase(Locale.ROOT));
        String community = v3 ? null : ask("Community: ");
        String authPass = v3 && auth != null && !"none".equalsIgnoreCase(auth) ? ask("Auth passphrase: ") : null;
        String privPass = v3 && priv != null && !"none".equalsIgnoreCase(priv) ? ask("Privacy passphrase: ") : null;
        Credential c = inventory.createCredential(new NewCredential(name, version, community, user, auth, authPass, priv,
                privPass));
        System.out.println("stored credential " + c.name() + " (" + c.id() + ", " + c.version() + ")");
        return null;
    }

    private String ask(String prompt) throws IOException {
        String s = session.readLine(prompt, '*');
        return s == null || s.isEmpty() ? null : s;
    }
}
