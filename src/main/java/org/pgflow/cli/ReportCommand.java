package org.pgflow.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.pgflow.run.Reports;
import org.pgflow.util.InvalidInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code pgflow report RUN_DIR}: (re)writes a run's plots and report.html, also for running or failed runs. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write RUN_DIR/plots/*.png and RUN_DIR/report.html from what the run directory holds "
                + "(works on finished, failed and running runs).")
final class ReportCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a run directory")
    Path runDir;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(runDir.resolve("run.json")) && !Files.isRegularFile(runDir.resolve("metrics.csv"))) {
            throw new InvalidInputException(runDir + " is not a run directory (no run.json or metrics.csv)");
        }
        List<Path> plots = Reports.write(runDir);
        spec.commandLine().getOut().println("report: " + runDir.resolve("report.html") + " (" + plots.size() + " plots)");
        spec.commandLine().getOut().flush();
        return 0;
    }
}
