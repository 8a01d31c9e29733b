package org.pgflow.io;

import java.io.IOException;

/**
 * A test hook for a disk that fills up: with the system property {@code pgflow.test.failWrite=SITE:N} (e.g.
 * {@code PGFLOW_JAVA_OPTS=-Dpgflow.test.failWrite=checkpoint:2}) the N-th write at SITE in this JVM throws an
 * {@link IOException} "No space left on device", exactly once, as the operating system would. Sites:
 * <ul>
 *   <li>{@code checkpoint}: a checkpoint's {@code manifest.json}, after its data files were written into the
 *       checkpoint's temporary directory (the checkpoint is then half written and must never be used);</li>
 *   <li>{@code metrics}: one row of {@code metrics.csv}.</li>
 * </ul>
 * Writes are counted from the moment the property took its current value (or from {@link #arm}). Off unless the
 * property is set; a no-op that costs a property look-up per checkpoint and per metrics row.
 */
public final class WriteFaults {
    /** The system property that arms the hook. */
    public static final String PROPERTY = "pgflow.test.failWrite";

    private static String armed;
    private static long count;

    private WriteFaults() {
    }

    /**
     * Arms the hook (sets the property and restarts the count), e.g. {@code arm("checkpoint:2")}.
     *
     * @param spec {@code SITE:N}
     */
    public static synchronized void arm(String spec) {
        System.setProperty(PROPERTY, spec);
        armed = spec;
        count = 0;
    }

    /** Disarms the hook (clears the property). */
    public static synchronized void disarm() {
        System.clearProperty(PROPERTY);
        armed = null;
        count = 0;
    }

    /**
     * Called before a write at {@code site}.
     *
     * @param site {@code checkpoint} or {@code metrics}
     * @throws IOException on the armed write
     */
    static synchronized void check(String site) throws IOException {
        String spec = System.getProperty(PROPERTY);
        if (spec == null) {
            armed = null;
            return;
        }
        if (!spec.equals(armed)) {
            armed = spec;
            count = 0;
        }
        int colon = spec.indexOf(':');
        if (colon < 0 || !spec.substring(0, colon).equals(site)) {
            return;
        }
        long n;
        try {
            n = Long.parseLong(spec.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PROPERTY + " must be SITE:N but was '" + spec + "'");
        }
        if (++count == n) {
            throw new IOException("No space left on device (injected by " + PROPERTY + "=" + spec + ")");
        }
    }
}
