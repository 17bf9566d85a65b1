package de.sid.verbund.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the project's shared, read-only input lives (the recorded SNMP walks, the libvirt domain
 * files): {@code -Dverbund.shared.dir}, else a {@code shared} directory with a {@code data}
 * folder beside the working directory or one of its ancestors (the layout of the project
 * folder), else {@code /work/shared} (this machine's and CI's).
 */
public final class SharedData {
    private SharedData() {
    }

    /**
     * @param relative a path inside {@code shared/data}, e.g. {@code snmprec}
     * @return the path
     * @throws IllegalStateException when no shared directory is found (with what was tried)
     */
    public static Path data(String relative) {
        return dir().resolve("data").resolve(relative);
    }

    /** @return the shared directory */
    public static Path dir() {
        String configured = System.getProperty("verbund.shared.dir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared");
            if (Files.isDirectory(candidate.resolve("data"))) {
                return candidate;
            }
        }
        Path fallback = Path.of("/work/shared");
        if (Files.isDirectory(fallback.resolve("data"))) {
            return fallback;
        }
        throw new IllegalStateException("no shared/data beside the working directory or its ancestors, nor "
                + fallback + ": set -Dverbund.shared.dir");
    }
}
