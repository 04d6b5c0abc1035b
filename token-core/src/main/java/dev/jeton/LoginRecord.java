package dev.jeton;

import dev.jeton.internal.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a refresh needs of its login beyond the family record: the access token's extra claims, and the facts an ID
 * token carries unchanged across refreshes (OIDC Core §12.2: {@code auth_time}, {@code acr}, {@code amr}) and the
 * audiences granted (RFC 8707). All of it is kept in the family's {@link dev.jeton.store.RefreshFamily#claimsJson()},
 * the facts under one member whose name no request or customizer may use, so the store SPI is unchanged and a family
 * stored before the facts existed reads as a login authenticated at its creation, for the service's audience. The
 * nonce is not kept: it belongs to the login's ID token only.
 *
 * @param claims the access token's extra claims
 * @param authTime when the user authenticated
 * @param acr the authentication context class, if any
 * @param amr the authentication methods
 * @param audiences the audiences granted; empty means the service's audience
 */
record LoginRecord(Map<String, Object> claims, Instant authTime, Optional<String> acr, List<String> amr,
                   Set<String> audiences) {

    private static final String MEMBER = IssueRequest.INTERNAL_PREFIX + "login";

    /** The record of a login issued at {@code now}. */
    static LoginRecord of(IssueRequest request, Instant now) {
        return new LoginRecord(request.claims(), request.authTime().orElse(now), request.acr(), request.amr(),
                request.audiences());
    }

    /** The stored text; without the member when every fact is its default, as before the facts existed. */
    String toJson(Instant createdAt) {
        Map<String, Object> facts = new LinkedHashMap<>();
        if (authTime.getEpochSecond() != createdAt.getEpochSecond()) {
            facts.put("auth_time", authTime.getEpochSecond());
        }
        acr.ifPresent(value -> facts.put("acr", value));
        if (!amr.isEmpty()) {
            facts.put("amr", amr);
        }
        if (!audiences.isEmpty()) {
            facts.put("aud", List.copyOf(audiences));
        }
        if (facts.isEmpty()) {
            return Json.writeString(claims);
        }
        Map<String, Object> all = new LinkedHashMap<>(claims);
        all.put(MEMBER, facts);
        return Json.writeString(all);
    }

    /**
     * Reads what {@link #toJson} wrote.
     *
     * @throws RuntimeException if the text is not what Jeton writes
     */
    static LoginRecord parse(String json, Instant createdAt) {
        Map<String, Object> all = Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
        if (!(all.get(MEMBER) instanceof Map<?, ?> facts)) {
            return new LoginRecord(all, createdAt, Optional.empty(), List.of(), Set.of());
        }
        Map<String, Object> claims = new LinkedHashMap<>(all);
        claims.remove(MEMBER);
        Instant authTime = facts.get("auth_time") instanceof Long seconds ? Instant.ofEpochSecond(seconds) : createdAt;
        Optional<String> acr = Optional.ofNullable((String) facts.get("acr"));
        List<String> amr = new ArrayList<>();
        if (facts.get("amr") instanceof List<?> list) {
            list.forEach(value -> amr.add((String) value));
        }
        Set<String> audiences = new LinkedHashSet<>();
        if (facts.get("aud") instanceof List<?> list) {
            list.forEach(value -> audiences.add((String) value));
        }
        return new LoginRecord(Collections.unmodifiableMap(claims), authTime, acr, List.copyOf(amr),
                Collections.unmodifiableSet(audiences));
    }

    /**
     * The request a refresh mints with: this login, the scopes and audiences of the new access token, no nonce.
     */
    IssueRequest refreshRequest(String subject, String clientId, Set<String> scopes, Set<String> narrowedAudiences) {
        return new IssueRequest(subject, clientId, scopes, claims, narrowedAudiences, Optional.of(authTime), acr, amr,
                Optional.empty());
    }
}
