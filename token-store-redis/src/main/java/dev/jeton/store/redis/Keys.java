package dev.jeton.store.redis;

import io.lettuce.core.cluster.SlotHash;
import java.util.regex.Pattern;

/**
 * Where the store keeps what, under its key prefix {@code P}:
 * <ul>
 *   <li>{@code P{t}:f:<family id>}: the family's hash, {@code t} being its bucket's tag;</li>
 *   <li>{@code P{t}:t}: the bucket's timeline, a sorted set of what purge must look at and when;</li>
 *   <li>{@code P{t}:j:<jti>}: a denied access token, in the bucket of its {@code jti};</li>
 *   <li>{@code Ps:<subject>}: the subject's index of family ids.</li>
 * </ul>
 * A family id or {@code jti} belongs to one of {@value #BUCKETS} buckets, and every key of a bucket carries the
 * bucket's hash tag, so each script touches one cluster slot. The tags are fixed (the first short text that hashes to
 * each sixteenth of the slot space), so the buckets spread over the whole cluster and never move between releases.
 * Immutable.
 */
final class Keys {

    /** How many buckets; part of the key layout, never to change. */
    static final int BUCKETS = 1024;
    static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private static final String[] TAGS = tags();

    private final String prefix;

    Keys(String prefix) {
        this.prefix = prefix;
    }

    private static String[] tags() {
        String alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        String[] tags = new String[BUCKETS];
        int found = 0;
        for (int length = 1; found < BUCKETS; length++) {
            int[] digits = new int[length];
            while (true) {
                StringBuilder tag = new StringBuilder(length);
                for (int digit : digits) {
                    tag.append(alphabet.charAt(digit));
                }
                int bucket = SlotHash.getSlot(tag.toString()) >> 4;
                if (tags[bucket] == null) {
                    tags[bucket] = tag.toString();
                    found++;
                }
                int position = length - 1;
                while (position >= 0 && ++digits[position] == alphabet.length()) {
                    digits[position--] = 0;
                }
                if (position < 0) {
                    break;
                }
            }
        }
        return tags;
    }

    /** The bucket of a family id or a {@code jti}: a sixteenth of the cluster slot its text hashes to. */
    static int bucket(String id) {
        return SlotHash.getSlot(id) >> 4;
    }

    /** The common start of every key of a bucket, up to the kind of key. */
    String base(int bucket) {
        return prefix + "{" + TAGS[bucket] + "}:";
    }

    String family(String familyId) {
        return base(bucket(familyId)) + "f:" + familyId;
    }

    String timeline(int bucket) {
        return base(bucket) + "t";
    }

    String timelineOf(String id) {
        return timeline(bucket(id));
    }

    String denial(String jti) {
        return base(bucket(jti)) + "j:" + jti;
    }

    String subject(String subject) {
        return prefix + "s:" + subject;
    }

    /** What every key of this store starts with. */
    String prefix() {
        return prefix;
    }
}
