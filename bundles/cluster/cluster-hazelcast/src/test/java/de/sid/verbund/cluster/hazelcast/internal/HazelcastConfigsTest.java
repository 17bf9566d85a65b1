package de.sid.verbund.cluster.hazelcast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import de.sid.verbund.testsupport.Configs;
import org.junit.jupiter.api.Test;

class HazelcastConfigsTest {

    @Test
    void defaultsGiveALoopbackTcpIpMemberWithoutPhoneHomeOrJet() {
        Config c = HazelcastConfigs.build(Configs.of(ClusterConfig.class), "node-1");

        assertThat(c.getClusterName()).isEqualTo("verbund");
        assertThat(c.getInstanceName()).isEqualTo("node-1");
        assertThat(c.getMemberAttributeConfig().getAttribute(HazelcastConfigs.MEMBER_ID_ATTRIBUTE)).isEqualTo("node-1");
        assertThat(c.getProperties())
                .containsEntry("hazelcast.phone.home.enabled", "false")
                .containsEntry("hazelcast.socket.bind.any", "false")
                .containsEntry("hazelcast.logging.type", "slf4j")
                .containsEntry("hazelcast.shutdownhook.enabled", "false")
                .containsEntry("hazelcast.heartbeat.interval.seconds", "1")
                .containsEntry("hazelcast.max.no.heartbeat.seconds", "5");
        assertThat(c.getNetworkConfig().getPort()).isEqualTo(5701);
        assertThat(c.getNetworkConfig().isPortAutoIncrement()).isTrue();
        assertThat(c.getNetworkConfig().getPortCount()).isEqualTo(3);
        assertThat(c.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
        assertThat(c.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
        JoinConfig join = c.getNetworkConfig().getJoin();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
        assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
        assertThat(join.getTcpIpConfig().getMembers()).containsExactly("127.0.0.1");
        assertThat(c.getJetConfig().isEnabled()).isFalse();
    }

    @Test
    void ourKeysReachHazelcast() {
        Config c = HazelcastConfigs.build(Configs.of(ClusterConfig.class,
                "cluster_name", "prod", "bind_address", "10.0.0.5", "port", 6000, "port_auto_increment", false,
                "members", " 10.0.0.5:6000, 10.0.0.6:6000 ,,10.0.0.7", "heartbeat_interval_s", 2,
                "max_no_heartbeat_s", 10), "a");

        assertThat(c.getClusterName()).isEqualTo("prod");
        assertThat(c.getNetworkConfig().getPort()).isEqualTo(6000);
        assertThat(c.getNetworkConfig().isPortAutoIncrement()).isFalse();
        assertThat(c.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("10.0.0.5");
        assertThat(c.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
                .containsExactly("10.0.0.5:6000", "10.0.0.6:6000", "10.0.0.7");
        assertThat(c.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("2");
        assertThat(c.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("10");
    }

    @Test
    void verbundMapsMergePutIfAbsentAndAreProtectedOnlyAboveAMinimumOfOne() {
        Config solo = HazelcastConfigs.build(Configs.of(ClusterConfig.class), "a");
        assertThat(solo.getSplitBrainProtectionConfigs()).isEmpty();
        assertThat(solo.getMapConfig("verbund.anything").getMergePolicyConfig().getPolicy())
                .isEqualTo(com.hazelcast.spi.merge.PutIfAbsentMergePolicy.class.getName());
        assertThat(solo.getProperty("hazelcast.merge.first.run.delay.seconds")).isEqualTo("10");
        assertThat(solo.getProperty("hazelcast.merge.next.run.delay.seconds")).isEqualTo("10");

        Config three = HazelcastConfigs.build(Configs.of(ClusterConfig.class, "min_cluster_size", 2,
                "merge_check_s", 3), "a");
        com.hazelcast.config.SplitBrainProtectionConfig p =
                three.getSplitBrainProtectionConfig(HazelcastConfigs.SPLIT_BRAIN_PROTECTION);
        assertThat(p.getMinimumClusterSize()).isEqualTo(2);
        assertThat(p.isEnabled()).isTrue();
        assertThat(three.getMapConfig("verbund.anything").getSplitBrainProtectionName())
                .isEqualTo(HazelcastConfigs.SPLIT_BRAIN_PROTECTION);
        assertThat(three.getProperty("hazelcast.merge.next.run.delay.seconds")).isEqualTo("3");
        assertThat(three.getMemberAttributeConfig().getAttribute(HazelcastConfigs.STARTED_AT_ATTRIBUTE)).isNotBlank();
    }

    @Test
    void portRangesOfMembersAreExpanded() {
        assertThat(HazelcastConfigs.members("127.0.0.1:5701-5703, 10.0.0.9, [fd00::1]:6000-6001"))
                .containsExactly("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703", "10.0.0.9",
                        "[fd00::1]:6000", "[fd00::1]:6001");
        assertThatThrownBy(() -> HazelcastConfigs.members("127.0.0.1:5703-5701")).hasMessageContaining("must go up");
    }

    @Test
    void rejectsSettingsThatCannotWork() {
        assertThatThrownBy(() -> HazelcastConfigs.build(Configs.of(ClusterConfig.class, "members", ""), "a"))
                .hasMessageContaining("members");
        assertThatThrownBy(() -> HazelcastConfigs.build(Configs.of(ClusterConfig.class,
                "heartbeat_interval_s", 5, "max_no_heartbeat_s", 5), "a"))
                .hasMessageContaining("max.no.heartbeat.s (5)");
        assertThatThrownBy(() -> HazelcastConfigs.build(Configs.of(ClusterConfig.class, "bind_address", " "), "a"))
                .hasMessageContaining("bind.address");
    }
}
