package dev.jeton.store.tck;

import dev.jeton.RevocationReason;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.GraceWindow;
import dev.jeton.store.Revocation;
import dev.jeton.store.RevocationStatus;
import dev.jeton.store.Rotation;
import dev.jeton.store.StepResult;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stores that each break one guarantee of the store contract on purpose, around a working {@link InMemoryTokenStore},
 * for {@link ContractCanFailTest}. Where the in-memory store cannot be made to do the wrong thing itself (it has no
 * unconditional write), the broken store decides on its own read and reports what a store with the bug would.
 */
final class BrokenStores {

    private BrokenStores() {
    }

    /** A store forwarding to a fresh in-memory one, breaking what a subclass overrides. */
    abstract static class Broken extends ForwardingTokenStore {

        private final InMemoryTokenStore memory;

        Broken() {
            this(new InMemoryTokenStore());
        }

        private Broken(InMemoryTokenStore memory) {
            super(memory);
            this.memory = memory;
        }

        /** The records the store holds. */
        long records() {
            return memory.familyCount();
        }

        Optional<FamilyRecord> read(String familyId) {
            return delegate().findFamily(familyId);
        }
    }

    private static Rotation presenting(Rotation r, long generation, String hash) {
        return new Rotation(r.familyId(), generation, hash, r.successorHash(), r.successorIdleExpiresAt(),
                r.grace().map(g -> new GraceWindow(hash, g.sealedSuccessor(), g.until(), 0)), r.now());
    }

    private static boolean sameIgnoringCaseAndPadding(String a, String b) {
        return a.stripTrailing().equalsIgnoreCase(b.stripTrailing());
    }

    /** Rotates the current hash whatever generation is presented with it. */
    static final class RotateIgnoringGeneration extends Broken {
        @Override
        public StepResult rotate(Rotation rotation) {
            Optional<FamilyRecord> seen = read(rotation.familyId());
            return super.rotate(seen.isPresent() ? presenting(rotation, seen.get().generation(),
                    rotation.presentedHash()) : rotation);
        }
    }

    /** Reports a rotation of a revoked family as applied. */
    static final class RotateIgnoringRevocation extends Broken {
        @Override
        public StepResult rotate(Rotation rotation) {
            StepResult result = super.rotate(rotation);
            if (!result.applied() && result.record().isPresent()) {
                FamilyRecord r = result.record().get();
                FamilyRecord unrevoked = new FamilyRecord(r.family(), r.generation(), r.currentHash(),
                        r.idleExpiresAt(), r.grace(), Optional.empty());
                if (unrevoked.acceptsCurrent(rotation.presentedGeneration(), rotation.presentedHash(),
                        rotation.now())) {
                    return StepResult.applied(r.rotated(rotation));
                }
            }
            return result;
        }
    }

    /** Decides a rotation on an unlocked read, yields, then writes and reports success on the stale read. */
    static final class RotateNotAtomic extends Broken {
        @Override
        public StepResult rotate(Rotation rotation) {
            Optional<FamilyRecord> seen = read(rotation.familyId());
            if (seen.isEmpty() || !seen.get().acceptsCurrent(rotation.presentedGeneration(),
                    rotation.presentedHash(), rotation.now())) {
                return StepResult.refused(seen);
            }
            Thread.yield();
            super.rotate(rotation);
            return StepResult.applied(seen.get().rotated(rotation));
        }
    }

    /** Still rotates a token at exactly its idle expiry (compares with "after" instead of "at or after"). */
    static final class RotateAtTheIdleExpiryInstant extends Broken {
        @Override
        public StepResult rotate(Rotation r) {
            return super.rotate(new Rotation(r.familyId(), r.presentedGeneration(), r.presentedHash(),
                    r.successorHash(), r.successorIdleExpiresAt(), r.grace(), r.now().minusMillis(1)));
        }
    }

    /** Compares token hashes as a case-insensitive, space-padding collation would. */
    static final class HashesIgnoringCaseAndPadding extends Broken {
        @Override
        public StepResult rotate(Rotation rotation) {
            Optional<FamilyRecord> seen = read(rotation.familyId());
            if (seen.isPresent() && sameIgnoringCaseAndPadding(seen.get().currentHash(), rotation.presentedHash())) {
                return super.rotate(presenting(rotation, rotation.presentedGeneration(), seen.get().currentHash()));
            }
            return super.rotate(rotation);
        }

        @Override
        public StepResult slide(String familyId, long generation, String currentHash, Instant newIdleExpiresAt,
                                Instant now) {
            Optional<FamilyRecord> seen = read(familyId);
            String hash = seen.isPresent() && sameIgnoringCaseAndPadding(seen.get().currentHash(), currentHash)
                    ? seen.get().currentHash() : currentHash;
            return super.slide(familyId, generation, hash, newIdleExpiresAt, now);
        }

        @Override
        public StepResult claimGrace(String familyId, String previousHash, int maxUses, Instant now) {
            String hash = read(familyId).flatMap(FamilyRecord::grace).map(GraceWindow::previousHash)
                    .filter(h -> sameIgnoringCaseAndPadding(h, previousHash)).orElse(previousHash);
            return super.claimGrace(familyId, hash, maxUses, now);
        }
    }

    /** Slides whatever token of the family is presented. */
    static final class SlideIgnoringTheToken extends Broken {
        @Override
        public StepResult slide(String familyId, long generation, String currentHash, Instant newIdleExpiresAt,
                                Instant now) {
            Optional<FamilyRecord> seen = read(familyId);
            return seen.isEmpty() ? super.slide(familyId, generation, currentHash, newIdleExpiresAt, now)
                    : super.slide(familyId, seen.get().generation(), seen.get().currentHash(), newIdleExpiresAt, now);
        }
    }

    /** Lets the grace window hand out its successor any number of times. */
    static final class ClaimGraceIgnoringMaxUses extends Broken {
        @Override
        public StepResult claimGrace(String familyId, String previousHash, int maxUses, Instant now) {
            return super.claimGrace(familyId, previousHash, Integer.MAX_VALUE, now);
        }
    }

    /** Checks the uses on an unlocked read, yields, then counts the use unconditionally. */
    static final class ClaimGraceNotAtomic extends Broken {
        @Override
        public StepResult claimGrace(String familyId, String previousHash, int maxUses, Instant now) {
            Optional<FamilyRecord> seen = read(familyId);
            if (seen.isEmpty() || !seen.get().acceptsGraceClaim(previousHash, maxUses, now)) {
                return StepResult.refused(seen);
            }
            Thread.yield();
            return super.claimGrace(familyId, previousHash, Integer.MAX_VALUE, now);
        }
    }

    /** Still accepts a grace claim at exactly the end of the window. */
    static final class ClaimGraceAtTheWindowEnd extends Broken {
        @Override
        public StepResult claimGrace(String familyId, String previousHash, int maxUses, Instant now) {
            return super.claimGrace(familyId, previousHash, maxUses, now.minusMillis(1));
        }
    }

    /** Revokes again on every call, overwriting the first revocation. */
    static final class RevokeOverwritingTheFirstRevocation extends Broken {
        private final Map<String, Revocation> latest = new ConcurrentHashMap<>();

        @Override
        public boolean revokeFamily(String familyId, RevocationReason reason, Instant now) {
            boolean first = super.revokeFamily(familyId, reason, now);
            if (read(familyId).isEmpty()) {
                return first;
            }
            latest.put(familyId, new Revocation(now, reason));
            return true;
        }

        @Override
        public Optional<FamilyRecord> findFamily(String familyId) {
            return read(familyId).map(r -> latest.containsKey(familyId) ? new FamilyRecord(r.family(),
                    r.generation(), r.currentHash(), r.idleExpiresAt(), r.grace(),
                    Optional.of(latest.get(familyId))) : r);
        }
    }

    /** Keeps the grace window of a revoked family. */
    static final class RevokeKeepingTheGraceWindow extends Broken {
        private final Map<String, GraceWindow> kept = new ConcurrentHashMap<>();

        @Override
        public boolean revokeFamily(String familyId, RevocationReason reason, Instant now) {
            read(familyId).flatMap(FamilyRecord::grace).ifPresent(g -> kept.put(familyId, g));
            return super.revokeFamily(familyId, reason, now);
        }

        @Override
        public Optional<FamilyRecord> findFamily(String familyId) {
            return read(familyId).map(r -> r.isRevoked() && kept.containsKey(familyId) ? new FamilyRecord(
                    r.family(), r.generation(), r.currentHash(), r.idleExpiresAt(),
                    Optional.of(kept.get(familyId)), r.revocation()) : r);
        }
    }

    /** Answers "not revoked" for a family it no longer holds. */
    static final class StatusForgettingGoneFamilies extends Broken {
        @Override
        public RevocationStatus revocationStatus(Optional<String> familyId, String jti, Instant now) {
            boolean session = familyId.flatMap(this::read).map(FamilyRecord::isRevoked).orElse(false);
            return new RevocationStatus(session, super.revocationStatus(Optional.empty(), jti, now)
                    .accessTokenRevoked());
        }
    }

    /** Still denies an access token at exactly its expiry. */
    static final class DenialAtTheExpiryInstant extends Broken {
        @Override
        public RevocationStatus revocationStatus(Optional<String> familyId, String jti, Instant now) {
            return super.revocationStatus(familyId, jti, now.minusMillis(1));
        }
    }

    /** Matches subjects as a case-insensitive, space-padding collation would. */
    static final class SubjectsIgnoringCaseAndPadding extends Broken {
        private final Set<String> subjects = ConcurrentHashMap.newKeySet();

        @Override
        public void createFamily(FamilyRecord first) {
            super.createFamily(first);
            subjects.add(first.family().subject());
        }

        @Override
        public List<FamilyRecord> liveFamilies(String subject, Instant now) {
            return subjects.stream().filter(s -> sameIgnoringCaseAndPadding(s, subject))
                    .flatMap(s -> super.liveFamilies(s, now).stream()).toList();
        }
    }

    /** Lists a subject's families past their absolute expiry too. */
    static final class LiveFamiliesIncludingExpired extends Broken {
        @Override
        public List<FamilyRecord> liveFamilies(String subject, Instant now) {
            return super.liveFamilies(subject, Instant.MIN);
        }
    }

    /** Takes a second family with an existing id silently, as an upsert that does nothing on conflict would. */
    static final class CreateIgnoringDuplicates extends Broken {
        @Override
        public void createFamily(FamilyRecord first) {
            if (read(first.id()).isEmpty()) {
                super.createFamily(first);
            }
        }
    }

    /** Purges by a clock a day ahead, so families still live are deleted. */
    static final class PurgeDeletingLiveFamilies extends Broken {
        @Override
        public int purgeExpired(Instant now, int maxRows) {
            return super.purgeExpired(now.plus(Duration.ofDays(1)), maxRows);
        }
    }

    /** Purges everything expired in one call, whatever the batch size. */
    static final class PurgeUnbounded extends Broken {
        @Override
        public int purgeExpired(Instant now, int maxRows) {
            return super.purgeExpired(now, Integer.MAX_VALUE);
        }
    }

    /** Keeps a history record of every rotation, as a row-per-token store does. */
    static final class GrowingWithEveryRefresh extends Broken {
        private final List<FamilyRecord> history = new CopyOnWriteArrayList<>();

        @Override
        public StepResult rotate(Rotation rotation) {
            StepResult result = super.rotate(rotation);
            if (result.applied()) {
                history.add(result.record().orElseThrow());
            }
            return result;
        }

        @Override
        long records() {
            return super.records() + history.size();
        }
    }
}
