package de.sid.verbund.cluster.hazelcast.internal;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * A named operation sent to the owner of a key ({@code ClusterService.callOnOwner}): the key, the
 * operation's name and the JSON payload. It is created on the receiving member by
 * {@link OwnerCallSerializers} (a factory object in the member's configuration, so no class is
 * looked up by name, which OSGi class loaders would make fragile) and finds that member's
 * {@link OwnerCalls} in the Hazelcast user context.
 */
final class OwnerCallTask implements Callable<OwnerAnswer>, IdentifiedDataSerializable, HazelcastInstanceAware {
    private String key;
    private String operation;
    private String payload;
    private transient HazelcastInstance hz;

    /** For Hazelcast's deserialisation. */
    OwnerCallTask() {
    }

    OwnerCallTask(String key, String operation, String payload) {
        this.key = key;
        this.operation = operation;
        this.payload = payload;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hz) {
        this.hz = hz;
    }

    @Override
    public OwnerAnswer call() {
        Object calls = hz == null ? null : hz.getUserContext().get(OwnerCalls.CONTEXT_KEY);
        if (!(calls instanceof OwnerCalls c)) {
            return OwnerAnswer.of(new ProblemException(ProblemType.UNAVAILABLE, "member " + (hz == null ? "?" : hz.getName())
                    + " takes no calls (its cluster service is stopping); try again"));
        }
        return c.answer(key, operation, payload);
    }

    @Override
    public int getFactoryId() {
        return OwnerCallSerializers.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return OwnerCallSerializers.TASK;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(key);
        out.writeString(operation);
        out.writeString(payload);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        key = in.readString();
        operation = in.readString();
        payload = in.readString();
    }
}
