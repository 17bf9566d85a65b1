package de.sid.verbund.monitoring.snmpsim;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shared recordings are: {@code -Dverbund.snmprec.dir}, else {@code shared/data/snmprec} beside an ancestor. */
final class SharedData {
    private SharedData() {
    }

    static Path snmprecDir() {
        String configured = System.getProperty("verbund.snmprec.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/data/snmprec");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("shared/data/snmprec not found beside the working directory or its"
                + " ancestors; set -Dverbund.snmprec.dir");
    }
}
