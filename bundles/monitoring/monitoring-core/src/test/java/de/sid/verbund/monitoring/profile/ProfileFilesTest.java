package de.sid.verbund.monitoring.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.monitoring.PollRequest;
import de.sid.verbund.monitoring.smi.Oid;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every file under {@code monitoring/profiles/} loads and validates; broken files are refused with the reason. */
class ProfileFilesTest {
    static final Path PROFILES = Path.of("../../../monitoring/profiles");

    @Test
    void everyProfileFileLoadsAndValidates() {
        Map<String, Profile> profiles = new ProfileLoader().loadDirectory(PROFILES);
        assertThat(profiles).containsOnlyKeys("system", "if_mib", "host_resources", "ups_mib", "entity_sensor", "entity_mib");
        profiles.values().forEach(p -> assertThat(ProfileLoader.validate(p)).as(p.name()).isEmpty());
        Profile.Metric hc = profiles.get("if_mib").metrics().stream().filter(m -> m.name().equals("ifHCInOctets")).findFirst().orElseThrow();
        assertThat(hc.oid()).isEqualTo(Oid.parse("1.3.6.1.2.1.31.1.1.1.6"));
        assertThat(hc.type()).isEqualTo(MetricType.COUNTER);
        assertThat(hc.lookups()).extracting(Profile.Lookup::labelname).containsExactly("ifAlias", "ifDescr", "ifName");
        assertThat(hc.rate().name()).isEqualTo("verbund_if_in_octets_per_second");
        Profile.Metric low = profiles.get("if_mib").metrics().stream().filter(m -> m.name().equals("ifInOctets")).findFirst().orElseThrow();
        assertThat(low.rate().fallbackFor()).isEqualTo("ifHCInOctets");
    }

    @Test
    void pollRequestMergesWalksOfAllProfiles() {
        Map<String, Profile> profiles = new ProfileLoader().loadDirectory(PROFILES);
        PollRequest r = Profiles.pollRequest(profiles.values());
        // entity_sensor's two ENTITY-MIB columns lie inside entity_mib's entPhysicalTable walk
        assertThat(r.walks()).contains(Oid.parse("1.3.6.1.2.1.47.1.1.1")).doesNotContain(Oid.parse("1.3.6.1.2.1.47.1.1.1.1.7"));
        assertThat(r.scalars()).containsExactly(Oid.parse("1.3.6.1.2.1.33.1.1.1.0"), Oid.parse("1.3.6.1.2.1.33.1.1.2.0"));
        assertThat(Profiles.pollRequest(List.of(profiles.get("entity_sensor"))).walks()).contains(Oid.parse("1.3.6.1.2.1.47.1.1.1.1.7"));
    }

    @Test
    void selectionBySysObjectIdOrByHand() {
        ProfileLoader loader = new ProfileLoader();
        Profile apc = loader.load(yaml("""
                name: apc
                match: {sys_object_id: [1.3.6.1.4.1.318]}
                walk: [1.3.6.1.4.1.318.1.1.1.2.2]
                metrics:
                - {name: upsAdvBatteryCapacity, oid: 1.3.6.1.4.1.318.1.1.1.2.2.1, type: gauge}
                """), "apc.yaml");
        Profile system = loader.load(PROFILES.resolve("system.yaml"));
        Map<String, Profile> all = Map.of("apc", apc, "system", system);
        assertThat(Profiles.select(all, List.of(), Oid.parse("1.3.6.1.4.1.318.1.3.27"))).containsExactlyInAnyOrder(apc, system);
        assertThat(Profiles.select(all, List.of(), Oid.parse("1.3.6.1.4.1.3180.1"))).containsExactly(system);
        assertThat(Profiles.select(all, List.of("apc"), Oid.parse("1.3.6.1.4.1.9.1"))).containsExactly(apc);
        assertThatThrownBy(() -> Profiles.select(all, List.of("nope"), null)).hasMessageContaining("no profile named 'nope'");
    }

    @Test
    void typoInAKeyIsRefused() {
        assertThatThrownBy(() -> new ProfileLoader().load(yaml("""
                name: x
                match: {all: true}
                walk: [1.3.6.1.2.1.2]
                metrics:
                - {name: ifOperStatus, oid: 1.3.6.1.2.1.2.2.1.8, type: gauge, enum_value: {1: up}}
                """), "x.yaml"))
                .isInstanceOf(ProfileException.class).hasMessageContaining("x.yaml").hasMessageContaining("enum_value");
    }

    @Test
    void anObjectOutsideTheWalksIsRefused() {
        assertThatThrownBy(() -> new ProfileLoader().load(yaml("""
                name: x
                match: {all: true}
                walk: [1.3.6.1.2.1.2]
                metrics:
                - name: ifHCInOctets
                  oid: 1.3.6.1.2.1.31.1.1.1.6
                  type: counter
                  indexes: [{labelname: ifIndex}]
                  lookups: [{labels: [ifIndex], labelname: ifName, oid: 1.3.6.1.2.1.31.1.1.1.1}]
                """), "x.yaml"))
                .hasMessageContaining("metric ifHCInOctets: 1.3.6.1.2.1.31.1.1.1.6 is neither under a walked subtree nor in get");
    }

    @Test
    void badNamesTypesAndLookupsAreRefusedTogether() {
        assertThatThrownBy(() -> new ProfileLoader().load(yaml("""
                name: x
                walk: [1.3.6.1.2.1.2]
                metrics:
                - name: if-oper
                  oid: 1.3.6.1.2.1.2.2.1.8
                  type: gauge
                - name: ifType
                  oid: 1.3.6.1.2.1.2.2.1.3
                  type: EnumAsInfo
                  indexes: [{labelname: ifIndex}]
                  lookups: [{labels: [entPhysicalIndex], labelname: ifDescr, oid: 1.3.6.1.2.1.2.2.1.2}]
                - {name: ifSpeed, oid: 1.3.6.1.2.1.2.2.1.5, type: gauge, rate: {name: r}}
                """), "x.yaml"))
                .hasMessageContaining("'if-oper' is not a Prometheus metric name")
                .hasMessageContaining("EnumAsInfo needs enum_values")
                .hasMessageContaining("lookup ifDescr needs an oid and labels among the indexes")
                .hasMessageContaining("only a counter has a rate");
        assertThatThrownBy(() -> new ProfileLoader().load(yaml("""
                name: x
                walk: [1.3.6.1.2.1.2]
                metrics: [{name: a, oid: 1.3.6.1.2.1.2.1, type: Gauge}]
                """), "x.yaml")).hasMessageContaining("unknown type 'Gauge'");
    }

    private static ByteArrayInputStream yaml(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
