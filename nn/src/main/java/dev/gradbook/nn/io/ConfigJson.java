package dev.gradbook.nn.io;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A configuration record as a JSON object, one member per record component, named as the
 * component is: {@code GptConfig[vocabSize=65, nLayer=4, ...]} becomes
 * {@code {"vocabSize":65,"nLayer":4,...}}. This is what a self-describing checkpoint stores in
 * its metadata, so that the file alone can rebuild its model.
 *
 * <p>Components may be {@code int}, {@code long}, {@code float}, {@code double}, {@code boolean},
 * {@code String} or an enum (stored by name). Reading is strict: a member the record does not
 * have, or a component the object lacks, is an error that names it, since a silently defaulted
 * size would build a model that the weights do not fit. The record's own constructor then checks
 * the values, as it does for a configuration written in code.
 *
 * <p>A component added to a record after files were written is the one exception: the reader
 * passes its value for files that predate it ({@link #read(String, Class, String, Map)}), the
 * value that every model had before the component existed, so that old files keep loading.
 */
public final class ConfigJson {
    private ConfigJson() {
    }

    /** The record's components as compact JSON, in declaration order. */
    public static String write(Record config) {
        Map<String, Object> members = new LinkedHashMap<>();
        for (RecordComponent c : config.getClass().getRecordComponents()) {
            Object value = accessor(config, c);
            members.put(c.getName(), value instanceof Enum<?> e ? e.name() : value);
        }
        return Json.write(members);
    }

    /**
     * The record of type {@code type} that {@code json} describes; {@code where} (a file name,
     * say) starts every error message.
     */
    public static <R extends Record> R read(String json, Class<R> type, String where) {
        return read(json, type, where, Map.of());
    }

    /**
     * As {@link #read(String, Class, String)}, but a component that {@code json} lacks and
     * {@code addedLater} names takes the value given there (boxed as the component's type, e.g.
     * {@code Map.of("slidingWindow", 0)}): components added to the record after files were written.
     */
    public static <R extends Record> R read(String json, Class<R> type, String where, Map<String, Object> addedLater) {
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": the " + type.getSimpleName() + " is not valid JSON ("
                    + e.getMessage() + ")", e);
        }
        if (!(parsed instanceof Map<?, ?> members)) {
            throw new IllegalArgumentException(where + ": the " + type.getSimpleName() + " is not a JSON object");
        }
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            String name = components[i].getName();
            types[i] = components[i].getType();
            if (!members.containsKey(name) && addedLater.containsKey(name)) {
                values[i] = addedLater.get(name);                   // a file written before the component existed
                continue;
            }
            if (!members.containsKey(name)) {
                throw new IllegalArgumentException(where + ": the " + type.getSimpleName() + " has no '" + name + "'");
            }
            values[i] = convert(members.get(name), types[i], where + ": " + type.getSimpleName() + "." + name);
        }
        for (Object key : members.keySet()) {
            if (!hasComponent(components, (String) key)) {
                throw new IllegalArgumentException(where + ": " + type.getSimpleName() + " has no component '" + key
                        + "' (written by another version of Gradbook?)");
            }
        }
        try {
            Constructor<R> canonical = type.getDeclaredConstructor(types);
            return canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw new IllegalArgumentException(where + ": " + bad.getMessage(), bad);
            }
            throw new IllegalStateException(where + ": cannot build a " + type.getSimpleName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ConfigJson: cannot call the constructor of " + type.getName(), e);
        }
    }

    private static Object convert(Object value, Class<?> type, String what) {
        if (type == int.class || type == long.class) {
            if (!(value instanceof Long n)) {
                throw mismatch(what, value, "an integer");
            }
            if (type == int.class && (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE)) {
                throw mismatch(what, value, "a 32-bit integer");
            }
            return type == int.class ? (Object) n.intValue() : n;
        }
        if (type == float.class || type == double.class) {
            if (!(value instanceof Number n)) {
                throw mismatch(what, value, "a number");
            }
            return type == float.class ? (Object) n.floatValue() : (Object) n.doubleValue();
        }
        if (type == boolean.class) {
            if (!(value instanceof Boolean)) {
                throw mismatch(what, value, "true or false");
            }
            return value;
        }
        if (type == String.class) {
            if (!(value instanceof String)) {
                throw mismatch(what, value, "a string");
            }
            return value;
        }
        if (type.isEnum()) {
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(value)) {
                    return constant;
                }
            }
            throw mismatch(what, value, "one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
        throw new IllegalArgumentException("ConfigJson: " + what + " has type " + type.getSimpleName()
                + ", which a configuration in JSON cannot hold");
    }

    private static IllegalArgumentException mismatch(String what, Object value, String expected) {
        return new IllegalArgumentException(what + " is " + value + ", expected " + expected);
    }

    private static boolean hasComponent(RecordComponent[] components, String name) {
        for (RecordComponent c : components) {
            if (c.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static Object accessor(Record config, RecordComponent c) {
        try {
            return c.getAccessor().invoke(config);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ConfigJson: cannot read " + c.getName() + " of " + config, e);
        }
    }
}
