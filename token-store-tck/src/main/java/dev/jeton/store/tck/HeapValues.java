package dev.jeton.store.tck;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every text an object graph in the heap holds, found by reflection: what a store that keeps its state in the JVM
 * holds, for the check that none of it is a usable token.
 */
final class HeapValues {

    private static final int MAX_DEPTH = 40;

    private HeapValues() {
    }

    /** The strings, byte arrays and char arrays reachable from {@code root}, outside the JDK's own classes. */
    static List<Object> of(Object root) {
        List<Object> values = new ArrayList<>();
        walk(root, Collections.newSetFromMap(new IdentityHashMap<>()), values, 0);
        return values;
    }

    /** A stored value as text: bytes as ISO-8859-1, so that any token bytes show. */
    static String text(Object value) {
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        if (value instanceof char[] chars) {
            return new String(chars);
        }
        return String.valueOf(value);
    }

    private static void walk(Object object, Set<Object> seen, List<Object> out, int depth) {
        if (object == null || depth > MAX_DEPTH || !seen.add(object)) {
            return;
        }
        Class<?> type = object.getClass();
        if (object instanceof CharSequence || object instanceof byte[] || object instanceof char[]) {
            out.add(object instanceof CharSequence cs ? cs.toString() : object);
            return;
        }
        if (object instanceof Number || object instanceof Boolean || object instanceof Enum<?>
                || object instanceof Instant || object instanceof Class<?> || object instanceof Thread) {
            return;
        }
        if (type.isArray()) {
            if (!type.getComponentType().isPrimitive()) {
                for (int i = 0; i < Array.getLength(object); i++) {
                    walk(Array.get(object, i), seen, out, depth + 1);
                }
            }
            return;
        }
        if (object instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : List.copyOf(map.entrySet())) {
                walk(e.getKey(), seen, out, depth + 1);
                walk(e.getValue(), seen, out, depth + 1);
            }
            return;
        }
        if (object instanceof Collection<?> collection) {
            for (Object element : List.copyOf(collection)) {
                walk(element, seen, out, depth + 1);
            }
            return;
        }
        if (object instanceof Optional<?> optional) {
            optional.ifPresent(v -> walk(v, seen, out, depth + 1));
            return;
        }
        String name = type.getName();
        if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.")
                || name.startsWith("sun.")) {
            return;
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                    continue;
                }
                try {
                    field.setAccessible(true);
                    walk(field.get(object), seen, out, depth + 1);
                } catch (RuntimeException | IllegalAccessException e) {
                    // A field behind module walls belongs to the JDK and holds no store data.
                }
            }
        }
    }
}
