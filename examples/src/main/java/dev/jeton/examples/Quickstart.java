package dev.jeton.examples;

import dev.jeton.InvalidTokenException;
import dev.jeton.IssueRequest;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.VerifiedAccessToken;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The README's quickstart as a program: issue an access token, validate it, tamper with it, and let it expire.
 * Prints each step and exits non-zero if any step does not behave as expected.
 *
 * <p>Run: {@code ./mvnw -q -pl examples -am compile exec:java}
 */
public final class Quickstart {

    private Quickstart() {
    }

    public static void main(String[] args) {
        int failures = run(new SteppableClock(Clock.systemUTC().instant()));
        if (failures > 0) {
            System.out.println(failures + " step(s) did not behave as expected");
            System.exit(1);
        }
        System.out.println("All steps behaved as expected.");
    }

    static int run(SteppableClock clock) {
        int failures = 0;
        JwtKey key = JwtKey.generate("demo-es256", JwsAlgorithm.ES256);
        TokenService tokens = TokenService.builder()
                .issuer("https://auth.example.com")
                .audience("https://api.example.com")
                .keys(KeyProvider.of(key))
                .accessTokenTtl(Duration.ofMinutes(15))
                .clock(clock)
                .build();

        System.out.println("1. Issue an access token for user-123 (client 'web', scopes openid profile)");
        TokenPair pair = tokens.issue(IssueRequest.forSubject("user-123").client("web").scopes("openid", "profile")
                .claim("roles", List.of("admin")).build());
        System.out.println("   token_type=" + pair.tokenType() + " expires_in=" + pair.expiresIn().toSeconds()
                + "s jti=" + pair.accessTokenId() + " access_token=" + shorten(pair.accessToken()));

        System.out.println("2. Validate it");
        VerifiedAccessToken verified = tokens.validate(pair.accessToken());
        System.out.println("   sub=" + verified.subject() + " client_id=" + verified.clientId() + " scopes="
                + verified.scopes() + " roles=" + verified.claims().get("roles") + " alg=" + verified.algorithm());
        failures += expect(verified.subject().equals("user-123") && verified.hasScope("profile"),
                "the validated token carries the subject and scopes it was issued with");

        System.out.println("3. Flip one character of the signature");
        String token = pair.accessToken();
        int last = token.length() - 2;
        String tampered = token.substring(0, last) + (token.charAt(last) == 'A' ? 'B' : 'A') + token.substring(last + 1);
        failures += expectRefused(tokens, tampered, InvalidTokenException.Reason.BAD_SIGNATURE);

        System.out.println("4. Let 15 minutes pass");
        clock.advance(Duration.ofMinutes(15));
        failures += expectRefused(tokens, pair.accessToken(), InvalidTokenException.Reason.EXPIRED);

        System.out.println("5. Publish the public keys as a JWK set");
        String jwks = tokens.jwksJson();
        System.out.println("   " + jwks.substring(0, Math.min(jwks.length(), 100)) + "...");
        failures += expect(!jwks.contains("\"d\""), "the JWK set holds no private part");
        return failures;
    }

    private static int expectRefused(TokenService tokens, String token, InvalidTokenException.Reason reason) {
        try {
            tokens.validate(token);
            return expect(false, "the token is refused with " + reason);
        } catch (InvalidTokenException e) {
            System.out.println("   refused: " + e.reason() + " (HTTP " + e.httpStatus() + ", WWW-Authenticate: "
                    + e.wwwAuthenticate().orElseThrow() + ")");
            return expect(e.reason() == reason, "the token is refused with " + reason);
        }
    }

    private static int expect(boolean ok, String what) {
        System.out.println("   " + (ok ? "ok: " : "UNEXPECTED: ") + what);
        return ok ? 0 : 1;
    }

    private static String shorten(String token) {
        return token.substring(0, 12) + "…" + token.substring(token.length() - 6);
    }

    /** A clock the demo moves forward instead of sleeping. */
    static final class SteppableClock extends Clock {
        private volatile Instant now;

        SteppableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException("the demo clock is UTC only");
        }
    }
}
