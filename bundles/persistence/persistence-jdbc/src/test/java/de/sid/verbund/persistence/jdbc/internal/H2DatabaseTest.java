package de.sid.verbund.persistence.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2DatabaseTest extends DatabaseContract {
    @TempDir
    Path dir;

    @Override
    protected JdbcDatabase open() {
        return new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 4, 2000);
    }

    @Test
    void fileDatabaseKeepsDataAcrossRestart() {
        insert("kept", 7);
        db.close();
        db = open();
        db.migrate("sample", getClass().getClassLoader());
        assertThat(count()).isEqualTo(1);
        assertThat(dir.resolve("verbund/verbund.mv.db")).exists();
        assertThat(db.product()).isEqualTo("H2");
    }

    @Test
    void areasMigratingAtTheSameTimeDoNotBreakEachOther() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        java.util.List<java.util.concurrent.Future<?>> fs = new java.util.ArrayList<>();
        for (String area : new String[] {"sample", "more", "sample", "more"}) {
            fs.add(pool.submit(() -> db.migrate(area, getClass().getClassLoader())));
        }
        for (java.util.concurrent.Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        long failed = db.inTransaction(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery(
                    "SELECT COUNT(*) FROM schema_history_more WHERE success = FALSE")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(failed).isZero();
    }

    @Test
    void passwordsNeverShowInTheDisplayedUrl() {
        assertThat(JdbcDatabase.sanitize("jdbc:postgresql://h/db?user=a&password=secret&ssl=true"))
                .doesNotContain("secret").contains("password=***");
    }
}
