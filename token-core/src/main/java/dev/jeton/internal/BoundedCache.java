package dev.jeton.internal;

import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A concurrent map that holds about {@code maximumSize} entries at most, the one bounded cache every Jeton cache is
 * built on. Eviction is CLOCK (second chance), as in operating-system page caches: a read marks its entry, and the
 * hand that sweeps the map when it is over its bound clears marks and removes entries found unmarked, so an entry
 * read since the hand last passed survives one more round. Entries nobody reads go first; a burst of new keys cannot
 * push out the ones in use. Reads take no lock and write nothing but, the first time, the mark; one writer at a time
 * sweeps while the others insert and go on, until the size passes the bound by a slack (1/64 of it, at least 8):
 * then they wait for the sweep, so the size stays within the bound, the slack and about one entry per writer (the
 * map's count, read while others write, can miss an insertion in flight). Each entry is passed by the hand at most twice per visit of the hand, so a write costs amortised O(1).
 *
 * <p>Caffeine (W-TinyLFU) keeps a better hit rate under skewed loads; Jeton's caches hold keys that are read for a
 * while and then never again (access tokens until they expire, sessions between refreshes, keys between rotations),
 * where CLOCK is within a few percent of LRU, and this one costs core no dependency. Not part of Jeton's API.
 *
 * @param <K> the key
 * @param <V> the value, never null
 */
public final class BoundedCache<K, V> {

    /** A value with its mark; the mark is only ever set by readers and cleared by the hand. */
    private static final class Node<V> {
        final V value;
        volatile boolean referenced;

        Node(V value) {
            this.value = Objects.requireNonNull(value, "value");
        }
    }

    private final int maximumSize;
    private final ConcurrentHashMap<K, Node<V>> map;
    /** How far past the bound writers may go on while one of them sweeps; past it they wait for the sweep. */
    private final int slack;
    private final ReentrantLock sweeping = new ReentrantLock();
    /** Where the hand is; guarded by {@link #sweeping}. */
    private Iterator<Map.Entry<K, Node<V>>> hand;

    /** A cache of at most {@code maximumSize} entries; 0 keeps nothing. */
    public BoundedCache(int maximumSize) {
        if (maximumSize < 0) {
            throw new IllegalArgumentException("maximumSize must not be negative, got " + maximumSize);
        }
        this.maximumSize = maximumSize;
        this.slack = Math.max(8, maximumSize >>> 6);
        this.map = new ConcurrentHashMap<>(Math.min(maximumSize, 1024));
    }

    /** The value kept for {@code key}, marking it used, or null. */
    public V get(K key) {
        Node<V> node = map.get(key);
        if (node == null) {
            return null;
        }
        if (!node.referenced) {
            node.referenced = true;
        }
        return node.value;
    }

    /** Keeps {@code value} for {@code key}, replacing what was kept. */
    public void put(K key, V value) {
        if (maximumSize == 0) {
            return;
        }
        map.put(key, new Node<>(value));
        afterWrite();
    }

    /** The value kept for {@code key}, else the one {@code load} makes (once per key at a time), kept and returned. */
    public V computeIfAbsent(K key, Function<? super K, ? extends V> load) {
        V present = get(key);
        if (present != null) {
            return present;
        }
        if (maximumSize == 0) {
            return load.apply(key);
        }
        Node<V> node = map.computeIfAbsent(key, k -> new Node<>(load.apply(k)));
        afterWrite();
        return node.value;
    }

    /**
     * Atomically replaces the value kept for {@code key} with what {@code remap} makes of it (null when nothing is
     * kept); a null result removes the entry. Returns the new value, or null.
     */
    public V compute(K key, BiFunction<? super K, ? super V, ? extends V> remap) {
        if (maximumSize == 0) {
            return remap.apply(key, null);
        }
        Node<V> node = map.compute(key, (k, old) -> {
            V now = remap.apply(k, old == null ? null : old.value);
            if (now == null) {
                return null;
            }
            return old != null && now == old.value ? old : new Node<>(now);
        });
        afterWrite();
        return node == null ? null : node.value;
    }

    /** Forgets {@code key}. */
    public void remove(K key) {
        map.remove(key);
    }

    /** Forgets every entry whose value matches. */
    public void removeValues(Predicate<? super V> filter) {
        map.values().removeIf(node -> filter.test(node.value));
    }

    /** Forgets everything. */
    public void clear() {
        map.clear();
    }

    /** How many entries are kept now. */
    public int size() {
        return map.size();
    }

    /** The bound given at construction. */
    public int maximumSize() {
        return maximumSize;
    }

    private void afterWrite() {
        int size = map.size();
        if (size <= maximumSize) {
            return;
        }
        if (size > maximumSize + slack) {
            sweeping.lock(); // writers outpace the sweep: wait for it rather than grow without bound
        } else if (!sweeping.tryLock()) {
            return;
        }
        try {
            sweep();
        } finally {
            sweeping.unlock();
        }
    }

    /** Moves the hand until the map is within its bound: marked entries lose their mark, unmarked ones go. */
    private void sweep() {
        // Two full turns at most: the first clears every mark, the second finds an unmarked entry.
        long steps = 2L * map.size() + 2;
        while (map.size() > maximumSize && steps-- > 0) {
            if (hand == null || !hand.hasNext()) {
                hand = map.entrySet().iterator();
                if (!hand.hasNext()) {
                    return;
                }
            }
            Map.Entry<K, Node<V>> entry = hand.next();
            Node<V> node = entry.getValue();
            if (node.referenced) {
                node.referenced = false;
            } else {
                map.remove(entry.getKey(), node);
            }
        }
    }
}
