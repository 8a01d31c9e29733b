package org.pgflow.meanfield;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;

/**
 * A combinable collection of per-block summaries (the zero value and result type of the per-partition fold of
 * {@code SparkParticleEngine}). {@link #add} and {@link #combine} only collect; {@link #total} sums the blocks in
 * ascending block id, so the totals are the same bits whatever the partitioning and the reduction tree.
 * Not thread-safe.
 */
public final class BlockSummaries implements Serializable {
    private static final long serialVersionUID = 1L;

    private BlockSummary[] items = new BlockSummary[4];
    private int size;

    /** Kryo needs a no-argument constructor; also the empty zero value. */
    public BlockSummaries() {
    }

    /** Adds one block's summary; returns {@code this}. */
    public BlockSummaries add(BlockSummary s) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = s;
        return this;
    }

    /** Adds all of {@code other}'s summaries; returns {@code this}. */
    public BlockSummaries combine(BlockSummaries other) {
        for (int i = 0; i < other.size; i++) {
            add(other.items[i]);
        }
        return this;
    }

    /** @return number of block summaries collected */
    public int size() {
        return size;
    }

    /**
     * Sums the blocks in ascending block id.
     *
     * @return the totals
     * @throws IllegalStateException if empty or if a block id occurs twice
     */
    public CloudTotals total() {
        if (size == 0) {
            throw new IllegalStateException("no block summaries");
        }
        BlockSummary[] sorted = Arrays.copyOf(items, size);
        Arrays.sort(sorted, Comparator.comparingInt(s -> s.blockId));
        BlockSummary first = sorted[0];
        double[] out = new double[first.outputSums.length];
        double[] out2 = first.coupledOutputSums == null ? null : new double[out.length];
        double[] sum = new double[first.sum.length];
        double[] outer = new double[first.sumOuter.length];
        long count = 0;
        double dist = 0;
        double drift = 0;
        double drift2 = 0;
        int samples = 0;
        for (int b = 0; b < size; b++) {
            BlockSummary s = sorted[b];
            if (b > 0 && s.blockId == sorted[b - 1].blockId) {
                throw new IllegalStateException("block " + s.blockId + " summarised twice");
            }
            count += s.count;
            addInto(out, s.outputSums);
            if (out2 != null) {
                addInto(out2, s.coupledOutputSums);
            }
            addInto(sum, s.sum);
            addInto(outer, s.sumOuter);
            dist += s.coupledDistanceSq;
            drift += s.driftNormSum;
            drift2 += s.coupledDriftNormSum;
            samples += s.sampleIds.length;
        }
        long[] ids = new long[samples];
        double[][] rows = new double[samples][];
        int q = 0;
        for (int b = 0; b < size; b++) {
            for (int i = 0; i < sorted[b].sampleIds.length; i++) {
                ids[q] = sorted[b].sampleIds[i];
                rows[q++] = sorted[b].sampleRows[i];
            }
        }
        return new CloudTotals(count, out, out2, sum, outer, dist, drift, drift2, ids, rows);
    }

    private static void addInto(double[] acc, double[] x) {
        for (int i = 0; i < acc.length; i++) {
            acc[i] += x[i];
        }
    }
}
