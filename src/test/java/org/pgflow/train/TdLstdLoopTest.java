package org.pgflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgflow.TestSupport;
import org.pgflow.config.ConfigTree;
import org.pgflow.config.RunConfig;
import org.pgflow.io.CheckpointStore;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.mdp.RiskyChain;
import org.pgflow.mdp.Ssp;
import org.pgflow.mdp.SspEnvironment;
import org.pgflow.policy.TabularSoftmaxPolicy;
import org.pgflow.run.Problems;
import org.pgflow.train.VarianceLoop.CriticMode;
import org.pgflow.train.VarianceLoop.Settings;
import org.pgflow.util.InvalidInputException;
import org.pgflow.variance.ActorCriticModel;
import org.pgflow.variance.ActorCriticModel.CriticTarget;
import org.pgflow.variance.ActorCriticState;
import org.pgflow.variance.CriticBias;
import org.pgflow.variance.StepSchedule;

/**
 * The TD(0) and LSTD(λ) critics of docs/algorithms.md §4.9 through {@link VarianceLoop} with the LOCAL engine: they reach the
 * T7 optima, reruns and resumes from a checkpointed {@link ActorCriticState} give the same bits, the config
 * keys map onto the loop, and the {@code critic_bias} cell is computed from {@link VarianceLoop.IterationReport#critic()}.
 *
 * <p>Learning thresholds were fixed after checking seeds 1–6 (then seed 1 is used): TD(0) with α_0 = 1, β_0 = 0.3
 * (E = 50, 3000 iterations) — worst P(risky|D_i) 0.951 for λ = 0 and 0.011 for λ = 0.5; LSTD(0) with the
 * settings of the least-squares test (β_0 = 1, 1000 iterations) — worst 0.978 and 0.013. With β_0 = 1 TD(0)
 * ends safe at D_0 for λ = 0 on seeds 1–3: the bootstrapped critic first sees the myopic values (safe pays 1 now,
 * risky pays later) and the fast actor commits before the values have propagated back along the chain.
 */
class TdLstdLoopTest {
    private static final long SEED = 1;
    private static final Settings TD0 = new Settings(CriticMode.TD0, 50, 50, 64, StepSchedule.of(1.0, 0.3, 200), 20,
            1e-8);
    private static final Settings LSTD0 = new Settings(CriticMode.LSTD, 50, 50, 64, StepSchedule.of(0.5, 1.0, 200), 20,
            1e-8, 0.0);

    @TempDir
    Path tmp;

    private static ActorCriticModel model(Ssp ssp, double lambda) {
        SspEnvironment env = SspEnvironment.of(ssp);
        return ActorCriticModel.of(env, TabularSoftmaxPolicy.of(ssp.numStates(), ssp.numActions()), env, lambda,
                100_000);
    }

    private static double[] risky(ActorCriticModel m, ActorCriticState s) {
        double[][] pi = ((TabularSoftmaxPolicy) m.policy()).table(s.theta());
        return new double[] {pi[0][1], pi[1][1], pi[2][1]};
    }

    private static ActorCriticState learn(ActorCriticModel m, Settings s, long iterations) {
        return VarianceLoop.run(m, ActorCriticState.initial(new double[m.numParameters()], m.criticDimension()), SEED,
                iterations, s, null);
    }

    @Test
    void td0AndLstdReachTheRiskNeutralAndRiskAverseOptimaOfT7() {
        Object[][] cases = {{TD0, 3000L, 0.9}, {LSTD0, 1000L, 0.95}};
        for (Object[] c : cases) {
            Settings s = (Settings) c[0];
            ActorCriticModel neutral = model(RiskyChain.t7(), 0.0);
            ActorCriticModel averse = model(RiskyChain.t7(), 0.5);
            double[] pr = risky(neutral, learn(neutral, s, (Long) c[1]));
            double[] ps = risky(averse, learn(averse, s, (Long) c[1]));
            for (int i = 0; i < 3; i++) {
                assertTrue(pr[i] > (Double) c[2], s.critic() + " lambda=0: P(risky|D" + i + ") = " + pr[i] + ", seed " + SEED);
                assertTrue(ps[i] < 0.05, s.critic() + " lambda=0.5: P(risky|D" + i + ") = " + ps[i] + ", seed " + SEED);
            }
        }
    }

    private static List<ActorCriticState> trace(ActorCriticModel m, Settings s, ActorCriticState from, long iterations) {
        List<ActorCriticState> out = new ArrayList<>();
        VarianceLoop.run(m, from, 42, iterations, s, r -> out.add(r.next()));
        return out;
    }

    @Test
    void rerunAndResumeFromACheckpointedStateGiveTheSameBits() {
        ActorCriticModel m = model(RiskyChain.t7(), 0.3);
        Settings lstdHalf = new Settings(CriticMode.LSTD, 40, 30, 8, StepSchedule.of(0.5, 1.0, 200), 20, 1e-8, 0.5);
        for (Settings s : new Settings[] {TD0.withBlockSize(8), LSTD0.withBlockSize(8), lstdHalf}) {
            ActorCriticState zero = ActorCriticState.initial(new double[m.numParameters()], m.criticDimension());
            List<ActorCriticState> full = trace(m, s, zero, 25);
            assertEquals(full, trace(m, s, zero, 25), s.critic() + " rerun, seed 42");
            // stop after 12 iterations, write the checkpoint, read it back, continue
            ActorCriticState at12 = full.get(11);
            Path dir = tmp.resolve(s.critic() + "-" + s.lstdLambda());
            new CheckpointStore(dir).save(12, 1.0, null, at12);
            ActorCriticState loaded = CheckpointStore.load(dir, null).state();
            assertEquals(at12, loaded, s.critic() + " checkpoint round trip (bitwise)");
            List<ActorCriticState> resumed = trace(m, s, loaded, 13);
            assertEquals(full.subList(12, 25), resumed, s.critic() + " resumed at 12 vs uninterrupted, seed 42");
            // the other trace decay gives other bits (the setting reaches the engine)
            if (s.critic() == CriticMode.LSTD) {
                Settings other = new Settings(s.critic(), s.episodes(), s.criticEpisodes(), s.blockSize(), s.schedule(),
                        s.thetaBound(), s.ridge(), s.lstdLambda() == 0 ? 0.5 : 0.0);
                assertTrue(!full.get(2).equals(trace(m, other, zero, 3).get(2)), "lstdLambda changes the critic");
            }
        }
    }

    @Test
    void theReportCarriesTheCriticThatDroveTheActorStep() {
        Ssp t6 = ModelFiles.loadSsp(TestSupport.env("t6.ssp.json"));
        ActorCriticModel m = model(t6, 0.3);
        double[] theta = TabularSoftmaxPolicy.of(3, 2).fromLogits(new double[][] {{0.2, -0.1}, {0.0, 0.3}, {-0.4, 0.1}});
        ActorCriticState s0 = ActorCriticState.initial(theta, m.criticDimension());
        Settings exact = new Settings(CriticMode.EXACT, 20, 20, 8, StepSchedule.of(0.5, 1.0, 200), 20, 1e-8);
        VarianceLoop.IterationReport r = VarianceLoop.iterate(m, s0, 3, exact);
        assertTrue(CriticBias.column(m, r.critic()) < 1e-9, "exact critic: bias " + CriticBias.column(m, r.critic()));
        assertEquals(r.critic().wJ()[0], r.next().wJ()[0], 0.0, "actor-only step keeps the critic it used");
        VarianceLoop.IterationReport td = VarianceLoop.iterate(m, s0, 3, TD0);
        assertSame(s0, td.critic(), "TD(0): the iteration-k critic drives the actor");
        assertEquals(1.0, CriticBias.column(m, td.critic()), 1e-12, "zero critic: zero direction, bias 1");
        // one LSTD(0) critic batch of 20 000 episodes with exact features: only sampling error is left (the
        // SE-based unbiasedness checks are in TdCriticBiasTest; ≈ 0.9 with 50 episodes, ∝ 1/√E)
        Settings big = new Settings(CriticMode.LSTD, 20, 20_000, 512, StepSchedule.of(0.5, 1.0, 200), 20, 1e-8, 0.0);
        VarianceLoop.IterationReport ls = VarianceLoop.iterate(m, s0, 3, big);
        double bias = CriticBias.column(m, ls.critic());
        assertTrue(bias > 0 && bias < 0.2, "LSTD(0) with exact features, 20000 critic episodes: bias " + bias
                + ", seed 3");
    }

    @Test
    void tdAndLstdNeedStateFeatures() {
        ActorCriticModel bare = ActorCriticModel.of(SspEnvironment.of(RiskyChain.t7()), TabularSoftmaxPolicy.of(9, 2), null,
                0.3, 1000);
        for (CriticTarget t : new CriticTarget[] {CriticTarget.TD0, CriticTarget.LSTD}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> bare.withCritic(t, 0.0));
            assertTrue(e.getMessage().contains("variance.criticStateFeatures"), e.getMessage());
        }
        assertThrows(InvalidInputException.class, () -> VarianceLoop.iterate(bare,
                ActorCriticState.initial(new double[9], bare.criticDimension()), 1, TD0));
        assertThrows(InvalidInputException.class, () -> new Settings(CriticMode.LSTD, 1, 1, 1,
                StepSchedule.of(1, 1, 1), 20, 1e-8, 1.5));
    }

    private static ObjectNode config(String critic) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("algorithm", "variance");
        n.put("iterations", 5);
        n.putObject("environment").put("type", "risky-chain");
        n.putObject("variance").put("critic", critic).put("episodes", 10);
        return n;
    }

    @Test
    void configKeysMapOntoTheLoopAndInvalidCombinationsNameTheKeys() {
        for (String c : new String[] {"td0", "lstd"}) {
            ObjectNode bad = config(c);
            ((ObjectNode) bad.get("variance")).put("criticStateFeatures", false);
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> RunConfig.from(ConfigTree.of(bad), null));
            assertTrue(e.getMessage().contains("variance.critic") && e.getMessage().contains("variance.criticStateFeatures"),
                    e.getMessage());
        }
        ObjectNode lstd = config("lstd");
        ((ObjectNode) lstd.get("variance")).put("lstdLambda", 0.7);
        VarianceTrainer.Problem p = Problems.actorCritic(RunConfig.from(ConfigTree.of(lstd), null));
        assertEquals(CriticMode.LSTD, p.settings().critic());
        assertEquals(0.7, p.settings().lstdLambda(), 0.0);
        assertEquals(CriticTarget.LSTD, p.model().critic());
        assertEquals(0.7, p.model().traceDecay(), 0.0);
        assertEquals(0.0, RunConfig.from(ConfigTree.of(config("lstd")), null).variance().lstdLambda(), 0.0, "default");
        VarianceTrainer.Problem td = Problems.actorCritic(RunConfig.from(ConfigTree.of(config("td0")), null));
        assertEquals(CriticMode.TD0, td.settings().critic());
        assertEquals(CriticTarget.TD0, td.model().critic());
        ObjectNode range = config("lstd");
        ((ObjectNode) range.get("variance")).put("lstdLambda", 1.2);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> RunConfig.from(ConfigTree.of(range), null));
        assertTrue(e.getMessage().contains("variance.lstdLambda"), e.getMessage());
        // accepted (and ignored) with the other critics, so that a study grid over variance.critic can fix it
        ObjectNode other = config("least-squares");
        ((ObjectNode) other.get("variance")).put("lstdLambda", 0.5);
        VarianceTrainer.Problem ls = Problems.actorCritic(RunConfig.from(ConfigTree.of(other), null));
        assertEquals(CriticTarget.RETURNS, ls.model().critic());
    }
}
