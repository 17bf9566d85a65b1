package de.sid.verbund.benchmarks;

import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.security.ApiToken;
import de.sid.verbund.security.shiro.internal.SecurityConfig;
import de.sid.verbund.security.shiro.internal.ShiroSecurity;
import de.sid.verbund.testsupport.Configs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.apache.shiro.subject.Subject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What authenticating one API request costs: HTTP Basic (a bcrypt check at the configured cost
 * plus a user lookup) against a bearer API token (SHA-256 plus an indexed lookup), on the
 * embedded H2 database. Every API request authenticates (Verbund keeps no sessions), so this
 * is the floor under every request's latency.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AuthenticationBenchmark {
    @Param({"10", "12"})
    int bcryptCost;

    private Path dir;
    private JdbcDatabase db;
    private ShiroSecurity security;
    private String basic;
    private String bearer;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("verbund-bench");
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 4, 2000);
        security = new ShiroSecurity(db, Configs.of(SecurityConfig.class, "bcrypt_cost", bcryptCost));
        String adminId = security.findByUsername("admin").orElseThrow().id();
        security.setPassword(adminId, "benchmark-password");
        basic = "Basic " + Base64.getEncoder().encodeToString("admin:benchmark-password".getBytes(StandardCharsets.UTF_8));
        ApiToken token = security.createToken(adminId, "bench", Duration.ofDays(1));
        bearer = "Bearer " + token.secret();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        db.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public Subject basicAuthentication() {
        return security.authenticate(basic);
    }

    @Benchmark
    public Subject bearerToken() {
        return security.authenticate(bearer);
    }
}
