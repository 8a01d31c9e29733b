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
     * The step reuses a per-thread drift buffer: a thread that has just stepped a larger block (buffer full of
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
