package dev.jeton.store.tck;

import dev.jeton.TokenService;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.TokenStore;
import dev.jeton.testing.TestClock;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * The contract every {@link TokenStore} must pass: each SPI method checked directly, every invariant of Jeton's store
 * design (DESIGN §6) checked through a {@link TokenService} on the store, and races of {@link #threads()} threads
 * released together by a latch, both on the store and through services. A store's test extends this class with its
 * factory and a way to count its records:
 *
 * <pre>{@code
 * class MyStoreTest extends TokenStoreContract {
 *     @Override
 *     protected TokenStore createStore(TestClock clock) {
 *         return new MyStore(...);
 *     }
 *
 *     @Override
 *     protected long recordCount(TokenStore store) {
 *         return ((MyStore) store).countRows();
 *     }
 * }
 * }</pre>
 *
 * <p>Each test gets a new store and a new {@link TestClock}, which the kit moves; nothing sleeps. A store that is
 * {@link AutoCloseable} is closed after each test. The checks are grouped in {@link Nested} classes; a store's test
 * may add its own tests, using {@link #store}, {@link #clock} and {@link #service}. JUnit makes one instance per test;
 * an instance is not meant to be shared between threads, though its races call the store from many.
 */
public abstract class TokenStoreContract {

    private static final JwtKey KEY = JwtKey.generate("tck-hs256", JwsAlgorithm.HS256);

    /** The clock of the current test; the kit moves it. */
    protected TestClock clock;
    /** The store of the current test. */
    protected TokenStore store;

    /** Subclasses are store tests. */
    protected TokenStoreContract() {
    }

    /**
     * A new, empty store for one test.
     *
     * @param clock the time of the test, the same Jeton passes to the store; a store never needs to read it, but may
     *     hand it to anything it runs in the background
     */
    protected abstract TokenStore createStore(TestClock clock);

    /**
     * How many records {@code store} holds for refresh-token state: rows, entries or keys, in every table or
     * structure it keeps them in, counted the same way each time. The kit checks that it stays the same over a
     * login's refreshes and is 0 for an empty store.
     */
    protected abstract long recordCount(TokenStore store);

    /** How many threads race in the concurrency checks: at least 8 (the default). */
    protected int threads() {
        return 8;
    }

    /** How many rounds each concurrency check runs, each on a new family: 50 by default. */
    protected int concurrencyRounds() {
        return 50;
    }

    /**
     * Every value the store holds, for the check that none of them is a usable token. The default walks the store's
     * object graph by reflection, which suits stores that keep their state in the heap; a store that keeps it
     * elsewhere (a database) returns its rows' values.
     */
    protected Stream<Object> storedValues(TokenStore store) {
        return HeapValues.of(store).stream();
    }

    @BeforeEach
    void createStoreAndClock() {
        clock = TestClock.fixed();
        store = createStore(clock);
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /**
     * A service on the store under test and the test clock: HS256, idle lifetime 1 hour, absolute lifetime 10 hours,
     * revocation-aware validation that always asks the store, and {@code options} applied last.
     */
    protected TokenService service(Consumer<TokenService.Builder> options) {
        return service(store, options);
    }

    /** A service on the store under test with the kit's defaults; see {@link #service(Consumer)}. */
    protected TokenService service() {
        return service(store, b -> { });
    }

    TokenService service(TokenStore on, Consumer<TokenService.Builder> options) {
        TokenService.Builder builder = TokenService.builder()
                .issuer("https://issuer.test")
                .audience("https://api.test")
                .keys(KeyProvider.of(KEY))
                .store(on)
                .clock(clock)
                .revocationAwareValidation(Duration.ZERO)
                .refreshTokenIdleTtl(Duration.ofHours(1))
                .refreshTokenMaxTtl(Duration.ofHours(10));
        options.accept(builder);
        return builder.build();
    }

    @Nested
    @DisplayName("createFamily keeps a family exactly as given, once, and findFamily reads it back")
    class CreateAndFind extends CreateAndFindChecks {
        CreateAndFind() {
            super(TokenStoreContract.this);
        }
    }

    @Nested
    @DisplayName("rotate applies to the current token of a usable family, and to nothing else")
    class Rotate extends RotateChecks {
        Rotate() {
            super(TokenStoreContract.this);
        }
    }

    @Nested
    @DisplayName("claimGrace hands out one use of an open window, to its token, up to the uses allowed")
    class ClaimGrace extends ClaimGraceChecks {
        ClaimGrace() {
            super(TokenStoreContract.this);
        }
    }

    @Nested
    @DisplayName("slide moves the current token's idle expiry under the rotation's conditions")
    class Slide extends SlideChecks {
        Slide() {
            super(TokenStoreContract.this);
        }
    }

    @Nested
    @DisplayName("Revocations keep the first one, denials last until their expiry, and a gone family is revoked")
    class Revocations extends RevocationChecks {
        Revocations() {
            super(TokenStoreContract.this);
        }
    }

    @Nested
    @DisplayName("liveFamilies lists a subject's families that are not revoked and not past their absolute expiry")
    class LiveFamilies extends LiveFamiliesChecks {
        LiveFamilies() {
            super(TokenStoreContract.this);
        }
    }

    @Nested
    @DisplayName("purgeExpired deletes in bounded batches only what can no longer matter")
    class Purge extends PurgeChecks {
        Purge() {
            super(TokenStoreContract.this);
        }
    }

    @Nested
    @DisplayName("Every text is compared exactly: case and trailing spaces count")
    class ExactText extends ExactTextChecks {
        ExactText() {
            super(TokenStoreContract.this);
        }
    }

    @Nested
    @DisplayName("Steps racing on one family are applied or refused as a whole")
    class StoreRaces extends StoreRaceChecks {
        StoreRaces() {
            super(TokenStoreContract.this);
        }
    }

    @Nested
    @DisplayName("A service on the store rotates once, detects reuse for the family's whole life, and fails cleanly")
    class ServiceRefresh extends ServiceRefreshChecks {
        ServiceRefresh() {
            super(TokenStoreContract.this);
        }
    }

    @Nested
    @DisplayName("A service on the store slides the idle expiry and never extends the absolute one")
    class ServiceExpiry extends ServiceExpiryChecks {
        ServiceExpiry() {
            super(TokenStoreContract.this);
        }
    }

    @Nested
    @DisplayName("A service on the store revokes tokens, sessions and subjects, and purges")
    class ServiceSessions extends ServiceSessionChecks {
        ServiceSessions() {
            super(TokenStoreContract.this);
        }
    }

    @Nested
    @DisplayName("Services racing on one family rotate once, never fork, and lose to a revocation")
    class ServiceRaces extends ServiceRaceChecks {
        ServiceRaces() {
            super(TokenStoreContract.this);
        }
    }

    @Nested
    @DisplayName("A login holds the same records however often it refreshes, and none of them is a usable token")
    class Footprint extends FootprintChecks {
        Footprint() {
            super(TokenStoreContract.this);
        }
    }
}
