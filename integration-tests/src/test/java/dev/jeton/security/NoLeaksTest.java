package dev.jeton.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.InvalidGrantException;
import dev.jeton.InvalidScopeException;
import dev.jeton.InvalidTokenException;
import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenEvent;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.internal.RefreshTokenCodec;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.security.CapturingSlf4jProvider.LogRecord;
import dev.jeton.store.TokenStore;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import dev.jeton.store.jdbc.JdbcTokenStore;
import dev.jeton.store.jdbc.TestDatabases;
import dev.jeton.testing.TestClock;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No token, refresh secret, key or pepper ever appears in a log line (message, pattern, arguments, throwable chain),
 * an event, or an exception message (causes included). The whole lifecycle runs with a pepper, an HMAC key and an EC
 * key, once signing with each, against the in-memory store and the JDBC store on H2, with every logger enabled down to
 * TRACE by {@link CapturingSlf4jProvider}.
 */
class NoLeaksTest {

    private static final String CLIENT = "web";

    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"in-memory", "jdbc-h2"})
    @DisplayName("no secret in logs, events or exception messages across issue, validate, refresh, reuse, revoke")
    void noSecretLeaks(String storeKind) throws Exception {
        byte[] hmacSecret = new byte[32];
        new SecureRandom().nextBytes(hmacSecret);
        byte[] pepper = new byte[48];
        new SecureRandom().nextBytes(pepper);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        java.security.KeyPair ecPair = generator.generateKeyPair();
        JwtKey hmacKey = JwtKey.hmac("leak-hs256", JwsAlgorithm.HS256, hmacSecret);
        JwtKey ecKey = JwtKey.ofKeyPair("leak-es256", JwsAlgorithm.ES256, ecPair);

        Set<String> secrets = new LinkedHashSet<>();
        secrets.addAll(encodings(hmacSecret));
        secrets.addAll(encodings(pepper));
        BigInteger scalar = ((ECPrivateKey) ecPair.getPrivate()).getS();
        secrets.add(scalar.toString());
        secrets.add(scalar.toString(16));
        secrets.addAll(encodings(fixed(scalar, 32)));
        secrets.addAll(encodings(ecPair.getPrivate().getEncoded()));

        List<TokenEvent> events = new CopyOnWriteArrayList<>();
        List<Throwable> thrown = new ArrayList<>();
        List<String> objects = new ArrayList<>();
        CapturingSlf4jProvider.capture();
        CapturingSlf4jProvider.silence(true); // the throwing listener is logged with a stack trace per event
        List<LogRecord> logs;
        try {
            for (JwtKey signing : List.of(hmacKey, ecKey)) {
                JwtKey other = signing == hmacKey ? ecKey : hmacKey;
                TestClock clock = TestClock.fixed();
                TokenStore store = store(storeKind);
                TokenService tokens = TokenService.builder()
                        .issuer("https://auth.example.com").audience("https://api.example.com")
                        .keys(KeyProvider.of(signing, other)).store(store).clock(clock)
                        .refreshTokenPepper(pepper).revocationAwareValidation(Duration.ZERO)
                        .eventListener(events::add)
                        .build();
                TokenService throwingListener = TokenService.builder()
                        .issuer("https://auth.example.com").audience("https://api.example.com")
                        .keys(KeyProvider.of(signing, other)).store(store).clock(clock)
                        .refreshTokenPepper(pepper).eventListener(event -> {
                            throw new IllegalStateException("listener failed on " + event);
                        })
                        .build();
                objects.add(signing.toString());
                objects.add(tokens.toString());
                objects.add(store.toString());

                TokenPair first = tokens.issue(IssueRequest.forSubject("alice").client(CLIENT)
                        .scopes("openid", "profile").claim("roles", List.of("admin")).build());
                TokenPair listenerPair = throwingListener.issue(IssueRequest.forSubject("bob").client(CLIENT).build());
                objects.add(first.toString());
                secrets.addAll(tokenSecrets(first));
                secrets.addAll(tokenSecrets(listenerPair));

                tokens.validate(first.accessToken());
                String access = first.accessToken();
                String[] parts = access.split("\\.");
                for (String bad : List.of(
                        parts[0] + "." + parts[1] + "." + flip(parts[2]),
                        parts[0] + "." + flip(parts[1]) + "." + parts[2],
                        access.substring(0, access.length() - 3),
                        access + ".extra.parts",
                        access + "!",
                        parts[0] + "." + parts[1],
                        first.refreshToken().orElseThrow(),
                        "Bearer " + access)) {
                    secrets.add(bad);
                    expect(thrown, InvalidTokenException.class, () -> tokens.validate(bad));
                    objects.add(tokens.introspect(bad).toString());
                }
                objects.add(tokens.introspect(access).toString());
                objects.add(tokens.introspect(first.refreshToken().orElseThrow()).toString());

                String refresh1 = first.refreshToken().orElseThrow();
                secrets.add(flip(refresh1));
                expect(thrown, InvalidGrantException.class, () -> tokens.refresh(
                        RefreshRequest.of(refresh1).client("other-client").build()));
                expect(thrown, InvalidScopeException.class, () -> tokens.refresh(
                        RefreshRequest.of(refresh1).client(CLIENT).scopes("email").build()));
                expect(thrown, InvalidGrantException.class, () -> tokens.refresh(
                        RefreshRequest.of(flip(refresh1)).client(CLIENT).build()));
                RefreshTokenCodec codec = new RefreshTokenCodec("jrt", null, new SecureRandom());
                String unknown = codec.newToken(codec.newFamilyReference(), 0);
                secrets.addAll(refreshSecrets(unknown));
                expect(thrown, InvalidGrantException.class, () -> tokens.refresh(
                        RefreshRequest.of(unknown).client(CLIENT).build()));

                TokenPair second = tokens.refresh(RefreshRequest.of(refresh1).client(CLIENT).scopes("openid").build());
                secrets.addAll(tokenSecrets(second));
                objects.add(second.toString());
                objects.add(RefreshRequest.of(refresh1).client(CLIENT).build().toString());

                // Reuse detection: the rotated token again revokes the family, with a WARN log and an event.
                expect(thrown, InvalidGrantException.class, () -> tokens.refresh(
                        RefreshRequest.of(refresh1).client(CLIENT).build()));
                expect(thrown, InvalidGrantException.class, () -> tokens.refresh(
                        RefreshRequest.of(second.refreshToken().orElseThrow()).client(CLIENT).build()));
                expect(thrown, InvalidTokenException.class, () -> tokens.validate(second.accessToken()));
                String listenerRefresh = listenerPair.refreshToken().orElseThrow();
                TokenPair listenerNext = throwingListener.refresh(RefreshRequest.of(listenerRefresh).client(CLIENT)
                        .build());
                secrets.addAll(tokenSecrets(listenerNext));
                expect(thrown, InvalidGrantException.class, () -> throwingListener.refresh(
                        RefreshRequest.of(listenerRefresh).client(CLIENT).build()));

                // Revocation of each kind, and introspection afterwards.
                TokenPair third = tokens.issue(IssueRequest.forSubject("alice").client(CLIENT).build());
                TokenPair fourth = tokens.issue(IssueRequest.forSubject("alice").client("mobile").build());
                secrets.addAll(tokenSecrets(third));
                secrets.addAll(tokenSecrets(fourth));
                tokens.revoke(third.accessToken());
                expect(thrown, InvalidTokenException.class, () -> tokens.validate(third.accessToken()));
                tokens.revoke(third.refreshToken().orElseThrow(), CLIENT);
                expect(thrown, InvalidGrantException.class, () -> tokens.refresh(
                        RefreshRequest.of(third.refreshToken().orElseThrow()).client(CLIENT).build()));
                tokens.revoke("not a token");
                tokens.revokeAll("alice");
                objects.add(tokens.sessions("alice").toString());
                objects.add(tokens.introspect(fourth.refreshToken().orElseThrow()).toString());
                expect(thrown, InvalidGrantException.class, () -> tokens.refresh(
                        RefreshRequest.of(fourth.refreshToken().orElseThrow()).client("mobile").build()));

                // Expiry of both kinds, then purge.
                TokenPair fifth = tokens.issue(IssueRequest.forSubject("carol").client(CLIENT).build());
                secrets.addAll(tokenSecrets(fifth));
                clock.advance(Duration.ofDays(100));
                expect(thrown, InvalidTokenException.class, () -> tokens.validate(fifth.accessToken()));
                expect(thrown, InvalidGrantException.class, () -> tokens.refresh(
                        RefreshRequest.of(fifth.refreshToken().orElseThrow()).client(CLIENT).build()));
                tokens.purgeExpired();
            }
        } finally {
            logs = CapturingSlf4jProvider.stop();
            CapturingSlf4jProvider.silence(false);
        }

        // The capture worked: debug lines from the service and the reuse warning were seen.
        assertThat(logs).anyMatch(r -> r.level() == org.slf4j.event.Level.DEBUG);
        assertThat(logs).anyMatch(r -> r.level() == org.slf4j.event.Level.WARN && r.message().contains("reused"));
        assertThat(events).anyMatch(e -> e instanceof TokenEvent.ReuseDetected);
        assertThat(events).anyMatch(e -> e instanceof TokenEvent.ValidationFailed);
        assertThat(thrown).hasSizeGreaterThan(20);

        List<String> texts = new ArrayList<>(objects);
        for (LogRecord record : logs) {
            texts.add(record.message());
            texts.add(String.valueOf(record.pattern()));
            record.arguments().forEach(argument -> texts.add(String.valueOf(argument)));
            texts.addAll(chain(record.throwable()));
        }
        events.forEach(event -> texts.add(event.toString()));
        thrown.forEach(throwable -> texts.addAll(chain(throwable)));

        List<String> leaks = new ArrayList<>();
        for (String text : texts) {
            for (String secret : secrets) {
                if (text.contains(secret)) {
                    leaks.add("'" + text + "' contains a secret of " + secret.length() + " characters");
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    private static TokenStore store(String kind) throws Exception {
        if (kind.equals("in-memory")) {
            return new InMemoryTokenStore();
        }
        DataSource h2 = TestDatabases.pool(TestDatabases.Kind.H2);
        return JdbcTokenStore.builder(h2).tablePrefix(TestDatabases.uniquePrefix()).createSchemaIfMissing(true)
                .build();
    }

    private static <T extends Throwable> void expect(List<Throwable> thrown, Class<T> type, Runnable action) {
        try {
            action.run();
        } catch (Throwable t) {
            assertThat(t).isInstanceOf(type);
            thrown.add(t);
            return;
        }
        throw new AssertionError("expected " + type.getSimpleName());
    }

    /** The message and toString of a throwable, its causes and suppressed ones. */
    private static List<String> chain(Throwable throwable) {
        List<String> texts = new ArrayList<>();
        for (Throwable t = throwable; t != null; t = t.getCause()) {
            texts.add(String.valueOf(t.getMessage()));
            texts.add(t.toString());
            for (Throwable suppressed : t.getSuppressed()) {
                texts.addAll(chain(suppressed));
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return texts;
    }

    private static List<String> tokenSecrets(TokenPair pair) {
        List<String> secrets = new ArrayList<>();
        String access = pair.accessToken();
        secrets.add(access);
        secrets.add(access.substring(access.lastIndexOf('.') + 1)); // the signature
        secrets.add(access.substring(0, access.lastIndexOf('.'))); // the signing input
        pair.refreshToken().ifPresent(refresh -> secrets.addAll(refreshSecrets(refresh)));
        return secrets;
    }

    /**
     * The token; its family reference (22 base62 characters after the prefix, never published); its secret (the 43
     * after the reference and the 6 of the generation) and that secret without its head.
     */
    private static List<String> refreshSecrets(String refresh) {
        int reference = refresh.indexOf('_') + 1;
        int secret = reference + 22 + 6;
        String body = refresh.substring(secret, secret + 43);
        return List.of(refresh, refresh.substring(reference, reference + 22), body, body.substring(8));
    }

    private static List<String> encodings(byte[] bytes) {
        return List.of(Base64.getEncoder().encodeToString(bytes),
                Base64.getEncoder().withoutPadding().encodeToString(bytes),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
                HexFormat.of().formatHex(bytes), HexFormat.of().withUpperCase().formatHex(bytes),
                new String(bytes, StandardCharsets.ISO_8859_1));
    }

    private static byte[] fixed(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }

    private static String flip(String segment) {
        char[] chars = segment.toCharArray();
        int i = chars.length / 2;
        chars[i] = chars[i] == 'A' ? 'B' : 'A';
        return new String(chars);
    }
}
