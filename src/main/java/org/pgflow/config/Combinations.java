package org.pgflow.config;

import org.pgflow.config.RunConfig.MeanFieldSpec;
import org.pgflow.config.RunConfig.VarianceSpec;
import org.pgflow.util.InvalidInputException;

/**
 * The rules between the sections of a {@link RunConfig}: which environments each algorithm takes, and the settings
 * that only some of them allow. Each method throws an {@link InvalidInputException} naming the keys.
 */
final class Combinations {
    private Combinations() {
    }

    /** @return whether the environment is a finite MDP (exact evaluation) */
    static boolean finiteMdp(EnvironmentSpec env) {
        return env instanceof EnvironmentSpec.FiniteFile || env instanceof EnvironmentSpec.RandomFinite;
    }

    /** @return whether the environment is a finite SSP */
    static boolean finiteSsp(EnvironmentSpec env) {
        return env instanceof EnvironmentSpec.SspFile || env instanceof EnvironmentSpec.RiskyChain
                || env instanceof EnvironmentSpec.RandomSsp;
    }

    /**
     * {@code algorithm: meanfield}: the variance objective on a finite SSP or (Monte Carlo) the portfolio, not
     * coupled; the value objective on a discounted problem; exact evaluation on a finite MDP, Monte Carlo on a finite MDP or a simulator.
     */
    static void meanField(EnvironmentSpec env, MeanFieldSpec mf) {
        if (mf.objective() == Objective.VARIANCE) {
            if (env instanceof EnvironmentSpec.Portfolio) {
                if (mf.evaluation() != Evaluation.MONTECARLO) {
                    throw new InvalidInputException("environment.type 'portfolio' has no exact evaluation (continuous "
                            + "states, not a finite SSP): use meanfield.evaluation: montecarlo");
                }
            } else if (!finiteSsp(env)) {
                throw new InvalidInputException("meanfield.objective: variance needs an episodic environment "
                        + "(ssp, risky-chain, random-ssp, portfolio) but environment.type is '" + env.type() + "'");
            }
            if (mf.coupled()) {
                throw new InvalidInputException("meanfield.coupled: true is not available with meanfield.objective: "
                        + "variance");
            }
            return;
        }
        if (env.episodic()) {
            throw new InvalidInputException("environment.type '" + env.type() + "' is an episodic problem: use "
                    + "meanfield.objective: variance (the variance-adjusted objective J - lambda Var; lambda = "
                    + "variance.lambda, 0 for the plain expected return)");
        }
        if (mf.evaluation() == Evaluation.EXACT && !finiteMdp(env)) {
            throw new InvalidInputException("environment.type '" + env.type() + "' has no exact evaluation: use "
                    + "meanfield.evaluation: montecarlo, or a finite / random-finite environment");
        }
        if (env instanceof EnvironmentSpec.Chain) {
            throw new InvalidInputException("environment.type '" + env.type() + "' is not available for algorithm "
                    + "meanfield; use finite, random-finite, bounded-oracle, lq, pendulum, cartpole or "
                    + "mountaincar-continuous");
        }
    }

    /** {@code algorithm: tabular}: a finite MDP. */
    static void tabular(EnvironmentSpec env) {
        if (!finiteMdp(env)) {
            throw new InvalidInputException("environment.type '" + env.type() + "' is not available for "
                    + "algorithm tabular (exact evaluation); use finite or random-finite");
        }
    }

    /**
     * {@code algorithm: variance}: an episodic environment, the exact critic on a finite SSP only, and the actor on
     * the slow time-scale.
     */
    static void actorCritic(EnvironmentSpec env, VarianceSpec v) {
        if (!env.episodic()) {
            throw new InvalidInputException("environment.type '" + env.type() + "' is not available for "
                    + "algorithm variance; use ssp, risky-chain, random-ssp or portfolio");
        }
        if (v.critic() == Critic.EXACT && !finiteSsp(env)) {
            throw new InvalidInputException("variance.critic: 'exact' needs a finite SSP environment, not " + env.type());
        }
        if (!(v.betaExponent() > v.alphaExponent())) {
            throw new InvalidInputException("variance.betaExponent (" + v.betaExponent() + ") must exceed "
                    + "variance.alphaExponent (" + v.alphaExponent() + "): the actor must be the slow time-scale");
        }
    }
}
