package org.pgflow.io;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts (XChart, headless) for run and study reports. Each method writes one file and returns its path.
 * Non-finite points are dropped (a log axis also drops non-positive ones), and series without data left out,
 * rather than breaking the chart.
 */
public final class Plots {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {
    }

    /**
     * One series of a chart.
     *
     * @param name   legend label
     * @param x      abscissae
     * @param y      ordinates
     * @param err    symmetric error bars or null
     * @param line   draw a line (else markers only)
     * @param lo     lower edge of a shaded band around the series (same length as {@code x}), or null
     * @param hi     upper edge of the band, or null
     */
    public record Series(String name, double[] x, double[] y, double[] err, boolean line, double[] lo, double[] hi) {
        /** A series without a band. */
        public Series(String name, double[] x, double[] y, double[] err, boolean line) {
            this(name, x, y, err, line, null, null);
        }

        /** @return a line series without error bars */
        public static Series line(String name, double[] x, double[] y) {
            return new Series(name, x, y, null, true);
        }

        /** @return a marker series with optional error bars */
        public static Series points(String name, double[] x, double[] y, double[] err) {
            return new Series(name, x, y, err, false);
        }

        /**
         * This series with a shaded band from {@code lo} to {@code hi}, drawn beneath it in its colour (a ±2 SE
         * band, say).
         *
         * @param lo lower edge per point
         * @param hi upper edge per point
         * @return the banded series
         */
        public Series withBand(double[] lo, double[] hi) {
            return new Series(name, x, y, err, line, lo, hi);
        }

        /** @return whether the series carries a band */
        public boolean banded() {
            return lo != null && hi != null;
        }
    }

    /** Legend-label suffix of the band drawn for a banded series. */
    public static final String BAND_SUFFIX = " ± 2 SE";

    /**
     * An XY chart.
     *
     * @param file   target PNG (parent directories are created)
     * @param title  title
     * @param xLabel x-axis label
     * @param yLabel y-axis label
     * @param logX   logarithmic x axis
     * @param logY   logarithmic y axis
     * @param series the series
     * @return {@code file}
     */
    public static Path xy(Path file, String title, String xLabel, String yLabel, boolean logX, boolean logY,
                          List<Series> series) {
        return save(chart(title, xLabel, yLabel, logX, logY, series), file);
    }

    /**
     * The chart {@link #xy} draws, in memory. A banded series adds a closed polygon series named
     * {@code name + BAND_SUFFIX} (render style {@code PolygonArea}, a translucent fill of the series colour) just
     * before it, so the band lies beneath its line.
     *
     * @param title  title
     * @param xLabel x-axis label
     * @param yLabel y-axis label
     * @param logX   logarithmic x axis
     * @param logY   logarithmic y axis
     * @param series the series
     * @return the chart
     */
    static XYChart chart(String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Series> series) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setXAxisTickLabelsFormattingFunction(Plots::tick);
        chart.getStyler().setYAxisTickLabelsFormattingFunction(Plots::tick);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(series.size() > 1 || series.stream().anyMatch(Series::banded));
        chart.getStyler().setMarkerSize(6);
        Color[] palette = chart.getStyler().getSeriesColors();
        int drawn = 0;
        double[] anchor = null; // two consecutive points of the first series drawn
        for (Series s : series) {
            if (s.x == null || s.y == null) {
                continue; // a column the run does not have
            }
            double[][] kept = kept(s.x, s.y, s.err, logX, logY);
            if (kept[0].length == 0) {
                continue;
            }
            Color color = palette[drawn++ % palette.length];
            if (anchor == null && kept[0].length > 1) {
                anchor = new double[] {kept[0][0], kept[0][1], kept[1][0]};
            }
            if (s.line && kept[2] == null) {
                int[] idx = Decimation.indices(kept[0], new double[][] {kept[1]}, logX, WIDTH);
                kept[0] = Decimation.take(kept[0], idx);
                kept[1] = Decimation.take(kept[1], idx);
            }
            if (s.banded()) {
                band(chart, s, color, logX, logY);
            }
            XYSeries xs = kept[2] == null ? chart.addSeries(s.name, kept[0], kept[1])
                    : chart.addSeries(s.name, kept[0], kept[1], kept[2]);
            xs.setLineColor(color);
            xs.setMarkerColor(color);
            if (s.line) {
                xs.setMarker(SeriesMarkers.NONE);
                xs.setLineStyle(new BasicStroke(1.5f));
            } else {
                xs.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            }
        }
        if (logX) {
            double[] r = decades(chart, true);
            if (r != null) {
                chart.getStyler().setXAxisMin(r[0]).setXAxisMax(r[1]);
            }
        }
        if (logY) {
            double[] r = decades(chart, false);
            if (r != null) {
                chart.getStyler().setYAxisMin(r[0]).setYAxisMax(r[1]);
            }
        }
        if (anchor != null && anchor[1] != anchor[0]) {
            // XChart puts the ticks of equally spaced abscissae (iterations 0, 1, …, 4000) on every k-th data
            // value (0, 251, 502, …) and crowds them; one hidden point off that grid gives it round ticks instead.
            XYSeries h = chart.addSeries(HIDDEN, new double[] {anchor[0] + (anchor[1] - anchor[0]) / 3},
                    new double[] {anchor[2]});
            h.setMarker(SeriesMarkers.NONE);
            h.setShowInLegend(false);
        }
        return chart;
    }

    /**
     * A log axis labels only powers of ten: when the data lie within one decade (W2 from 3 to 8, say) the axis
     * would carry no label at all, so it is widened to the enclosing decade.
     *
     * @return {@code {10^k, 10^(k+1)}} when all positive values lie in {@code [10^k, 10^(k+1))}, else null
     */
    private static double[] decades(XYChart chart, boolean x) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (XYSeries s : chart.getSeriesCollection()) {
            for (double v : x ? s.getXData() : s.getYData()) {
                if (v > 0 && Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(hi > 0)) {
            return null;
        }
        double k = Math.floor(Math.log10(lo));
        return Math.floor(Math.log10(hi)) == k ? new double[] {Math.pow(10, k), Math.pow(10, k + 1)} : null;
    }

    /** Name of the invisible one-point series that keeps XChart's ticks round (see {@link #chart}). */
    static final String HIDDEN = " ";

    /** The points of (x, y, err) a chart can show: {x, y, err or null}. */
    private static double[][] kept(double[] x, double[] y, double[] err, boolean logX, boolean logY) {
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (keep(x[i], logX) && keep(y[i], logY)) {
                n++;
            }
        }
        double[][] out = {new double[n], new double[n], err == null ? null : new double[n]};
        int q = 0;
        for (int i = 0; i < x.length; i++) {
            if (keep(x[i], logX) && keep(y[i], logY)) {
                out[0][q] = x[i];
                out[1][q] = y[i];
                if (err != null) {
                    out[2][q] = Double.isFinite(err[i]) ? err[i] : 0;
                }
                q++;
            }
        }
        return out;
    }

    /**
     * Adds the band of {@code s} as a closed polygon: along the upper edge forwards, back along the lower edge.
     * Points whose edges are not finite are left out; on a log axis a non-positive lower edge is raised to the
     * smallest positive edge value, so that the band still shows where its upper edge is positive.
     */
    private static void band(XYChart chart, Series s, Color color, boolean logX, boolean logY) {
        double floor = Double.POSITIVE_INFINITY;
        for (int i = 0; i < s.x.length; i++) {
            for (double v : new double[] {s.lo[i], s.hi[i]}) {
                if (v > 0 && Double.isFinite(v)) {
                    floor = Math.min(floor, v);
                }
            }
        }
        double[] lo = new double[s.x.length];
        for (int i = 0; i < lo.length; i++) {
            lo[i] = logY && s.lo[i] <= 0 ? floor : s.lo[i];
        }
        int m = 0;
        for (int i = 0; i < s.x.length; i++) {
            if (keep(s.x[i], logX) && keep(lo[i], logY) && keep(s.hi[i], logY)) {
                m++;
            }
        }
        if (m < 2) {
            return;
        }
        double[] bx = new double[m];
        double[] blo = new double[m];
        double[] bhi = new double[m];
        int k = 0;
        for (int i = 0; i < s.x.length; i++) {
            if (keep(s.x[i], logX) && keep(lo[i], logY) && keep(s.hi[i], logY)) {
                bx[k] = s.x[i];
                blo[k] = lo[i];
                bhi[k] = s.hi[i];
                k++;
            }
        }
        int[] idx = Decimation.indices(bx, new double[][] {blo, bhi}, logX, WIDTH);
        int n = idx.length;
        double[] px = new double[2 * n + 1];
        double[] py = new double[2 * n + 1];
        for (int q = 0; q < n; q++) {
            px[q] = bx[idx[q]];
            py[q] = bhi[idx[q]];
            px[2 * n - 1 - q] = bx[idx[q]];
            py[2 * n - 1 - q] = blo[idx[q]];
        }
        px[2 * n] = px[0]; // closed
        py[2 * n] = py[0];
        XYSeries b = chart.addSeries(s.name + BAND_SUFFIX, px, py);
        b.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        b.setFillColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 60));
        b.setLineColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 0));
        b.setLineStyle(new BasicStroke(0f));
        b.setMarker(SeriesMarkers.NONE);
    }

    /**
     * Grouped bars (e.g. a policy against the optimal policy).
     *
     * @param file       target PNG
     * @param title      title
     * @param categories bar labels
     * @param names      series names
     * @param values     {@code values[series][category]}
     * @param yLabel     y-axis label
     * @return {@code file}
     */
    public static Path bars(Path file, String title, List<String> categories, List<String> names, double[][] values,
                            String yLabel) {
        org.knowm.xchart.CategoryChart chart = new org.knowm.xchart.CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title).xAxisTitle("").yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisLabelRotation(categories.size() > 8 ? 90 : 0);
        chart.getStyler().setYAxisTickLabelsFormattingFunction(Plots::tick);
        for (int s = 0; s < names.size(); s++) {
            List<Double> v = new java.util.ArrayList<>();
            for (double x : values[s]) {
                v.add(x);
            }
            chart.addSeries(names.get(s), categories, v);
        }
        return save(chart, file);
    }

    /**
     * A tick label with at most three significant digits and no trailing zeros ({@code 0.05}, {@code 1200},
     * {@code 250000}, {@code 2.5e-7}, {@code 1.2e6}: plain from 0.001 to below a million, like the tables). XChart's own labels build a {@code DecimalFormat} pattern for every candidate tick, which
     * was most of the time a report took.
     */
    static String tick(Double v) {
        double x = v;
        if (x == 0 || !Double.isFinite(x)) {
            return x == 0 ? "0" : Double.toString(x);
        }
        double a = Math.abs(x);
        String s = a >= 1e-3 && a < 1e6 ? String.format(java.util.Locale.ROOT, "%.3f", x)
                : String.format(java.util.Locale.ROOT, "%.2e", x);
        if (a >= 1e-3 && a < 1e6) {
            java.math.BigDecimal d = new java.math.BigDecimal(x).round(new java.math.MathContext(3));
            return d.stripTrailingZeros().toPlainString();
        }
        int e = s.indexOf('e');
        String mant = s.substring(0, e).replaceAll("\\.?0+$", "");
        return mant + "e" + Integer.parseInt(s.substring(e + 1));
    }

    private static boolean keep(double v, boolean log) {
        return Double.isFinite(v) && (!log || v > 0);
    }

    /**
     * Paints a chart and writes it as PNG: on the calling thread, or on the pool of the {@link Batch} the calling
     * thread has open (then the file exists once the batch is closed).
     */
    private static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) {
        Batch batch = Batch.OPEN.get();
        if (batch != null) {
            batch.submit(() -> write(chart, file));
        } else {
            write(chart, file);
        }
        return file;
    }

    private static void write(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            java.awt.image.BufferedImage image = BitmapEncoder.getBufferedImage(chart);
            javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("png").next();
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            // Deflate level 1 (quality 0.9): about a third of the default level's encoding time for a few percent
            // larger files; charts are mostly flat colour.
            param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.9f);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (javax.imageio.stream.ImageOutputStream out = javax.imageio.ImageIO.createImageOutputStream(
                    Files.newOutputStream(tmp))) {
                writer.setOutput(out);
                writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
            } finally {
                writer.dispose();
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + file, e);
        }
    }

    /**
     * Paints the charts that the opening thread saves until {@link #close} on a small pool of daemon threads, so
     * the plots of a report render side by side (charts are built on the caller's thread; each is painted into its
     * own image, so nothing is shared). {@link #close} waits for every file and rethrows the first failure.
     * Not nestable; one batch per thread at a time.
     */
    public static final class Batch implements AutoCloseable {
        private static final ThreadLocal<Batch> OPEN = new ThreadLocal<>();
        private final java.util.concurrent.ExecutorService pool;
        private final List<java.util.concurrent.Future<?>> pending = new java.util.ArrayList<>();

        private Batch(int threads) {
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            this.pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "pgflow-plot-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }

        /**
         * Opens a batch on the calling thread.
         *
         * @param threads painting threads (at least 1)
         * @return the batch, to close when every chart is saved
         */
        public static Batch open(int threads) {
            if (OPEN.get() != null) {
                throw new IllegalStateException("a plot batch is already open on this thread");
            }
            Batch b = new Batch(Math.max(1, threads));
            OPEN.set(b);
            return b;
        }

        private void submit(Runnable job) {
            pending.add(pool.submit(job));
        }

        /** Waits for every chart saved since {@link #open}; rethrows the first failure. */
        @Override
        public void close() {
            OPEN.remove();
            try {
                for (java.util.concurrent.Future<?> f : pending) {
                    f.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing plots", e);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException r) {
                    throw r;
                }
                if (c instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(c);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static final AtomicBoolean WARMED = new AtomicBoolean();

    /**
     * Starts drawing two throw-away charts (a linear and a logarithmic one) in memory, and encoding them as PNG, on a
     * background daemon thread, so that the classes and compiled code the report needs are ready when the run
     * ends: the report of a short run otherwise spends most of its time loading and interpreting the chart code
     * once. Runs once per JVM; touches no file; results never depend on it.
     */
    public static void warmUpInBackground() {
        if (!WARMED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                double[] x = new double[200];
                double[] y = new double[200];
                for (int i = 0; i < x.length; i++) {
                    x[i] = i;
                    y[i] = Math.exp(-i / 40.0) + 1e-3;
                }
                for (boolean log : new boolean[] {false, true}) {
                    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("warm-up").build();
                    chart.getStyler().setYAxisLogarithmic(log);
                    chart.getStyler().setXAxisTickLabelsFormattingFunction(Plots::tick);
                    chart.getStyler().setYAxisTickLabelsFormattingFunction(Plots::tick);
                    chart.addSeries("a", x, y).setMarker(SeriesMarkers.NONE);
                    chart.addSeries("b", x, y, y);
                    java.awt.image.BufferedImage img = BitmapEncoder.getBufferedImage(chart);
                    javax.imageio.ImageIO.write(img, "png", java.io.OutputStream.nullOutputStream());
                }
            } catch (IOException | RuntimeException | LinkageError e) {
                // only a warm-up: the report draws (and reports) for real
            }
        }, "pgflow-report-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }
}
