package dev.jeton.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.jeton.key.JwtKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes RFC 9068 access tokens as compact JWS: header {@code {"alg","typ":"at+jwt","kid"}}, the claims in a fixed
 * order, then the signature. Not part of Jeton's API.
 */
public final class AccessTokenWriter {

    /** The claims of one access token; {@code audiences} is written as a string when it holds one. */
    public record Claims(String issuer, String subject, List<String> audiences, long issuedAtSeconds,
                         long expiresAtSeconds, String jti, String clientId, Set<String> scopes, String sessionId,
                         Map<String, Object> extra) {
    }

    private final JwsSigner signer;

    public AccessTokenWriter(JwsSigner signer) {
        this.signer = signer;
    }

    public String write(JwtKey key, Claims claims) {
        return signer.sign(key, JwsSigner.ACCESS_TOKEN_TYPE, payload(claims));
    }

    private static byte[] payload(Claims c) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator g = Json.generator(out)) {
            g.writeStartObject();
            g.writeStringField("iss", c.issuer());
            g.writeStringField("sub", c.subject());
            writeAudience(g, c.audiences());
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

    /** {@code aud}: a string for one audience (the common case, and what RFC 9068 shows), else an array. */
    static void writeAudience(JsonGenerator g, List<String> audiences) throws IOException {
        if (audiences.size() == 1) {
            g.writeStringField("aud", audiences.get(0));
        } else {
            g.writeFieldName("aud");
            Json.writeValue(g, audiences);
        }
    }
}
