package org.pgflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pgflow study}: grid expansion, one run directory per cell, study.csv, plots, resume. */
class StudyCommandTest {
    @TempDir
    Path tmp;

    @Test
    void twoByTwoGridRunsFourCellsAndResumes() throws Exception {
        Files.writeString(tmp.resolve("base.yaml"), """
                algorithm: variance
                seed: 1
                iterations: 20
                environment:
                  type: risky-chain
                variance:
                  episodes: 20
                  blockSize: 8
                  evalEpisodes: 200
                spark:
                  partitions: 2
                """);
        Files.writeString(tmp.resolve("study.yaml"), """
                name: tiny
                base: base.yaml
                set:
                  iterations: 10
                grid:
                  variance.lambda: [0, 0.5]
                  seed: [1, 2]
                """);
        Path out = tmp.resolve("study");
        CliTest.Run r = CliTest.run("study", tmp.resolve("study.yaml").toString(), "--out", out.toString(),
                "--master", "local[2]");
        assertEquals(0, r.status(), r.err());
        List<String> csv = Files.readAllLines(out.resolve("study.csv"));
        assertEquals(5, csv.size(), "header + 4 cells: " + csv);
        assertTrue(csv.get(0).startsWith("cell,variance.lambda,seed,status,"), csv.get(0));
        for (String cell : new String[] {"lambda=0_seed=1", "lambda=0_seed=2", "lambda=0.5_seed=1", "lambda=0.5_seed=2"}) {
            Path run = out.resolve("cells").resolve(cell);
            assertTrue(Files.isRegularFile(run.resolve("run.json")), cell);
            assertEquals(1 + 11, Files.readAllLines(run.resolve("metrics.csv")).size(), "iterations from the study's set: " + cell);
        }
        assertTrue(csv.stream().skip(1).allMatch(l -> l.contains(",completed,")), csv.toString());
        assertTrue(Files.size(out.resolve("plots/frontier.png")) > 1000);
        assertEquals(3, Files.readAllLines(out.resolve("frontier.csv")).size(), "header + 2 lambdas");
        byte[] png = Files.readAllBytes(out.resolve("plots/frontier.png"));
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);

        CliTest.Run again = CliTest.run("study", tmp.resolve("study.yaml").toString(), "--out", out.toString());
        assertEquals(0, again.status(), again.err());
        assertEquals(4, again.out().lines().filter(l -> l.contains("completed earlier, skipped")).count(), again.out());
        assertEquals(csv, Files.readAllLines(out.resolve("study.csv")));
    }

    /** study.csv without the wall-time columns. */
    static List<String> studyCsv(Path study) throws Exception {
        List<String> lines = Files.readAllLines(study.resolve("study.csv"));
        List<String> header = List.of(lines.get(0).split(",", -1));
        List<String> out = new java.util.ArrayList<>();
        for (String line : lines) {
            List<String> cells = List.of(line.split(",", -1));
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < cells.size(); c++) {
                if (!header.get(c).equals("time_s") && !header.get(c).equals("secondsPerIteration")) {
                    b.append(cells.get(c)).append(',');
                }
            }
            out.add(b.toString());
        }
        return out;
    }

    @Test
    void cellsInParallelAreTheSameBitsAsEachCellRunAlone() throws Exception {
        Files.writeString(tmp.resolve("base.yaml"), """
                algorithm: meanfield
                seed: 1
                iterations: 15
                environment:
                  type: finite
                  file: %s
                meanfield:
                  particles: 60
                  blockSize: 16
                  knnEvery: 5
                  knnSample: 30
                """.formatted(org.pgflow.TestSupport.env("t1.mdp.json")));
        Files.writeString(tmp.resolve("study.yaml"), """
                name: seeds
                base: base.yaml
                grid:
                  seed: [1, 2, 3]
                  meanfield.sigma: [0.2, 0.6]
                """);
        Path parallel = tmp.resolve("parallel");
        CliTest.Run r = CliTest.run("study", tmp.resolve("study.yaml").toString(), "--out", parallel.toString(),
                "--master", "local[2]");
        assertEquals(0, r.status(), r.err());
        // The same study one cell after another on the Spark engine.
        Path sequential = tmp.resolve("sequential");
        CliTest.Run s = CliTest.run("study", tmp.resolve("study.yaml").toString(), "--out", sequential.toString(),
                "--master", "local[2]", "--engine", "spark");
        assertEquals(0, s.status(), s.err());
        assertEquals(studyCsv(parallel), studyCsv(sequential), "study.csv, parallel in-JVM vs sequential Spark");
        for (String seed : new String[] {"1", "2", "3"}) {
            for (String sigma : new String[] {"0.2", "0.6"}) {
                String cell = "seed=" + seed + "_sigma=" + sigma;
                Path alone = tmp.resolve("alone-" + cell);
                CliTest.Run a = CliTest.run("run", tmp.resolve("base.yaml").toString(), "--out", alone.toString(),
                        "--set", "seed=" + seed, "--set", "meanfield.sigma=" + sigma, "--set", "threads=1");
                assertEquals(0, a.status(), a.err());
                List<String> expected = EnginesTest.metrics(alone);
                assertEquals(expected, EnginesTest.metrics(parallel.resolve("cells").resolve(cell)), cell + " in parallel");
                assertEquals(expected, EnginesTest.metrics(sequential.resolve("cells").resolve(cell)), cell + " on Spark");
            }
        }
    }

    @Test
    void invalidCellIsReportedBeforeAnythingRuns() throws Exception {
        Files.writeString(tmp.resolve("base.yaml"), "algorithm: variance\nenvironment:\n  type: risky-chain\n");
        Files.writeString(tmp.resolve("study.yaml"), "base: base.yaml\ngrid:\n  variance.lambda: [0, -1]\n");
        CliTest.Run r = CliTest.run("study", tmp.resolve("study.yaml").toString(), "--out", tmp.resolve("s").toString());
        assertEquals(Main.EXIT_INVALID, r.status());
        assertTrue(r.err().contains("cell lambda=-1: variance.lambda must be in [0.0,"), r.err());
        assertTrue(!Files.exists(tmp.resolve("s")), "nothing written");
    }

    @Test
    void anEpisodicMeanFieldCellFitsOneTaskByItsInputDimension() {
        for (String conf : List.of("t7-meanfield-variance.yaml", "portfolio-meanfield-variance.yaml")) {
            Path file = org.pgflow.TestSupport.ROOT.resolve("conf").resolve(conf);
            org.pgflow.run.Launcher.Prepared small = org.pgflow.run.Launcher.prepare(
                    org.pgflow.config.ConfigTree.load(file), file);
            assertTrue(small.meanfield().mc() == null, conf + " has no simulator problem");
            assertTrue(StudyCells.fitsOneTask(small), conf + " with " + small.cfg().meanfield().particles()
                    + " particles fits one task");
            org.pgflow.config.ConfigTree big = org.pgflow.config.ConfigTree.load(file);
            big.set("meanfield.particles=20000000");
            assertTrue(!StudyCells.fitsOneTask(org.pgflow.run.Launcher.prepare(big, file)),
                    conf + " with 2·10⁷ particles does not");
        }
    }
}
