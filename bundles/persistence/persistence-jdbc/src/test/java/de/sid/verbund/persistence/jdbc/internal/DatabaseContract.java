package de.sid.verbund.persistence.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.persistence.PersistenceException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every supported database must show; subclasses supply H2 or PostgreSQL. */
abstract class DatabaseContract {
    protected JdbcDatabase db;

    protected abstract JdbcDatabase open();

    @BeforeEach
    void setUp() {
        db = open();
        db.migrate("sample", getClass().getClassLoader());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void migrationsAreAppliedInOrderAndOnlyOnce() throws SQLException {
        db.migrate("sample", getClass().getClassLoader());
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, success FROM schema_history_sample WHERE version IS NOT NULL ORDER BY installed_rank")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("1");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("2");
            assertThat(rs.next()).isFalse();
        }
        insert("w1", 10);
        assertThat(count()).isEqualTo(1);
    }

    @Test
    void transactionCommitsWhenWorkReturns() {
        insert("a", 1);
        assertThat(count()).isEqualTo(1);
    }

    @Test
    void transactionRollsBackWhenWorkThrows() {
        assertThatThrownBy(() -> db.inTransaction(c -> {
            insertWith(c, "b", 1);
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(count()).isZero();
    }

    @Test
    void nestedCallJoinsTheOuterTransaction() {
        assertThatThrownBy(() -> db.inTransaction(c -> {
            insertWith(c, "outer", 1);
            db.inTransaction(inner -> {
                assertThat(inner).isSameAs(c);
                return insertWith(inner, "inner", 2);
            });
            throw new IllegalStateException("outer fails after inner returned");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(count()).isZero();
    }

    @Test
    void duplicateKeyIsReportedAsUniqueViolationAndLeavesNoPartialState() {
        insert("dup", 1);
        assertThatThrownBy(() -> db.inTransaction(c -> {
            insertWith(c, "other", 5);
            return insertWith(c, "dup", 2);
        })).isInstanceOfSatisfying(PersistenceException.class, e -> assertThat(e.isUniqueViolation()).isTrue());
        assertThat(count()).isEqualTo(1);
    }

    @Test
    void failingMigrationIsReportedWithAreaAndAppliesNothingOfTheFailedStep() {
        assertThatThrownBy(() -> db.migrate("broken", getClass().getClassLoader()))
                .isInstanceOf(PersistenceException.class)
                .hasMessageContaining("schema migration of area broken failed");
    }

    @Test
    void missingMigrationsAreAnError() {
        assertThatThrownBy(() -> db.migrate("nosuch", getClass().getClassLoader()))
                .isInstanceOf(PersistenceException.class).hasMessageContaining("nosuch");
    }

    @Test
    void invalidAreaNameIsRefused() {
        assertThatThrownBy(() -> db.migrate("../etc", getClass().getClassLoader()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void instantsRoundTripAsUtc() {
        Instant at = Instant.parse("2026-03-29T01:30:00Z");
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO widget (id, name, created_at) VALUES (?, ?, ?)")) {
                ps.setString(1, UUID.randomUUID().toString());
                ps.setString(2, "t");
                ps.setObject(3, at.atOffset(ZoneOffset.UTC));
                return ps.executeUpdate();
            }
        });
        Instant read = db.inTransaction(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT created_at FROM widget")) {
                rs.next();
                return rs.getObject(1, OffsetDateTime.class).toInstant();
            }
        });
        assertThat(read).isEqualTo(at);
    }

    protected void insert(String name, long size) {
        db.inTransaction(c -> insertWith(c, name, size));
    }

    protected static int insertWith(Connection c, String name, long size) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO widget (id, name, created_at, size_mib) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, UUID.randomUUID().toString());
            ps.setString(2, name);
            ps.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
            ps.setLong(4, size);
            return ps.executeUpdate();
        }
    }

    protected long count() {
        return db.inTransaction(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM widget")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
