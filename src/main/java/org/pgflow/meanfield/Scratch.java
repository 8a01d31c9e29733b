package org.pgflow.meanfield;

import java.util.Arrays;

/**
 * The kernels' working rows, one set per thread, grown to the largest block the thread has seen and reused from
 * then on. A pass over a block would otherwise allocate a handful of block-sized arrays on every call: at small
 * sizes that stream of garbage sweeps the young generation through memory the process has never touched (page
 * faults and cold cache lines on every iteration); at large sizes the arrays are big enough for the collector to
 * place them outside the young generation. Each {@link Row} belongs to one kernel pass, and no pass calls another
 * while it holds a row, so two users of one row never overlap on a thread.
 */
final class Scratch {
    /** The rows, one per use. */
    enum Row {
        OUT_TC, OUT_Z, OUT_H, OUT_LANES, OUT_E,
        DRIFT_GC, DRIFT_GB, DRIFT_Z, DRIFT_H, DRIFT_E, DRIFT_ACC, PAIR_TERMS, PAIR_SUMS,
        TAIL_W, TAIL_B, TAIL_C,
        STEP_DRIFT, STEP_COUPLED_DRIFT, STEP_NOISE, STEP_NORMS, STEP_COUPLED_NORMS, NOISE_SPARE
    }

    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    private final double[][] rows = new double[Row.values().length][];
    private long[] keys = new long[0];

    private Scratch() {
    }

    /**
     * @param row    which row
     * @param length the length needed
     * @return this thread's row, at least {@code length} long; its contents are whatever its last user left
     */
    static double[] row(Row row, int length) {
        double[][] rows = LOCAL.get().rows;
        double[] r = rows[row.ordinal()];
        if (r == null || r.length < length) {
            r = new double[length];
            rows[row.ordinal()] = r;
        }
        return r;
    }

    /**
     * @param row    which row
     * @param length the length needed
     * @return this thread's row, at least {@code length} long, with {@code [0, length)} set to zero
     */
    static double[] zeroed(Row row, int length) {
        double[] r = row(row, length);
        Arrays.fill(r, 0, length, 0.0);
        return r;
    }

    /**
     * @param length the length needed
     * @return this thread's row of stream keys, at least {@code length} long, contents unspecified
     */
    static long[] keys(int length) {
        Scratch s = LOCAL.get();
        if (s.keys.length < length) {
            s.keys = new long[length];
        }
        return s.keys;
    }
}
