package org.pgflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pgflow.TestSupport;

/**
 * {@code pgflow report} on small real run directories: the page opens with the headline figure and its caption,
 * and its tables show numbers formatted ({@code 400}, four significant digits), never raw doubles.
 */
class ReportCommandTest {
    @TempDir
    Path tmp;

    /** A number cell of a table. */
    private static final Pattern CELL = Pattern.compile("<td[^>]*>(-?[0-9]+(\\.[0-9]+)?(e-?[0-9]+)?)</td>", Pattern.CASE_INSENSITIVE);

    /** A raw double: integral with ".0", or more than four significant digits after a decimal point. */
    private static boolean raw(String number) {
        String mantissa = number.replaceFirst("(?i)e.*", "").replace("-", "");
        if (!mantissa.contains(".")) {
            return false; // an integer
        }
        return mantissa.endsWith(".0") || mantissa.replace(".", "").replaceFirst("^0+", "").length() > 4;
    }

    private Path config(String body) throws Exception {
        Path f = tmp.resolve("cfg.yaml");
        Files.writeString(f, body);
        return f;
    }

    /** The page up to the resolved config, which stays verbatim. */
    private static String tables(String html) {
        int c = html.indexOf("<h2>Resolved config");
        assertTrue(c > 0, "the resolved config is shown");
        return html.substring(0, c);
    }

    private static void assertNoRawDoubles(String page) {
        Matcher m = CELL.matcher(page);
        int cells = 0;
        while (m.find()) {
            assertFalse(raw(m.group(1)), "raw double in a table: " + m.group());
            cells++;
        }
        assertTrue(cells > 5, "number cells checked: " + cells);
    }

    @Test
    void meanFieldReportOpensWithTheGapAndFormatsItsTables() throws Exception {
        Path out = tmp.resolve("t1");
        CliTest.Run r = CliTest.run("run", config("""
                algorithm: meanfield
                seed: 3
                iterations: 400
                environment:
                  type: finite
                  file: %s
                meanfield:
                  particles: 40
                  blockSize: 16
                  snapshotEvery: 200
                spark:
                  partitions: 2
                """.formatted(TestSupport.env("t1.mdp.json"))).toString(), "--out", out.toString(),
                "--master", "local[2]");
        assertEquals(0, r.status(), r.err());
        Files.delete(out.resolve("report.html"));
        CliTest.Run rep = CliTest.run("report", out.toString());
        assertEquals(0, rep.status(), rep.err());
        assertTrue(Files.size(out.resolve("plots/headline.png")) > 1000, "headline figure");
        String html = Files.readString(out.resolve("report.html"));
        int headline = html.indexOf("id=\"headline\"");
        assertTrue(headline > 0 && headline < html.indexOf("<table>"), "the headline comes before the tables");
        assertTrue(html.contains("<figcaption>Gap to the soft optimum "), html.substring(headline, headline + 200));
        assertTrue(html.contains("at iteration 400"), "caption numbers formatted");
        String page = tables(html);
        assertTrue(page.contains("<th>iteration</th><td class=\"num\">400</td>"), "integral without .0");
        assertTrue(page.matches("(?s).*<th>softOptimalValue</th><td class=\"num\">6\\.201</td>.*"), "4 significant digits");
        assertNoRawDoubles(page);
        assertTrue(raw("400.0") && raw("0.010533699998239499") && raw("6.2005") && raw("1.23456E-5"), "the check bites");
        assertFalse(raw("400") || raw("0.01736") || raw("6.201") || raw("1.235e-5"));
        assertEquals(1, html.split("alt=\"headline.png\"", -1).length - 1, "the headline image once");
        assertTrue(html.contains("alt=\"particles.png\""), "particle clouds on principal axes");
    }

    @Test
    void varianceReportHeadlineShowsLambdaAndTheFinalEta() throws Exception {
        Path out = tmp.resolve("var");
        CliTest.Run r = CliTest.run("run", config("""
                algorithm: variance
                seed: 2
                iterations: 40
                environment:
                  type: risky-chain
                variance:
                  lambda: 0.5
                  episodes: 40
                  blockSize: 16
                  evalEpisodes: 500
                spark:
                  partitions: 2
                """).toString(), "--out", out.toString(), "--master", "local[2]");
        assertEquals(0, r.status(), r.err());
        String html = Files.readString(out.resolve("report.html"));
        Matcher caption = Pattern.compile("<figcaption>(.*?)</figcaption>").matcher(html);
        assertTrue(caption.find(), "headline caption");
        assertTrue(caption.group(1).matches("λ = 0\\.5: final η = [-0-9.e]+ ± [-0-9.e]+ \\(SE\\) \\(evaluation, 500 "
                + "episodes\\); J = .*; Var = .*; exact η = .*\\."), caption.group(1));
        assertNoRawDoubles(tables(html));
        assertTrue(html.contains("<th>episodes</th><td class=\"num\">500</td>"));
    }

    @Test
    void aContinuousStateMonteCarloReportEmbedsTheMeanActionOfTheFinalPolicy() throws Exception {
        Path out = tmp.resolve("t3");
        CliTest.Run r = CliTest.run("run", config("""
                algorithm: meanfield
                seed: 1
                iterations: 3
                environment:
                  type: bounded-oracle
                  gridSize: 5
                  gamma: 0.9
                meanfield:
                  particles: 20
                  units: 1
                  tau: 0.2
                  evaluation: montecarlo
                  summaryParticles: 20
                  rolloutStates: 10
                  monitorRollouts: 10
                  blockSize: 10
                  knnEvery: 0
                """).toString(), "--out", out.toString(), "--engine", "local");
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.size(out.resolve("plots/mean-action.png")) > 1000, "mean-action plot drawn");
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<h3>mean-action.png</h3>\n<img alt=\"mean-action.png\" src=\"data:image/png;base64,"),
                "report.html embeds the mean action");
    }
}
