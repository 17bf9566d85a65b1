package de.sid.verbund.monitoring;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * One sample for the Prometheus exposition.
 *
 * @param name the metric name, e.g. {@code ifHCInOctets}
 * @param kind gauge or counter
 * @param help the HELP text
 * @param labels label names and values, in a stable order (index labels, lookups, then {@code device}, {@code site});
 *        unmodifiable (a copy unless it came from {@link #fixedLabels})
 * @param value the value
 */
public record MetricSample(String name, Kind kind, String help, Map<String, String> labels, double value) {
    public MetricSample {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(help, "help");
        labels = fixedLabels(labels);
    }

    /**
     * An unmodifiable copy of labels in their order, which samples keep as it is rather than
     * copy again: the samples of one table row (every column of ifTable, say) can share one.
     *
     * @param labels label names and values (no null names)
     * @return the copy; {@code labels} itself if it is such a copy already
     */
    public static Map<String, String> fixedLabels(Map<String, String> labels) {
        if (labels instanceof FixedLabels) {
            return labels;
        }
        String[] names = new String[labels.size()];
        String[] values = new String[names.length];
        int i = 0;
        for (Map.Entry<String, String> e : labels.entrySet()) {
            names[i] = Objects.requireNonNull(e.getKey(), "label name");
            values[i] = e.getValue();
            i++;
        }
        return new FixedLabels(names, values);
    }

    /** Immutable labels in arrays: no entry objects kept, the hash computed once. */
    private static final class FixedLabels extends AbstractMap<String, String> {
        private final String[] names;
        private final String[] values;
        /** As {@link String}'s: a racy cache that every thread computes alike. */
        private int hash;
        private boolean hashIsZero;

        FixedLabels(String[] names, String[] values) {
            this.names = names;
            this.values = values;
        }

        @Override
        public int size() {
            return names.length;
        }

        @Override
        public boolean containsKey(Object name) {
            return indexOf(name) >= 0;
        }

        @Override
        public String get(Object name) {
            int i = indexOf(name);
            return i >= 0 ? values[i] : null;
        }

        private int indexOf(Object name) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(name)) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public void forEach(BiConsumer<? super String, ? super String> action) {
            for (int i = 0; i < names.length; i++) {
                action.accept(names[i], values[i]);
            }
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, String>> iterator() {
                    return new Iterator<>() {
                        private int next;

                        @Override
                        public boolean hasNext() {
                            return next < names.length;
                        }

                        @Override
                        public Entry<String, String> next() {
                            if (next >= names.length) {
                                throw new NoSuchElementException();
                            }
                            int i = next++;
                            return new SimpleImmutableEntry<>(names[i], values[i]);
                        }
                    };
                }

                @Override
                public int size() {
                    return names.length;
                }
            };
        }

        /** {@link Map#hashCode()}'s sum of the entries' hashes, computed once. */
        @Override
        public int hashCode() {
            int h = hash;
            if (h == 0 && !hashIsZero) {
                for (int i = 0; i < names.length; i++) {
                    h += names[i].hashCode() ^ Objects.hashCode(values[i]);
                }
                if (h == 0) {
                    hashIsZero = true;
                } else {
                    hash = h;
                }
            }
            return h;
        }

        @Override
        public boolean equals(Object o) {
            if (o instanceof FixedLabels f && Arrays.equals(names, f.names) && Arrays.equals(values, f.values)) {
                return true;
            }
            return super.equals(o);
        }
    }

    /** The Prometheus metric type. */
    public enum Kind {
        /** Goes up and down. */
        GAUGE,
        /** Only goes up (until a reset): SNMP Counter32/Counter64 as read. */
        COUNTER
    }

    /**
     * @param label a label name
     * @return its value, or null if the sample has no such label
     */
    public String label(String label) {
        return labels.get(label);
    }
}
