package org.pgflow.meanfield;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The activation memo between the summary and the drift pass: within its budget it is kept and then taken by
 * the step; it never changes a bit, whether the stepped block still has it, lost it in serialisation (a
 * recomputed or shipped partition) or never had it.
 */
class ActivationMemoTest {
    private static final NeuronLayout LAYOUT = new NeuronLayout(1, 20, 4.0);
    private static final Points POINTS = oneHot10x10();

    private static Points oneHot10x10() {
        double[][] rows = new double[100][20];
        for (int s = 0; s < 10; s++) {
            for (int a = 0; a < 10; a++) {
                rows[s * 10 + a][s] = 1;
                rows[s * 10 + a][10 + a] = 1;
            }
        }
        return Points.ofDense(rows);
    }

    private static MeanFieldSetup setup(long budgetBytes, boolean coupled) {
        return new MeanFieldSetup(LAYOUT, POINTS, 1000, 300, 0.05, 0.3, 1.0, 17, coupled, 3.0, budgetBytes);
    }

    @Test
    void budgetCoversAPrefixOfTheBlocks() {
        long perParticle = 8L * 100;
        MeanFieldSetup s = setup(600 * perParticle, false);   // blocks of 300: the first two fit
        assertEquals(perParticle, s.activationBytesPerParticle());
        assertTrue(s.cachesActivations(0) && s.cachesActivations(1));
        assertFalse(s.cachesActivations(2) || s.cachesActivations(3));
        assertEquals(2 * perParticle, setup(0, true).activationBytesPerParticle());
        assertFalse(setup(0, true).cachesActivations(0));
        assertTrue(setup(Long.MAX_VALUE, true).cachesActivations(3), "the last, short block");
    }

    /**
     * The step reuses per-thread buffers: a thread that has just stepped a larger block (buffer full of
     * that block's drift), then the short last block, must give the bits of a fresh thread.
     */
    @Test
    void reusedDriftBufferLeavesNoTraceOfThePreviousBlock() throws Exception {
        for (boolean coupled : new boolean[] {false, true}) {
            MeanFieldSetup s = setup(0, coupled);   // blocks 300, 300, 300, 100
            double[] w = new double[100];
            for (int p = 0; p < w.length; p++) {
                w[p] = Math.cos(p) * 0.02;
            }
            double[] w2 = coupled ? w.clone() : null;
            ParticleBlock last = BlockOps.init(s, 3);
            ParticleBlock[] fresh = new ParticleBlock[1];
            Thread t = new Thread(() -> fresh[0] = BlockOps.step(s, last, 5, w, w2));
            t.start();
            t.join();
            BlockOps.step(s, BlockOps.init(s, 0), 5, w, w2);   // fills this thread's buffers with block 0's drift
            ParticleBlock reused = BlockOps.step(s, last, 5, w, w2);
            assertArrayEquals(fresh[0].theta(), reused.theta(), "coupled=" + coupled);
            assertArrayEquals(fresh[0].coupled(), reused.coupled(), "coupled=" + coupled);
            assertEquals(fresh[0].driftNormSum(), reused.driftNormSum(), 0.0);
        }
    }

    /**
     * The kernels reuse per-thread rows ({@link Scratch}): on a thread that has just summarised and stepped other
     * blocks (rows longer than needed, full of their values), every block gives the bits of a fresh thread. Blocks
     * of 700 take the vector path with a scalar tail of 4 particles, the last block of 300 the lane path; with and
     * without the activation memo, with and without the coupled cloud.
     */
    @Test
    void reusedKernelRowsLeaveNoTraceOfEarlierBlocks() throws Exception {
        for (long budget : new long[] {0, 1L << 30}) {
            for (boolean coupled : new boolean[] {false, true}) {
                MeanFieldSetup s = new MeanFieldSetup(LAYOUT, POINTS, 1700, 700, 0.05, 0.3, 1.0, 23, coupled, 3.0,
                        budget);
                double[] w = new double[100];
                for (int p = 0; p < w.length; p++) {
                    w[p] = Math.cos(3 * p) * 0.02;
                }
                double[] w2 = coupled ? w.clone() : null;
                for (int b : new int[] {2, 1, 0}) {
                    Object[] fresh = new Object[2];
                    Thread t = new Thread(() -> {
                        ParticleBlock block = BlockOps.init(s, b);
                        fresh[0] = BlockOps.summarize(s, block, null);
                        fresh[1] = BlockOps.step(s, block, 4, w, w2);
                    });
                    t.start();
                    t.join();
                    for (int other = 0; other < s.numBlocks(); other++) {   // dirties this thread's rows
                        ParticleBlock o = BlockOps.init(s, other);
                        BlockOps.summarize(s, o, null);
                        BlockOps.step(s, o, 9, w, w2);
                    }
                    ParticleBlock block = BlockOps.init(s, b);
                    BlockSummary summary = BlockOps.summarize(s, block, null);
                    ParticleBlock stepped = BlockOps.step(s, block, 4, w, w2);
                    String where = "block " + b + " budget " + budget + " coupled=" + coupled;
                    assertArrayEquals(((BlockSummary) fresh[0]).outputSums, summary.outputSums, where);
                    assertArrayEquals(((BlockSummary) fresh[0]).coupledOutputSums, summary.coupledOutputSums, where);
                    assertArrayEquals(((ParticleBlock) fresh[1]).theta(), stepped.theta(), where);
                    assertArrayEquals(((ParticleBlock) fresh[1]).coupled(), stepped.coupled(), where);
                    assertEquals(((ParticleBlock) fresh[1]).driftNormSum(), stepped.driftNormSum(), 0.0, where);
                }
            }
        }
    }

    @Test
    void memoIsKeptTakenAndNeverChangesTheStep() throws Exception {
        for (boolean coupled : new boolean[] {false, true}) {
            MeanFieldSetup on = setup(1L << 30, coupled);
            MeanFieldSetup off = setup(0, coupled);
            double[] w = new double[100];
            for (int p = 0; p < w.length; p++) {
                w[p] = Math.sin(p) * 0.01;
            }
            double[] w2 = coupled ? w.clone() : null;
            for (int b = 0; b < on.numBlocks(); b++) {
                ParticleBlock withMemo = BlockOps.init(on, b);
                ParticleBlock shipped = javaRoundTrip(withMemo);
                ParticleBlock plain = BlockOps.init(off, b);
                BlockSummary s1 = BlockOps.summarize(on, withMemo, null);
                BlockSummary s2 = BlockOps.summarize(off, plain, null);
                assertTrue(withMemo.hasActivations(), "memo kept within the budget");
                assertFalse(plain.hasActivations(), "no memo with budget 0");
                assertArrayEquals(s2.outputSums, s1.outputSums, "summary does not depend on recording");
                ParticleBlock a = BlockOps.step(on, withMemo, 3, w, w2);
                assertFalse(withMemo.hasActivations(), "the step takes the memo");
                ParticleBlock again = BlockOps.step(on, withMemo, 3, w, w2);      // recomputed partition
                ParticleBlock fromShipped = BlockOps.step(on, shipped, 3, w, w2); // serialised copy: no memo
                ParticleBlock fromPlain = BlockOps.step(off, plain, 3, w, w2);
                for (ParticleBlock other : new ParticleBlock[] {again, fromShipped, fromPlain}) {
                    assertArrayEquals(a.theta(), other.theta(), "block " + b + " coupled=" + coupled);
                    assertArrayEquals(a.coupled(), other.coupled(), "block " + b + " coupled=" + coupled);
                    assertEquals(a.driftNormSum(), other.driftNormSum());
                }
            }
        }
    }

    @Test
    void memoIsNotSerialised() throws Exception {
        MeanFieldSetup on = setup(1L << 30, false);
        ParticleBlock b = BlockOps.init(on, 0);
        BlockOps.summarize(on, b, null);
        assertTrue(b.hasActivations());
        assertFalse(javaRoundTrip(b).hasActivations());
    }

    private static ParticleBlock javaRoundTrip(ParticleBlock b) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(b);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (ParticleBlock) in.readObject();
        }
    }
}
