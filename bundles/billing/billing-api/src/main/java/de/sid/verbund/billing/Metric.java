package de.sid.verbund.billing;

/**
 * What a price is per: the metrics a price sheet prices and the rating measures. Each metric has
 * the UN/ECE Recommendation 20 unit code its invoice lines carry (BT-130).
 *
 * <p>A {@link Price} names a metric and, where the metric needs one, a qualifier (see each
 * constant). Hourly metrics count the hours a VM was RUNNING; monthly metrics are prorated by the
 * real hours of the Europe/Berlin month ({@link de.sid.verbund.core.BillingPeriod#hours()}: 672,
 * 696, 720, 743, 744 or 745), so a full month always costs the monthly price.
 */
public enum Metric {
    /** Hours a VM of an offering was RUNNING; qualifier = the offering code (e.g. {@code vm-m}). */
    VM_HOUR("HUR", true),
    /** vCPU-hours while RUNNING (vCPUs × hours); no qualifier. */
    VCPU_HOUR("HUR", false),
    /** GiB-hours of RAM while RUNNING (RAM MiB / 1024 × hours); no qualifier. */
    RAM_GIB_HOUR("HUR", false),
    /**
     * GiB-months of disk while the VM exists, whatever its state (GiB × hours / hours of the
     * month); no qualifier.
     */
    DISK_GIB_MONTH("MON", false),
    /**
     * A flat monthly fee per service for an authority's subscription to it, prorated by the hours
     * subscribed / hours of the month; qualifier = the service (e.g. {@code backup}).
     */
    SERVICE_MONTH("MON", true),
    /**
     * A quantity reported by another usage source through {@link UsageRecorder} (e.g. CPU-seconds,
     * GiB transferred); qualifier = the usage's metric name (e.g. {@code cpu-seconds}).
     */
    QUANTITY("C62", true);

    private final String unitCode;
    private final boolean qualified;

    Metric(String unitCode, boolean qualified) {
        this.unitCode = unitCode;
        this.qualified = qualified;
    }

    /** @return the UN/ECE Rec. 20 unit code of its invoice lines: {@code HUR}, {@code MON} or {@code C62} */
    public String unitCode() {
        return unitCode;
    }

    /** @return whether a price for this metric must name a qualifier (offering, service or usage metric) */
    public boolean qualified() {
        return qualified;
    }
}
