package org.pgflow.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Platform facts recorded in {@code run.json}: versions, git commit, OS and architecture. */
final class Provenance {
    private Provenance() {
    }

    static void addTo(ObjectNode m) {
        String v = Provenance.class.getPackage().getImplementationVersion();
        m.put("pgflowVersion", v == null ? "dev" : v);
        m.put("javaVersion", System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("arch", System.getProperty("os.arch"));
        m.put("gitCommit", gitCommit());
        // Which neuron kernels ran (vector-L or scalar): they agree to a few ulp, not bit for bit.
        m.put("kernels", org.pgflow.meanfield.NeuronKernels.backend().name());
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
