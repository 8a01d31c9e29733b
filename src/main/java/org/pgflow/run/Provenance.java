package org.pgflow.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.pgflow.io.RunManifest;

/** Platform facts recorded in {@code run.json}: versions, git commit, OS and architecture. */
final class Provenance {
    private Provenance() {
    }

    /** @return the facts of this process */
    static RunManifest.Provenance current() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        // Which neuron kernels ran (vector-L or scalar): they agree to a few ulp, not bit for bit.
        return new RunManifest.Provenance(v == null ? "dev" : v, System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("os.arch"),
                gitCommit(), org.pgflow.meanfield.NeuronKernels.backend().name());
    }

    /** @return {@code git rev-parse HEAD} of the pgflow checkout, or "unknown" */
    static String gitCommit() {
        String home = System.getProperty("pgflow.home", ".");
        try {
            Process p = new ProcessBuilder("git", "-C", Path.of(home).toString(), "rev-parse", "HEAD")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unknown";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : "unknown";
        } catch (Exception e) {
            return "unknown";
        }
    }
}
