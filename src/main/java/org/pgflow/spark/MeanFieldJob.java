package org.pgflow.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.pgflow.config.RunConfig;
import org.pgflow.io.MetricsCsv;
import org.pgflow.io.Progress;
import org.pgflow.io.RunDirectory;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.mdp.ModelFiles;
import org.pgflow.mdp.RandomInstances;
import org.pgflow.policy.TabularPolicy;
import org.pgflow.stats.Fits;
import org.pgflow.train.MeanFieldTrainer;
import org.pgflow.util.InvalidInputException;

/**
 * Driver of a mean-field run ({@code algorithm: meanfield}): resolves the problem, writes the run directory
 * (DESIGN §6) and runs {@link MeanFieldTrainer} on a {@link SparkParticleEngine}.
 */
public final class MeanFieldJob {
    private MeanFieldJob() {
    }

    /**
     * Resolves the finite MDP of a config; called before anything is written so that bad input exits 2 with
     * nothing on disk.
     *
     * @param cfg the configuration
     * @return the model
     * @throws InvalidInputException for unsupported combinations or invalid model files
     */
    public static FiniteMdp problem(RunConfig cfg) {
        RunConfig.EnvironmentSpec env = cfg.environment();
        if (!cfg.meanfield().evaluation().equals("exact")) {
            throw new InvalidInputException("meanfield.evaluation: 'montecarlo' is not available yet; use 'exact' "
                    + "(finite MDPs)");
        }
        return switch (env.type()) {
            case "finite" -> ModelFiles.loadMdp(env.file());
            case "random-finite" -> RandomInstances.garnetMdp(cfg.seed(), env.instance(), env.states(), env.actions(),
                    env.branching(), env.gamma());
            default -> throw new InvalidInputException("environment.type '" + env.type()
                    + "' is not available for algorithm meanfield yet; use finite or random-finite");
        };
    }

    /**
     * Runs the job.
     *
     * @param cfg      validated configuration
     * @param mdp      the problem ({@link #problem})
     * @param spark    the session
     * @param run      the (fresh) run directory
     * @param progress progress printer
     * @return the trainer's result
     */
    public static MeanFieldTrainer.Result run(RunConfig cfg, FiniteMdp mdp, SparkSession spark, RunDirectory run,
                                              Progress progress) {
        Path lineage = run.path().resolve(".lineage");
        spark.sparkContext().setCheckpointDir(lineage.toString());
        ObjectNode m = run.manifest();
        m.put("problem", mdp.name());
        m.put("states", mdp.numStates());
        m.put("actions", mdp.numActions());
        try (MetricsCsv metrics = run.metrics(MeanFieldTrainer.COLUMNS);
             SparkParticleEngine engine = new SparkParticleEngine(spark, cfg.spark().partitions(), cfg.checkpointEvery())) {
            int w2Column = MeanFieldTrainer.COLUMNS.indexOf("w2_coupled");
            double[] w2 = new double[(int) Math.min(cfg.iterations() + 1, Integer.MAX_VALUE - 8)];
            MeanFieldTrainer.Result r = MeanFieldTrainer.run(mdp, cfg.meanfield(), cfg.seed(), cfg.iterations(), engine,
                    row -> {
                        metrics.write(row);
                        int k = row[0].intValue();
                        if (k < w2.length) {
                            w2[k] = row[w2Column] == null ? Double.NaN : row[w2Column];
                        }
                    }, progress::tick, run.particles());
            run.writePolicy(TabularPolicy.toJson(r.policy()));
            ObjectNode fin = m.putObject("final");
            for (int c = 0; c < MeanFieldTrainer.COLUMNS.size(); c++) {
                Double v = r.lastRow()[c];
                if (v != null) {
                    fin.put(MeanFieldTrainer.COLUMNS.get(c), v);
                }
            }
            m.put("softOptimalValue", r.optimum().valueAtInitial());
            Double seconds = r.lastRow()[MeanFieldTrainer.COLUMNS.indexOf("time_s")];
            fin.put("secondsPerIteration", cfg.iterations() > 0 ? seconds / cfg.iterations() : 0.0);
            if (cfg.meanfield().coupled()) {
                double[] t = new double[w2.length];
                for (int k = 0; k < t.length; k++) {
                    t[k] = k * cfg.meanfield().dt();
                }
                Fits.Decay fit = Fits.decay(t, w2);
                if (fit != null && Double.isFinite(fit.rate())) {
                    fin.put("w2_rate", fit.rate());
                    fin.put("w2_rate_window_end", fit.windowEnd());
                    fin.put("w2_floor", fit.floor());
                }
            }
            return r;
        } finally {
            deleteTree(lineage);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
