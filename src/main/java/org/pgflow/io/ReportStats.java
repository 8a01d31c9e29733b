package org.pgflow.io;

import org.pgflow.math.SymmetricEigen;
import org.pgflow.stats.Fits;

/**
 * The statistics a run report draws: ±z SE bands, the fitted exponential rate of a decaying curve, the last
 * recorded value of a column, and the principal axes of a particle cloud. Stateless.
 */
final class ReportStats {
    private ReportStats() {
    }

    /**
     * The band {@code v ± z·se} point by point (NaN where either is missing).
     *
     * @param v  values
     * @param se standard errors (same length)
     * @param z  half-width in standard errors
     * @return {@code {lower, upper}}
     */
    static double[][] band(double[] v, double[] se, double z) {
        double[][] b = new double[2][v.length];
        for (int i = 0; i < v.length; i++) {
            b[0][i] = v[i] - z * se[i];
            b[1][i] = v[i] + z * se[i];
        }
        return b;
    }

    /** @return whether the column exists and has a finite value */
    static boolean hasData(double[] v) {
        return last(v) >= 0;
    }

    /**
     * @param v a column, or null
     * @return the index of its last finite value, or -1
     */
    static int last(double[] v) {
        if (v == null) {
            return -1;
        }
        for (int i = v.length - 1; i >= 0; i--) {
            if (Double.isFinite(v[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * An exponential decay {@code y ≈ exp(intercept − rate·t)} fitted by least squares on {@code ln y} down to
     * the curve's noise floor ({@link Fits#decay}), with the fitted curve over the window of the fit.
     *
     * @param fit    the fit
     * @param t      the window's abscissae
     * @param fitted the fitted values there
     */
    record Decay(Fits.Decay fit, double[] t, double[] fitted) {
    }

    /**
     * @param t abscissae
     * @param y positive ordinates (non-finite and non-positive points are left out)
     * @return the fit, or null when there is none (too few points above the floor, no finite rate)
     */
    static Decay decay(double[] t, double[] y) {
        int n = 0;
        for (int i = 0; i < t.length; i++) {
            if (Double.isFinite(t[i]) && y[i] > 0 && Double.isFinite(y[i])) {
                n++;
            }
        }
        double[] ct = new double[n];
        double[] cy = new double[n];
        int q = 0;
        for (int i = 0; i < t.length; i++) {
            if (Double.isFinite(t[i]) && y[i] > 0 && Double.isFinite(y[i])) {
                ct[q] = t[i];
                cy[q++] = y[i];
            }
        }
        Fits.Decay fit = n >= 3 ? Fits.decay(ct, cy) : null;
        if (fit == null || !Double.isFinite(fit.rate())) {
            return null;
        }
        int end = 0;
        while (end < n && ct[end] <= fit.windowEnd()) {
            end++;
        }
        double[] ft = java.util.Arrays.copyOf(ct, end);
        double[] fy = new double[end];
        for (int i = 0; i < end; i++) {
            fy[i] = Math.exp(fit.intercept() - fit.rate() * ft[i]);
        }
        return new Decay(fit, ft, fy);
    }

    /**
     * The leading principal axes of a cloud: the eigenvectors of the sample covariance (divided by n) for its
     * largest eigenvalues, by LAPACK's symmetric eigensolver ({@link SymmetricEigen}); each unit-length with its
     * largest-magnitude component positive.
     *
     * @param rows  the points, {@code rows[i][j]}
     * @param count how many axes (at most the dimension)
     * @return {@code axes[a]}, largest variance first
     */
    static double[][] principalAxes(double[][] rows, int count) {
        SymmetricEigen eig = SymmetricEigen.of(covariance(rows));
        int d = eig.values().length;
        double[][] axes = new double[Math.min(count, d)][];
        for (int a = 0; a < axes.length; a++) {
            axes[a] = eig.vectors()[d - 1 - a].clone();
        }
        return axes;
    }

    /** The sample covariance (divided by n) of the rows. */
    static double[][] covariance(double[][] rows) {
        int d = rows[0].length;
        double[] mean = new double[d];
        for (double[] r : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += r[j] / rows.length;
            }
        }
        double[][] c = new double[d][d];
        for (double[] r : rows) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    c[i][j] += (r[i] - mean[i]) * (r[j] - mean[j]) / rows.length;
                }
            }
        }
        return c;
    }

    /**
     * @param rows points
     * @param axis a unit vector
     * @return the coordinates of the points along the axis
     */
    static double[] project(double[][] rows, double[] axis) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            double s = 0;
            for (int j = 0; j < rows[i].length; j++) {
                s += rows[i][j] * axis[j];
            }
            out[i] = s;
        }
        return out;
    }
}
