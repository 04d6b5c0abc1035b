package dev.jeton.spring.boot;

import dev.jeton.KeyException;
import dev.jeton.TokenEventListener;
import dev.jeton.key.JwkSets;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.key.KeyStoreKeys;
import dev.jeton.key.PemKeys;
import dev.jeton.key.RemoteJwksKeyProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;

/** Builds the {@link KeyProvider} from {@code jeton.keys.*}: exactly one source, or a generated key with a warning. */
final class JetonKeys {

    private static final Logger LOG = LoggerFactory.getLogger(JetonKeys.class);

    private JetonKeys() {
    }

    static boolean isRemote(JetonProperties.Keys keys) {
        return keys.getRemoteJwks().getUri() != null;
    }

    static KeyProvider provider(JetonProperties.Keys keys, Clock clock, TokenEventListener listener) {
        List<String> sources = new ArrayList<>();
        if (keys.getPem().getLocation() != null) {
            sources.add("jeton.keys.pem");
        }
        if (keys.getPkcs12().getLocation() != null) {
            sources.add("jeton.keys.pkcs12");
        }
        if (keys.getJwkSet().getLocation() != null) {
            sources.add("jeton.keys.jwk-set");
        }
        if (isRemote(keys)) {
            sources.add("jeton.keys.remote-jwks");
        }
        if (sources.size() > 1) {
            throw new IllegalStateException("Jeton's keys come from one source, but " + String.join(", ", sources)
                    + " are all set; keep one");
        }
        if (keys.getPem().getLocation() != null) {
            return KeyProvider.of(pem(keys.getPem()));
        }
        if (keys.getPkcs12().getLocation() != null) {
            return KeyProvider.of(pkcs12(keys.getPkcs12()));
        }
        if (keys.getJwkSet().getLocation() != null) {
            return jwkSet(keys.getJwkSet());
        }
        if (isRemote(keys)) {
            return RemoteJwksKeyProvider.builder(keys.getRemoteJwks().getUri()).clock(clock)
                    .cacheTtl(keys.getRemoteJwks().getCacheTtl()).eventListener(listener).build();
        }
        LOG.warn("No jeton.keys.* source is configured: Jeton signs with a {} key generated at start-up. Tokens "
                + "stop validating when the application restarts, and instances do not accept each other's tokens. "
                + "Configure jeton.keys.pem, jeton.keys.pkcs12 or jeton.keys.jwk-set for production.",
                keys.getGeneratedAlgorithm());
        return KeyProvider.of(JwtKey.generate(keys.getGeneratedAlgorithm()));
    }

    private static JwtKey pem(JetonProperties.Pem pem) {
        String kid = required(pem.getKid(), "jeton.keys.pem.kid");
        required(pem.getAlgorithm(), "jeton.keys.pem.algorithm");
        try (Reader reader = new InputStreamReader(pem.getLocation().getInputStream(), StandardCharsets.UTF_8)) {
            return pem.getPassword() == null ? PemKeys.read(reader, kid, pem.getAlgorithm())
                    : PemKeys.read(reader, kid, pem.getAlgorithm(), pem.getPassword().toCharArray());
        } catch (IOException e) {
            throw unreadable("jeton.keys.pem.location", pem.getLocation(), e);
        }
    }

    private static JwtKey pkcs12(JetonProperties.Pkcs12 p12) {
        String password = required(p12.getPassword(), "jeton.keys.pkcs12.password");
        String alias = required(p12.getAlias(), "jeton.keys.pkcs12.alias");
        required(p12.getAlgorithm(), "jeton.keys.pkcs12.algorithm");
        String keyPassword = p12.getKeyPassword() != null ? p12.getKeyPassword() : password;
        try (InputStream in = p12.getLocation().getInputStream()) {
            return KeyStoreKeys.load(in, password.toCharArray(), alias, keyPassword.toCharArray(),
                    p12.getKid() != null ? p12.getKid() : alias, p12.getAlgorithm());
        } catch (IOException e) {
            throw unreadable("jeton.keys.pkcs12.location", p12.getLocation(), e);
        }
    }

    private static KeyProvider jwkSet(JetonProperties.JwkSet set) {
        String json;
        try (InputStream in = set.getLocation().getInputStream()) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw unreadable("jeton.keys.jwk-set.location", set.getLocation(), e);
        }
        List<JwtKey> keys = JwkSets.parse(json);
        JwtKey signing = null;
        for (JwtKey key : keys) {
            if (set.getSigningKid() != null ? key.kid().equals(set.getSigningKid()) : key.canSign()) {
                signing = key;
                break;
            }
        }
        if (signing == null || !signing.canSign()) {
            throw new KeyException(set.getSigningKid() != null
                    ? "jeton.keys.jwk-set.signing-kid '" + set.getSigningKid()
                            + "' names no key of the set that can sign"
                    : "the JWK set at jeton.keys.jwk-set.location holds no key that can sign");
        }
        JwtKey chosen = signing;
        return KeyProvider.of(chosen, keys.stream().filter(key -> key != chosen).toArray(JwtKey[]::new));
    }

    private static <T> T required(T value, String property) {
        if (value == null || value instanceof String text && text.isBlank()) {
            throw new IllegalStateException(property + " is required with this key source");
        }
        return value;
    }

    private static KeyException unreadable(String property, Resource resource, IOException e) {
        // The resource's description names a path or URL, never key material.
        return new KeyException(property + ": cannot read " + resource.getDescription() + " ("
                + e.getClass().getSimpleName() + ")", e);
    }
}
