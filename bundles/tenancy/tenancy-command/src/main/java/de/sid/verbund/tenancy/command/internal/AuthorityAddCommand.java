package de.sid.verbund.tenancy.command.internal;

import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.security.AuditLog;
import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityKind;
import de.sid.verbund.tenancy.AuthorityService;
import de.sid.verbund.tenancy.BillingAddress;
import de.sid.verbund.tenancy.BillingMode;
import de.sid.verbund.tenancy.Budget;
import de.sid.verbund.tenancy.NewAuthority;
import de.sid.verbund.tenancy.Quota;
import java.math.BigDecimal;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code verbund:authority-add}: creates an authority from the console (an operator action;
 * audited as {@code shell}). Invalid input is refused with every problem listed.
 */
@Service
@Command(scope = "verbund", name = "authority-add", description = "Creates an authority (ministry, authority or unit)")
public class AuthorityAddCommand implements Action {
    /** Split-brain protection: the command is refused on a node without quorum. */
    @Reference(optional = true)
    ClusterService cluster;

    @Reference
    AuthorityService authorities;

    @Reference
    AuditLog audit;

    @Argument(index = 0, name = "name", required = true, description = "Name, unique among its siblings")
    String name;

    @Option(name = "--kind", description = "MINISTRY, AUTHORITY or UNIT", required = true)
    AuthorityKind kind;

    @Option(name = "--parent", description = "Parent authority id or name (not for a ministry)")
    String parent;

    @Option(name = "--mode", description = "Billing mode INVOICE or INTERNAL (default INTERNAL)")
    BillingMode mode = BillingMode.INTERNAL;

    @Option(name = "--leitweg-id", description = "Leitweg-ID (required in mode INVOICE)")
    String leitwegId;

    @Option(name = "--cost-centre", description = "Cost centre (required in mode INTERNAL)")
    String costCentre;

    @Option(name = "--vat", description = "Invoices carry VAT (mode INVOICE only)")
    boolean vat;

    @Option(name = "--address", description = "Billing address as 'street;post code;city' (country DE)")
    String address;

    @Option(name = "--vcpu", description = "Quota: vCPUs")
    Integer vcpu;

    @Option(name = "--ram-mib", description = "Quota: RAM in MiB")
    Long ramMib;

    @Option(name = "--disk-gib", description = "Quota: disk in GiB")
    Integer diskGib;

    @Option(name = "--vms", description = "Quota: number of VMs")
    Integer vms;

    @Option(name = "--budget-eur", description = "Monthly budget, net EUR")
    BigDecimal budgetEur;

    @Override
    public Object execute() {
        ClusterService.refuseWithoutQuorum(cluster, "verbund:authority-add");
        String parentId = parent == null ? null : Authorities.find(authorities, parent).id();
        BillingAddress ad = null;
        if (address != null) {
            String[] p = address.split(";", -1);
            if (p.length != 3) {
                throw new IllegalArgumentException("--address: 'street;post code;city' expected");
            }
            ad = new BillingAddress(p[0], null, p[1], p[2], "DE");
        }
        Authority a = authorities.create(new NewAuthority(name, kind, parentId, costCentre, leitwegId, ad, mode, vat, List.of(),
                new Quota(vcpu, ramMib, diskGib, vms), new Budget(budgetEur, 80)));
        audit.record("shell", "add authority", "authority/" + a.id(), "SUCCESS", a.name());
        System.out.println("created " + a.kind() + " " + a.name() + " " + a.id());
        return null;
    }
}
