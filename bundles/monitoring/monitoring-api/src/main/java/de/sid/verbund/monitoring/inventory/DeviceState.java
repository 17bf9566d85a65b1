package de.sid.verbund.monitoring.inventory;

import java.util.List;
import java.util.Objects;

/**
 * What monitoring staff see of a device now: its status and, from its latest answered poll, its
 * interfaces, sensors and UPS. A section the device does not have (no IF-MIB, no
 * ENTITY-SENSOR-MIB, no UPS-MIB battery data) is empty or {@code null}; so are all of them
 * before the first answered poll and while the device does not answer.
 *
 * @param status up, last poll, sysDescr, uptime, problem
 * @param interfaces IF-MIB interfaces by ifIndex; empty if none
 * @param sensors ENTITY-SENSOR-MIB sensors by entPhysicalIndex; empty if none
 * @param ups the UPS-MIB (RFC 1628) state, or {@code null} if the device has no UPS battery data
 */
public record DeviceState(DeviceStatus status, List<InterfaceState> interfaces, List<SensorState> sensors, UpsState ups) {
    public DeviceState {
        Objects.requireNonNull(status, "status");
        interfaces = List.copyOf(interfaces);
        sensors = List.copyOf(sensors);
    }

    /**
     * One interface (IF-MIB, RFC 2863). Rates are per second over the last two polls, from the
     * 64-bit counters where the agent has them; {@code null} before the second poll, after a
     * counter reset, or when the agent lacks the counter.
     *
     * @param ifIndex the interface's index
     * @param ifName {@code ifName} (e.g. {@code Gi1/0/1}), or {@code ""} if the agent has none
     * @param ifDescr {@code ifDescr}, or {@code ""}
     * @param ifAlias {@code ifAlias} (the operator's description), or {@code ""}
     * @param ifType the IANAifType name, e.g. {@code ethernetCsmacd}, or {@code null}
     * @param physAddress the MAC address as {@code aa:bb:cc:dd:ee:ff}, or {@code null}
     * @param adminStatus {@code up}, {@code down} or {@code testing}, or {@code null}
     * @param operStatus {@code up}, {@code down}, {@code testing}, {@code unknown}, {@code dormant},
     *        {@code notPresent} or {@code lowerLayerDown}, or {@code null}
     * @param speedBitsPerSecond the bandwidth in bit/s: {@code ifSpeed}, or {@code ifHighSpeed} × 10⁶
     *        where ifSpeed is at its maximum (RFC 2863); {@code null} if unknown
     * @param inOctetsPerSecond bytes received per second
     * @param outOctetsPerSecond bytes sent per second
     * @param inUtilizationPercent {@code inOctetsPerSecond × 8 / speed × 100}; {@code null} without a rate or speed
     * @param outUtilizationPercent the same for bytes sent
     * @param inErrorsPerSecond {@code ifInErrors} per second
     * @param outErrorsPerSecond {@code ifOutErrors} per second
     * @param inDiscardsPerSecond {@code ifInDiscards} per second
     * @param outDiscardsPerSecond {@code ifOutDiscards} per second
     */
    public record InterfaceState(long ifIndex, String ifName, String ifDescr, String ifAlias, String ifType,
                                 String physAddress, String adminStatus, String operStatus, Long speedBitsPerSecond,
                                 Double inOctetsPerSecond, Double outOctetsPerSecond, Double inUtilizationPercent,
                                 Double outUtilizationPercent, Double inErrorsPerSecond, Double outErrorsPerSecond,
                                 Double inDiscardsPerSecond, Double outDiscardsPerSecond) {
    }

    /**
     * One sensor (ENTITY-SENSOR-MIB, RFC 3433).
     *
     * @param entPhysicalIndex the sensor's physical entity
     * @param name {@code entPhysicalName}, or {@code ""}
     * @param description {@code entPhysicalDescr}, or {@code ""}
     * @param type {@code entPhySensorType}: {@code celsius}, {@code percentRH}, {@code rpm},
     *        {@code voltsAC}, {@code voltsDC}, {@code amperes}, {@code watts}, {@code hertz},
     *        {@code cmm}, {@code truthvalue}, {@code specialEnum}, {@code dBm}, {@code other},
     *        {@code unknown}; {@code null} if not read
     * @param value {@code entPhySensorValue} × 10^(exponent of entPhySensorScale) / 10^entPhySensorPrecision,
     *        in {@code unit}; {@code null} if not read
     * @param unit {@code °C}, {@code %RH}, {@code rpm}, {@code V}, {@code A}, {@code W}, {@code Hz},
     *        {@code m³/min}, {@code dBm}; {@code null} for types without a unit
     * @param status {@code entPhySensorOperStatus}: {@code ok}, {@code unavailable} or
     *        {@code nonoperational}; {@code null} if not read
     */
    public record SensorState(long entPhysicalIndex, String name, String description, String type, Double value,
                              String unit, String status) {
    }

    /**
     * A UPS (UPS-MIB, RFC 1628), values in SI units.
     *
     * @param manufacturer {@code upsIdentManufacturer}, or {@code null}
     * @param model {@code upsIdentModel}, or {@code null}
     * @param batteryStatus {@code upsBatteryStatus}: {@code unknown}, {@code batteryNormal},
     *        {@code batteryLow} or {@code batteryDepleted}; {@code null} if not read
     * @param chargePercent {@code upsEstimatedChargeRemaining}, percent of full charge
     * @param runtimeSeconds {@code upsEstimatedMinutesRemaining} × 60: time to battery depletion
     * @param secondsOnBattery {@code upsSecondsOnBattery}: 0 when not on battery
     * @param batteryVoltageVolts {@code upsBatteryVoltage} × 0.1, volts DC
     * @param batteryTemperatureCelsius {@code upsBatteryTemperature}
     * @param outputSource {@code upsOutputSource}: {@code other}, {@code none}, {@code normal},
     *        {@code bypass}, {@code battery}, {@code booster}, {@code reducer}; {@code null} if not read
     * @param onBattery whether the output runs on battery ({@code outputSource} is {@code battery});
     *        {@code null} if the output source was not read
     * @param loadPercent the highest {@code upsOutputPercentLoad} of the output lines
     * @param outputFrequencyHertz {@code upsOutputFrequency} × 0.1
     * @param alarmsPresent {@code upsAlarmsPresent}
     * @param input the input lines by {@code upsInputLineIndex}
     * @param output the output lines by {@code upsOutputLineIndex}
     */
    public record UpsState(String manufacturer, String model, String batteryStatus, Double chargePercent,
                           Double runtimeSeconds, Double secondsOnBattery, Double batteryVoltageVolts,
                           Double batteryTemperatureCelsius, String outputSource, Boolean onBattery, Double loadPercent,
                           Double outputFrequencyHertz, Integer alarmsPresent, List<Line> input, List<Line> output) {
        public UpsState {
            input = List.copyOf(input);
            output = List.copyOf(output);
        }

        /**
         * One input or output line.
         *
         * @param line {@code upsInputLineIndex} or {@code upsOutputLineIndex}
         * @param voltageVolts RMS volts
         * @param currentAmperes RMS amperes (the MIB's 0.1 A × 0.1)
         * @param powerWatts true power in watts
         * @param frequencyHertz input lines: the frequency (the MIB's 0.1 Hz × 0.1); {@code null} for output lines
         * @param loadPercent output lines: percent of the UPS's capacity; {@code null} for input lines
         */
        public record Line(long line, Double voltageVolts, Double currentAmperes, Double powerWatts,
                           Double frequencyHertz, Double loadPercent) {
        }
    }
}
