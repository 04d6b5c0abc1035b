package dev.jeton.store.redis;

import static dev.jeton.store.redis.FamilyHash.millis;

import dev.jeton.RevocationReason;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.GraceWindow;
import dev.jeton.store.RefreshFamily;
import dev.jeton.store.Rotation;
import dev.jeton.store.StepResult;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The steps of a {@link RedisTokenStore} on one family (create, rotate, claim a grace use, slide, revoke), each one
 * {@link Script} that checks the whole record and applies the step or refuses it; a write waits for replicas when the
 * store was built to. Arguments are checked by the store. Thread-safe.
 */
final class FamilySteps {

    private static final SecureRandom NONCES = new SecureRandom();
    private static final String[] NO_GRACE = {"", "", ""};

    private final Keys keys;
    private final Redis redis;
    private final SubjectIndex subjects;

    FamilySteps(Keys keys, Redis redis, SubjectIndex subjects) {
        this.keys = keys;
        this.redis = redis;
        this.subjects = subjects;
    }

    /** Stores a new family, then lists it under its subject. */
    void create(FamilyRecord first) {
        RefreshFamily family = first.family();
        String id = family.id();
        String scopes = FamilyHash.joinScopes(family.scopes());
        String familyKey = keys.family(id);
        String what = "creating family " + id;
        List<Object> answer = redis.run(Script.CREATE, what, new String[] {familyKey, keys.timelineOf(id)}, id,
                family.subject(), family.clientId(), scopes, family.claimsJson(), millis(family.createdAt()),
                millis(family.expiresAt()), first.currentHash(), millis(first.idleExpiresAt()),
                keys.base(Keys.bucket(id)));
        if ("E".equals(answer.get(0))) {
            throw new IllegalStateException("family " + id + " already exists");
        }
        String subjectKey = subjects.add(family);
        redis.replicate(familyKey, what);
        redis.replicate(subjectKey, what);
    }

    StepResult rotate(Rotation rotation) {
        String id = rotation.familyId();
        String[] grace = graceArguments(rotation.grace());
        String familyKey = keys.family(id);
        String what = "rotating family " + id;
        return step(id, what, Script.ROTATE, new String[] {familyKey, keys.timelineOf(id)}, id,
                Long.toString(rotation.presentedGeneration()), rotation.presentedHash(), rotation.successorHash(),
                millis(rotation.successorIdleExpiresAt()), millis(rotation.now()), grace[0], grace[1], grace[2]);
    }

    StepResult claimGrace(String familyId, String previousHash, int maxUses, Instant now) {
        byte[] nonce = new byte[12];
        NONCES.nextBytes(nonce);
        return step(familyId, "claiming the grace window of family " + familyId, Script.CLAIM,
                new String[] {keys.family(familyId)}, previousHash, Integer.toString(maxUses), millis(now),
                HexFormat.of().formatHex(nonce));
    }

    StepResult slide(String familyId, long generation, String currentHash, Instant newIdleExpiresAt, Instant now) {
        return step(familyId, "sliding family " + familyId, Script.SLIDE, new String[] {keys.family(familyId)},
                Long.toString(generation), currentHash, millis(newIdleExpiresAt), millis(now));
    }

    private StepResult step(String familyId, String what, Script script, String[] keys, String... args) {
        List<Object> answer = redis.run(script, what, keys, args);
        Object status = answer.get(0);
        if ("N".equals(status)) {
            return StepResult.refused(Optional.empty());
        }
        FamilyRecord record = FamilyHash.fromFlat(familyId, answer, 1);
        if ("A".equals(status)) {
            redis.replicate(keys[0], what);
            return StepResult.applied(record);
        }
        return StepResult.refused(Optional.of(record));
    }

    /** Whether this call revoked the family. */
    boolean revoke(String familyId, RevocationReason reason, Instant now) {
        String familyKey = keys.family(familyId);
        String what = "revoking family " + familyId;
        List<Object> answer = redis.run(Script.REVOKE, what, new String[] {familyKey, keys.timelineOf(familyId)},
                familyId, millis(now), reason.name());
        boolean revoked = Long.valueOf(1).equals(answer.get(0));
        if (revoked) {
            redis.replicate(familyKey, what);
        }
        return revoked;
    }

    /** The grace window as the rotation script takes it: previous hash, sealed successor, end; all empty if none. */
    private static String[] graceArguments(Optional<GraceWindow> grace) {
        return grace.map(g -> new String[] {g.previousHash(), g.sealedSuccessor(), millis(g.until())})
                .orElse(NO_GRACE);
    }
}
