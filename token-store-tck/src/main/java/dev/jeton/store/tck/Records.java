package dev.jeton.store.tck;

import dev.jeton.store.FamilyRecord;
import dev.jeton.store.GraceWindow;
import dev.jeton.store.RefreshFamily;
import dev.jeton.store.Rotation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Values shaped like the ones Jeton hands a store (22-character family ids, 43-character hashes, sealed successors
 * of a real one's length), for driving the SPI directly. Deterministic: the same seed gives the same value.
 */
final class Records {

    /** How long a test family lives. */
    static final Duration LIFETIME = Duration.ofHours(10);
    /** The grace window of rotations that have one. */
    static final Duration GRACE = Duration.ofSeconds(30);
    /** The idle lifetime of a test family's tokens. */
    static final Duration IDLE = Duration.ofHours(1);
    /** Extra claims whose exact text a store must keep: key order, spacing and non-ASCII characters. */
    static final String CLAIMS_JSON = "{\"roles\": [\"admin\",\"ops\"], \"name\":\"Zoë ☃\", \"a\":null}";

    /** Granted scopes, in an order a store must keep. */
    static final List<String> SCOPES = List.of("profile", "openid", "email");

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private Records() {
    }

    /** A value shaped like a token hash: base64url of SHA-256, 43 characters. */
    static String hash(String seed) {
        return BASE64URL.encodeToString(sha256(seed));
    }

    /** A value shaped like a family id: base64url of 16 bytes, 22 characters, with letters of both cases. */
    static String familyId(String seed) {
        for (int i = 0; ; i++) {
            String id = BASE64URL.encodeToString(Arrays.copyOf(sha256(seed + "/" + i), 16));
            if (!id.equals(id.toUpperCase(Locale.ROOT)) && !id.equals(id.toLowerCase(Locale.ROOT))) {
                return id;
            }
        }
    }

    /** A value shaped like a sealed successor (base64url of IV, ciphertext and tag of a real token: 163 characters). */
    static String sealed(String seed) {
        return (hash(seed + "/1") + hash(seed + "/2") + hash(seed + "/3") + hash(seed + "/4")).substring(0, 163);
    }

    /** {@code text} with the case of every letter swapped: the same text to a case-insensitive comparison. */
    static String swapCase(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            out.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
        }
        return out.toString();
    }

    /** What a case-insensitive or space-padding comparison takes for {@code text}, and an exact one does not. */
    static List<String> lookalikes(String text) {
        return List.of(swapCase(text), text + " ", text.toUpperCase(Locale.ROOT) + " ");
    }

    /** A family of {@code subject} from the client {@code web}, made at {@code createdAt}, living {@link #LIFETIME}. */
    static RefreshFamily family(String seed, String subject, Instant createdAt) {
        return new RefreshFamily(familyId(seed), subject, "web", new LinkedHashSet<>(SCOPES), CLAIMS_JSON,
                createdAt, createdAt.plus(LIFETIME));
    }

    /** A new family at generation 0 whose first token idles out after {@link #IDLE}. */
    static FamilyRecord first(String seed, String subject, Instant now) {
        return FamilyRecord.first(family(seed, subject, now), hash(seed + "#0"), now.plus(IDLE));
    }

    /** A new family at generation 0 whose first token stays usable until the family's absolute expiry. */
    static FamilyRecord firstUntilExpiry(String seed, String subject, Instant now) {
        RefreshFamily family = family(seed, subject, now);
        return FamilyRecord.first(family, hash(seed + "#0"), family.expiresAt());
    }

    /** A rotation of {@code from}'s current token at {@code now}, to {@code successorHash}, without grace. */
    static Rotation rotation(FamilyRecord from, String successorHash, Instant now) {
        return new Rotation(from.id(), from.generation(), from.currentHash(), successorHash, idleAfter(from, now),
                Optional.empty(), now);
    }

    /** A rotation of {@code from}'s current token at {@code now}, with a grace window of {@code grace}. */
    static Rotation rotation(FamilyRecord from, String successorHash, Instant now, Duration grace) {
        return new Rotation(from.id(), from.generation(), from.currentHash(), successorHash, idleAfter(from, now),
                Optional.of(new GraceWindow(from.currentHash(), sealed(successorHash), now.plus(grace), 0)), now);
    }

    /** The next rotation of {@code from}, to a successor named after its generation, without grace. */
    static Rotation next(FamilyRecord from, Instant now) {
        return rotation(from, successorOf(from), now);
    }

    /** The next rotation of {@code from}, with a grace window of {@code grace}. */
    static Rotation next(FamilyRecord from, Instant now, Duration grace) {
        return rotation(from, successorOf(from), now, grace);
    }

    /** The same rotation presented as {@code generation} with {@code hash}. */
    static Rotation presenting(Rotation rotation, long generation, String hash) {
        return new Rotation(rotation.familyId(), generation, hash, rotation.successorHash(),
                rotation.successorIdleExpiresAt(), rotation.grace().map(g -> new GraceWindow(hash,
                g.sealedSuccessor(), g.until(), 0)), rotation.now());
    }

    /** The same rotation at another instant. */
    static Rotation at(Rotation rotation, Instant now) {
        return new Rotation(rotation.familyId(), rotation.presentedGeneration(), rotation.presentedHash(),
                rotation.successorHash(), rotation.successorIdleExpiresAt(), rotation.grace(), now);
    }

    private static String successorOf(FamilyRecord from) {
        return hash(from.id() + "#" + (from.generation() + 1));
    }

    /** As Jeton computes it: {@code now} plus the idle lifetime, never past the absolute expiry. */
    static Instant idleAfter(FamilyRecord from, Instant now) {
        Instant idle = now.plus(IDLE);
        return idle.isBefore(from.family().expiresAt()) ? idle : from.family().expiresAt();
    }

    private static byte[] sha256(String seed) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is missing from this JDK", e);
        }
    }
}
