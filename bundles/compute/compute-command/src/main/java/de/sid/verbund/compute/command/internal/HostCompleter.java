package de.sid.verbund.compute.command.internal;

import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Host;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes host names. */
@Service
public class HostCompleter implements Completer {
    @Reference
    ComputeService compute;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(compute.hosts().stream().map(Host::name).toList())
                .complete(session, commandLine, candidates);
    }
}
