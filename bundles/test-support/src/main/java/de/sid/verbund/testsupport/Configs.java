package de.sid.verbund.testsupport;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds a typed DS configuration (an {@code @ObjectClassDefinition} or component-property
 * annotation type) for tests: values from the map, the rest from the annotation's defaults.
 * Keys use the method names ({@code cluster_name} for {@code cluster.name}).
 */
public final class Configs {
    private Configs() {
    }

    public static <T> T of(Class<T> type, Object... keyValues) {
        Map<String, Object> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        return of(type, values);
    }

    public static <T> T of(Class<T> type, Map<String, Object> values) {
        for (String key : values.keySet()) {
            try {
                type.getMethod(key);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(type.getSimpleName() + " has no key " + key);
            }
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (m.getDeclaringClass() == Object.class) {
                return switch (m.getName()) {
                    case "toString" -> type.getSimpleName() + values;
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    default -> throw new UnsupportedOperationException(m.getName());
                };
            }
            if (values.containsKey(m.getName())) {
                return coerce(values.get(m.getName()), m);
            }
            Object def = m.getDefaultValue();
            if (def == null) {
                throw new IllegalStateException(type.getSimpleName() + "." + m.getName() + " has no default and no value");
            }
            return def;
        });
        return type.cast(proxy);
    }

    private static Object coerce(Object v, Method m) {
        Class<?> rt = m.getReturnType();
        if (rt.isArray() && !v.getClass().isArray()) {
            Object arr = Array.newInstance(rt.getComponentType(), 1);
            Array.set(arr, 0, v);
            return arr;
        }
        return v;
    }
}
