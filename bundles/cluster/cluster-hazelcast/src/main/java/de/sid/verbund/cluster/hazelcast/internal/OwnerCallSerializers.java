package de.sid.verbund.cluster.hazelcast.internal;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/** Creates the owner-call classes on the receiving member; registered in the member's configuration. */
final class OwnerCallSerializers implements DataSerializableFactory {
    /** Our factory id (Hazelcast's own factories use negative ids). */
    static final int FACTORY_ID = 4711;
    static final int TASK = 1;
    static final int ANSWER = 2;

    @Override
    public IdentifiedDataSerializable create(int typeId) {
        return switch (typeId) {
            case TASK -> new OwnerCallTask();
            case ANSWER -> new OwnerAnswer();
            default -> null;
        };
    }
}
