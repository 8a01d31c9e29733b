package org.pgflow.random;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Reproducible random streams addressed by {@code (master seed, purpose, iteration, item id)} (docs/architecture.md §5).
 *
 * <p>The four components are folded through the SplitMix64 finaliser ({@link #mix64}), each with its own
 * odd constant, into one 64-bit seed for a fresh {@code L64X128MixRandom} (JDK 17, seeded through
 * {@code create(long)}, never {@code create(byte[])}, which in JDK 17 lets bytes ≥ 0x80 wipe the other seed bits,
 * so that distinct seeds can give identical generators). A stream depends only on its address,
 * never on partition, thread or order of use, so a task that rebuilds its generator from the address sees
 * the same numbers on every attempt and under every partitioning.
 *
 * <p>Stateless and thread-safe; the returned generators are not thread-safe.
 */
public final class Streams {
    private static final RandomGeneratorFactory<RandomGenerator> FACTORY = RandomGeneratorFactory.of("L64X128MixRandom");

    private Streams() {
    }

    /**
     * @param seed      master seed of the run
     * @param purpose   what the stream is for
     * @param iteration iteration number (0 where there is none)
     * @param id        item id: particle, rollout or episode id
     * @return a fresh generator for that address
     */
    public static RandomGenerator of(long seed, Purpose purpose, long iteration, long id) {
        return FACTORY.create(seedOf(seed, purpose, iteration, id));
    }

    /**
     * The 64-bit seed of a stream address; injective in practice (a 64-bit hash of 4 components).
     *
     * @return the derived seed
     */
    public static long seedOf(long seed, Purpose purpose, long iteration, long id) {
        long h = mix64(seed ^ 0x243F6A8885A308D3L);
        h = mix64(h + purpose.id() * 0x9E3779B97F4A7C15L);
        h = mix64(h ^ (iteration * 0xD1B54A32D192ED03L + 0x13198A2E03707344L));
        h = mix64(h + (id * 0xAEF17502108EF2D9L ^ 0xA4093822299F31D0L));
        return h;
    }

    /** SplitMix64 finaliser (Steele, Lea, Flood 2014): a bijective 64-bit mixer. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A uniform double in (0, 1] (never 0, so that {@code Math.log} of it is finite).
     *
     * @param rng source
     * @return {@code 1 − U[0,1)}
     */
    public static double uniformOpenZero(RandomGenerator rng) {
        return 1.0 - rng.nextDouble();
    }

    /**
     * Samples an index from a probability vector by inversion.
     *
     * @param p   probabilities summing to 1 (up to round-off)
     * @param rng source
     * @return an index {@code i} with probability {@code p[i]}
     */
    public static int categorical(double[] p, RandomGenerator rng) {
        double u = rng.nextDouble();
        double c = 0;
        int last = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                c += p[i];
                last = i;
                if (u < c) {
                    return i;
                }
            }
        }
        return last; // round-off: u ≥ Σp slightly below 1
    }

    /**
     * Geometric horizon {@code T} with {@code P(T = t) = (1−γ)γ^t}, {@code t ≥ 0} (docs/algorithms.md §2.8).
     *
     * @param gamma discount in [0, 1)
     * @param rng   source
     * @return the sampled horizon
     */
    public static long geometric(double gamma, RandomGenerator rng) {
        if (gamma == 0) {
            return 0;
        }
        return (long) Math.floor(Math.log(uniformOpenZero(rng)) / Math.log(gamma));
    }

    /**
     * A uniform random subset of {@code m} of the ids {@code 0..n−1} (Floyd's algorithm), ascending.
     *
     * @param rng source
     * @param n   population size
     * @param m   subset size, at most n
     * @return ascending ids
     */
    public static long[] subset(RandomGenerator rng, long n, int m) {
        if (m > n) {
            throw new IllegalArgumentException("subset of " + m + " from " + n);
        }
        java.util.TreeSet<Long> chosen = new java.util.TreeSet<>();
        for (long j = n - m; j < n; j++) {
            long t = rng.nextLong(j + 1);
            chosen.add(chosen.contains(t) ? j : t);
        }
        return chosen.stream().mapToLong(Long::longValue).toArray();
    }
}
