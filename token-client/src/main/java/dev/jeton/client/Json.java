package dev.jeton.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The flat JSON objects token-client reads and writes: token and error responses (RFC 6749 §5.1, §5.2) and the
 * storage file's plaintext. Members whose values are objects or arrays are skipped; a repeated member, trailing
 * content, or a document deeper than a few levels is refused.
 */
final class Json {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxNumberLength(64).build())
            .build();

    private Json() {
    }

    /**
     * The top-level members with string, number or boolean values: strings as they are, numbers as
     * {@link Long} (or {@link String} when not integral), booleans as {@link Boolean}.
     *
     * @throws IOException if the bytes are not one JSON object or a member is repeated
     */
    static Map<String, Object> readObject(byte[] json) throws IOException {
        Map<String, Object> members = new LinkedHashMap<>();
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (value) {
                    case VALUE_STRING -> members.put(name, parser.getText());
                    case VALUE_NUMBER_INT -> members.put(name, parser.getNumberType() == JsonParser.NumberType.INT
                            || parser.getNumberType() == JsonParser.NumberType.LONG ? parser.getLongValue()
                            : parser.getText());
                    case VALUE_NUMBER_FLOAT -> members.put(name, parser.getText());
                    case VALUE_TRUE, VALUE_FALSE -> members.put(name, value == JsonToken.VALUE_TRUE);
                    case START_OBJECT, START_ARRAY -> parser.skipChildren();
                    default -> {
                        // JSON null: the member is treated as absent.
                    }
                }
            }
            if (parser.nextToken() != null) {
                throw new IOException("content after the JSON object");
            }
        }
        return members;
    }

    /** A flat object of string and long members; null values are left out. */
    static byte[] writeObject(Map<String, Object> members) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            generator.writeStartObject();
            for (Map.Entry<String, Object> member : members.entrySet()) {
                if (member.getValue() instanceof Long number) {
                    generator.writeNumberField(member.getKey(), number);
                } else if (member.getValue() != null) {
                    generator.writeStringField(member.getKey(), member.getValue().toString());
                }
            }
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
        return out.toByteArray();
    }
}
