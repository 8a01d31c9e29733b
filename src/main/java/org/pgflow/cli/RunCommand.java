package org.pgflow.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.pgflow.config.ConfigTree;
import org.pgflow.io.RunDirectory;
import org.pgflow.spark.SparkSessions;
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
        RunLauncher.Prepared p = RunLauncher.prepare(tree, config);
        String masterUrl = master != null ? master : p.cfg().spark().master();
        Path dir = out != null ? out : Path.of("runs", p.cfg().name() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)));
        RunDirectory run = RunLauncher.createDirectory(p, dir, masterUrl);
        SparkSession session = null;
        try {
            session = SparkSessions.create(masterUrl, "pgflow " + p.cfg().name());
            if (verbose) {
                session.sparkContext().setLogLevel("INFO");
            }
            RunLauncher.execute(p, session, run, spec.commandLine().getOut(), spec.commandLine().getErr());
            return 0;
        } catch (RuntimeException | Error e) {
            if (session == null) {
                run.failed(e);
            }
            throw e;
        } finally {
            if (session != null) {
                session.stop();
            }
        }
    }
}
