package de.sid.verbund.shell.internal;

import de.sid.verbund.core.health.Health;
import de.sid.verbund.core.health.HealthIndicator;
import de.sid.verbund.core.health.HealthReport;
import de.sid.verbund.core.health.HealthStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** {@code verbund:health}: the node's health, one row per component. */
@Service
@Command(scope = "verbund", name = "health", description = "Shows the health of this node and each component")
public class HealthCommand implements Action {
    @Reference
    BundleContext context;

    @Override
    public Object execute() throws InvalidSyntaxException {
        List<HealthIndicator> indicators = new ArrayList<>();
        List<ServiceReference<HealthIndicator>> refs = new ArrayList<>(context.getServiceReferences(HealthIndicator.class, null));
        try {
            for (ServiceReference<HealthIndicator> r : refs) {
                HealthIndicator h = context.getService(r);
                if (h != null) {
                    indicators.add(h);
                }
            }
            HealthReport report = HealthReport.of(indicators);
            ShellTable table = new ShellTable();
            table.column("Component");
            table.column("Status");
            table.column("Details");
            for (Map.Entry<String, Health> e : report.components().entrySet()) {
                table.addRow().addContent(e.getKey(), e.getValue().status(), details(e.getValue().details()));
            }
            table.print(System.out);
            System.out.println("Overall: " + report.status());
            if (report.status() == HealthStatus.DOWN) {
                throw new IllegalStateException("node is DOWN: " + report.components().entrySet().stream()
                        .filter(e -> e.getValue().status() == HealthStatus.DOWN).map(Map.Entry::getKey)
                        .collect(Collectors.joining(", ")));
            }
            return null;
        } finally {
            refs.forEach(context::ungetService);
        }
    }

    private static String details(Map<String, Object> d) {
        return d.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
