package org.pgflow.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Failure behaviour on an embedded master (no cluster): injected task failures with retries leave results
 * identical, and a diverging run fails cleanly (exit 1, status failed, iteration and quantity reported).
 */
@Tag("slow")
class FailureBehaviourIT {

    /**
     * The Spark engine on local[2,4] (2 threads, 4 attempts per task); the hook fails the first attempt of every even
     * partition. The reference runs are on the in-JVM engine: retried Spark tasks give the same bits.
     */
    @Test
    void injectedTaskFailuresWithRetriesLeaveResultsIdentical() {
        Pgflow.Result local = Pgflow.cached(LoopbackClusterIT.SMALL).assertOk();
        Pgflow.Result injected = Pgflow.run(LoopbackClusterIT.SMALL.withLabel("meanfield-small-local2-4-injected")
                .withMaster("local[2,4]").withSet("engine=spark").withJavaOpts("-Dspark.pgflow.test.injectFailures=true")).assertOk();
        long lost = injected.stderr().lines().filter(l -> l.contains("Lost task") && l.contains("injected failure")).count();
        assertTrue(lost > 0, "the fault-injection hook did not fire (no 'Lost task ... injected failure' in the driver's log):\n"
                + Pgflow.tail(injected.stderr(), 3000));
        System.out.println("[it] injected task failures on local[2,4]: " + lost + " lost tasks logged");
        Outputs.assertSameResults(local, injected);

        Pgflow.Result variance = Pgflow.cached(LoopbackClusterIT.VARIANCE).assertOk();
        Pgflow.Result varianceInjected = Pgflow.run(LoopbackClusterIT.VARIANCE.withLabel("variance-local2-4-injected")
                .withMaster("local[2,4]").withSet("engine=spark").withJavaOpts("-Dspark.pgflow.test.injectFailures=true")).assertOk();
        assertTrue(varianceInjected.stderr().contains("injected failure"), "the hook did not fire in the variance run");
        Outputs.assertSameResults(variance, varianceInjected);
    }

    /** σ = 0 and Δt = 1e308: the particles overflow at once. */
    @Test
    void divergenceFailsWithIterationAndQuantity() {
        Pgflow.Result r = Pgflow.run(new Pgflow.Spec("meanfield-diverging", "conf/t1-meanfield.yaml",
                List.of("iterations=60", "meanfield.snapshotEvery=0", "meanfield.knnEvery=0", "meanfield.sigma=0",
                        "meanfield.dt=1e308"), "local[2]", null));
        assertEquals(1, r.exit(), r.describe() + ": exit status of a diverging run\n" + Pgflow.tail(r.stderr(), 3000));
        JsonNode run = Outputs.json(r.dir().resolve("run.json"));
        assertEquals("failed", run.path("status").asText(), "run.json status: " + run);
        JsonNode error = run.path("error");
        assertTrue(error.path("iteration").isIntegralNumber(), "run.json error.iteration: " + error);
        long iteration = error.path("iteration").asLong();
        String quantity = error.path("quantity").asText("");
        String message = error.path("message").asText("");
        assertTrue(iteration >= 0 && iteration < 60, "divergence iteration " + iteration);
        assertTrue(!quantity.isBlank(), "run.json error.quantity: " + error);
        assertTrue(message.contains("iteration " + iteration) && message.contains(quantity),
                "run.json error.message should name the iteration and the quantity: " + error);
        assertTrue(message.matches("(?s).*(NaN|Inf|infinite|non-finite|overflow).*"),
                "run.json error.message should say what went wrong with the value: " + message);
        String errLine = r.stderr().lines().filter(l -> l.contains("iteration " + iteration) && l.contains(quantity)).findFirst()
                .orElse(null);
        assertTrue(errLine != null, "stderr names neither the iteration nor the quantity:\n" + Pgflow.tail(r.stderr(), 3000));
        assertTrue(r.stdout().lines().noneMatch(l -> l.startsWith("final ")), "a failed run must not report final results:\n" + r.stdout());
        System.out.println("[it] divergence: exit 1, run.json error " + error + "; stderr: " + errLine.strip());
    }
}
