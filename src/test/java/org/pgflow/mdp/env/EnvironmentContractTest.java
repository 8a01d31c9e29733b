package org.pgflow.mdp.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.pgflow.TestSupport;
import org.pgflow.mdp.FiniteMdpSimulator;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.mdp.SimEnvironment;
import org.pgflow.random.Purpose;
import org.pgflow.random.Streams;
import org.pgflow.util.InvalidInputException;

/**
 * Every {@link SimEnvironment} against the shared contract: Σμ = 1 with μ &gt; 0, bounded embedding, Java
 * serialisation round trip (Spark ships environments in task closures), and reproducibility (the same stream
 * gives the same trajectory, before and after serialisation).
 */
class EnvironmentContractTest {
    static Stream<SimEnvironment> environments() {
        return Stream.of(Pendulum.of(11, 0.99), CartPole.of(0.99), MountainCarContinuous.of(7, 0.99),
                BoundedOracle.of(16, 0.9),
                LinearQuadratic.scalar(0.9, 0.5, 1, 0.1, 0.01, 0.9, 1.0, 1.0, 0.25, 10, 3, 3),
                org.pgflow.estimate.lq.LqTest.randomInstance(2),
                FiniteMdpSimulator.of(ModelFiles.loadMdp(TestSupport.env("t1.mdp.json"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("environments")
    void satisfiesTheContract(SimEnvironment env) throws Exception {
        double sum = 0;
        for (int a = 0; a < env.numActions(); a++) {
            assertTrue(env.referenceWeight(a) > 0, env.name() + " mu[" + a + "]");
            sum += env.referenceWeight(a);
        }
        assertEquals(1.0, sum, 1e-12, env.name() + " sum mu");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(env);
        }
        SimEnvironment copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (SimEnvironment) in.readObject();
        }
        double[][] t1 = trajectory(env, 50);
        double[][] t2 = trajectory(copy, 50);
        for (int t = 0; t < t1.length; t++) {
            assertArrayEquals(t1[t], t2[t], 0.0, env.name() + " step " + t);
        }
    }

    /** Follows uniformly random actions for up to {@code n} steps, checking the embedding bound on the way. */
    private static double[][] trajectory(SimEnvironment env, int n) {
        RandomGenerator rng = Streams.of(3, Purpose.TEST, 0, 0);
        double[][] out = new double[n + 1][env.stateDim() + 1];
        double[] s = new double[env.stateDim()];
        double[] next = new double[env.stateDim()];
        double[] x = new double[env.inputDim()];
        env.sampleInitial(rng, s);
        for (int t = 0; t < n && !env.isTerminal(s); t++) {
            int a = rng.nextInt(env.numActions());
            env.embed(s, a, x);
            for (int j = 0; j < x.length; j++) {
                assertTrue(Math.abs(x[j]) <= 1.0, env.name() + " x[" + j + "] = " + x[j]);
            }
            double r = env.step(s, a, rng, next);
            System.arraycopy(next, 0, out[t + 1], 0, next.length);
            out[t + 1][next.length] = r;
            System.arraycopy(next, 0, s, 0, s.length);
        }
        return out;
    }

    @Test
    void rejectsInvalidParametersNamingThem() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Pendulum.of(9, Double.NaN));
        assertTrue(e.getMessage().contains("gamma"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> CartPole.of(1.0));
        assertThrows(InvalidInputException.class, () -> MountainCarContinuous.of(0, 0.9));
        e = assertThrows(InvalidInputException.class,
                () -> LinearQuadratic.scalar(0.9, 0.5, 1, 0.1, 0.01, 0.9, Double.NaN, 1, 0.25, 10, 3, 3));
        assertTrue(e.getMessage().contains("sigmaMu"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> LinearQuadratic.of(new double[][] {{1, 0}, {0, 1}},
                new double[][] {{1}, {1}}, new double[][] {{1, 0}, {0, 1}}, new double[][] {{1}},
                new double[][] {{1, 0.5}, {0.4, 1}}, 0.9, 1, new double[] {0, 0}, new double[][] {{1, 0}, {0, 1}}, 5, 1, 1));
        assertTrue(e.getMessage().contains("W must be symmetric"), e.getMessage());
    }
}
