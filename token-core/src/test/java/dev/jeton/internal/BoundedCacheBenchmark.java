package dev.jeton.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link BoundedCache} beside Caffeine (W-TinyLFU) and an unbounded {@link ConcurrentHashMap} (the ceiling: no
 * eviction, every key kept), as Jeton's caches use them: read, and on a miss load and put. 10,000 entries at most;
 * keys drawn uniformly from 20,000 (the refresh pattern: each session comes back once per interval) or from a Zipf
 * distribution over 100,000 (access tokens validated again and again by a few busy clients). The hits and misses
 * counters give the hit rate.
 *
 * <p>It lives in token-core's tests because the cache is internal; the README's performance section gives the
 * command that runs it from the test classpath.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(4)
@State(Scope.Benchmark)
public class BoundedCacheBenchmark {

    private static final int MAXIMUM = 10_000;
    private static final int DRAWS = 1 << 20;

    @Param({"bounded", "caffeine", "unbounded"})
    public String cache;

    @Param({"uniform", "zipf"})
    public String keys;

    private Adapter adapter;
    private int[] draws;

    interface Adapter {
        Object get(Integer key);

        void put(Integer key, Object value);
    }

    @Setup(Level.Trial)
    public void setUp() {
        adapter = switch (cache) {
            case "bounded" -> {
                BoundedCache<Integer, Object> c = new BoundedCache<>(MAXIMUM);
                yield new Adapter() {
                    public Object get(Integer key) {
                        return c.get(key);
                    }

                    public void put(Integer key, Object value) {
                        c.put(key, value);
                    }
                };
            }
            case "caffeine" -> {
                Cache<Integer, Object> c = Caffeine.newBuilder().maximumSize(MAXIMUM).build();
                yield new Adapter() {
                    public Object get(Integer key) {
                        return c.getIfPresent(key);
                    }

                    public void put(Integer key, Object value) {
                        c.put(key, value);
                    }
                };
            }
            case "unbounded" -> {
                ConcurrentHashMap<Integer, Object> c = new ConcurrentHashMap<>();
                yield new Adapter() {
                    public Object get(Integer key) {
                        return c.get(key);
                    }

                    public void put(Integer key, Object value) {
                        c.put(key, value);
                    }
                };
            }
            default -> throw new IllegalArgumentException(cache);
        };
        draws = new int[DRAWS];
        SplittableRandom random = new SplittableRandom(42);
        if (keys.equals("uniform")) {
            for (int i = 0; i < DRAWS; i++) {
                draws[i] = random.nextInt(2 * MAXIMUM);
            }
        } else {
            int n = 10 * MAXIMUM;
            double[] cumulative = new double[n];
            double sum = 0;
            for (int k = 0; k < n; k++) {
                sum += 1.0 / (k + 1);
                cumulative[k] = sum;
            }
            for (int i = 0; i < DRAWS; i++) {
                double u = random.nextDouble() * sum;
                int lo = 0;
                int hi = n - 1;
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (cumulative[mid] < u) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                draws[i] = lo;
            }
        }
        for (int i = 0; i < DRAWS; i++) {
            Integer key = draws[i];
            if (adapter.get(key) == null) {
                adapter.put(key, key);
            }
        }
    }

    /** Per-thread position in the draws, and the hit and miss counts JMH reports beside the score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Counts {
        public long hits;
        public long misses;
        int next = new SplittableRandom().nextInt(DRAWS);
    }

    @Benchmark
    public Object readThenLoadOnMiss(Counts counts) {
        Integer key = draws[counts.next++ & (DRAWS - 1)];
        Object value = adapter.get(key);
        if (value != null) {
            counts.hits++;
            return value;
        }
        counts.misses++;
        adapter.put(key, key);
        return key;
    }
}
