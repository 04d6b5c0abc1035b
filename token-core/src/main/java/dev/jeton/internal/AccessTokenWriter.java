package dev.jeton.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.jeton.key.JwtKey;
import dev.jeton.key.ProviderPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes RFC 9068 access tokens as compact JWS: header {@code {"alg","typ":"at+jwt","kid"}}, the claims in a fixed
 * order, then the signature. The encoded header is computed once per key. Not part of Jeton's API.
 */
public final class AccessTokenWriter {

    /** The claims of one access token. */
    public record Claims(String issuer, String subject, String audience, long issuedAtSeconds, long expiresAtSeconds,
                         String jti, String clientId, Set<String> scopes, String sessionId,
                         Map<String, Object> extra) {
    }

    private final PreparedKeys preparedKeys;
    private final ConcurrentHashMap<JwtKey, byte[]> headers = new ConcurrentHashMap<>();

    public AccessTokenWriter(ProviderPolicy policy) {
        this.preparedKeys = new PreparedKeys(policy);
    }

    public String write(JwtKey key, Claims claims) {
        byte[] header = headers.get(key);
        if (header == null) {
            if (headers.size() > 16) {
                headers.clear();
            }
            header = headers.computeIfAbsent(key, AccessTokenWriter::encodeHeader);
        }
        byte[] payload = Base64Url.encodeToAscii(payload(claims));
        byte[] input = new byte[header.length + 1 + payload.length];
        System.arraycopy(header, 0, input, 0, header.length);
        input[header.length] = '.';
        System.arraycopy(payload, 0, input, header.length + 1, payload.length);
        byte[] signature = preparedKeys.get(key).sign(input);
        StringBuilder token = new StringBuilder(input.length + 1 + (signature.length * 4 + 2) / 3);
        token.append(new String(input, StandardCharsets.US_ASCII)).append('.').append(Base64Url.encode(signature));
        return token.toString();
    }

    private static byte[] encodeHeader(JwtKey key) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", key.algorithm().id());
        header.put("typ", "at+jwt");
        header.put("kid", key.kid());
        return Base64Url.encodeToAscii(Json.write(header));
    }

    private static byte[] payload(Claims c) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator g = Json.generator(out)) {
            g.writeStartObject();
            g.writeStringField("iss", c.issuer());
            g.writeStringField("sub", c.subject());
            g.writeStringField("aud", c.audience());
            g.writeNumberField("exp", c.expiresAtSeconds());
            g.writeNumberField("iat", c.issuedAtSeconds());
            g.writeStringField("jti", c.jti());
            g.writeStringField("client_id", c.clientId());
            if (!c.scopes().isEmpty()) {
                g.writeStringField("scope", Scopes.join(c.scopes()));
            }
            if (c.sessionId() != null) {
                g.writeStringField("sid", c.sessionId());
            }
            for (Map.Entry<String, Object> e : c.extra().entrySet()) {
                g.writeFieldName(e.getKey());
                Json.writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
