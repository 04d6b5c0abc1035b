package dev.jeton.benchmarks;

import dev.jeton.IssueRequest;
import dev.jeton.TokenService;
import dev.jeton.VerifiedAccessToken;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue and validate per algorithm, each beside its baselines in the same run:
 * <ul>
 *   <li>{@code jjwtValidate} / {@code jjwtIssue}: bare jjwt 0.13 on its default JDK provider, with the same issuer and
 *       audience checks plus the {@code typ} check, parsing the very token Jeton issued;</li>
 *   <li>{@code rawVerify} / {@code rawSign}: one {@link Signature} or {@link Mac} operation on the same signing input,
 *       with the provider Jeton uses (Bouncy Castle for ES and EdDSA, the JDK for RS, PS and HS);</li>
 *   <li>{@code rawVerifyJdk}: the same on the JDK provider, to show what the provider choice is worth.</li>
 * </ul>
 * {@code jetonValidateCached} validates with the verified-token cache on (every call a hit).
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests && java -jar benchmarks/target/benchmarks.jar
 * AccessTokenBenchmark -rf json -rff jmh-access.json}, then
 * {@code java -cp benchmarks/target/benchmarks.jar dev.jeton.benchmarks.Ratios jmh-access.json}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AccessTokenBenchmark {

    private static final String ISSUER = "https://auth.example.com";
    private static final String AUDIENCE = "https://api.example.com";
    /** The one clock of both sides: the services', and the jjwt baseline's. */
    private static final Clock CLOCK = Clock.systemUTC();

    @Param({"HS256", "RS256", "PS256", "ES256", "ES384", "EdDSA"})
    public String algorithm;

    private JwsAlgorithm alg;
    private TokenService service;
    private TokenService cachedService;
    private IssueRequest request;
    private String token;
    private JwtParser jjwtParser;
    private Key jjwtSigningKey;
    private Key verificationKey;
    private Key jdkVerificationKey;
    private Key signingKey;
    private Provider provider;
    private byte[] signingInput;
    private byte[] signature;

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        alg = JwsAlgorithm.valueOf(algorithm);
        JwtKey key = JwtKey.generate("bench-" + algorithm, alg);
        service = TokenService.builder().issuer(ISSUER).audience(AUDIENCE).keys(KeyProvider.of(key))
                .clock(CLOCK).accessTokenTtl(Duration.ofHours(12)).build();
        cachedService = TokenService.builder().issuer(ISSUER).audience(AUDIENCE).keys(KeyProvider.of(key))
                .clock(CLOCK).accessTokenTtl(Duration.ofHours(12)).verifiedTokenCache(10_000).build();
        request = IssueRequest.forSubject("user-123").client("web").scopes("openid", "profile")
                .claim("roles", List.of("admin")).build();
        token = service.issue(request).accessToken();
        cachedService.validate(token);

        // The provider Jeton's default policy picks: Bouncy Castle for ECDSA and EdDSA, the JDK's for the others.
        boolean bouncyCastle = alg.family() == JwsAlgorithm.Family.ECDSA || alg.family() == JwsAlgorithm.Family.EDDSA;
        provider = bouncyCastle ? new BouncyCastleProvider() : null;
        verificationKey = onProvider(key.verificationKey(), provider);
        jdkVerificationKey = key.verificationKey();
        signingKey = onProvider(key.signingKey().orElseThrow(), provider);
        int lastDot = token.lastIndexOf('.');
        signingInput = token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII);
        signature = Base64.getUrlDecoder().decode(token.substring(lastDot + 1));

        Key jjwtVerifyKey = key.verificationKey();
        jjwtSigningKey = key.signingKey().orElseThrow();
        if (alg == JwsAlgorithm.EdDSA) {
            // jjwt on its default provider: JDK Ed25519 keys.
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            jjwtVerifyKey = pair.getPublic();
            jjwtSigningKey = pair.getPrivate();
        }
        var parserBuilder = Jwts.parser().requireIssuer(ISSUER).requireAudience(AUDIENCE);
        if (jjwtVerifyKey instanceof SecretKey secret) {
            parserBuilder.verifyWith(secret);
        } else {
            parserBuilder.verifyWith((PublicKey) jjwtVerifyKey);
        }
        jjwtParser = parserBuilder.build();
        if (alg == JwsAlgorithm.EdDSA) {
            jjwtToken = jjwtIssue();
        } else {
            jjwtToken = token;
        }
        if (!"at+jwt".equals(jjwtValidate().getHeader().getType())) {
            throw new IllegalStateException("baseline did not parse the token");
        }
        if (!rawVerify()) {
            throw new IllegalStateException("raw verify failed");
        }
    }

    private String jjwtToken;

    @Benchmark
    public VerifiedAccessToken jetonValidate() {
        return service.validate(token);
    }

    @Benchmark
    public VerifiedAccessToken jetonValidateCached() {
        return cachedService.validate(token);
    }

    @Benchmark
    public String jetonIssue() {
        return service.issue(request).accessToken();
    }

    @Benchmark
    public Jws<Claims> jjwtValidate() {
        Jws<Claims> jws = jjwtParser.parseSignedClaims(jjwtToken);
        if (!"at+jwt".equals(jws.getHeader().getType())) {
            throw new IllegalStateException("typ");
        }
        return jws;
    }

    @Benchmark
    public String jjwtIssue() {
        long now = CLOCK.millis();
        var builder = Jwts.builder().header().type("at+jwt").keyId("bench").and()
                .issuer(ISSUER).subject("user-123").audience().add(AUDIENCE).and()
                .expiration(new Date(now + 3_600_000)).issuedAt(new Date(now)).id("jti-" + now)
                .claim("client_id", "web").claim("scope", "openid profile").claim("roles", List.of("admin"));
        return jjwtSigningKey instanceof SecretKey secret ? builder.signWith(secret).compact()
                : builder.signWith((PrivateKey) jjwtSigningKey).compact();
    }

    @Benchmark
    public boolean rawVerify() throws GeneralSecurityException {
        return verify(provider);
    }

    @Benchmark
    public boolean rawVerifyJdk() throws GeneralSecurityException {
        return verify(null);
    }

    @Benchmark
    public byte[] rawSign() throws GeneralSecurityException {
        if (alg.family() == JwsAlgorithm.Family.HMAC) {
            Mac mac = Mac.getInstance("HmacSHA" + alg.hashBits());
            mac.init(signingKey);
            return mac.doFinal(signingInput);
        }
        Signature s = signature(provider);
        s.initSign((PrivateKey) signingKey);
        s.update(signingInput);
        return s.sign();
    }

    private boolean verify(Provider p) throws GeneralSecurityException {
        if (alg.family() == JwsAlgorithm.Family.HMAC) {
            Mac mac = Mac.getInstance("HmacSHA" + alg.hashBits());
            mac.init(jdkVerificationKey);
            return java.security.MessageDigest.isEqual(mac.doFinal(signingInput), signature);
        }
        Signature s = signature(p);
        s.initVerify((PublicKey) (p == null ? jdkVerificationKey : verificationKey));
        s.update(signingInput);
        return s.verify(signature);
    }

    /** The key as the provider's own class, converted once so that no operation converts it again. */
    private static Key onProvider(Key key, Provider provider) throws GeneralSecurityException {
        if (provider == null || key instanceof SecretKey) {
            return key;
        }
        KeyFactory factory = KeyFactory.getInstance(key.getAlgorithm(), provider);
        return key instanceof PublicKey ? factory.generatePublic(new X509EncodedKeySpec(key.getEncoded()))
                : factory.generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
    }

    private Signature signature(Provider p) throws GeneralSecurityException {
        switch (alg.family()) {
            case ECDSA: {
                String name = p != null ? "SHA" + alg.hashBits() + "withPLAIN-ECDSA"
                        : "SHA" + alg.hashBits() + "withECDSAinP1363Format";
                return p != null ? Signature.getInstance(name, p) : Signature.getInstance(name);
            }
            case EDDSA:
                return p != null ? Signature.getInstance("Ed25519", p) : Signature.getInstance("Ed25519");
            case RSA_PSS: {
                Signature s = Signature.getInstance("RSASSA-PSS");
                MGF1ParameterSpec mgf = MGF1ParameterSpec.SHA256;
                s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", mgf, 32, 1));
                return s;
            }
            default:
                return Signature.getInstance("SHA" + alg.hashBits() + "withRSA");
        }
    }
}
