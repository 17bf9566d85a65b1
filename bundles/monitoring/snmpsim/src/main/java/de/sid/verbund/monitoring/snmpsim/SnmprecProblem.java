package de.sid.verbund.monitoring.snmpsim;

import java.nio.file.Path;

/**
 * A line of a {@code .snmprec} file that is not served as written, with the reason.
 *
 * @param file the file
 * @param line the line number, from 1 (0 for a problem of the whole file)
 * @param message what is wrong and what the agent does about it
 */
public record SnmprecProblem(Path file, int line, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + message;
    }
}
