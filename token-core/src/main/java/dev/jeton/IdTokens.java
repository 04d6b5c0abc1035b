package dev.jeton;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.jeton.internal.Json;
import dev.jeton.internal.JwsSigner;
import dev.jeton.internal.TokenHashes;
import dev.jeton.key.JwtKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Writes OpenID Connect ID tokens (OIDC Core §2): header {@code typ: JWT}, never {@code at+jwt}, so that no validator
 * takes one token kind for the other. Claims {@code iss}, {@code sub}, {@code aud} (the client id), {@code exp},
 * {@code iat}, {@code auth_time}, {@code nonce} (a login that carried one; never on refresh, §12.2), {@code acr} and
 * {@code amr} when given, {@code azp} (the client id: §2 allows it with a single audience, and relying parties that
 * check it find it), {@code sid} (the session, as in the access token), {@code at_hash} of the access token issued
 * with it (§3.1.3.6), then the customizer's. Thread-safe.
 */
final class IdTokens {

    /** The scope that makes a request an OpenID Connect one. */
    static final String OPENID = "openid";

    private final String issuer;
    private final Duration ttl;
    private final IdTokenClaimsCustomizer customizer;
    private final JwsSigner signer;

    IdTokens(String issuer, Duration ttl, IdTokenClaimsCustomizer customizer, JwsSigner signer) {
        this.issuer = issuer;
        this.ttl = ttl;
        this.customizer = customizer;
        this.signer = signer;
    }

    /** Whether {@code request} gets an ID token: an OpenID Connect request. */
    static boolean wanted(IssueRequest request) {
        return request.scopes().contains(OPENID);
    }

    /**
     * The signed ID token that goes with {@code accessToken}. Fallible (customizer, signature); call it before
     * anything is stored or consumed.
     *
     * @param sessionId the session, or null without one
     * @throws IllegalStateException if the customizer fails or sets a reserved or invalid claim
     */
    String write(JwtKey key, IssueRequest request, String sessionId, String accessToken, Instant now) {
        Map<String, Object> extra = customizer == null ? Map.of()
                : CustomClaims.merge(Map.of(), customizer.claims(request), IdTokenClaimsCustomizer.RESERVED_CLAIMS,
                        "ID token claims customizer");
        long iat = now.getEpochSecond();
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator g = Json.generator(out)) {
            g.writeStartObject();
            g.writeStringField("iss", issuer);
            g.writeStringField("sub", request.subject());
            g.writeStringField("aud", request.clientId());
            g.writeNumberField("exp", iat + ttl.toSeconds());
            g.writeNumberField("iat", iat);
            g.writeNumberField("auth_time", request.authTime().orElse(now).getEpochSecond());
            if (request.nonce().isPresent()) {
                g.writeStringField("nonce", request.nonce().get());
            }
            if (request.acr().isPresent()) {
                g.writeStringField("acr", request.acr().get());
            }
            if (!request.amr().isEmpty()) {
                g.writeFieldName("amr");
                Json.writeValue(g, request.amr());
            }
            g.writeStringField("azp", request.clientId());
            if (sessionId != null) {
                g.writeStringField("sid", sessionId);
            }
            g.writeStringField("at_hash", TokenHashes.atHash(key, accessToken));
            for (Map.Entry<String, Object> e : extra.entrySet()) {
                g.writeFieldName(e.getKey());
                Json.writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return signer.sign(key, JwsSigner.ID_TOKEN_TYPE, out.toByteArray());
    }
}
