package de.sid.verbund.alarms.core.internal;

import de.sid.verbund.alarms.AlarmService;
import de.sid.verbund.monitoring.MetricSample;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.PollObserver;
import de.sid.verbund.monitoring.inventory.PollSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Threshold rules on every poll's samples: a {@link PollObserver} (the device poller's
 * whiteboard) that evaluates the rules of {@code rules.file} with a {@link RuleEngine} on the
 * poller's thread (in memory, cheap) and hands the resulting raises and clears to its own thread,
 * which writes them through the {@link AlarmService}. Raises are by {@code rule:<name>}.
 *
 * <p>The rules file is read at start and again when it changes (checked every
 * {@code rules.check.s}); a file that does not load keeps the rules before it (the error is
 * logged), a missing file means no rules. Evaluation starts once the open alarm keys could be
 * read from the store, so rule state after a restart starts from what is open; they are read
 * again at every check, and instances not polled for a day are forgotten.
 */
@Component(service = PollObserver.class, configurationPid = AlarmsConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true)
public class ThresholdComponent implements PollObserver {
    private static final Logger LOG = LoggerFactory.getLogger(ThresholdComponent.class);
    static final String BY = "rule:";
    private static final Duration FORGET_AFTER = Duration.ofDays(1);

    private final AlarmService alarms;
    private final Path file;
    private final ScheduledExecutorService worker;
    private final RuleLoader loader = new RuleLoader();
    private volatile RuleEngine engine;
    private volatile boolean keysRead;
    private volatile FileTime loadedVersion;
    private volatile String lastProblem;
    private final long checkEveryMs;
    private volatile long nextCheck;
    private final AtomicLong raised = new AtomicLong();
    private final AtomicLong cleared = new AtomicLong();

    @Activate
    public ThresholdComponent(@Reference AlarmService alarms, AlarmsConfig config) {
        this.alarms = alarms;
        Path f = Path.of(config.rules_file());
        this.file = f.isAbsolute() ? f : Path.of(System.getProperty("karaf.base", ".")).resolve(f);
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "verbund-alarm-rules");
            t.setDaemon(true);
            return t;
        });
        checkEveryMs = Math.max(1, config.rules_check_s()) * 1000;
        // every second until the open alarm keys were read (the store may still be starting), then every rules.check.s
        worker.scheduleWithFixedDelay(() -> {
            if (!keysRead || System.currentTimeMillis() >= nextCheck) {
                nextCheck = System.currentTimeMillis() + checkEveryMs;
                check();
            }
        }, 0, 1, TimeUnit.SECONDS);
    }

    @Deactivate
    public void deactivate() {
        worker.shutdownNow();
    }

    /** Re-reads the rules file when it changed, and the open alarm keys. */
    void check() {
        try {
            reloadIfChanged();
            RuleEngine e = engine;
            if (e != null) {
                e.openKeys(alarms.openKeys());
                keysRead = true;
                e.forget(Instant.now().minus(FORGET_AFTER));
            }
            lastProblem = null;
        } catch (RuntimeException ex) {
            String problem = String.valueOf(ex.getMessage());
            if (!problem.equals(lastProblem)) {
                LOG.info("Alarm rules: open alarms not read yet, trying again: {}", problem);
            }
            lastProblem = problem;
        }
    }

    private void reloadIfChanged() {
        if (!Files.isRegularFile(file)) {
            if (engine == null || loadedVersion != null) {
                LOG.warn("Alarm rules: no file {} (rules.file in {}.cfg): no threshold rules", file, AlarmsConfig.PID);
                engine = new RuleEngine(List.of());
                loadedVersion = null;
            }
            return;
        }
        FileTime version;
        try {
            version = Files.getLastModifiedTime(file);
        } catch (java.io.IOException e) {
            LOG.warn("Alarm rules: cannot read {}: {}", file, e.getMessage());
            return;
        }
        if (Objects.equals(version, loadedVersion) && engine != null) {
            return;
        }
        loadedVersion = version;
        try {
            List<Rule> rules = loader.load(file);
            RuleEngine e = new RuleEngine(rules);
            if (engine != null) {
                e.openKeys(alarms.openKeys());
            }
            engine = e;
            LOG.info("Alarm rules: {} from {}: {}", rules.size(), file, rules.stream().map(Rule::name).toList());
        } catch (IllegalArgumentException e) {
            LOG.error("Alarm rules not loaded, {}: {}", engine == null ? "no threshold rules" : "the previous ones stay",
                    e.getMessage());
            if (engine == null) {
                engine = new RuleEngine(List.of());
            }
        }
    }

    @Override
    public void polled(Device device, PollSummary summary, List<MetricSample> samples) {
        RuleEngine e = engine;
        if (e == null || !keysRead) {
            return;
        }
        List<RuleEngine.Action> actions = e.evaluate(device.id(), device.name(), device.site(), summary.startedAt(), samples);
        if (!actions.isEmpty()) {
            worker.execute(() -> apply(e, actions));
        }
    }

    /** Clears every open alarm of a deleted device (rule and trap alarms alike): nothing would clear them otherwise. */
    @Override
    public void forgotten(Device device) {
        worker.execute(() -> clearAllOf(device));
    }

    private void clearAllOf(Device device) {
        try {
            String cursor = null;
            do {
                var page = alarms.alarms(new de.sid.verbund.alarms.AlarmFilter(de.sid.verbund.alarms.AlarmFilter.OPEN.states(),
                        null, device.id(), null), 500, cursor);
                for (de.sid.verbund.alarms.Alarm a : page.items()) {
                    if (device.id().equals(a.sourceId())) {
                        alarms.clear(a.key(), "monitoring", "device " + device.name() + " was deleted");
                        cleared.incrementAndGet();
                    }
                }
                cursor = page.nextCursor();
            } while (cursor != null);
            LOG.info("Alarms of deleted device {} cleared", device.name());
        } catch (RuntimeException ex) {
            LOG.warn("Alarms of deleted device {} not cleared: {}", device.name(), ex.getMessage());
        }
    }

    private void apply(RuleEngine e, List<RuleEngine.Action> actions) {
        for (RuleEngine.Action a : actions) {
            try {
                if (a.raise()) {
                    alarms.raise(a.alarm(), BY + a.rule().name(), null);
                    raised.incrementAndGet();
                } else {
                    alarms.clear(a.key(), BY + a.rule().name(), a.reason());
                    cleared.incrementAndGet();
                }
            } catch (RuntimeException ex) {
                e.failed(a);
                LOG.warn("Alarm rule {}: {} of {} not stored, tried again at the next poll: {}", a.rule().name(),
                        a.raise() ? "raise" : "clear", a.key(), ex.getMessage());
            }
        }
    }

    /** @return whether rules are loaded and the open alarm keys were read, so polls are evaluated (tests, benchmarks) */
    public boolean isReady() {
        return engine != null && keysRead;
    }

    /** @return raises and clears stored so far (for tests and diagnostics) */
    long[] applied() {
        return new long[] {raised.get(), cleared.get()};
    }
}
