package org.pgflow.io;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts (XChart, headless) for run and study reports. Each method writes one file and returns its path.
 * Non-finite points are dropped (a log axis also drops non-positive ones) rather than breaking the chart.
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
     */
    public record Series(String name, double[] x, double[] y, double[] err, boolean line) {
        /** @return a line series without error bars */
        public static Series line(String name, double[] x, double[] y) {
            return new Series(name, x, y, null, true);
        }

        /** @return a marker series with optional error bars */
        public static Series points(String name, double[] x, double[] y, double[] err) {
            return new Series(name, x, y, err, false);
        }
    }

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
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(series.size() > 1);
        chart.getStyler().setMarkerSize(6);
        for (Series s : series) {
            int n = 0;
            for (int i = 0; i < s.x.length; i++) {
                if (keep(s.x[i], logX) && keep(s.y[i], logY)) {
                    n++;
                }
            }
            if (n == 0) {
                continue;
            }
            double[] x = new double[n];
            double[] y = new double[n];
            double[] e = s.err == null ? null : new double[n];
            int q = 0;
            for (int i = 0; i < s.x.length; i++) {
                if (keep(s.x[i], logX) && keep(s.y[i], logY)) {
                    x[q] = s.x[i];
                    y[q] = s.y[i];
                    if (e != null) {
                        e[q] = Double.isFinite(s.err[i]) ? s.err[i] : 0;
                    }
                    q++;
                }
            }
            XYSeries xs = e == null ? chart.addSeries(s.name, x, y) : chart.addSeries(s.name, x, y, e);
            if (s.line) {
                xs.setMarker(SeriesMarkers.NONE);
                xs.setLineStyle(new BasicStroke(1.5f));
            } else {
                xs.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            }
        }
        return save(chart, file);
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
        for (int s = 0; s < names.size(); s++) {
            List<Double> v = new java.util.ArrayList<>();
            for (double x : values[s]) {
                v.add(x);
            }
            chart.addSeries(names.get(s), categories, v);
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            String name = file.toAbsolutePath().toString();
            BitmapEncoder.saveBitmap(chart, name.substring(0, name.length() - 4), BitmapEncoder.BitmapFormat.PNG);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + file, e);
        }
    }

    private static boolean keep(double v, boolean log) {
        return Double.isFinite(v) && (!log || v > 0);
    }

    private static Path save(XYChart chart, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            String name = file.toAbsolutePath().toString();
            String base = name.endsWith(".png") ? name.substring(0, name.length() - 4) : name;
            BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + file, e);
        }
    }
}
