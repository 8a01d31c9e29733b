package org.pgflow.run;

import org.pgflow.config.EnvironmentSpec;
import org.pgflow.config.RunConfig;
import org.pgflow.estimate.BoundedOracleSolution;
import org.pgflow.estimate.ExactSolver;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.mdp.FiniteMdpSimulator;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.mdp.Portfolio;
import org.pgflow.mdp.RandomInstances;
import org.pgflow.mdp.RiskyChain;
import org.pgflow.mdp.SimEnvironment;
import org.pgflow.mdp.Ssp;
import org.pgflow.mdp.SspEnvironment;
import org.pgflow.mdp.env.BoundedOracle;
import org.pgflow.mdp.env.CartPole;
import org.pgflow.mdp.env.LinearQuadratic;
import org.pgflow.mdp.env.MountainCarContinuous;
import org.pgflow.mdp.env.Pendulum;
import org.pgflow.policy.LinearSoftmaxPolicy;
import org.pgflow.policy.TabularSoftmaxPolicy;
import org.pgflow.train.MonteCarloMeanFieldTrainer;
import org.pgflow.train.VarianceLoop;
import org.pgflow.train.VarianceTrainer;
import org.pgflow.util.InvalidInputException;
import org.pgflow.variance.ActorCriticModel;
import org.pgflow.variance.StepSchedule;

/**
 * The problems of a validated config: the finite MDP, the finite SSP, the simulator of Monte Carlo mode and the
 * actor–critic model, built from the typed {@link EnvironmentSpec}. The config has already checked which
 * environments its algorithm takes; what needs the model itself (a model file's discount) is checked here.
 */
public final class Problems {
    private Problems() {
    }

    /**
     * @param cfg the configuration
     * @return the finite MDP of a {@code finite} or {@code random-finite} environment, else null
     * @throws InvalidInputException for an invalid model file
     */
    public static FiniteMdp mdp(RunConfig cfg) {
        EnvironmentSpec env = cfg.environment();
        if (env instanceof EnvironmentSpec.FiniteFile f) {
            return ModelFiles.loadMdp(f.file());
        }
        if (env instanceof EnvironmentSpec.RandomFinite r) {
            return RandomInstances.garnetMdp(cfg.seed(), r.instance(), r.states(), r.actions(), r.branching(), r.gamma());
        }
        return null;
    }

    /**
     * @param cfg the configuration
     * @return the finite SSP of an {@code ssp}, {@code risky-chain} or {@code random-ssp} environment, else null
     * @throws InvalidInputException for an invalid model file
     */
    public static Ssp ssp(RunConfig cfg) {
        EnvironmentSpec env = cfg.environment();
        if (env instanceof EnvironmentSpec.SspFile f) {
            return ModelFiles.loadSsp(f.file());
        }
        if (env instanceof EnvironmentSpec.RiskyChain c) {
            return RiskyChain.of(c.stages(), c.winProbability(), c.winReward());
        }
        if (env instanceof EnvironmentSpec.RandomSsp r) {
            return RandomInstances.garnetSsp(cfg.seed(), r.instance(), r.states(), r.actions(), r.branching(),
                    r.terminalMin());
        }
        return null;
    }

    /**
     * The simulator of a Monte Carlo mean-field run, with the soft optimum {@code V*_τ(ρ)} (τ = {@code meanfield.tau})
     * where it is known: finite MDPs, and the bounded oracle for τ &gt; 0 (μ replaced by its quadrature,
     * docs/algorithms.md §2.7b).
     *
     * @param cfg the configuration (a discounted environment)
     * @param mdp its finite MDP ({@link #mdp}), or null
     * @return the problem
     */
    public static MonteCarloMeanFieldTrainer.Problem simulator(RunConfig cfg, FiniteMdp mdp) {
        double tau = cfg.meanfield().tau();
        EnvironmentSpec env = cfg.environment();
        SimEnvironment sim;
        double optimum = Double.NaN;
        if (mdp != null) {
            sim = FiniteMdpSimulator.of(mdp);
            optimum = ExactSolver.softValueIteration(mdp, tau).valueAtInitial();
        } else if (env instanceof EnvironmentSpec.GridTask g) {
            sim = switch (g.task()) {
                case BOUNDED_ORACLE -> BoundedOracle.of(g.gridSize(), g.gamma());
                case PENDULUM -> Pendulum.of(g.gridSize(), g.gamma());
                case MOUNTAINCAR_CONTINUOUS -> MountainCarContinuous.of(g.gridSize(), g.gamma());
            };
            if (g.task() == EnvironmentSpec.GridTask.Task.BOUNDED_ORACLE && tau > 0) {
                optimum = BoundedOracleSolution.of(g.gamma(), tau, g.gridSize()).optimalValueAtInitial();
            }
        } else if (env instanceof EnvironmentSpec.Lq q) {
            sim = LinearQuadratic.scalar(q.a(), q.b(), q.q(), q.r(), q.noise(), q.gamma(), q.sigmaMu(),
                    q.initialMean(), q.initialVar(), q.gridSize(), q.stateScale(), q.actionScale());
        } else if (env instanceof EnvironmentSpec.CartPole c) {
            sim = CartPole.of(c.gamma());
        } else {
            throw new IllegalArgumentException("environment.type '" + env.type() + "' has no simulator");
        }
        return new MonteCarloMeanFieldTrainer.Problem(sim, mdp, optimum);
    }

    /**
     * The actor–critic problem of {@code algorithm: variance}: a tabular softmax policy on a finite SSP (which must
     * be undiscounted), a logistic policy on the portfolio domain.
     *
     * @param cfg the configuration
     * @return the problem
     * @throws InvalidInputException for an invalid model file or a discounted SSP
     */
    public static VarianceTrainer.Problem actorCritic(RunConfig cfg) {
        RunConfig.VarianceSpec v = cfg.variance();
        Ssp ssp = ssp(cfg);
        ActorCriticModel model;
        if (ssp != null) {
            if (ssp.gamma() != 1.0) {
                throw new InvalidInputException((cfg.environment() instanceof EnvironmentSpec.SspFile f
                        ? f.file() + ": field 'gamma'" : "environment.gamma")
                        + " must be 1 for the actor-critic (an undiscounted SSP) but was " + ssp.gamma());
            }
            SspEnvironment e = SspEnvironment.of(ssp);
            model = ActorCriticModel.of(e, TabularSoftmaxPolicy.of(ssp.numStates(), ssp.numActions()),
                    v.criticStateFeatures() ? e : null, v.lambda(), v.maxSteps());
        } else {
            Portfolio p = Portfolio.of(((EnvironmentSpec.Portfolio) cfg.environment()).parameters());
            model = ActorCriticModel.of(p, LinearSoftmaxPolicy.logistic(p), v.criticStateFeatures() ? p : null,
                    v.lambda(), v.maxSteps());
        }
        VarianceLoop.Settings settings = new VarianceLoop.Settings(VarianceLoop.CriticMode.of(v.critic()),
                (int) v.episodes(), (int) v.criticEpisodes(), v.blockSize(),
                StepSchedule.of(v.alpha0(), v.beta0(), v.k0(), v.alphaExponent(), v.betaExponent()), v.thetaBound(),
                v.ridge(), v.lstdLambda());
        return new VarianceTrainer.Problem(settings.configure(model), ssp, settings);
    }
}
