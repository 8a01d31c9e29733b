package org.pgflow.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * report.html of a run: the title and status, the headline figure with its caption, the run's facts and final
 * metrics as tables (numbers by {@link ReportNumbers}), every plot embedded as a data URI (readable offline,
 * self-contained), and the resolved config verbatim.
 */
final class ReportPage {
    private static final String STYLE = "body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}"
            + "td.num{text-align:right;font-variant-numeric:tabular-nums}"
            + "img{max-width:100%;border:1px solid #eee;margin:0.5em 0}pre{background:#f6f6f6;padding:1em;overflow:auto}"
            + "figure.headline{margin:1em 0}figure.headline figcaption{font-size:1.05em}"
            + ".failed{color:#b00}.running{color:#a60}";

    private ReportPage() {
    }

    /**
     * Writes {@code report.html} into the run directory (atomically).
     *
     * @param run      the run
     * @param headline the headline figure, or null
     * @param files    the plots, in order (the headline's image is shown once, at the top)
     * @throws IOException if a plot cannot be read
     */
    static void write(RunFiles run, ReportFigures.Headline headline, List<Path> files) throws IOException {
        StringBuilder h = new StringBuilder();
        String name = esc(run.name());
        h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>pgflow run ").append(name)
                .append("</title>\n<style>").append(STYLE).append("</style></head><body>\n");
        String status = run.status();
        h.append("<h1>pgflow run: ").append(name).append("</h1>\n<p>status: <b class=\"").append(esc(status))
                .append("\">").append(esc(status)).append("</b></p>\n");
        if (run.error() != null) {
            h.append("<p class=\"failed\">error: ").append(esc(run.error())).append("</p>\n");
        }
        if (headline != null) {
            h.append("<figure class=\"headline\" id=\"headline\">").append(img(headline.png()))
                    .append("<figcaption>").append(esc(headline.caption())).append("</figcaption></figure>\n");
        }
        table(h, run.facts());
        Map<String, JsonNode> finals = run.finals();
        if (finals != null) {
            h.append("<h2>Final metrics</h2>\n");
            table(h, finals);
        }
        h.append("<h2>Plots</h2>\n");
        if (files.isEmpty()) {
            h.append("<p>No metrics yet.</p>\n");
        }
        for (Path f : files) {
            if (headline == null || !f.equals(headline.png())) {
                h.append("<h3>").append(esc(f.getFileName().toString())).append("</h3>\n").append(img(f)).append('\n');
            }
        }
        if (run.config() != null) {
            h.append("<h2>Resolved config</h2>\n<pre>").append(esc(AtomicFiles.toPrettyJson(run.config())))
                    .append("</pre>\n");
        }
        h.append("</body></html>\n");
        AtomicFiles.writeString(run.dir().resolve("report.html"), h.toString());
    }

    /** A two-column table of (name, value); values by {@link ReportNumbers#cell}. */
    private static void table(StringBuilder h, Map<String, JsonNode> rows) {
        h.append("<table>\n");
        for (Map.Entry<String, JsonNode> e : rows.entrySet()) {
            JsonNode v = e.getValue();
            String text = ReportNumbers.cell(v);
            h.append("<tr><th>").append(esc(e.getKey())).append("</th><td").append(v.isNumber() ? " class=\"num\">" : ">")
                    .append(esc(text)).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static String img(Path f) throws IOException {
        String b64 = Base64.getEncoder().encodeToString(Files.readAllBytes(f));
        return "<img alt=\"" + esc(f.getFileName().toString()) + "\" src=\"data:image/png;base64," + b64 + "\">";
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
