package org.pgflow.math;

import dev.ludovic.netlib.lapack.JavaLAPACK;
import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/**
 * The one pure-Java LAPACK of the JVM and the lock every call takes. The f2j translation keeps Fortran SAVE
 * variables in static fields and fills them on first use (machine constants in {@code dlamch}, {@code dlartg}'s
 * scaling constants): two threads that start, say, {@code dsyev} at the same time can read them half-initialised,
 * and {@code dsyev} then scales towards an infinite bound for ever (seen with two study cells drawing their cloud
 * plots at once). Every call therefore runs under {@link #LOCK}, and the class initialiser runs one {@code dsyev}
 * and one {@code dgesv} first, so the constants are set before any caller can see them. The solves are small, so the
 * lock costs nothing measurable.
 */
final class Lapack {
    /** The implementation (never the JNI one: see {@link Dense}). */
    static final LAPACK JAVA = JavaLAPACK.getInstance();

    /** Held for every LAPACK call. */
    static final Object LOCK = new Object();

    static {
        synchronized (LOCK) {
            double[] a = {2, 1, 1, 3};
            double[] w = new double[2];
            double[] work = new double[16];
            JAVA.dsyev("V", "U", 2, a, 2, w, work, work.length, new intW(0));
            double[] b = {1, 2};
            JAVA.dgesv(2, 1, new double[] {4, 1, 2, 3}, 2, new int[2], b, 2, new intW(0));
        }
    }

    private Lapack() {
    }
}
