package org.pgflow.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run reports from hand-made run directories: the headline of each kind of run, and what a bare one shows. */
class RunReportTest {
    @TempDir
    Path tmp;

    private Path dir(String name, String runJson, String metrics) throws Exception {
        Path d = Files.createDirectories(tmp.resolve(name));
        if (runJson != null) {
            Files.writeString(d.resolve("run.json"), runJson);
        }
        Files.writeString(d.resolve("metrics.csv"), metrics);
        return d;
    }

    @Test
    void monteCarloRunsHeadlineTheValueWithItsBand() throws Exception {
        Path d = dir("mc", """
                {"name":"mc","algorithm":"meanfield","status":"running","softOptimalValue":1.25,
                 "config":{"meanfield":{"dt":0.1}}}""", """
                iteration,time_s,objective,value_mc,value_se,gap
                0,0.1,0.5,0.5,0.05,0.75
                1,0.2,0.7,0.75,0.04,0.5
                2,0.3,0.9,1.0,0.03125,0.25
                3,0.4,1.1
                """);
        List<Path> files = RunReport.write(d, null, null);
        assertEquals(d.resolve("plots/headline.png"), files.get(0));
        String html = Files.readString(d.resolve("report.html"));
        assertTrue(html.contains("<figcaption>V̂(ρ) = 1 ± 0.03125 (SE) at iteration 2; soft optimum V*(ρ) = 1.25, gap 0.25."
                + "</figcaption>"), html);
        assertTrue(html.contains("running"));
        assertTrue(html.contains("<th>softOptimalValue</th><td class=\"num\">1.25</td>"));
    }

    @Test
    void tabularRunsHeadlineTheGapWithItsFittedRate() throws Exception {
        StringBuilder csv = new StringBuilder("iteration,gap\n");
        for (int k = 0; k <= 100; k++) {
            csv.append(k).append(',').append(Math.exp(-0.1 * k) + 1e-6).append('\n');
        }
        Path d = dir("tab", "{\"algorithm\":\"tabular\",\"status\":\"completed\"}", csv.toString());
        RunReport.write(d, null, null);
        String html = Files.readString(d.resolve("report.html"));
        assertTrue(html.matches("(?s).*<figcaption>Gap to the soft optimum 4\\.64e-5 at iteration 100; fitted "
                + "rate of ln gap r = 0\\.\\d+ per iteration \\(iterations ≤ \\d+, then a floor ≈ 1\\.244e-4\\)\\.</figcaption>.*"), html);
        assertTrue(Files.isRegularFile(d.resolve("plots/gap.png")));
    }

    @Test
    void exactlyEvaluatedVarianceRunsHeadlineTheExactCurves() throws Exception {
        Path d = dir("mfvar", """
                {"algorithm":"meanfield","status":"completed","config":{"variance":{"lambda":0.25}}}""", """
                iteration,J,J_se,Var,Var_se,eta,eta_se,exact_J,exact_Var,exact_eta
                0,,,,,,,3.3,2.19,2.7525
                1,,,,,,,3.2,1.0,2.95
                """);
        RunReport.write(d, null, null);
        String html = Files.readString(d.resolve("report.html"));
        assertTrue(html.contains("<figcaption>λ = 0.25: final η = 2.95 (exact) at iteration 1.</figcaption>"),
                html);
        assertTrue(Files.isRegularFile(d.resolve("plots/eta.png")));
    }

    @Test
    void aDirectoryWithoutMetricsRowsHasNoHeadline() throws Exception {
        Path d = dir("empty", null, "iteration,gap\n");
        assertEquals(List.of(), RunReport.write(d, null, null));
        String html = Files.readString(d.resolve("report.html"));
        assertFalse(html.contains("id=\"headline\""));
        assertTrue(html.contains("No metrics yet") && html.contains("unknown"));
        assertNull(ReportFigures.headline(d.resolve("plots"), RunFiles.read(d)));
    }
}
