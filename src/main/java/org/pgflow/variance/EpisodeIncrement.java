package org.pgflow.variance;

import java.util.Arrays;

/**
 * The increments of one episode at frozen iteration-k parameters (docs/algorithms.md §4.7 equations (4) and (6), §4.8
 * variant A). With {@code φ_t = χ_t = (g_t, e(x_t))}, {@code g_t = ∇ ln π(u_t|x_t)}:
 * <pre>
 *   ΔĴ   = B_0 − Ĵ
 *   Δw_J = Σ_t (B_t − φ_tᵀw_J) φ_t
 *   Δw_M = Σ_t (B_t² − χ_tᵀw_M) χ_t
 *   Δw̃_J = Σ_t R_{&lt;t} (B_t − φ_tᵀw̃_J) φ_t
 *   Δθ   = Σ_t g_t [ (1 + 2λĴ) φ_tᵀw_J − λ χ_tᵀw_M − 2λ R_{&lt;t} φ_tᵀw̃_J ]     (6)
 * </pre>
 * (sums over t not divided by T; the critic is the one before this episode's update).
 *
 * <p>{@link #computeTd0} replaces the Monte Carlo targets of the three critic increments by the TD(0)
 * errors of docs/algorithms.md §4.9 (state–action form, {@code φ_T = 0} at {@code x†}, {@code φ_{t+1}} is the feature of
 * the next step's sampled action):
 * <pre>
 *   δ_J,t = r_t + φ_{t+1}ᵀw_J − φ_tᵀw_J,   δ_M,t = r_t² + 2 r_t φ_{t+1}ᵀw_J + φ_{t+1}ᵀw_M − φ_tᵀw_M,
 *   δ̃_t   = r_t + φ_{t+1}ᵀw̃_J − φ_tᵀw̃_J
 *   Δw_J = Σ_t δ_J,t φ_t,   Δw_M = Σ_t δ_M,t φ_t,   Δw̃_J = Σ_t R_{&lt;t} δ̃_t φ_t
 * </pre>
 * with the same {@code ΔĴ} and actor increment (6). The weights are held at the iteration-k critic during
 * the episode (offline TD(0)), so episodes stay independent and blocks combine in any grouping. Expected
 * increments: {@code ΦᵀD(r + PΦw − Φw)} (and the M and weighted analogues, with {@code D = diag q},
 * {@code D̃ = diag q̃}, {@code P} the state–action transition matrix under π). A mutable scratch object reused
 * episode after episode; not thread-safe.
 */
public final class EpisodeIncrement {
    private double returnValue;
    private int length;
    private double dJ;
    private final double[] dwJ;
    private final double[] dwM;
    private final double[] dwTilde;
    private final double[] dTheta;

    /**
     * @param numParameters   {@code n_θ}
     * @param criticDimension {@code d}
     */
    public EpisodeIncrement(int numParameters, int criticDimension) {
        dwJ = new double[criticDimension];
        dwM = new double[criticDimension];
        dwTilde = new double[criticDimension];
        dTheta = new double[numParameters];
    }

    /**
     * Computes the increments of a finished trajectory.
     *
     * @param tr     the episode (simulated with the state's θ)
     * @param state  iteration-k critic {@code (Ĵ, w_J, w_M, w̃_J)}
     * @param lambda {@code λ}
     * @return this
     */
    public EpisodeIncrement compute(Trajectory tr, ActorCriticState state, double lambda) {
        return accumulate(tr, state, lambda, false);
    }

    /**
     * Computes the TD(0) increments of a finished trajectory (class comment); {@code ΔĴ} and {@code Δθ} as in
     * {@link #compute}.
     *
     * @param tr     the episode (simulated with the state's θ)
     * @param state  iteration-k critic {@code (Ĵ, w_J, w_M, w̃_J)}
     * @param lambda {@code λ}
     * @return this
     */
    public EpisodeIncrement computeTd0(Trajectory tr, ActorCriticState state, double lambda) {
        return accumulate(tr, state, lambda, true);
    }

    /**
     * One pass over the steps: the critic values {@code φ_tᵀw} at t (carried over from step t − 1) and t + 1
     * (zero past the end), the Monte Carlo or TD(0) errors, the three critic increments and the actor increment (6).
     */
    private EpisodeIncrement accumulate(Trajectory tr, ActorCriticState state, double lambda, boolean td) {
        Arrays.fill(dwJ, 0.0);
        Arrays.fill(dwM, 0.0);
        Arrays.fill(dwTilde, 0.0);
        Arrays.fill(dTheta, 0.0);
        double[] wJ = state.wJView();
        double[] wM = state.wMView();
        double[] wT = state.wTildeView();
        double jHat = state.jHat();
        int np = tr.numParameters();
        double[] scores = tr.scoresRaw();
        double[] b = tr.rewardToGoRaw();
        double[] rewards = tr.rewardsRaw();
        double[] past = tr.pastRewardRaw();
        int len = tr.length();
        double a = 1 + 2 * lambda * jHat;
        double vJ = 0;
        double vM = 0;
        double vT = 0;
        if (len > 0) {
            vJ = ActorCriticModel.dot(tr, 0, wJ);
            vM = ActorCriticModel.dot(tr, 0, wM);
            vT = ActorCriticModel.dot(tr, 0, wT);
        }
        for (int t = 0; t < len; t++) {
            double nJ = 0;
            double nM = 0;
            double nT = 0;
            if (t + 1 < len) {
                nJ = ActorCriticModel.dot(tr, t + 1, wJ);
                nM = ActorCriticModel.dot(tr, t + 1, wM);
                nT = ActorCriticModel.dot(tr, t + 1, wT);
            }
            double rt = past[t];
            double errJ;
            double errM;
            double errT;
            if (td) {
                double r = rewards[t];
                errJ = r + nJ - vJ;
                errM = r * r + 2 * r * nJ + nM - vM;
                errT = r + nT - vT;
            } else {
                double bt = b[t];
                errJ = bt - vJ;
                errM = bt * bt - vM;
                errT = bt - vT;
            }
            ActorCriticModel.axpy(tr, t, errJ, dwJ);
            ActorCriticModel.axpy(tr, t, errM, dwM);
            if (rt != 0) {
                ActorCriticModel.axpy(tr, t, rt * errT, dwTilde);
            }
            double c = a * vJ - lambda * vM - 2 * lambda * rt * vT;
            int gb = t * np;
            for (int i = 0; i < np; i++) {
                dTheta[i] += c * scores[gb + i];
            }
            vJ = nJ;
            vM = nM;
            vT = nT;
        }
        returnValue = tr.returnValue();
        length = len;
        dJ = returnValue - jHat;
        return this;
    }

    /** @return the return {@code B} */
    public double returnValue() {
        return returnValue;
    }

    /** @return the episode length {@code T} */
    public int length() {
        return length;
    }

    /** @return {@code ΔĴ} */
    public double dJ() {
        return dJ;
    }

    /** @return {@code Δw_J} (live view; do not modify) */
    public double[] dwJ() {
        return dwJ;
    }

    /** @return {@code Δw_M} (live view) */
    public double[] dwM() {
        return dwM;
    }

    /** @return {@code Δw̃_J} (live view) */
    public double[] dwTilde() {
        return dwTilde;
    }

    /** @return {@code Δθ = ∇̂η} (live view) */
    public double[] dTheta() {
        return dTheta;
    }
}
