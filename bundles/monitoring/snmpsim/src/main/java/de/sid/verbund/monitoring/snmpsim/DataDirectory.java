package de.sid.verbund.monitoring.snmpsim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The {@code .snmprec} files under a directory, by community: as with snmpsimd, the community
 * is the file's path relative to the directory without the extension, with {@code /} between
 * sub-directories ({@code cisco/c9300.snmprec} is community {@code cisco/c9300}). Symbolic links
 * are followed; other files are ignored.
 *
 * @param tables the tables by community, sorted by community
 * @param problems what could not be served as written, in file order
 */
public record DataDirectory(Map<String, RecordTable> tables, List<SnmprecProblem> problems) {
    public static final String EXTENSION = ".snmprec";

    public DataDirectory {
        tables = Collections.unmodifiableMap(new TreeMap<>(tables));
        problems = List.copyOf(problems);
    }

    /**
     * Reads every {@code .snmprec} file under {@code dir}.
     *
     * @throws IOException if {@code dir} is not a readable directory or a file cannot be read
     */
    public static DataDirectory load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("data directory " + dir + " does not exist or is not a directory");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
            files = walk.filter(p -> p.getFileName().toString().endsWith(EXTENSION) && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        Map<String, RecordTable> tables = new TreeMap<>();
        List<SnmprecProblem> problems = new ArrayList<>();
        for (Path file : files) {
            String relative = dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
            String community = relative.substring(0, relative.length() - EXTENSION.length());
            SnmprecParser.Result result = SnmprecParser.parse(file, community);
            tables.put(community, result.table());
            problems.addAll(result.problems());
        }
        return new DataDirectory(tables, problems);
    }

    /** The number of records over all communities. */
    public long records() {
        return tables.values().stream().mapToLong(RecordTable::size).sum();
    }
}
