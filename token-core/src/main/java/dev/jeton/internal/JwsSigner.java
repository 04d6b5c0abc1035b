package dev.jeton.internal;

import dev.jeton.key.JwtKey;
import dev.jeton.key.ProviderPolicy;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs compact JWS with header {@code {"alg","typ","kid"}}, the encoded header computed once per key and type. The
 * type tells the two token kinds apart: {@code at+jwt} for access tokens (RFC 9068), {@code JWT} for ID tokens, so that
 * neither can be taken for the other. Thread-safe; not part of Jeton's API.
 */
public final class JwsSigner {

    /** The {@code typ} of access tokens. */
    public static final String ACCESS_TOKEN_TYPE = "at+jwt";
    /** The {@code typ} of ID tokens. */
    public static final String ID_TOKEN_TYPE = "JWT";

    private record HeaderKey(JwtKey key, String type) {
    }

    private final PreparedKeys preparedKeys;
    private final BoundedCache<HeaderKey, byte[]> headers = new BoundedCache<>(64);

    public JwsSigner(ProviderPolicy policy) {
        this.preparedKeys = new PreparedKeys(policy);
    }

    /** The compact JWS of {@code payloadJson} (UTF-8 JSON), signed with {@code key}. */
    public String sign(JwtKey key, String type, byte[] payloadJson) {
        HeaderKey headerKey = new HeaderKey(key, type);
        byte[] header = headers.computeIfAbsent(headerKey, JwsSigner::encodeHeader);
        byte[] payload = Base64Url.encodeToAscii(payloadJson);
        byte[] input = new byte[header.length + 1 + payload.length];
        System.arraycopy(header, 0, input, 0, header.length);
        input[header.length] = '.';
        System.arraycopy(payload, 0, input, header.length + 1, payload.length);
        byte[] signature = preparedKeys.get(key).sign(input);
        StringBuilder token = new StringBuilder(input.length + 1 + (signature.length * 4 + 2) / 3);
        token.append(new String(input, StandardCharsets.US_ASCII)).append('.').append(Base64Url.encode(signature));
        return token.toString();
    }

    private static byte[] encodeHeader(HeaderKey headerKey) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", headerKey.key().algorithm().id());
        header.put("typ", headerKey.type());
        header.put("kid", headerKey.key().kid());
        return Base64Url.encodeToAscii(Json.write(header));
    }
}
