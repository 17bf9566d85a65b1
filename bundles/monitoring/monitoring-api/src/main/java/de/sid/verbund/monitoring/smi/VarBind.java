package de.sid.verbund.monitoring.smi;

import java.util.Objects;

/**
 * A variable binding (RFC 3416 section 3): an object instance and its value, which may be
 * {@linkplain SnmpValue#isAbsent() absent}.
 *
 * @param oid the object instance, e.g. {@code 1.3.6.1.2.1.2.2.1.2.7} (ifDescr of ifIndex 7)
 * @param value its value
 */
public record VarBind(Oid oid, SnmpValue value) {
    public VarBind {
        Objects.requireNonNull(oid, "oid");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return oid + " = " + value;
    }
}
