package de.sid.verbund.monitoring.core.internal;

import de.sid.verbund.monitoring.MetricSample;
import de.sid.verbund.monitoring.inventory.DeviceState;
import de.sid.verbund.monitoring.inventory.DeviceState.InterfaceState;
import de.sid.verbund.monitoring.inventory.DeviceState.SensorState;
import de.sid.verbund.monitoring.inventory.DeviceState.UpsState;
import de.sid.verbund.monitoring.inventory.DeviceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a {@link DeviceState} from a poll's samples, by the metric names of the profiles in
 * {@code monitoring/profiles} (snmp_exporter's MIB names, plus Verbund's {@code verbund_if_*}
 * rates): interfaces from every sample with an {@code ifIndex} label, sensors from
 * {@code entPhySensorValue} and {@code entPhySensorOperStatus}, the UPS from the {@code ups*}
 * metrics of RFC 1628, converted to SI units here (the MIB's 0.1 V, 0.1 A, 0.1 Hz, minutes).
 */
final class DeviceStates {
    /** RFC 2863 ifAdminStatus. */
    private static final Map<Integer, String> ADMIN_STATUS = Map.of(1, "up", 2, "down", 3, "testing");
    /** RFC 2863 ifOperStatus. */
    private static final Map<Integer, String> OPER_STATUS = Map.of(1, "up", 2, "down", 3, "testing", 4, "unknown",
            5, "dormant", 6, "notPresent", 7, "lowerLayerDown");
    /** RFC 3433 EntitySensorStatus. */
    private static final Map<Integer, String> SENSOR_STATUS = Map.of(1, "ok", 2, "unavailable", 3, "nonoperational");
    /** Units of RFC 3433 EntitySensorDataType; other, unknown, truthvalue and specialEnum have none. */
    private static final Map<String, String> SENSOR_UNIT = Map.ofEntries(Map.entry("voltsAC", "V"),
            Map.entry("voltsDC", "V"), Map.entry("amperes", "A"), Map.entry("watts", "W"), Map.entry("hertz", "Hz"),
            Map.entry("celsius", "°C"), Map.entry("percentRH", "%RH"), Map.entry("rpm", "rpm"),
            Map.entry("cmm", "m³/min"), Map.entry("dBm", "dBm"));
    /** ifSpeed's value when the speed is higher than it can hold (RFC 2863): ifHighSpeed tells then. */
    private static final long IF_SPEED_MAX = 4_294_967_295L;

    private DeviceStates() {
    }

    /**
     * @param status the device's status
     * @param samples its latest poll's samples (none while it does not answer)
     * @return the state; sections the samples do not have are empty or null
     */
    static DeviceState of(DeviceStatus status, List<MetricSample> samples) {
        Map<Long, Interface> interfaces = new TreeMap<>();
        Map<Long, Sensor> sensors = new TreeMap<>();
        Ups ups = new Ups();
        for (MetricSample m : samples) {
            Long ifIndex = index(m.label("ifIndex"));
            if (ifIndex != null) {
                interfaces.computeIfAbsent(ifIndex, Interface::new).add(m);
                continue;
            }
            Long entity = index(m.label("entPhysicalIndex"));
            if (entity != null && (m.name().equals("entPhySensorValue") || m.name().equals("entPhySensorOperStatus"))) {
                sensors.computeIfAbsent(entity, Sensor::new).add(m);
                continue;
            }
            if (m.name().startsWith("ups")) {
                ups.add(m);
            }
        }
        return new DeviceState(status, interfaces.values().stream().map(Interface::build).toList(),
                sensors.values().stream().map(Sensor::build).toList(), ups.build());
    }

    private static Long index(String label) {
        if (label == null) {
            return null;
        }
        try {
            return Long.parseLong(label);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static final class Interface {
        final long ifIndex;
        String name = "";
        String descr = "";
        String alias = "";
        String type;
        String mac;
        String admin;
        String oper;
        Double speed;
        Double highSpeed;
        Double in;
        Double out;
        Double inErrors;
        Double outErrors;
        Double inDiscards;
        Double outDiscards;

        Interface(long ifIndex) {
            this.ifIndex = ifIndex;
        }

        void add(MetricSample m) {
            name = name.isEmpty() ? m.labels().getOrDefault("ifName", "") : name;
            descr = descr.isEmpty() ? m.labels().getOrDefault("ifDescr", "") : descr;
            alias = alias.isEmpty() ? m.labels().getOrDefault("ifAlias", "") : alias;
            double v = m.value();
            switch (m.name()) {
                case "ifType" -> type = nonEmpty(m.label("ifType"));
                case "ifPhysAddress" -> mac = nonEmpty(m.label("ifPhysAddress"));
                case "ifAdminStatus" -> admin = ADMIN_STATUS.getOrDefault((int) v, Long.toString((long) v));
                case "ifOperStatus" -> oper = OPER_STATUS.getOrDefault((int) v, Long.toString((long) v));
                case "ifSpeed" -> speed = v;
                case "ifHighSpeed" -> highSpeed = v;
                case "verbund_if_in_octets_per_second" -> in = v;
                case "verbund_if_out_octets_per_second" -> out = v;
                case "verbund_if_in_errors_per_second" -> inErrors = v;
                case "verbund_if_out_errors_per_second" -> outErrors = v;
                case "verbund_if_in_discards_per_second" -> inDiscards = v;
                case "verbund_if_out_discards_per_second" -> outDiscards = v;
                default -> {
                    // other interface metrics (packets, MTU, …) stay at /metrics
                }
            }
        }

        InterfaceState build() {
            Long bits = null;
            if (speed != null && speed < IF_SPEED_MAX) {
                bits = speed.longValue();
            } else if (highSpeed != null) {
                bits = highSpeed.longValue() * 1_000_000L;
            } else if (speed != null) {
                bits = speed.longValue();
            }
            return new InterfaceState(ifIndex, name, descr, alias, type, mac, admin, oper, bits, in, out,
                    utilization(in, bits), utilization(out, bits), inErrors, outErrors, inDiscards, outDiscards);
        }

        private static Double utilization(Double octetsPerSecond, Long bitsPerSecond) {
            return octetsPerSecond == null || bitsPerSecond == null || bitsPerSecond <= 0 ? null
                    : octetsPerSecond * 8 * 100 / bitsPerSecond;
        }
    }

    private static final class Sensor {
        final long index;
        String name = "";
        String descr = "";
        String type;
        Double value;
        String status;

        Sensor(long index) {
            this.index = index;
        }

        void add(MetricSample m) {
            name = name.isEmpty() ? m.labels().getOrDefault("entPhysicalName", "") : name;
            descr = descr.isEmpty() ? m.labels().getOrDefault("entPhysicalDescr", "") : descr;
            type = type == null ? nonEmpty(m.label("entPhySensorType")) : type;
            if (m.name().equals("entPhySensorValue")) {
                value = m.value();
            } else {
                status = SENSOR_STATUS.getOrDefault((int) m.value(), Long.toString((long) m.value()));
            }
        }

        SensorState build() {
            return new SensorState(index, name, descr, type, value, type == null ? null : SENSOR_UNIT.get(type), status);
        }
    }

    private static final class Ups {
        String manufacturer;
        String model;
        String batteryStatus;
        Double charge;
        Double runtime;
        Double onBatterySeconds;
        Double batteryVoltage;
        Double batteryTemperature;
        String outputSource;
        Double outputFrequency;
        Integer alarms;
        final Map<Long, double[]> input = new TreeMap<>();
        final Map<Long, double[]> output = new TreeMap<>();

        void add(MetricSample m) {
            double v = m.value();
            switch (m.name()) {
                case "upsIdentManufacturer" -> manufacturer = nonEmpty(m.label("upsIdentManufacturer"));
                case "upsIdentModel" -> model = nonEmpty(m.label("upsIdentModel"));
                case "upsBatteryStatus" -> batteryStatus = v == 1 ? m.label("upsBatteryStatus") : batteryStatus;
                case "upsEstimatedChargeRemaining" -> charge = v;
                case "upsEstimatedMinutesRemaining" -> runtime = v * 60;
                case "upsSecondsOnBattery" -> onBatterySeconds = v;
                case "upsBatteryVoltage" -> batteryVoltage = tenth(v);
                case "upsBatteryTemperature" -> batteryTemperature = v;
                case "upsOutputSource" -> outputSource = v == 1 ? m.label("upsOutputSource") : outputSource;
                case "upsOutputFrequency" -> outputFrequency = tenth(v);
                case "upsAlarmsPresent" -> alarms = (int) v;
                case "upsInputVoltage" -> line(input, m, "upsInputLineIndex")[0] = v;
                case "upsInputCurrent" -> line(input, m, "upsInputLineIndex")[1] = tenth(v);
                case "upsInputTruePower" -> line(input, m, "upsInputLineIndex")[2] = v;
                case "upsInputFrequency" -> line(input, m, "upsInputLineIndex")[3] = tenth(v);
                case "upsOutputVoltage" -> line(output, m, "upsOutputLineIndex")[0] = v;
                case "upsOutputCurrent" -> line(output, m, "upsOutputLineIndex")[1] = tenth(v);
                case "upsOutputPower" -> line(output, m, "upsOutputLineIndex")[2] = v;
                case "upsOutputPercentLoad" -> line(output, m, "upsOutputLineIndex")[4] = v;
                default -> {
                    // counters such as upsInputLineBads stay at /metrics
                }
            }
        }

        /** MIB units of 0.1 (V, A, Hz) to units, without binary noise (2301 × 0.1 = 230.1, not 230.10000000000002). */
        private static double tenth(double v) {
            return java.math.BigDecimal.valueOf(v).movePointLeft(1).doubleValue();
        }

        /** voltage, current, power, frequency, load; NaN where not read. */
        private static double[] line(Map<Long, double[]> lines, MetricSample m, String label) {
            Long i = index(m.label(label));
            return lines.computeIfAbsent(i == null ? 0 : i, k -> new double[] {Double.NaN, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN});
        }

        UpsState build() {
            if (batteryStatus == null && charge == null && runtime == null && onBatterySeconds == null && outputSource == null) {
                return null;
            }
            List<UpsState.Line> in = new ArrayList<>();
            input.forEach((i, l) -> in.add(new UpsState.Line(i, num(l[0]), num(l[1]), num(l[2]), num(l[3]), null)));
            List<UpsState.Line> out = new ArrayList<>();
            output.forEach((i, l) -> out.add(new UpsState.Line(i, num(l[0]), num(l[1]), num(l[2]), null, num(l[4]))));
            Double load = out.stream().map(UpsState.Line::loadPercent).filter(java.util.Objects::nonNull)
                    .max(Double::compare).orElse(null);
            return new UpsState(manufacturer, model, batteryStatus, charge, runtime, onBatterySeconds, batteryVoltage,
                    batteryTemperature, outputSource, outputSource == null ? null : outputSource.equals("battery"), load,
                    outputFrequency, alarms, in, out);
        }

        private static Double num(double v) {
            return Double.isNaN(v) ? null : v;
        }
    }
}
