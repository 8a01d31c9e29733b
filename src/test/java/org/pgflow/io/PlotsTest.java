package org.pgflow.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** Shaded bands as closed polygon series in XChart's object model; tick labels; study plots with bands. */
class PlotsTest {
    @TempDir
    Path tmp;

    private static final double[] X = {0, 1000, 2000, 3000, 4000};
    private static final double[] Y = {1, 0.5, 0.25, 0.125, 0.0625};
    private static final double[] LO = {0.5, 0.25, -0.1, 0.1, 0.05};
    private static final double[] HI = {1.5, 0.75, 0.4, 0.15, 0.07};

    @Test
    void aBandedSeriesAddsATranslucentClosedPolygonBeneathItsLine() {
        XYChart chart = Plots.chart("t", "iteration", "y", false, false, List.of(
                Plots.Series.line("v", X, Y).withBand(LO, HI), Plots.Series.line("other", X, Y)));
        Map<String, XYSeries> series = new java.util.LinkedHashMap<>();
        chart.getSeriesCollection().forEach(x -> series.put(x.getName(), x));
        assertEquals(List.of("v" + Plots.BAND_SUFFIX, "v", "other", Plots.HIDDEN), List.copyOf(series.keySet()),
                "the band comes first, so it is drawn beneath");
        XYSeries band = series.get("v ± 2 SE");
        assertEquals(XYSeries.XYSeriesRenderStyle.PolygonArea, band.getXYSeriesRenderStyle().orElseThrow());
        double[] px = band.getXData();
        double[] py = band.getYData();
        assertEquals(2 * X.length + 1, px.length);
        assertEquals(px[0], px[px.length - 1]);
        assertEquals(py[0], py[py.length - 1], "closed");
        assertEquals(HI[0], py[0]);
        assertEquals(HI[4], py[4]);
        assertEquals(LO[4], py[5], "back along the lower edge");
        assertEquals(LO[0], py[9]);
        assertTrue(band.getFillColor().getAlpha() < 255, "translucent");
        assertEquals(series.get("v").getLineColor().getRGB() & 0xffffff, band.getFillColor().getRGB() & 0xffffff,
                "the band has its line's colour");
        assertFalse(series.containsKey("other" + Plots.BAND_SUFFIX), "no band without edges");
        assertFalse(series.get(Plots.HIDDEN).isShowInLegend());
        assertEquals(1, series.get(Plots.HIDDEN).getXData().length, "one point off the grid of equal spacing");
    }

    @Test
    void onALogAxisANonPositiveLowerEdgeIsRaised() {
        XYChart chart = Plots.chart("t", "iteration", "gap", false, true, List.of(Plots.Series.line("v", X, Y)
                .withBand(LO, HI)));
        double[] py = chart.getSeries("v ± 2 SE").getYData();
        for (double y : py) {
            assertTrue(y > 0, "log axis: positive edges only");
        }
        assertEquals(0.05, py[7], "raised to the smallest positive edge");
    }

    @Test
    void aLogAxisWithinOneDecadeIsWidenedToItsPowersOfTen() {
        double[] w = {8.4, 6, 4, 3.2, 3.3};
        XYChart narrow = Plots.chart("t", "t", "W2", false, true, List.of(Plots.Series.line("w", X, w)));
        assertEquals(1.0, narrow.getStyler().getYAxisMin());
        assertEquals(10.0, narrow.getStyler().getYAxisMax());
        XYChart wide = Plots.chart("t", "t", "gap", false, true, List.of(Plots.Series.line("g", X, Y)));
        assertEquals(null, wide.getStyler().getYAxisMin(), "spans a power of ten: XChart's own range");
    }

    @Test
    void chartsAreWrittenAsPng() throws Exception {
        Path f = Plots.xy(tmp.resolve("sub/a.png"), "t", "x", "y", false, true, List.of(Plots.Series.line("v", X, Y)
                .withBand(LO, HI)));
        byte[] b = Files.readAllBytes(f);
        assertTrue(b.length > 1000 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G');
    }

    @Test
    void tickLabelsAreCompact() {
        assertEquals("4000", Plots.tick(4000.0));
        assertEquals("0.05", Plots.tick(0.05));
        assertEquals("100000", Plots.tick(100000.0));
        assertEquals("250000", Plots.tick(250000.0));
        assertEquals("1.2e6", Plots.tick(1200000.0));
        assertEquals("1e-4", Plots.tick(1e-4));
        assertEquals("0", Plots.tick(0.0));
    }

    @Test
    void studyPlotsShadeTheirStandardErrorBands() {
        List<Map<String, String>> rows = List.of(
                Map.of("meanfield.sigma", "0.1", "gap", "0.01"), Map.of("meanfield.sigma", "0.1", "gap", "0.02"),
                Map.of("meanfield.sigma", "0.3", "gap", "0.05"), Map.of("meanfield.sigma", "0.3", "gap", "0.07"),
                Map.of("meanfield.sigma", "1.0", "gap", "0.4"), Map.of("meanfield.sigma", "1.0", "gap", "0.5"));
        List<Path> files = StudyPlots.write(tmp, List.of("meanfield.sigma"), rows);
        assertEquals(List.of(tmp.resolve("plots/gap-vs-sigma.png")), files);
        XYChart chart = Plots.chart("gap", "sigma", "final gap", false, true, List.of(StudyPlots.banded("gap",
                StudyPlots.columns(StudyPlots.byKey(rows, "meanfield.sigma", "gap")))));
        XYSeries band = chart.getSeries("gap" + Plots.BAND_SUFFIX);
        assertEquals(XYSeries.XYSeriesRenderStyle.PolygonArea, band.getXYSeriesRenderStyle().orElseThrow());
        // mean 0.015, SE over two seeds 0.005: the band spans 0.015 ± 0.01 at σ = 0.1
        assertEquals(0.025, band.getYData()[0], 1e-12);
        assertEquals(0.005, band.getYData()[5], 1e-12);
    }
}
