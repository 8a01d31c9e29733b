package org.pgflow.train;

import java.nio.file.Path;
import org.pgflow.config.RunConfig.MeanFieldSpec;
import org.pgflow.meanfield.CloudDiagnostics;
import org.pgflow.meanfield.CloudTotals;
import org.pgflow.util.Checks;

/**
 * What the mean-field loops ({@link MeanFieldTrainer}, {@link MonteCarloMeanFieldTrainer},
 * {@link EpisodicMeanFieldTrainer}) do alike with a cloud's summary: the cloud columns of a metrics row, the drift
 * norm that completes the previous row, the finiteness checks and the snapshots. Holds no formulas of its own
 * ({@link CloudDiagnostics}).
 */
final class CloudRows {
    private CloudRows() {
    }

    /**
     * Completes row k−1 with the mean drift norm of the step taken from its cloud (read from the summary of
     * iteration k) and hands it to the sink, even when the step diverged; then fails if it did.
     *
     * @param pending row k−1, or null at the first iteration of the loop
     * @param t       the summary of iteration k
     * @param n       N
     * @param k       iteration
     * @param sink    the metrics sink
     * @throws org.pgflow.util.NumericalDivergenceException when the drift norm is not finite
     */
    static void completePending(MetricsRow pending, CloudTotals t, double n, long k, MetricsRow.Sink sink) {
        if (pending == null) {
            return;
        }
        double drift = t.driftNormSum() / n;
        pending.setFinite(Metric.DRIFT_NORM, drift);
        sink.accept(pending);
        Checks.requireFinite(drift, "mean drift norm", k - 1);
    }

    /**
     * @param t the summary of iteration k
     * @param k iteration
     * @throws org.pgflow.util.NumericalDivergenceException when the F partial sums or the particle sums are not finite
     */
    static void requireFinite(CloudTotals t, long k) {
        Checks.requireFinite(t.outputSums(), "F partial sums", k);
        Checks.requireFinite(t.sum(), "particle sums", k);
    }

    /**
     * Sets {@code objective = value − (σ_k²/2) KL̂_gauss}, {@code kl_gauss}, with {@code knn} also {@code kl_knn} and
     * {@code objective_knn}, and {@code theta_mean_norm}, {@code theta_sq_mean}.
     *
     * @param row        the row of iteration k
     * @param t          the summary of iteration k
     * @param spec       mean-field parameters ({@code lambdaU}, {@code knnK})
     * @param value      the reward part of the objective (V, V̂ or η)
     * @param halfSigma2 {@code σ_k²/2}
     * @param knn        whether the summary holds the kNN subsample
     * @return the objective
     */
    static double cloudColumns(MetricsRow row, CloudTotals t, MeanFieldSpec spec, double value, double halfSigma2,
                               boolean knn) {
        double klGauss = CloudDiagnostics.gaussianKl(t, spec.lambdaU());
        double objective = value - halfSigma2 * klGauss;
        row.set(Metric.OBJECTIVE, objective);
        row.set(Metric.KL_GAUSS, klGauss);
        if (knn) {
            double klKnn = -CloudDiagnostics.knnEntropy(t.sampleRows(), spec.knnK())
                    + CloudDiagnostics.expectedPotential(t, spec.lambdaU());
            row.set(Metric.KL_KNN, klKnn);
            row.set(Metric.OBJECTIVE_KNN, value - halfSigma2 * klKnn);
        }
        row.set(Metric.THETA_MEAN_NORM, org.pgflow.math.Dense.norm(CloudDiagnostics.mean(t)));
        row.set(Metric.THETA_SQ_MEAN, CloudDiagnostics.meanSquaredNorm(t));
        return objective;
    }

    /**
     * Snapshots the cloud of iteration k into {@code snapshotDir/iter-NNNNNNNNN} when {@code last} or when
     * {@code meanfield.snapshotEvery} divides k.
     *
     * @param engine      the particle engine
     * @param spec        mean-field parameters
     * @param snapshotDir {@code particles/}, or null for none
     * @param k           iteration
     * @param last        whether this is the cloud of iteration K (always snapshotted)
     */
    static void snapshot(ParticleEngine engine, MeanFieldSpec spec, Path snapshotDir, long k, boolean last) {
        if (snapshotDir != null && (last || spec.snapshotEvery() > 0 && k % spec.snapshotEvery() == 0)) {
            engine.snapshot(k, snapshotDir.resolve(String.format("iter-%09d", k)));
        }
    }
}
