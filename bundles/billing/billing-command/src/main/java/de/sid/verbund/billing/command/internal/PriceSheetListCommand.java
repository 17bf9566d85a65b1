package de.sid.verbund.billing.command.internal;

import de.sid.verbund.billing.Price;
import de.sid.verbund.billing.PriceSheet;
import de.sid.verbund.billing.PriceSheetService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code verbund:price-sheet-list}: every price sheet version; with {@code --prices} each price. */
@Service
@Command(scope = "verbund", name = "price-sheet-list", description = "Lists price sheets and their prices")
public class PriceSheetListCommand implements Action {
    @Reference
    PriceSheetService sheets;

    @Option(name = "--prices", description = "One row per price instead of one per sheet")
    boolean prices;

    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        if (prices) {
            for (String c : new String[] {"Sheet", "Version", "Metric", "Qualifier", "Unit", "Unit price EUR", "In force"}) {
                t.column(c);
            }
            for (PriceSheet s : sheets.list()) {
                for (Price p : s.prices()) {
                    t.addRow().addContent(s.name(), s.version(), p.metric(), p.qualifier() == null ? "" : p.qualifier(),
                            p.metric().unitCode(), p.unitPrice().amount().toPlainString(), s.supersededBy() == null ? "yes" : "no");
                }
            }
        } else {
            for (String c : new String[] {"Name", "Version", "Valid from", "Valid to", "Prices", "In force", "Id"}) {
                t.column(c);
            }
            for (PriceSheet s : sheets.list()) {
                t.addRow().addContent(s.name(), s.version(), s.validFrom(), s.validTo() == null ? "open" : s.validTo(),
                        s.prices().size(), s.supersededBy() == null ? "yes" : "no (superseded by " + s.supersededBy() + ")",
                        s.id());
            }
        }
        t.print(System.out);
        return null;
    }
}
