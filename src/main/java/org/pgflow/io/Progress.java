package org.pgflow.io;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * One progress line per iteration for humans: iteration k/K, elapsed, ETA, iterations per second, the
 * objective and the algorithm's key metric. On a terminal the line is rewritten in place at most ten times a
 * second; otherwise a line is printed for the first and last iteration and at most every {@code periodSeconds}.
 */
public final class Progress {
    private final PrintWriter out;
    private final boolean terminal;
    private final double periodSeconds;
    private final String metricName;
    private final long start = System.nanoTime();
    private long lastPrint = Long.MIN_VALUE;
    private volatile Runnable onFirstTick;

    /**
     * @param out           where to print (standard error)
     * @param terminal      whether {@code out} is an interactive terminal
     * @param periodSeconds minimum seconds between lines when not a terminal
     * @param metricName    label of the key metric (e.g. {@code gap}, {@code eta})
     */
    public Progress(PrintWriter out, boolean terminal, double periodSeconds, String metricName) {
        this.out = out;
        this.terminal = terminal;
        this.periodSeconds = periodSeconds;
        this.metricName = metricName;
    }

    /**
     * @param err        the command's standard error
     * @param metricName label of the key metric
     * @return a progress printer that rewrites its line on a terminal and prints periodic lines otherwise
     */
    public static Progress on(PrintWriter err, String metricName) {
        return new Progress(err, System.console() != null, 5.0, metricName);
    }

    /**
     * @param action run once, on the calling thread, when the first iteration is reported (the loop is running:
     *               set-up and its class loading are over)
     */
    public void onFirstTick(Runnable action) {
        onFirstTick = action;
    }

    /**
     * Reports iteration {@code k} of {@code total}.
     *
     * @param k         iteration
     * @param total     K
     * @param objective objective estimate
     * @param metric    key metric
     */
    public void tick(long k, long total, double objective, double metric) {
        Runnable first = onFirstTick;
        if (first != null) {
            onFirstTick = null;
            first.run();
        }
        long now = System.nanoTime();
        double minGap = terminal ? 0.1 : periodSeconds;
        boolean last = k >= total;
        if (!(k == 0 || last || (now - lastPrint) / 1e9 >= minGap)) {
            return;
        }
        lastPrint = now;
        double elapsed = (now - start) / 1e9;
        double rate = k > 0 ? k / elapsed : 0;
        double eta = rate > 0 ? (total - k) / rate : Double.NaN;
        String line = String.format(Locale.ROOT, "iter %d/%d  %s elapsed  ETA %s  %.1f it/s  objective %.6g  %s %.4g",
                k, total, clock(elapsed), Double.isNaN(eta) ? "--" : clock(eta), rate, objective, metricName, metric);
        if (terminal) {
            out.print("\r" + line + (last ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
