package org.pgflow.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.pgflow.config.ConfigTree;
import org.pgflow.config.RunConfig;
import org.pgflow.io.Progress;
import org.pgflow.io.RunDirectory;
import org.pgflow.mdp.FiniteMdp;
import org.pgflow.spark.MeanFieldJob;
import org.pgflow.spark.SparkSessions;
import org.pgflow.spark.VarianceJob;
import org.pgflow.train.MeanFieldTrainer;
import org.pgflow.util.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pgflow run CONFIG.yaml}: one experiment, written to a fresh run directory (DESIGN §5–6). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run an experiment config (conf/*.yaml) on Spark (embedded local[*] unless --master) and "
                + "write its run directory: run.json, metrics.csv, policy.json (finite problems), particles/ "
                + "(mean-field).")
final class RunCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "experiment config")
    Path config;

    @Option(names = "--set", paramLabel = "key.path=value", description = "override a config key (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "run directory (default runs/NAME-TIMESTAMP); must be new or empty")
    Path out;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark.master of the config, local[*])")
    String master;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "continue a killed run from its checkpoint")
    Path resume;

    @Option(names = "--verbose", description = "show Spark's INFO logging")
    boolean verbose;

    @Override
    public Integer call() {
        if (resume != null) {
            throw new InvalidInputException("--resume is not available yet (checkpoint/resume is a later feature)");
        }
        ConfigTree tree = ConfigTree.load(config);
        for (String s : sets) {
            tree.set(s);
        }
        if (!tree.has("name")) {
            String base = config.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            tree.set("name=" + base);
        }
        String home = System.getProperty("pgflow.home");
        RunConfig cfg = RunConfig.from(tree, home == null ? null : Path.of(home));
        boolean meanfield = cfg.algorithm().equals("meanfield");
        FiniteMdp mdp = meanfield ? MeanFieldJob.problem(cfg) : null;
        VarianceJob.Problem variance = meanfield ? null : VarianceJob.problem(cfg);
        String masterUrl = master != null ? master : cfg.spark().master();
        Path dir = out != null ? out : Path.of("runs", cfg.name() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
        ObjectNode manifest = RunDirectory.newManifest();
        manifest.put("name", cfg.name());
        manifest.put("algorithm", cfg.algorithm());
        manifest.put("seed", cfg.seed());
        manifest.put("master", masterUrl);
        manifest.put("partitions", cfg.spark().partitions());
        manifest.put("configFile", config.toAbsolutePath().toString());
        manifest.set("config", cfg.resolved());
        Provenance.addTo(manifest);
        RunDirectory run = RunDirectory.create(dir, manifest);
        SparkSession session = null;
        try {
            session = SparkSessions.create(masterUrl, "pgflow " + cfg.name());
            if (verbose) {
                session.sparkContext().setLogLevel("INFO");
            }
            run.manifest().put("sparkVersion", session.version());
            java.io.PrintWriter stdout = spec.commandLine().getOut();
            if (meanfield) {
                MeanFieldTrainer.Result r = MeanFieldJob.run(cfg, mdp, session, run, Progress.onStderr("gap"));
                run.completed();
                Double[] last = r.lastRow();
                stdout.printf(Locale.ROOT, "run directory: %s%nfinal value %.10f  soft optimum %.10f  gap %.3e%n",
                        run.path(), last[MeanFieldTrainer.COLUMNS.indexOf("value")], r.optimum().valueAtInitial(),
                        last[MeanFieldTrainer.COLUMNS.indexOf("gap")]);
            } else {
                VarianceJob.Result r = VarianceJob.run(cfg, variance, session, run,
                        Progress.onStderr(variance.ssp() != null ? "exact eta" : "eta"));
                run.completed();
                stdout.printf(Locale.ROOT, "run directory: %s%nfinal J %.6f ± %.6f  Var %.6f ± %.6f  SD %.6f  eta %.6f (lambda %s)%n",
                        run.path(), r.evaluation().j().value(), r.evaluation().j().stdErr(), r.evaluation().var().value(),
                        r.evaluation().var().stdErr(), r.evaluation().standardDeviation(),
                        r.evaluation().eta(cfg.variance().lambda()).value(), cfg.variance().lambda());
            }
            stdout.flush();
            return 0;
        } catch (RuntimeException | Error e) {
            run.failed(e);
            throw e;
        } finally {
            if (session != null) {
                session.stop();
            }
        }
    }
}
