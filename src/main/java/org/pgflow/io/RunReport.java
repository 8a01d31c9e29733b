package org.pgflow.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pictures and the HTML page of a run directory ({@code plots/*.png}, {@code report.html}), built from what
 * the directory holds — so it works on a finished, a failed and a running run alike. The page opens with a
 * headline figure of the run's key result and a caption with its numbers; mean-field runs then get the
 * objective, value and gap (log scale) curves, the coupled W2 with its fitted exponential rate, the policy
 * against the soft-optimal policy, and the particle clouds (first and last snapshot projected on the two
 * principal axes of the last one); variance runs get J, Var and η with shaded ±2 SE bands and the distribution
 * of the learned policy's return. {@code report.html} embeds the images (readable offline, self-contained) and
 * shows the run's facts, its final metrics (to four significant digits) and the resolved config.
 *
 * <p>The parts: {@link RunFiles} reads the directory, {@link ReportStats} computes bands, rates and principal
 * axes, {@link ReportFigures} draws, {@link ReportPage} writes the page.
 */
public final class RunReport {
    /** Reads a particle snapshot (Parquet) as rows; implemented with Spark by the caller. */
    public interface SnapshotReader {
        /**
         * @param snapshot a {@code particles/iter-*} directory
         * @param maxRows  at most this many rows
         * @return particle rows (flat layout)
         */
        double[][] read(Path snapshot, int maxRows);
    }

    /** The optimal policy to compare with, when the problem is finite (computed by the caller). */
    public interface OptimalPolicy {
        /** @return {@code π*[s][a]}, or null when unavailable */
        double[][] get();
    }

    private RunReport() {
    }

    /**
     * A parsed metrics.csv: column name → values (NaN for blanks); a last row still being written is ignored.
     *
     * @param file the file
     * @return the columns
     * @throws IOException if it cannot be read
     */
    public static Map<String, double[]> readMetrics(Path file) throws IOException {
        return RunFiles.metrics(file);
    }

    /**
     * Writes the plots and report.html of a run directory.
     *
     * @param dir       the run directory
     * @param snapshots reads particle snapshots, or null to skip the cloud plot
     * @param optimal   the optimal policy for the policy plot, or null
     * @return the plot files written (the headline figure first, when there is one)
     */
    public static List<Path> write(Path dir, SnapshotReader snapshots, OptimalPolicy optimal) {
        return write(dir, snapshots, optimal, List::of);
    }

    /** Plots a caller draws for the report (into {@code plots/}), from what only it can read. */
    @FunctionalInterface
    public interface MorePlots {
        /** @return the plot files drawn, in order (none when there is nothing to draw) */
        List<Path> draw();
    }

    /**
     * Writes the plots and report.html of a run directory, with further plots drawn by the caller shown after
     * the report's own.
     *
     * @param dir       the run directory
     * @param snapshots reads particle snapshots, or null to skip the cloud plot
     * @param optimal   the optimal policy for the policy plot, or null
     * @param more      draws the further plots (before the page is written)
     * @return the plot files written (the headline figure first, when there is one)
     */
    public static List<Path> write(Path dir, SnapshotReader snapshots, OptimalPolicy optimal, MorePlots more) {
        RunFiles run;
        List<Path> files = new ArrayList<>();
        ReportFigures.Headline headline;
        // Charts are built here and painted two at a time (the plots of a short run cost more than its loop).
        try (Plots.Batch batch = Plots.Batch.open(Math.min(2, Runtime.getRuntime().availableProcessors()))) {
            run = RunFiles.read(dir);
            Path plots = dir.resolve("plots");
            headline = ReportFigures.headline(plots, run);
            if (headline != null) {
                files.add(headline.png());
            }
            String algorithm = run.algorithm();
            if (run.hasIterations()) {
                if (algorithm.equals("variance") || run.column("eta") != null) { // also variance-adjusted mean-field
                    files.addAll(ReportFigures.varianceCurves(plots, run));
                } else {
                    files.addAll(ReportFigures.meanFieldCurves(plots, run));
                }
            }
            if (algorithm.equals("meanfield") || algorithm.equals("tabular")) {
                double[][] pi = run.policy();
                double[][] star = optimal == null ? null : optimal.get();
                if (pi != null && star != null) {
                    files.add(ReportFigures.policyBars(plots, pi, star));
                }
                if (snapshots != null) {
                    Path cloud = ReportFigures.clouds(plots, run, snapshots);
                    if (cloud != null) {
                        files.add(cloud);
                    }
                }
            }
            double[] returns = run.returns();
            if (returns != null) {
                files.add(ReportFigures.returnHistogram(plots, returns));
            }
            files.addAll(more.draw());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report of " + dir, e);
        }
        try {
            ReportPage.write(run, headline, files); // after the batch is closed: every image is on disk
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report of " + dir, e);
        }
        return files;
    }
}
