package dev.jeton.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.jeton.testing.TestClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The JWK set's cache lifetime, from the issuer's key rotation settings to the resource server's cache (issue 15,
 * item 4): {@link RotatingKeyProvider#jwksCacheControl()} and {@link RemoteJwksKeyProvider} honouring max-age.
 */
class JwksCacheControlTest {

    private final TestClock clock = TestClock.fixed();
    private final AtomicInteger requests = new AtomicInteger();
    private final RotatingKeyProvider issuerKeys = RotatingKeyProvider
            .builder(JwtKey.generate("k1", JwsAlgorithm.ES256)).clock(clock).publishAhead(Duration.ofMinutes(4))
            .build();
    private volatile String cacheControl;
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/jwks", exchange -> {
            try (exchange) {
                requests.incrementAndGet();
                byte[] body = issuerKeys.jwksJson().getBytes(StandardCharsets.UTF_8);
                if (cacheControl != null) {
                    exchange.getResponseHeaders().set("Cache-Control", cacheControl);
                }
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private RemoteJwksKeyProvider.Builder remote() {
        return RemoteJwksKeyProvider.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks"))
                .clock(clock).minRefreshInterval(Duration.ofSeconds(30));
    }

    /** How long the provider keeps a set: the first lookup at which it fetches again. */
    private Duration cachedFor(RemoteJwksKeyProvider keys) {
        keys.verificationKeys();
        int before = requests.get();
        Duration waited = Duration.ZERO;
        while (requests.get() == before) {
            clock.advance(Duration.ofSeconds(1));
            waited = waited.plusSeconds(1);
            keys.verificationKeys();
        }
        return waited;
    }

    @Nested
    @DisplayName("The issuer derives Cache-Control from its rotation settings")
    class Issuer {

        @Test
        void maxAgeIsHalfThePublishAheadTime() {
            assertThat(issuerKeys.jwksCacheControl()).isEqualTo("public, max-age=120");
            assertThat(RotatingKeyProvider.builder(JwtKey.generate("k", JwsAlgorithm.ES256)).build()
                    .jwksCacheControl()).isEqualTo("public, max-age=300");
        }

        @Test
        void aPublishAheadTooShortForAMaxAgeIsRefused() {
            assertThatThrownBy(() -> RotatingKeyProvider.builder(JwtKey.generate("k", JwsAlgorithm.ES256))
                    .publishAhead(Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void aResourceServerHonouringItHasTheNextKeyBeforeItSigns() {
            cacheControl = issuerKeys.jwksCacheControl();
            RemoteJwksKeyProvider keys = remote().cacheControlBounds(Duration.ofSeconds(30), Duration.ofHours(1))
                    .cacheTtl(Duration.ofHours(1)).build();
            keys.verificationKeys();

            JwtKey next = JwtKey.generate("k2", JwsAlgorithm.ES256);
            issuerKeys.addNext(next);
            clock.advance(Duration.ofMinutes(4));
            keys.verificationKeys();
            issuerKeys.activate("k2");

            assertThat(keys.verificationKeys()).extracting(JwtKey::kid).contains("k2");
            assertThat(requests).hasValue(2);
        }
    }

    @Nested
    @DisplayName("RemoteJwksKeyProvider honours max-age within its bounds")
    class ResourceServer {

        @Test
        void aShorterMaxAgeShortensTheCache() {
            cacheControl = "public, max-age=60";
            assertThat(cachedFor(remote().build())).isEqualTo(Duration.ofSeconds(60));
        }

        @Test
        void byDefaultALongerMaxAgeDoesNotLengthenIt() {
            cacheControl = "max-age=86400";
            assertThat(cachedFor(remote().build())).isEqualTo(RemoteJwksKeyProvider.DEFAULT_CACHE_TTL);
        }

        @Test
        void withinExplicitBounds() {
            cacheControl = "max-age=\"7200\", must-revalidate";
            assertThat(cachedFor(remote().cacheControlBounds(Duration.ofMinutes(1), Duration.ofMinutes(30)).build()))
                    .isEqualTo(Duration.ofMinutes(30));
        }

        @Test
        void noCacheAndTinyMaxAgeUseTheMinimum() {
            cacheControl = "no-cache, max-age=600";
            assertThat(cachedFor(remote().build())).isEqualTo(Duration.ofSeconds(30));
        }

        @Test
        void withoutMaxAgeOrWithAMalformedOneTheCacheTtlApplies() {
            cacheControl = "max-age=soon";
            assertThat(cachedFor(remote().cacheTtl(Duration.ofMinutes(2)).build())).isEqualTo(Duration.ofMinutes(2));
        }

        @Test
        void boundsAreChecked() {
            assertThatThrownBy(() -> remote().cacheControlBounds(Duration.ofMinutes(2), Duration.ofMinutes(1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> remote().cacheControlBounds(Duration.ofSeconds(5), Duration.ofMinutes(1)).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("minRefreshInterval");
        }
    }
}
