package dev.jeton.key;

import dev.jeton.KeyException;
import dev.jeton.internal.Options;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A key provider for planned key rotation. Each key is in one {@link KeyState}:
 * <ul>
 *   <li>{@link KeyState#NEXT NEXT}: published in the JWK set and accepted for verification, but not signing yet, so
 *       that resource servers fetch it before the first token signed with it arrives, and so that instances of a
 *       cluster that activate it a little later than others still accept those tokens;</li>
 *   <li>{@link KeyState#ACTIVE ACTIVE}: exactly one key, which signs new tokens (and verifies);</li>
 *   <li>{@link KeyState#RETIRED RETIRED}: the previous active key, which still verifies and is still published until
 *       its deadline, the moment of retirement plus the {@linkplain Builder#retirement(Duration) retirement period};
 *       from the deadline on it is gone, as if removed.</li>
 * </ul>
 * A rotation is: {@link #addNext(JwtKey)} the new key; wait at least the {@linkplain Builder#publishAhead(Duration)
 * publish-ahead time}, which must cover how long resource servers cache the JWK set; {@link #activate(String)} it,
 * which retires the old active key. Serve the JWK set with {@link #jwksCacheControl()}, derived from that time, so that
 * caches that honour it ({@link RemoteJwksKeyProvider} does) hold a set at most half of it: every resource server then
 * has the next key before it signs, even behind one more HTTP cache.
 *
 * <p>Time comes only from the builder's {@link Clock}. Keys added here must be able to sign, since each may become
 * active; HMAC keys are allowed and are never published.
 *
 * <p>Thread safety: instances are thread-safe. Reads ({@link #signingKey()}, {@link #verificationKey(String)},
 * {@link #verificationKeys()}, {@link #state(String)}) take no lock: they read one immutable snapshot. Changes are
 * serialized and publish a new snapshot, so a reader sees a change entirely or not at all.
 */
public final class RotatingKeyProvider implements KeyProvider {

    /** The state of a key in a {@link RotatingKeyProvider}. */
    public enum KeyState {
        /** Published and verifying, not signing yet. */
        NEXT,
        /** Signing; exactly one key is active. */
        ACTIVE,
        /** Verifying and published until its deadline, then gone. */
        RETIRED
    }

    /** The default retirement period: one hour. */
    public static final Duration DEFAULT_RETIREMENT = Duration.ofHours(1);
    /** The default publish-ahead time: ten minutes, twice {@link RemoteJwksKeyProvider}'s default cache TTL. */
    public static final Duration DEFAULT_PUBLISH_AHEAD = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(RotatingKeyProvider.class);

    /** {@code since} is when a NEXT key was added. */
    private record Entry(JwtKey key, KeyState state, Instant retiredUntil, Instant since) {
        boolean liveAt(Instant now) {
            return state != KeyState.RETIRED || now.isBefore(retiredUntil);
        }
    }

    /** Entries in order ACTIVE, NEXT, RETIRED; {@code keys} is the same order when no key is retired. */
    private record Snapshot(Map<String, Entry> byKid, JwtKey active, List<JwtKey> keys, boolean anyRetired) {
        static Snapshot of(JwtKey active, List<Entry> others) {
            Map<String, Entry> byKid = new LinkedHashMap<>();
            byKid.put(active.kid(), new Entry(active, KeyState.ACTIVE, null, null));
            boolean anyRetired = false;
            for (KeyState state : List.of(KeyState.NEXT, KeyState.RETIRED)) {
                for (Entry e : others) {
                    if (e.state == state) {
                        byKid.put(e.key.kid(), e);
                        anyRetired |= state == KeyState.RETIRED;
                    }
                }
            }
            List<JwtKey> keys = new ArrayList<>();
            byKid.values().forEach(e -> keys.add(e.key));
            return new Snapshot(Collections.unmodifiableMap(byKid), active, List.copyOf(keys), anyRetired);
        }
    }

    private final Clock clock;
    private final Duration retirement;
    private final Duration publishAhead;
    private final Object writeLock = new Object();
    private volatile Snapshot snapshot;

    private RotatingKeyProvider(Builder builder) {
        this.clock = builder.clock != null ? builder.clock : Clock.systemUTC();
        this.retirement = builder.retirement != null ? builder.retirement : DEFAULT_RETIREMENT;
        this.publishAhead = builder.publishAhead != null ? builder.publishAhead : DEFAULT_PUBLISH_AHEAD;
        this.snapshot = Snapshot.of(builder.active, List.of());
    }

    /**
     * Starts a provider whose first active key is {@code active}.
     *
     * @throws KeyException if {@code active} cannot sign (a public key)
     */
    public static Builder builder(JwtKey active) {
        return new Builder(requireSigning(active));
    }

    /** The active key. Never blocks. */
    @Override
    public JwtKey signingKey() {
        return snapshot.active;
    }

    /** The NEXT, ACTIVE or (before its deadline) RETIRED key with this kid. Never blocks. */
    @Override
    public Optional<JwtKey> verificationKey(String kid) {
        Entry entry = snapshot.byKid.get(kid);
        if (entry == null || (entry.state == KeyState.RETIRED && !entry.liveAt(clock.instant()))) {
            return Optional.empty();
        }
        return Optional.of(entry.key);
    }

    /** The active key, then the NEXT keys, then the RETIRED keys before their deadline. Never blocks. */
    @Override
    public List<JwtKey> verificationKeys() {
        Snapshot s = snapshot;
        if (!s.anyRetired) {
            return s.keys;
        }
        Instant now = clock.instant();
        List<JwtKey> keys = new ArrayList<>(s.byKid.size());
        for (Entry e : s.byKid.values()) {
            if (e.liveAt(now)) {
                keys.add(e.key);
            }
        }
        return List.copyOf(keys);
    }

    /**
     * The state of the key with this kid; empty if there is none, or if it was retired and its deadline has passed.
     * Never blocks.
     */
    public Optional<KeyState> state(String kid) {
        Entry entry = snapshot.byKid.get(kid);
        if (entry == null || !entry.liveAt(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(entry.state);
    }

    /**
     * Adds a key in state NEXT: published and verifying from now on, signing once {@linkplain #activate(String)
     * activated}.
     *
     * @throws KeyException if the key cannot sign (a public key could never become active)
     * @throws IllegalArgumentException if a key with the same kid is present (RETIRED keys past their deadline are
     *     gone and do not count)
     */
    public void addNext(JwtKey key) {
        requireSigning(key);
        synchronized (writeLock) {
            Instant now = clock.instant();
            List<Entry> others = liveOthers(now);
            boolean taken = snapshot.active.kid().equals(key.kid())
                    || others.stream().anyMatch(e -> e.key.kid().equals(key.kid()));
            if (taken) {
                throw new IllegalArgumentException("a key with kid '" + key.kid() + "' is already present; "
                        + "give each key its own kid");
            }
            others.add(new Entry(key, KeyState.NEXT, null, now));
            snapshot = Snapshot.of(snapshot.active, others);
        }
        LOG.info("Key '{}' added as next key", key.kid());
    }

    /**
     * Makes the NEXT key with this kid the ACTIVE one, and retires the key that was active: it keeps verifying until
     * now plus the retirement period. Activating the key that is already active does nothing, so a rotation job may
     * run twice.
     *
     * @throws IllegalArgumentException if there is no key with this kid
     * @throws IllegalStateException if the key is RETIRED; a retired key is not reactivated, add a new key instead
     */
    public void activate(String kid) {
        Objects.requireNonNull(kid, "kid");
        String retired;
        Instant until;
        synchronized (writeLock) {
            Instant now = clock.instant();
            Snapshot s = snapshot;
            if (s.active.kid().equals(kid)) {
                return;
            }
            List<Entry> others = liveOthers(now);
            Entry next = others.stream().filter(e -> e.key.kid().equals(kid)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no key with kid '" + kid + "'; addNext it first"));
            if (next.state != KeyState.NEXT) {
                throw new IllegalStateException("key '" + kid + "' is " + next.state
                        + "; only a NEXT key can be activated, add a new key instead");
            }
            if (now.isBefore(next.since.plus(publishAhead))) {
                LOG.warn("Key '{}' activated {} after it was published, less than the publish-ahead time {}; "
                        + "resource servers that cached the JWK set before may refuse its tokens until they refetch",
                        kid, Duration.between(next.since, now), publishAhead);
            }
            others.remove(next);
            until = now.plus(retirement);
            retired = s.active.kid();
            others.add(new Entry(s.active, KeyState.RETIRED, until, null));
            snapshot = Snapshot.of(next.key, others);
        }
        LOG.info("Key '{}' activated; key '{}' retired, verifying until {}", kid, retired, until);
    }

    /**
     * Removes a NEXT or RETIRED key at once, for example a retired key that leaked; tokens it signed stop verifying.
     *
     * @return whether a key with this kid was present
     * @throws IllegalStateException if it is the ACTIVE key; activate another key first
     */
    public boolean remove(String kid) {
        Objects.requireNonNull(kid, "kid");
        synchronized (writeLock) {
            Snapshot s = snapshot;
            if (s.active.kid().equals(kid)) {
                throw new IllegalStateException("key '" + kid + "' is the active key and cannot be removed; "
                        + "activate another key first");
            }
            List<Entry> others = liveOthers(clock.instant());
            if (!others.removeIf(e -> e.key.kid().equals(kid))) {
                return false;
            }
            snapshot = Snapshot.of(s.active, others);
        }
        LOG.info("Key '{}' removed", kid);
        return true;
    }

    /**
     * The {@code Cache-Control} to serve the JWK set with: {@code public, max-age=} half the publish-ahead time. A
     * resource server that caches the set that long, behind at most one more cache of the same lifetime, has fetched a
     * NEXT key before it is activated.
     */
    public String jwksCacheControl() {
        return "public, max-age=" + publishAhead.toSeconds() / 2;
    }

    /** The non-active entries still alive at {@code now}; writes drop retired keys past their deadline. */
    private List<Entry> liveOthers(Instant now) {
        List<Entry> others = new ArrayList<>();
        for (Entry e : snapshot.byKid.values()) {
            if (e.state != KeyState.ACTIVE && e.liveAt(now)) {
                others.add(e);
            }
        }
        return others;
    }

    private static JwtKey requireSigning(JwtKey key) {
        Objects.requireNonNull(key, "key");
        if (!key.canSign()) {
            throw new KeyException("key '" + key.kid() + "' is a public key and cannot sign; a rotating provider "
                    + "holds keys that may become active");
        }
        return key;
    }

    @Override
    public String toString() {
        Snapshot s = snapshot;
        StringBuilder out = new StringBuilder("RotatingKeyProvider[");
        s.byKid.values().forEach(e -> out.append(e.key.kid()).append('=').append(e.state).append(", "));
        out.setLength(out.length() - 2);
        return out.append(']').toString();
    }

    /**
     * Configures a {@link RotatingKeyProvider}. Each option may be set once. Not thread-safe; build on one thread.
     */
    public static final class Builder {

        private final JwtKey active;
        private Clock clock;
        private Duration retirement;
        private Duration publishAhead;

        private Builder(JwtKey active) {
            this.active = active;
        }

        /**
         * The clock for retirement deadlines; {@link Clock#systemUTC()} by default.
         *
         * @throws IllegalStateException if the clock was already set
         */
        public Builder clock(Clock clock) {
            Objects.requireNonNull(clock, "clock");
            Options.requireNotSet("clock", this.clock);
            this.clock = clock;
            return this;
        }

        /**
         * How long a retired key keeps verifying after the key that replaced it is activated; one hour by default
         * ({@link #DEFAULT_RETIREMENT}). It must be at least the longest access-token lifetime plus the allowed clock
         * skew, or tokens signed just before a rotation are refused before they expire.
         *
         * @throws IllegalArgumentException if {@code retirement} is zero or negative
         * @throws IllegalStateException if the retirement was already set
         */
        public Builder retirement(Duration retirement) {
            Objects.requireNonNull(retirement, "retirement");
            if (retirement.isNegative() || retirement.isZero()) {
                throw new IllegalArgumentException("retirement must be positive, got " + retirement
                        + "; use at least the longest access-token lifetime");
            }
            Options.requireNotSet("retirement", this.retirement);
            this.retirement = retirement;
            return this;
        }

        /**
         * How long a key is published as NEXT before it is activated; ten minutes by default
         * ({@link #DEFAULT_PUBLISH_AHEAD}). {@link RotatingKeyProvider#jwksCacheControl()} is derived from it, and
         * activating a key sooner logs a WARN. In a cluster, every instance must publish the key this long before any
         * instance activates it.
         *
         * @throws IllegalArgumentException if shorter than 2 seconds (the max-age would be zero)
         * @throws IllegalStateException if already set
         */
        public Builder publishAhead(Duration publishAhead) {
            Objects.requireNonNull(publishAhead, "publishAhead");
            if (publishAhead.compareTo(Duration.ofSeconds(2)) < 0) {
                throw new IllegalArgumentException("publishAhead must be at least 2 seconds, got " + publishAhead);
            }
            Options.requireNotSet("publishAhead", this.publishAhead);
            this.publishAhead = publishAhead;
            return this;
        }

        /** A provider with the active key only; add NEXT keys with {@link RotatingKeyProvider#addNext(JwtKey)}. */
        public RotatingKeyProvider build() {
            return new RotatingKeyProvider(this);
        }
    }
}
