package de.sid.verbund.cluster.hazelcast.internal;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the owner sends back for an {@link OwnerCallTask}: the handler's JSON answer, or its problem
 * (the {@link ProblemType} by name, the detail and the errors; status and title follow from the
 * type). Only strings cross the wire.
 */
final class OwnerAnswer implements IdentifiedDataSerializable {
    private String json;
    private String problemType;
    private String detail;
    private List<String> errors = List.of();

    /** For Hazelcast's deserialisation ({@link OwnerCallSerializers}). */
    OwnerAnswer() {
    }

    static OwnerAnswer of(String json) {
        OwnerAnswer a = new OwnerAnswer();
        a.json = json;
        return a;
    }

    static OwnerAnswer of(ProblemException e) {
        OwnerAnswer a = new OwnerAnswer();
        a.problemType = e.type().name();
        a.detail = e.getMessage();
        a.errors = e.errors();
        return a;
    }

    /**
     * @return the answer's JSON
     * @throws ProblemException the owner's problem, rebuilt with the same type, detail and errors
     */
    String json() {
        if (problemType == null) {
            return json;
        }
        ProblemType type;
        try {
            type = ProblemType.valueOf(problemType);
        } catch (IllegalArgumentException e) { // a member of a newer version with a type this one lacks
            type = ProblemType.INTERNAL;
        }
        throw new ProblemException(type, detail, errors, null);
    }

    @Override
    public int getFactoryId() {
        return OwnerCallSerializers.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return OwnerCallSerializers.ANSWER;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(json);
        out.writeString(problemType);
        out.writeString(detail);
        out.writeInt(errors.size());
        for (String e : errors) {
            out.writeString(e);
        }
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        json = in.readString();
        problemType = in.readString();
        detail = in.readString();
        int n = in.readInt();
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(in.readString());
        }
        errors = List.copyOf(list);
    }
}
