package org.pgflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

/** Shared fixtures and assertions for tests. */
public final class TestSupport {
    private TestSupport() {
    }

    /** Project root (Surefire runs with the module directory as working directory). */
    public static final Path ROOT = Path.of("").toAbsolutePath();

    /** @return a file under {@code conf/envs} */
    public static Path env(String name) {
        return ROOT.resolve("conf/envs").resolve(name);
    }

    /** Element-wise absolute comparison with the index in the message. */
    public static void assertArray(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, what + "[" + i + "]");
        }
    }

    /** Element-wise absolute comparison of matrices. */
    public static void assertMatrix(double[][] expected, double[][] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + " rows");
        for (int i = 0; i < expected.length; i++) {
            assertArray(expected[i], actual[i], tol, what + "[" + i + "]");
        }
    }
}
