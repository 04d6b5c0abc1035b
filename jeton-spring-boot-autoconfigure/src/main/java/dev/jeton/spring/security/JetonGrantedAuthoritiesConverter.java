package dev.jeton.spring.security;

import dev.jeton.VerifiedAccessToken;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The authorities of a verified access token: each scope as {@code SCOPE_x}, and each role of a configurable claim
 * (a string or a list of strings, e.g. {@code "roles": ["admin"]}) as {@code ROLE_x}. Prefixes are configurable; a
 * roles claim of another type gives no role.
 */
public final class JetonGrantedAuthoritiesConverter implements Converter<Jwt, Collection<GrantedAuthority>> {

    private final String scopePrefix;
    private final String rolesClaim;
    private final String rolePrefix;

    /**
     * @param scopePrefix the prefix of scope authorities, e.g. {@code SCOPE_}
     * @param rolesClaim the claim holding roles; empty for none
     * @param rolePrefix the prefix of role authorities, e.g. {@code ROLE_}
     */
    public JetonGrantedAuthoritiesConverter(String scopePrefix, String rolesClaim, String rolePrefix) {
        this.scopePrefix = Objects.requireNonNull(scopePrefix, "scopePrefix");
        this.rolesClaim = Objects.requireNonNull(rolesClaim, "rolesClaim");
        this.rolePrefix = Objects.requireNonNull(rolePrefix, "rolePrefix");
    }

    /** {@code SCOPE_} scopes and {@code ROLE_} roles from the {@code roles} claim. */
    public static JetonGrantedAuthoritiesConverter withDefaults() {
        return new JetonGrantedAuthoritiesConverter("SCOPE_", "roles", "ROLE_");
    }

    @Override
    public Collection<GrantedAuthority> convert(Jwt jwt) {
        List<GrantedAuthority> authorities = new ArrayList<>();
        Collection<String> scopes = jwt instanceof JetonJwt jeton ? jeton.verifiedAccessToken().scopes()
                : scopesOf(jwt);
        for (String scope : scopes) {
            authorities.add(new SimpleGrantedAuthority(scopePrefix + scope));
        }
        if (!rolesClaim.isEmpty()) {
            Object roles = jwt instanceof JetonJwt jeton ? rolesOf(jeton.verifiedAccessToken())
                    : jwt.getClaims().get(rolesClaim);
            if (roles instanceof String role) {
                authorities.add(new SimpleGrantedAuthority(rolePrefix + role));
            } else if (roles instanceof Collection<?> list) {
                for (Object role : list) {
                    if (role instanceof String name && !name.isEmpty()) {
                        authorities.add(new SimpleGrantedAuthority(rolePrefix + name));
                    }
                }
            }
        }
        return authorities;
    }

    private Object rolesOf(VerifiedAccessToken token) {
        return token.claims().get(rolesClaim);
    }

    private static Collection<String> scopesOf(Jwt jwt) {
        String scope = jwt.getClaimAsString("scope");
        return scope == null || scope.isBlank() ? List.of() : List.of(scope.trim().split(" +"));
    }
}
