package dev.jeton;

import static dev.jeton.internal.Options.requireNotSet;
import static dev.jeton.internal.Options.requireText;

import dev.jeton.internal.JwsReader;
import dev.jeton.internal.Options;
import dev.jeton.internal.PreparedKeys;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.KeyProvider;
import dev.jeton.key.ProviderPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The options every strict JWS validator has, for {@link AccessTokenValidator.Builder} and
 * {@link IdTokenValidator.Builder}: each setter checks its argument and may be called once. Not thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
abstract class JwsValidatorBuilder<B extends JwsValidatorBuilder<B>> {

    String issuer;
    KeyProvider keys;
    Clock clock;
    private Duration clockSkew;
    private int maxTokenLength;
    private Set<JwsAlgorithm> algorithms;
    private ProviderPolicy providerPolicy;

    abstract B self();

    /**
     * The exact {@code iss} to require, e.g. {@code https://auth.example.com}. No normalisation is applied.
     *
     * @return this builder
     */
    public B issuer(String issuer) {
        requireNotSet("issuer", this.issuer);
        this.issuer = requireText("issuer", issuer);
        return self();
    }

    /**
     * The keys that verify tokens: a key set you hold, or an authorization server's remote JWKS.
     *
     * @return this builder
     */
    public B keys(KeyProvider keys) {
        requireNotSet("keys", this.keys);
        this.keys = Objects.requireNonNull(keys, "keys");
        return self();
    }

    /**
     * The clock for every time check. Default {@link Clock#systemUTC()}.
     *
     * @return this builder
     */
    public B clock(Clock clock) {
        requireNotSet("clock", this.clock);
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /**
     * Tolerance for clocks that disagree, applied to {@code exp}, {@code nbf} and {@code iat}. Default zero; at most
     * five minutes.
     *
     * @return this builder
     */
    public B clockSkew(Duration skew) {
        requireNotSet("clockSkew", this.clockSkew);
        this.clockSkew = Options.checkSkew(skew);
        return self();
    }

    /**
     * The longest token accepted, in characters, checked before any decoding. Default 8192; between 256 and 1048576.
     *
     * @return this builder
     */
    public B maxTokenLength(int maxTokenLength) {
        requireNotSet("maxTokenLength", this.maxTokenLength == 0 ? null : this.maxTokenLength);
        this.maxTokenLength = Options.checkMaxTokenLength(maxTokenLength);
        return self();
    }

    /**
     * Narrows the algorithms accepted (for ID tokens, for example the provider's
     * {@code id_token_signing_alg_values_supported}). By default every {@link JwsAlgorithm} is allowed, and each token
     * must still use exactly the algorithm its key is bound to.
     *
     * @return this builder
     */
    public B algorithms(JwsAlgorithm... algorithms) {
        requireNotSet("algorithms", this.algorithms);
        this.algorithms = Options.checkAlgorithms(algorithms);
        return self();
    }

    /**
     * Which JCA providers verify signatures. Default {@link ProviderPolicy#FASTEST}.
     *
     * @return this builder
     */
    public B providerPolicy(ProviderPolicy policy) {
        requireNotSet("providerPolicy", this.providerPolicy);
        this.providerPolicy = Objects.requireNonNull(policy, "providerPolicy");
        return self();
    }

    /** Copies this builder's options into {@code copy}, a new builder. */
    B copyInto(B copy) {
        JwsValidatorBuilder<B> target = copy;
        target.issuer = issuer;
        target.keys = keys;
        target.clock = clock;
        target.clockSkew = clockSkew;
        target.maxTokenLength = maxTokenLength;
        target.algorithms = algorithms;
        target.providerPolicy = providerPolicy;
        return copy;
    }

    Clock clockOrDefault() {
        return clock != null ? clock : Clock.systemUTC();
    }

    long skewMillis() {
        return clockSkew != null ? clockSkew.toMillis() : 0;
    }

    int maxTokenLengthOrDefault() {
        return maxTokenLength > 0 ? maxTokenLength : 8 * 1024;
    }

    JwsReader reader(JwsReader.Kind kind) {
        return new JwsReader(kind, algorithms != null ? algorithms : EnumSet.allOf(JwsAlgorithm.class), keys,
                new PreparedKeys(providerPolicy != null ? providerPolicy : ProviderPolicy.FASTEST));
    }
}
