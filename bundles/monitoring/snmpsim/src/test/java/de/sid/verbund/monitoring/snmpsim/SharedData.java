package de.sid.verbund.monitoring.snmpsim;

import java.nio.file.Path;

/** Where the shared recordings are: {@code -Dverbund.snmprec.dir}, else test-support's {@code SharedData}. */
final class SharedData {
    private SharedData() {
    }

    static Path snmprecDir() {
        String configured = System.getProperty("verbund.snmprec.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return de.sid.verbund.testsupport.SharedData.data("snmprec");
    }
}
