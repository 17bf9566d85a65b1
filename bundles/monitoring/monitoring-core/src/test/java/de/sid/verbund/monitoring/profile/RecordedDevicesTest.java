package de.sid.verbund.monitoring.profile;

import de.sid.verbund.monitoring.MetricSample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import de.sid.verbund.monitoring.PollRequest;
import de.sid.verbund.monitoring.PollResult;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.SnmpValue;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mapper on real recorded devices (../shared/data/snmprec): the recording is turned into the
 * poll result an agent serving it would give for the profiles' request, and the samples are
 * checked against the values in the file.
 */
class RecordedDevicesTest {
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    static Map<String, Profile> profiles;

    @BeforeAll
    static void load() {
        profiles = new ProfileLoader().loadDirectory(ProfileFilesTest.PROFILES);
    }

    static ProfileMapper.Result map(ProfileMapper mapper, String device, Snmprec rec, Instant at) {
        SnmpValue sysObjectId = rec.get("1.3.6.1.2.1.1.2.0");
        List<Profile> chosen = Profiles.select(profiles, List.of(),
                sysObjectId instanceof SnmpValue.ObjectIdentifier o ? o.value() : null);
        PollRequest request = Profiles.pollRequest(chosen);
        PollResult poll = rec.poll(device, request, at);
        return mapper.map(device, "dd-rz1", poll, chosen);
    }

    static List<MetricSample> find(ProfileMapper.Result r, String name, Predicate<MetricSample> where) {
        return r.samples().stream().filter(s -> s.name().equals(name)).filter(where).toList();
    }

    static MetricSample one(ProfileMapper.Result r, String name, String label, String value) {
        List<MetricSample> found = find(r, name, s -> value.equals(s.label(label)));
        assertThat(found).as(name + "{" + label + "=\"" + value + "\"}").hasSize(1);
        return found.get(0);
    }

    @Test
    void switchInterfacesAsSnmpExporterNamesThem() throws IOException {
        ProfileMapper.Result r = map(new ProfileMapper(), "arista-1", Snmprec.read("arista_eos_vrf.snmprec"), T0);
        MetricSample in = one(r, "ifHCInOctets", "ifIndex", "1");
        assertThat(in.value()).isEqualTo(6576944);
        assertThat(in.kind()).isEqualTo(MetricSample.Kind.COUNTER);
        assertThat(in.labels()).containsEntry("ifName", "Ethernet1").containsEntry("ifAlias", "trunk to switchname2")
                .containsEntry("device", "arista-1").containsEntry("site", "dd-rz1");
        assertThat(in.labels().keySet()).containsExactly("ifIndex", "ifAlias", "ifDescr", "ifName", "device", "site");
        assertThat(find(r, "ifHCInOctets", s -> true)).hasSize(29);
        assertThat(one(r, "ifOperStatus", "ifIndex", "1").value()).isIn(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0);
        // ifType is an EnumAsInfo, like snmp_exporter's
        assertThat(one(r, "ifType", "ifIndex", "1").label("ifType")).isEqualTo("ethernetCsmacd");
        assertThat(find(r, "sysUpTime", s -> true)).singleElement().extracting(MetricSample::value).isEqualTo(49383892.0);
        // first poll: no rate yet
        assertThat(find(r, "verbund_if_in_octets_per_second", s -> true)).isEmpty();
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void secondPollGivesRatesFromTheHcCountersAndNoDoubleSeries() throws IOException {
        ProfileMapper mapper = new ProfileMapper();
        Snmprec first = Snmprec.read("procurve_2520.snmprec");
        map(mapper, "procurve", first, T0);
        Oid hcIn3 = Oid.parse("1.3.6.1.2.1.31.1.1.1.6.3");
        Oid upTime = PollRequest.SYS_UP_TIME;
        // 60 s later (sysUpTime + 6000 ticks), 7,500,000 octets more on ifIndex 3 (a 100 Mbit/s port: limit 12.5 MB/s)
        Snmprec second = first.with(e -> {
            if (e.getKey().equals(hcIn3)) {
                return Map.entry(e.getKey(), new SnmpValue.Counter64(66088322L + 7_500_000L));
            }
            if (e.getKey().equals(upTime)) {
                return Map.entry(e.getKey(), new SnmpValue.TimeTicks(1084104545L + 6000));
            }
            return e;
        });
        ProfileMapper.Result r = map(mapper, "procurve", second, T0.plusSeconds(60));
        MetricSample rate = one(r, "verbund_if_in_octets_per_second", "ifIndex", "3");
        assertThat(rate.value()).isCloseTo(125_000.0, within(1e-9));
        assertThat(rate.kind()).isEqualTo(MetricSample.Kind.GAUGE);
        assertThat(rate.labels()).containsEntry("ifName", "3");
        // unchanged counters: rate 0, one series per interface although ifInOctets is there too
        assertThat(find(r, "verbund_if_in_octets_per_second", s -> true)).hasSize(44);
        assertThat(one(r, "verbund_if_in_octets_per_second", "ifIndex", "5").value()).isZero();
        // this agent has no ifTable octet counters: no ifInOctets sample, never a 0
        assertThat(find(r, "ifInOctets", s -> true)).isEmpty();
    }

    @Test
    void thirtyTwoBitCountersGiveTheRateWhereThereAreNoHcCounters() throws IOException {
        ProfileMapper mapper = new ProfileMapper();
        Snmprec first = Snmprec.read("eaton-mgeups_5px.snmprec");
        map(mapper, "ups-1", first, T0);
        Oid in2 = Oid.parse("1.3.6.1.2.1.2.2.1.10.2");
        // 1,000,000 octets more in 100 s (sysUpTime + 10,000 ticks)
        Snmprec second = first.with(e -> e.getKey().equals(in2)
                ? Map.entry(e.getKey(), new SnmpValue.Counter32(44870299L + 1_000_000L))
                : e.getKey().equals(PollRequest.SYS_UP_TIME) ? Map.entry(e.getKey(), new SnmpValue.TimeTicks(8855446L + 10_000)) : e);
        ProfileMapper.Result r = map(mapper, "ups-1", second, T0.plusSeconds(100));
        assertThat(one(r, "verbund_if_in_octets_per_second", "ifIndex", "2").value()).isCloseTo(10_000.0, within(1e-9));
        assertThat(one(r, "verbund_if_in_octets_per_second", "ifIndex", "2").label("ifDescr")).isEqualTo("eth0");
        assertThat(find(r, "ifHCInOctets", s -> true)).isEmpty();
        // the raw counter is exposed as read, as snmp_exporter does
        assertThat(one(r, "ifInOctets", "ifIndex", "2").value()).isEqualTo(45870299.0);
        assertThat(one(r, "ifInOctets", "ifIndex", "2").kind()).isEqualTo(MetricSample.Kind.COUNTER);
    }

    @Test
    void agentRestartGivesNoRateNotASpike() throws IOException {
        ProfileMapper mapper = new ProfileMapper();
        Snmprec first = Snmprec.read("procurve_2520.snmprec");
        map(mapper, "procurve", first, T0);
        Snmprec rebooted = first.with(e -> e.getKey().equals(PollRequest.SYS_UP_TIME) ? Map.entry(e.getKey(), new SnmpValue.TimeTicks(3000)) : e);
        ProfileMapper.Result r = map(mapper, "procurve", rebooted, T0.plusSeconds(60));
        assertThat(find(r, "verbund_if_in_octets_per_second", s -> true)).isEmpty();
        assertThat(mapper.rates().resets()).isGreaterThan(0);
        assertThat(find(r, "ifHCInOctets", s -> true)).isNotEmpty();
    }

    @Test
    void upsBatteryAndLines() throws IOException {
        ProfileMapper.Result r = map(new ProfileMapper(), "ups-riello", Snmprec.read("netmanplus_204.snmprec"), T0);
        assertThat(find(r, "upsEstimatedChargeRemaining", s -> true)).singleElement().extracting(MetricSample::value).isEqualTo(100.0);
        assertThat(find(r, "upsEstimatedMinutesRemaining", s -> true)).singleElement().extracting(MetricSample::value).isEqualTo(135.0);
        assertThat(find(r, "verbund_ups_battery_runtime_seconds", s -> true)).singleElement().extracting(MetricSample::value).isEqualTo(8100.0);
        assertThat(find(r, "verbund_ups_battery_voltage_volts", s -> true)).singleElement().extracting(MetricSample::value).isEqualTo(122.5);
        assertThat(one(r, "upsBatteryStatus", "upsBatteryStatus", "batteryNormal").value()).isEqualTo(1);
        assertThat(one(r, "upsBatteryStatus", "upsBatteryStatus", "batteryLow").value()).isEqualTo(0);
        assertThat(find(r, "upsBatteryStatus", s -> true)).hasSize(4);
        // on battery: upsOutputSource battery(5); this one runs normal(3)
        assertThat(one(r, "upsOutputSource", "upsOutputSource", "battery").value()).isEqualTo(0);
        assertThat(one(r, "upsOutputSource", "upsOutputSource", "normal").value()).isEqualTo(1);
        assertThat(one(r, "upsInputVoltage", "upsInputLineIndex", "1").value()).isEqualTo(242);
        assertThat(one(r, "verbund_ups_input_frequency_hertz", "upsInputLineIndex", "1").value()).isEqualTo(50.1);
        assertThat(one(r, "upsOutputVoltage", "upsOutputLineIndex", "1").value()).isEqualTo(231);
        assertThat(one(r, "upsOutputPercentLoad", "upsOutputLineIndex", "1").value()).isEqualTo(8);
        assertThat(find(r, "upsOutputPercentLoad", s -> true)).hasSize(3);
        assertThat(find(r, "upsIdentManufacturer", s -> true)).singleElement().extracting(s -> s.label("upsIdentManufacturer")).isEqualTo("RPS SpA");
        // the Eaton has UPS-MIB too: charge 100 %, 43 minutes
        ProfileMapper.Result eaton = map(new ProfileMapper(), "ups-eaton", Snmprec.read("eaton-mgeups_5px.snmprec"), T0);
        assertThat(find(eaton, "upsEstimatedMinutesRemaining", s -> true)).singleElement().extracting(MetricSample::value).isEqualTo(43.0);
    }

    @Test
    void sensorsWithScaleAndPrecisionApplied() throws IOException {
        ProfileMapper.Result r = map(new ProfileMapper(), "arista-1", Snmprec.read("arista_eos_vrf.snmprec"), T0);
        // entPhySensorType celsius(8), scale units(9), precision 1, value 418: 41.8 °C
        MetricSample t = one(r, "verbund_sensor_temperature_celsius", "entPhysicalIndex", "100006001");
        assertThat(t.value()).isEqualTo(41.8);
        assertThat(one(r, "entPhySensorValue", "entPhysicalIndex", "100006001").label("entPhySensorType")).isEqualTo("celsius");
        assertThat(find(r, "verbund_sensor_temperature_celsius", s -> true)).hasSize(10);
        // voltsDC sensors are not temperatures
        assertThat(find(r, "verbund_sensor_temperature_celsius", s -> "100006007".equals(s.label("entPhysicalIndex")))).isEmpty();

        ProfileMapper.Result hp = map(new ProfileMapper(), "procurve", Snmprec.read("procurve_2520.snmprec"), T0);
        MetricSample chassis = one(hp, "verbund_sensor_temperature_celsius", "entPhysicalIndex", "25");
        assertThat(chassis.value()).isEqualTo(20.0);
        assertThat(chassis.labels()).containsEntry("entPhysicalName", "Chassis Temperature")
                .containsEntry("entPhysicalDescr", "HP J9850A Switch temperature sensor");
    }

    @Test
    void serverCpuStorageAndMemory() throws IOException {
        ProfileMapper.Result r = map(new ProfileMapper(), "linux-1", Snmprec.read("linux_powermon.snmprec"), T0);
        assertThat(find(r, "hrProcessorLoad", s -> true)).hasSize(24);
        assertThat(one(r, "hrProcessorLoad", "hrDeviceIndex", "196610").value()).isEqualTo(100);
        assertThat(find(r, "hrMemorySize", s -> true)).singleElement().extracting(MetricSample::value).isEqualTo(49225180.0);
        MetricSample root = one(r, "verbund_host_storage_size_bytes", "hrStorageDescr", "/");
        assertThat(root.value()).isEqualTo(18341120.0 * 4096);
        assertThat(one(r, "verbund_host_storage_used_bytes", "hrStorageDescr", "/").value()).isEqualTo(3307213.0 * 4096);
        assertThat(one(r, "hrStorageUsed", "hrStorageDescr", "/").value()).isEqualTo(3307213.0);
        assertThat(root.label("hrStorageIndex")).isEqualTo("55");
        assertThat(root.label("hrStorageType")).isEqualTo("1.3.6.1.2.1.25.2.1.4");
        assertThat(find(r, "sysDescr", s -> true)).singleElement().extracting(s -> s.label("sysDescr"))
                .asString().startsWith("Linux some.host.com 4.18.0-259.el8.x86_64");
    }

    @Test
    void inventoryFromEntityMib() throws IOException {
        ProfileMapper.Result r = map(new ProfileMapper(), "c9300", Snmprec.read("iosxe_c9300.snmprec"), T0);
        List<MetricSample> chassis = find(r, "entPhysicalClass", s -> "chassis".equals(s.label("entPhysicalClass")));
        assertThat(chassis).isNotEmpty();
        assertThat(chassis).allSatisfy(s -> assertThat(s.labels()).containsKeys("entPhysicalSerialNum", "entPhysicalModelName"));
    }

    @Test
    void absentValuesGiveNoSampleNeverZero() throws IOException {
        Snmprec rec = Snmprec.read("arista_eos_vrf.snmprec");
        Oid hcIn1 = Oid.parse("1.3.6.1.2.1.31.1.1.1.6.1");
        Snmprec gone = rec.with(e -> e.getKey().equals(hcIn1) ? Map.entry(e.getKey(), SnmpValue.NO_SUCH_INSTANCE) : e);
        ProfileMapper.Result r = map(new ProfileMapper(), "arista-1", gone, T0);
        assertThat(find(r, "ifHCInOctets", s -> "1".equals(s.label("ifIndex")))).isEmpty();
        assertThat(find(r, "ifHCInOctets", s -> true)).hasSize(28);
        // a UPS scalar asked for by GET that the switch does not have: noSuchObject, no sample
        PollResult poll = gone.poll("arista-1", Profiles.pollRequest(profiles.values()), T0);
        assertThat(poll.scalars().get(Oid.parse("1.3.6.1.2.1.33.1.1.1.0"))).isEqualTo(SnmpValue.NO_SUCH_OBJECT);
        assertThat(new ProfileMapper().map("arista-1", "dd-rz1", poll, profiles.values()).samples())
                .noneMatch(s -> s.name().startsWith("ups"));
    }

    @Test
    void unreachableDeviceGivesNoSamples() {
        PollResult down = new PollResult("x", false, SnmpValue.NO_SUCH_OBJECT, Map.of(), Map.of(), T0, java.time.Duration.ofSeconds(3), 1, 0,
                java.util.Optional.of("timeout"));
        assertThat(new ProfileMapper().map("x", "s", down, profiles.values()).samples()).isEmpty();
    }

    @Test
    void wrongTypeIsAProblemNotASample() {
        Oid charge = Oid.parse("1.3.6.1.2.1.33.1.2.4.0");
        PollResult poll = new PollResult("ups", true, new SnmpValue.TimeTicks(100), Map.of(charge, SnmpValue.OctetString.ofUtf8("100%")),
                Map.of(), T0, java.time.Duration.ofMillis(3), 1, 1, java.util.Optional.empty());
        ProfileMapper.Result r = new ProfileMapper().map("ups", "s", poll, List.of(profiles.get("ups_mib")));
        assertThat(r.samples()).isEmpty();
        assertThat(r.problems()).singleElement().asString().contains("upsEstimatedChargeRemaining").contains("100%");
    }
}
