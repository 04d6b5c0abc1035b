package dev.jeton.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict, bounded JSON for JOSE headers and claims sets, on Jackson's streaming API: duplicate members are an
 * error (RFC 7515 §5.2 lets a parser reject them, and RFC 8725 §3.x asks for it), nesting, number length, string
 * length and member count are capped, and the result is plain immutable Java values. A member whose value is
 * {@code null} is treated as absent. Not part of Jeton's API.
 */
public final class Json {

    /** Maximum nesting of objects and arrays inside a header or claims set. */
    public static final int MAX_DEPTH = 16;
    /** Maximum digits in a number. Real numeric dates have 10. */
    public static final int MAX_NUMBER_LENGTH = 32;
    /** Maximum number of values (members and array elements) in one document. */
    public static final int MAX_VALUES = 1_000;
    private static final int MAX_STRING_LENGTH = 64 * 1024;
    private static final int MAX_NAME_LENGTH = 1024;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNameLength(MAX_NAME_LENGTH)
                    .maxDocumentLength(1024 * 1024)
                    .build())
            .build();

    private Json() {
    }

    /** Thrown for any input that is not a single, well-formed, bounded JSON object. Carries no input text. */
    public static final class JsonException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        JsonException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Parses one JSON object. Integers become {@link Long} (or {@link BigInteger} when they do not fit), fractions
     * {@link Double}, arrays unmodifiable {@link List}s, objects unmodifiable insertion-ordered {@link Map}s without
     * their null-valued members.
     */
    public static Map<String, Object> parseObject(byte[] utf8) {
        return parseObject(utf8, false);
    }

    /**
     * Like {@link #parseObject(byte[])}, but with {@code keepNulls} a member whose value is {@code null} is kept,
     * mapped to {@link #NULL}: for JOSE headers, where {@code "crit": null} must count as present.
     */
    public static Map<String, Object> parseObject(byte[] utf8, boolean keepNulls) {
        try (JsonParser parser = isPlainAscii(utf8) ? FACTORY.createParser(utf8)
                : FACTORY.createParser(decodeUtf8(utf8))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonException("expected a JSON object");
            }
            int[] budget = {MAX_VALUES};
            Map<String, Object> result = readObject(parser, budget, keepNulls);
            if (parser.nextToken() != null) {
                throw new JsonException("trailing content after the JSON object");
            }
            return result;
        } catch (JsonException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Jackson's messages may quote the input; keep only the kind of problem.
            throw new JsonException("invalid JSON (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Decodes strict UTF-8 without a byte order mark (RFC 7515 §2, RFC 8259 §8.1). Given bytes, Jackson would guess
     * UTF-16 or UTF-32 from their pattern, skip a BOM, and let overlong and surrogate sequences through, so one
     * header or claims set could be spelled several ways.
     */
    private static char[] decodeUtf8(byte[] utf8) {
        if (utf8.length >= 3 && utf8[0] == (byte) 0xEF && utf8[1] == (byte) 0xBB && utf8[2] == (byte) 0xBF) {
            throw new JsonException("JSON starts with a byte order mark");
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8));
            char[] text = new char[chars.remaining()];
            chars.get(text);
            return text;
        } catch (CharacterCodingException e) {
            throw new JsonException("JSON is not UTF-8");
        }
    }

    /** ASCII without NUL is valid UTF-8 that Jackson cannot mistake for UTF-16 or UTF-32: the fast path. */
    private static boolean isPlainAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b <= 0) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Object> readObject(JsonParser parser, int[] budget, boolean keepNulls)
            throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            spend(budget);
            Object value = readValue(parser, parser.nextToken(), budget);
            if (value != NULL || keepNulls) {
                map.put(name, value);
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new JsonException("unterminated JSON object");
        }
        return Collections.unmodifiableMap(map);
    }

    private static Object readValue(JsonParser parser, JsonToken token, int[] budget) throws IOException {
        if (token == null) {
            throw new JsonException("unexpected end of JSON");
        }
        switch (token) {
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return switch (parser.getNumberType()) {
                    case INT, LONG -> parser.getLongValue();
                    default -> parser.getBigIntegerValue();
                };
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return NULL;
            case START_OBJECT:
                return readObject(parser, budget, false);
            case START_ARRAY:
                List<Object> list = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    spend(budget);
                    Object element = readValue(parser, next, budget);
                    list.add(element == NULL ? null : element);
                }
                return Collections.unmodifiableList(list);
            default:
                throw new JsonException("unexpected JSON token " + token);
        }
    }

    private static void spend(int[] budget) {
        if (--budget[0] < 0) {
            throw new JsonException("JSON document has more than " + MAX_VALUES + " values");
        }
    }

    /** JSON {@code null} while reading; kept in the result only where asked for. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** Serialises a map of JSON-compatible values (see {@link #checkValue}) to UTF-8. */
    public static byte[] write(Map<String, ?> object) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator generator = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            writeValue(generator, object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Serialises to a String. */
    public static String writeString(Map<String, ?> object) {
        return new String(write(object), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Opens a generator that writes UTF-8 into {@code out}; for hot paths that write members directly. */
    public static JsonGenerator generator(ByteArrayBuilder out) {
        try {
            return FACTORY.createGenerator(out, JsonEncoding.UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void writeValue(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof String s) {
            generator.writeString(s);
        } else if (value instanceof Boolean b) {
            generator.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            generator.writeNumber(((Number) value).longValue());
        } else if (value instanceof BigInteger big) {
            generator.writeNumber(big);
        } else if (value instanceof BigDecimal decimal) {
            generator.writeNumber(decimal);
        } else if (value instanceof Double || value instanceof Float) {
            generator.writeNumber(((Number) value).doubleValue());
        } else if (value instanceof Map<?, ?> map) {
            generator.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                generator.writeFieldName((String) e.getKey());
                writeValue(generator, e.getValue());
            }
            generator.writeEndObject();
        } else if (value instanceof Collection<?> collection) {
            generator.writeStartArray();
            for (Object element : collection) {
                writeValue(generator, element);
            }
            generator.writeEndArray();
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    /** Values kept free, out of {@link #MAX_VALUES}, for the claims Jeton writes itself beside the extra ones. */
    public static final int RESERVED_VALUES = 24;

    /**
     * Checks that {@code value} is JSON-compatible (String, Boolean, integral Number, finite Double/Float,
     * BigDecimal, Collection or Map with String keys of such values) within the limits {@link #parseObject} reads
     * back: nested at most {@link #MAX_DEPTH} levels counting the enclosing claims object, strings at most 64 Ki
     * characters, names at most 1,024, numbers at most {@link #MAX_NUMBER_LENGTH} characters. Returns an immutable
     * copy.
     *
     * @throws IllegalArgumentException naming the claim and the limit, never quoting the value
     */
    public static Object checkValue(String name, Object value) {
        return checkValue(name, value, 0);
    }

    /**
     * Checks claims as a whole: each value as {@link #checkValue}, and all of them together within the
     * {@link #MAX_VALUES} budget of the reader, less {@link #RESERVED_VALUES}. Returns how many values they hold.
     *
     * @throws IllegalArgumentException if they hold more
     */
    public static int checkBudget(Map<String, Object> claims) {
        int values = 0;
        for (Map.Entry<String, Object> e : claims.entrySet()) {
            values += 1 + countValues(e.getValue());
        }
        if (values > MAX_VALUES - RESERVED_VALUES) {
            throw new IllegalArgumentException("claims hold " + values + " JSON values (members and array elements); "
                    + "at most " + (MAX_VALUES - RESERVED_VALUES) + " fit in a token a validator reads back");
        }
        return values;
    }

    private static int countValues(Object value) {
        int count = 0;
        if (value instanceof Map<?, ?> map) {
            for (Object v : map.values()) {
                count += 1 + countValues(v);
            }
        } else if (value instanceof Collection<?> collection) {
            for (Object v : collection) {
                count += 1 + countValues(v);
            }
        }
        return count;
    }

    private static Object checkValue(String name, Object value, int depth) {
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("a claim name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        if (value == null) {
            throw new IllegalArgumentException("claim '" + name + "' is null; leave it out instead");
        }
        if (value instanceof String string) {
            if (string.length() > MAX_STRING_LENGTH) {
                throw new IllegalArgumentException("claim '" + name + "' holds a string longer than "
                        + MAX_STRING_LENGTH + " characters");
            }
            return value;
        }
        if (value instanceof Boolean || value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            return value;
        }
        if (value instanceof BigInteger || value instanceof BigDecimal) {
            if (value.toString().length() > MAX_NUMBER_LENGTH) {
                throw new IllegalArgumentException("claim '" + name + "' holds a number longer than "
                        + MAX_NUMBER_LENGTH + " characters");
            }
            return value;
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("claim '" + name + "' is not a finite number");
            }
            return value;
        }
        boolean container = value instanceof Map<?, ?> || value instanceof Collection<?>;
        // The claims object is level 1, so a container directly under it opens level 2.
        if (container && depth + 2 > MAX_DEPTH) {
            throw new IllegalArgumentException("claim '" + name + "' is nested deeper than " + MAX_DEPTH
                    + " levels, counting the claims object");
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("claim '" + name + "' has a non-String key");
                }
                if (key.length() > MAX_NAME_LENGTH) {
                    throw new IllegalArgumentException("claim '" + name + "' has a member name longer than "
                            + MAX_NAME_LENGTH + " characters");
                }
                copy.put(key, checkValue(name, e.getValue(), depth + 1));
            }
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof Collection<?> collection) {
            List<Object> copy = new ArrayList<>(collection.size());
            for (Object element : collection) {
                copy.add(checkValue(name, element, depth + 1));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException("claim '" + name + "' has type " + value.getClass().getName()
                + "; use String, Boolean, a number, a List or a Map of those");
    }
}
