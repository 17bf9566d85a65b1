package de.sid.verbund.tenancy.command.internal;

import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityService;
import de.sid.verbund.tenancy.Contact;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code verbund:authority-show <id|name>}: all data of one authority. */
@Service
@Command(scope = "verbund", name = "authority-show", description = "Shows one authority's data, quota and budget")
public class AuthorityShowCommand implements Action {
    @Reference
    AuthorityService authorities;

    @Argument(index = 0, name = "authority", required = true, description = "Authority id or name")
    String key;

    @Override
    public Object execute() {
        Authority a = Authorities.find(authorities, key);
        System.out.println("Name:          " + a.name());
        System.out.println("Id:            " + a.id());
        System.out.println("Kind:          " + a.kind());
        System.out.println("Parent:        " + (a.parentId() == null ? "-" : authorities.find(a.parentId()).map(Authority::name)
                .orElse(a.parentId())));
        System.out.println("Billing mode:  " + a.billingMode() + (a.vatLiable() ? " (with VAT)" : " (no VAT)"));
        System.out.println("Cost centre:   " + (a.costCentre() == null ? "-" : a.costCentre()));
        System.out.println("Leitweg-ID:    " + (a.leitwegId() == null ? "-" : a.leitwegId()));
        if (a.billingAddress() != null) {
            var ad = a.billingAddress();
            System.out.println("Address:       " + ad.line1() + (ad.line2() == null ? "" : ", " + ad.line2()) + ", "
                    + ad.postalCode() + " " + ad.city() + ", " + ad.countryCode());
        }
        System.out.println("Quota:         " + QuotaShowCommand.limits(a.quota()));
        System.out.println("Budget:        " + (a.budget().monthlyEur() == null ? "none"
                : a.budget().monthlyEur() + " EUR/month, warn at " + a.budget().softThresholdPercent() + " %"));
        for (Contact c : a.contacts()) {
            System.out.println("Contact:       " + c.role() + ": " + c.name() + " <" + c.email() + ">"
                    + (c.phone() == null ? "" : " " + c.phone()));
        }
        System.out.println("Created:       " + a.createdAt());
        return null;
    }
}
