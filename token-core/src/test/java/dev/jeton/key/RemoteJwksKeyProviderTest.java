package dev.jeton.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.jeton.AccessTokenValidator;
import dev.jeton.InvalidTokenException;
import dev.jeton.IssueRequest;
import dev.jeton.KeyException;
import dev.jeton.TokenEvent;
import dev.jeton.TokenService;
import dev.jeton.internal.Base64Url;
import dev.jeton.testing.CapturedLog;
import dev.jeton.testing.TestClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RemoteJwksKeyProviderTest {

    private static final Duration TTL = Duration.ofMinutes(5);
    private static final Duration INTERVAL = Duration.ofSeconds(30);
    private static final String ISSUER = "https://issuer.test";
    private static final String AUDIENCE = "https://api.test";

    private final TestClock clock = TestClock.fixed();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch releaseSlowResponses = new CountDownLatch(1);
    private final JwtKey first = JwtKey.generate("first", JwsAlgorithm.ES256);
    private final JwtKey second = JwtKey.generate("second", JwsAlgorithm.RS256);
    private volatile HttpHandler handler;
    private ExecutorService serverThreads;
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        serverThreads = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/jwks", exchange -> {
            requests.incrementAndGet();
            try (exchange) {
                handler.handle(exchange);
            }
        });
        server.setExecutor(serverThreads);
        server.start();
        serve(first);
    }

    @AfterEach
    void stopServer() {
        releaseSlowResponses.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
    }

    private RemoteJwksKeyProvider.Builder builder() {
        return RemoteJwksKeyProvider.builder(uri()).clock(clock).cacheTtl(TTL).minRefreshInterval(INTERVAL);
    }

    private void serve(JwtKey... keys) {
        String json = JwkSets.toPublicJson(List.of(keys));
        handler = exchange -> respond(exchange, 200, json);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/jwk-set+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Nested
    class Caching {

        @Test
        void firstLookupFetchesAndLaterOnesWithinTtlUseTheCache() {
            RemoteJwksKeyProvider keys = builder().build();
            assertThat(requests).hasValue(0);

            assertThat(keys.verificationKey("first")).hasValueSatisfying(key -> {
                assertThat(key.canSign()).isFalse();
                assertThat(key.verificationKey().getEncoded()).isEqualTo(first.verificationKey().getEncoded());
            });
            clock.advance(TTL.minusNanos(1));
            assertThat(keys.verificationKey("first")).isPresent();
            assertThat(keys.verificationKeys()).extracting(JwtKey::kid).containsExactly("first");

            assertThat(requests).hasValue(1);
        }

        @Test
        void lookupAfterTtlRefetchesAndSeesTheNewSet() {
            RemoteJwksKeyProvider keys = builder().build();
            keys.verificationKey("first");
            serve(second);

            clock.advance(TTL);

            assertThat(keys.verificationKeys()).extracting(JwtKey::kid).containsExactly("second");
            assertThat(keys.verificationKey("first")).isEmpty();
            assertThat(requests).hasValue(2);
        }

        @Test
        void unknownKidRefetchesAtMostOncePerInterval() {
            RemoteJwksKeyProvider keys = builder().build();
            keys.verificationKey("first");

            assertThat(keys.verificationKey("made-up")).isEmpty();
            assertThat(requests).as("within the interval of the first fetch").hasValue(1);

            clock.advance(INTERVAL);
            assertThat(keys.verificationKey("made-up")).isEmpty();
            assertThat(keys.verificationKey("made-up-too")).isEmpty();
            assertThat(requests).hasValue(2);

            serve(first, second);
            clock.advance(INTERVAL.minusNanos(1));
            assertThat(keys.verificationKey("second")).isEmpty();
            assertThat(requests).hasValue(2);

            clock.advance(Duration.ofNanos(1));
            assertThat(keys.verificationKey("second")).isPresent();
            assertThat(keys.verificationKey("first")).isPresent();
            assertThat(requests).hasValue(3);
        }

        @Test
        void concurrentFirstLookupsFetchOnce() throws Exception {
            CountDownLatch firstRequestArrived = new CountDownLatch(1);
            String json = JwkSets.toPublicJson(List.of(first));
            handler = exchange -> {
                firstRequestArrived.countDown();
                await(releaseSlowResponses);
                respond(exchange, 200, json);
            };
            RemoteJwksKeyProvider keys = builder().build();
            int callers = 8;
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            try {
                List<Future<Boolean>> found = new ArrayList<>();
                for (int i = 0; i < callers; i++) {
                    found.add(pool.submit(() -> keys.verificationKey("first").isPresent()));
                }
                assertThat(firstRequestArrived.await(10, TimeUnit.SECONDS)).isTrue();
                releaseSlowResponses.countDown();
                for (Future<Boolean> f : found) {
                    assertThat(f.get(10, TimeUnit.SECONDS)).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(requests).hasValue(1);
        }

        @Test
        void unusableKeysAreSkippedAndTheOthersUsed() {
            RSAPublicKey weak = (RSAPublicKey) TestKeyType.rsa(1024).getPublic();
            String weakJwk = "{\"kty\":\"RSA\",\"kid\":\"weak\",\"alg\":\"RS256\",\"n\":\""
                    + Base64Url.encode(unsigned(weak.getModulus().toByteArray())) + "\",\"e\":\"AQAB\"}";
            String good = JwkSets.toPublicJson(List.of(first));
            String json = good.replace("{\"keys\":[", "{\"keys\":[" + weakJwk + ",");
            handler = exchange -> respond(exchange, 200, json);

            RemoteJwksKeyProvider keys = builder().build();

            assertThat(keys.verificationKeys()).extracting(JwtKey::kid).containsExactly("first");
            assertThat(keys.verificationKey("weak")).isEmpty();
        }
    }

    @Nested
    class Events {

        @Test
        void eachFetchIsReportedWithItsOutcomeAndKeyCount() {
            List<TokenEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            RemoteJwksKeyProvider keys = builder().eventListener(events::add).build();

            assertThat(keys.verificationKey("first")).isPresent();
            clock.advance(TTL);
            handler = exchange -> respond(exchange, 500, "{}");
            assertThat(keys.verificationKey("first")).isPresent();

            assertThat(events).hasSize(2).allSatisfy(event ->
                    assertThat(event).isInstanceOf(TokenEvent.JwksFetched.class));
            TokenEvent.JwksFetched ok = (TokenEvent.JwksFetched) events.get(0);
            TokenEvent.JwksFetched failed = (TokenEvent.JwksFetched) events.get(1);
            assertThat(ok.succeeded()).isTrue();
            assertThat(ok.keys()).isEqualTo(1);
            assertThat(ok.location()).isEqualTo("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
            assertThat(ok.elapsed()).isPositive();
            assertThat(failed.succeeded()).isFalse();
            assertThat(failed.keys()).isZero();
            assertThat(failed.at()).isEqualTo(clock.instant());
        }

        @Test
        void lookupsServedFromTheCacheReportNothing() {
            List<TokenEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            RemoteJwksKeyProvider keys = builder().eventListener(events::add).build();

            keys.verificationKey("first");
            keys.verificationKey("first");
            keys.verificationKeys();

            assertThat(events).hasSize(1);
        }
    }

    @Nested
    class PublicKeysOnly {

        @Test
        void secretAndPrivateKeysOfTheSetAreSkippedAndTokensSignedWithThemRefusedAsUnknownKey() throws Exception {
            OctetSequenceKey shared = new OctetSequenceKeyGenerator(256).keyID("shared")
                    .algorithm(JWSAlgorithm.HS256).generate();
            RSAKey leaked = new RSAKeyGenerator(2048).keyID("leaked").algorithm(JWSAlgorithm.RS256).generate();
            String json = JwkSets.toPublicJson(List.of(first)).replace("{\"keys\":[",
                    "{\"keys\":[" + shared.toJSONString() + "," + leaked.toJSONString() + ",");
            handler = exchange -> respond(exchange, 200, json);
            AccessTokenValidator validator = AccessTokenValidator.builder().issuer(ISSUER).audience(AUDIENCE)
                    .keys(builder().build()).clock(clock).build();
            String forgedWithSecret = accessTokenSignedBy(JwtKey.hmac("shared", JwsAlgorithm.HS256,
                    shared.toByteArray()));
            String forgedWithPrivateKey = accessTokenSignedBy(JwtKey.ofKeyPair("leaked", JwsAlgorithm.RS256,
                    leaked.toKeyPair()));

            List<String> warnings;
            String everything;
            try (CapturedLog log = CapturedLog.start()) {
                assertThat(validator.validate(accessTokenSignedBy(first)).subject()).isEqualTo("alice");
                for (String forged : List.of(forgedWithSecret, forgedWithPrivateKey)) {
                    assertThatThrownBy(() -> validator.validate(forged))
                            .isInstanceOfSatisfying(InvalidTokenException.class,
                                    e -> assertThat(e.reason()).isEqualTo(InvalidTokenException.Reason.UNKNOWN_KEY));
                }
                warnings = log.warnings(JwkSets.class);
                everything = String.join("\n", log.lines());
            }

            assertThat(warnings).hasSize(2);
            assertThat(warnings.get(0)).contains("Skipping JWK 'shared' of the JWK set from " + uri()
                    + ": it carries secret or private key material (kty oct, member k)");
            assertThat(warnings.get(1)).contains("Skipping JWK 'leaked' of the JWK set from " + uri()
                    + ": it carries secret or private key material (member d, member p");
            assertThat(everything).doesNotContain(shared.getKeyValue().toString())
                    .doesNotContain(leaked.getPrivateExponent().toString());
            assertThat(requests).as("one fetch; the unknown kids wait for the refresh interval").hasValue(1);
        }

        private String accessTokenSignedBy(JwtKey key) {
            return TokenService.builder().issuer(ISSUER).audience(AUDIENCE).keys(KeyProvider.of(key)).clock(clock)
                    .build().issue(IssueRequest.forSubject("alice").client("web").build()).accessToken();
        }
    }

    @Nested
    class Failures {

        @Test
        void serverErrorKeepsTheLastGoodKeys() {
            RemoteJwksKeyProvider keys = builder().build();
            keys.verificationKey("first");
            handler = exchange -> respond(exchange, 500, "{\"error\":\"internal detail\"}");

            clock.advance(TTL);

            assertThat(keys.verificationKey("first")).isPresent();
            assertThat(keys.verificationKeys()).extracting(JwtKey::kid).containsExactly("first");
            assertThat(requests).as("one failed refetch, then a wait for the interval").hasValue(2);

            serve(second);
            clock.advance(INTERVAL);
            assertThat(keys.verificationKeys()).extracting(JwtKey::kid).containsExactly("second");
            assertThat(requests).hasValue(3);
        }

        @Test
        void firstFetchFailingThrowsAndWaitsForTheIntervalBeforeTryingAgain() {
            handler = exchange -> respond(exchange, 503, "down");
            RemoteJwksKeyProvider keys = builder().build();

            assertThatThrownBy(() -> keys.verificationKey("first"))
                    .isInstanceOf(KeyException.class)
                    .hasMessageStartingWith("no keys from " + uri() + " yet: HTTP status 503; next attempt from ")
                    .hasMessageNotContaining("down");
            assertThatThrownBy(keys::verificationKeys).isInstanceOf(KeyException.class);
            assertThat(requests).hasValue(1);

            serve(first);
            clock.advance(INTERVAL);
            assertThat(keys.verificationKey("first")).isPresent();
            assertThat(requests).hasValue(2);
        }

        @Test
        void responseLargerThanTheLimitIsRefused() {
            String padding = "x".repeat(RemoteJwksKeyProvider.DEFAULT_MAX_RESPONSE_BYTES);
            String json = JwkSets.toPublicJson(List.of(first)).replace("{\"keys\"", "{\"pad\":\"" + padding
                    + "\",\"keys\"");
            handler = exchange -> respond(exchange, 200, json);
            RemoteJwksKeyProvider keys = builder().build();

            assertThatThrownBy(() -> keys.verificationKey("first"))
                    .isInstanceOf(KeyException.class)
                    .hasMessageContaining("response larger than 262144 bytes");
        }

        @Test
        void streamedResponseIsCutOffAtTheLimitWithoutReadingTheRest() throws Exception {
            AtomicBoolean wroteEverything = new AtomicBoolean();
            CountDownLatch handlerDone = new CountDownLatch(1);
            handler = exchange -> {
                try {
                    exchange.sendResponseHeaders(200, 0);
                    OutputStream out = exchange.getResponseBody();
                    byte[] chunk = new byte[64 * 1024];
                    for (int i = 0; i < 1024; i++) {
                        out.write(chunk);
                    }
                    wroteEverything.set(true);
                } catch (IOException e) {
                    // The client closed the connection: the expected outcome.
                } finally {
                    handlerDone.countDown();
                }
            };
            RemoteJwksKeyProvider keys = builder().maxResponseBytes(1024).build();

            assertThatThrownBy(() -> keys.verificationKey("first"))
                    .isInstanceOf(KeyException.class)
                    .hasMessageContaining("response larger than 1024 bytes");
            assertThat(handlerDone.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(wroteEverything).as("the server could write all 64 MiB").isFalse();
        }

        @Test
        void slowServerTimesOut() {
            handler = exchange -> {
                await(releaseSlowResponses);
                respond(exchange, 200, JwkSets.toPublicJson(List.of(first)));
            };
            RemoteJwksKeyProvider keys = builder().requestTimeout(Duration.ofMillis(200)).build();
            long start = System.nanoTime();

            assertThatThrownBy(() -> keys.verificationKey("first"))
                    .isInstanceOf(KeyException.class)
                    .hasMessageContaining("within PT0.2S");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }

        @Test
        void bodyThatIsNotAJwkSetIsAFailedFetch() {
            handler = exchange -> respond(exchange, 200, "<html>secret page</html>");
            RemoteJwksKeyProvider keys = builder().build();

            assertThatThrownBy(() -> keys.verificationKey("first"))
                    .isInstanceOf(KeyException.class)
                    .hasMessageContaining("not a valid JWK set")
                    .hasMessageNotContaining("secret page");
        }

        @Test
        void setWithoutUsableKeyIsAFailedFetch() {
            handler = exchange -> respond(exchange, 200, "{\"keys\":[]}");
            RemoteJwksKeyProvider keys = builder().build();

            assertThatThrownBy(() -> keys.verificationKey("first"))
                    .isInstanceOf(KeyException.class)
                    .hasMessageContaining("the JWK set holds no usable signing key");
        }

        @Test
        void signingIsRefused() {
            RemoteJwksKeyProvider keys = builder().build();

            assertThatThrownBy(keys::signingKey)
                    .isInstanceOf(KeyException.class)
                    .hasMessage("the keys from " + uri() + " only verify; a resource server does not sign tokens");
            assertThat(requests).hasValue(0);
        }
    }

    @Nested
    class Configuration {

        @ParameterizedTest
        @ValueSource(strings = {"https://auth.example.com/jwks", "http://127.0.0.1:8080/jwks",
                "http://localhost/jwks", "http://[::1]:9000/jwks", "HTTPS://auth.example.com/jwks"})
        void httpsAndLoopbackHttpAreAccepted(String uri) {
            assertThat(RemoteJwksKeyProvider.builder(URI.create(uri)).build()).isNotNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"http://auth.example.com/jwks", "http://10.0.0.1/jwks", "http://127.0.0.2/jwks",
                "http://localhost.example.com/jwks"})
        void plainHttpToAnotherHostIsRefused(String uri) {
            assertThatThrownBy(() -> RemoteJwksKeyProvider.builder(URI.create(uri)).build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("the JWKS URI must use https;");
        }

        @ParameterizedTest
        @ValueSource(strings = {"ftp://auth.example.com/jwks", "/jwks", "file:///etc/jwks.json"})
        void otherSchemesAndRelativeUrisAreRefused(String uri) {
            assertThatThrownBy(() -> RemoteJwksKeyProvider.builder(URI.create(uri)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("the JWKS URI must be an absolute https URL");
        }

        @Test
        void userInfoIsRefusedWithoutEchoingIt() {
            assertThatThrownBy(() -> RemoteJwksKeyProvider.builder(URI.create("https://me:pw@auth.example.com/")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining("pw");
        }

        @Test
        void outOfRangeValuesAreRefusedNotCorrected() {
            RemoteJwksKeyProvider.Builder b = RemoteJwksKeyProvider.builder(uri());

            assertThatThrownBy(() -> b.cacheTtl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cacheTtl must be positive, got PT0S");
            assertThatThrownBy(() -> b.minRefreshInterval(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.connectTimeout(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.requestTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> b.maxResponseBytes(0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("maxResponseBytes must be positive, got 0");
        }

        @Test
        void eachOptionIsSetOnce() {
            RemoteJwksKeyProvider.Builder b = RemoteJwksKeyProvider.builder(uri()).cacheTtl(TTL);

            assertThatThrownBy(() -> b.cacheTtl(TTL))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("cacheTtl was already set to PT5M");
        }

        @Test
        void connectTimeoutWithOwnHttpClientIsRefused() {
            RemoteJwksKeyProvider.Builder b = RemoteJwksKeyProvider.builder(uri())
                    .httpClient(HttpClient.newHttpClient())
                    .connectTimeout(Duration.ofSeconds(1));

            assertThatThrownBy(b::build)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("connectTimeout applies to the default HTTP client only");
        }

        @Test
        void cacheTtlShorterThanRefreshIntervalIsRefused() {
            RemoteJwksKeyProvider.Builder b = RemoteJwksKeyProvider.builder(uri())
                    .cacheTtl(Duration.ofSeconds(10))
                    .minRefreshInterval(Duration.ofSeconds(30));

            assertThatThrownBy(b::build)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("cacheTtl (PT10S) is shorter than minRefreshInterval (PT30S)");
        }

        @Test
        void ownHttpClientIsUsed() {
            RemoteJwksKeyProvider keys = builder().httpClient(HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1).build()).build();

            assertThat(keys.verificationKey("first")).isPresent();
            assertThat(requests).hasValue(1);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] unsigned(byte[] twosComplement) {
        return twosComplement[0] == 0 ? Arrays.copyOfRange(twosComplement, 1, twosComplement.length)
                : twosComplement;
    }
}
