package de.sid.verbund.monitoring.inventory;

import de.sid.verbund.monitoring.MetricSample;
import java.util.List;

/**
 * Told of every finished poll of a device (whiteboard: register as an OSGi service). Threshold
 * rules of the alarms area and other consumers of poll results hook in here instead of scraping
 * {@code /metrics}.
 *
 * <p>Called on a poller thread after the poll's samples replaced the previous ones, once per
 * poll (scheduled or "poll now"), in poll order for one device. An observer must return quickly
 * (hand slow work to its own executor); an exception it throws is logged and does not affect
 * polling or other observers.
 */
public interface PollObserver {
    /**
     * @param device the device as polled
     * @param summary the poll's outcome; {@link PollSummary#up()} false when it did not answer
     * @param samples the poll's samples: raw counters, gauges and per-second rates, each with
     *        {@code device} and {@code site} labels, plus {@code verbund_device_up} (1 or 0);
     *        only {@code verbund_device_up} when the device did not answer
     */
    void polled(Device device, PollSummary summary, List<MetricSample> samples);

    /**
     * The device is no longer polled: it was deleted (or the hypervisor host unregistered).
     * Observers drop what they keep of it, e.g. clear its open threshold alarms. Called once, on a
     * poller thread, when the poller notices; the default does nothing.
     *
     * @param device the device as last polled
     */
    default void forgotten(Device device) {
    }

    /** Tells every observer that a device is no longer polled; one observer's exception goes to {@code failed}. */
    static void forgetAll(List<PollObserver> observers, Device device,
                          java.util.function.BiConsumer<PollObserver, RuntimeException> failed) {
        for (PollObserver o : observers) {
            try {
                o.forgotten(device);
            } catch (RuntimeException e) {
                failed.accept(o, e);
            }
        }
    }

    /**
     * Tells every observer of a finished poll, with {@code verbund_device_up} (labels
     * {@code device}, {@code site}; 1 when {@code summary.up()}) added to the samples. One
     * observer's exception goes to {@code failed} and does not stop the others.
     *
     * @param samples the poll's samples without {@code verbund_device_up}
     * @param failed told of an observer that threw
     */
    static void tellAll(List<PollObserver> observers, Device device, PollSummary summary, List<MetricSample> samples,
                        java.util.function.BiConsumer<PollObserver, RuntimeException> failed) {
        if (observers.isEmpty()) {
            return;
        }
        List<MetricSample> all = new java.util.ArrayList<>(samples.size() + 1);
        all.addAll(samples);
        all.add(new MetricSample("verbund_device_up", MetricSample.Kind.GAUGE, "1 when the device answered its last poll, "
                + "0 when not", java.util.Map.of("device", device.name(), "site", device.site()), summary.up() ? 1 : 0));
        List<MetricSample> view = java.util.Collections.unmodifiableList(all);
        for (PollObserver o : observers) {
            try {
                o.polled(device, summary, view);
            } catch (RuntimeException e) {
                failed.accept(o, e);
            }
        }
    }
}
