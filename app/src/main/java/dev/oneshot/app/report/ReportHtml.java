package dev.oneshot.app.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A self-contained HTML page: a heading, a summary table, then each figure (a PNG beside the page) with its caption. */
public final class ReportHtml {
    private ReportHtml() {
    }

    /** One figure: the PNG's file name (relative to the page) and a short caption. */
    public record Figure(String png, String title, String caption) {
    }

    /** Writes the page; {@code summary} rows are (label, value) pairs shown as a table. */
    public static void write(Path file, String heading, String intro, List<String[]> summary, List<Figure> figures)
            throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(esc(heading)).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;max-width:1040px;margin:2em auto;padding:0 1em;color:#222}\n")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;")
                .append("text-align:left}figure{margin:2em 0}img{max-width:100%;border:1px solid #ddd}\n")
                .append("figcaption{color:#444;margin-top:.4em}\n</style>\n</head>\n<body>\n<h1>")
                .append(esc(heading)).append("</h1>\n<p>").append(esc(intro)).append("</p>\n<table>\n");
        for (String[] row : summary) {
            sb.append("<tr><th>").append(esc(row[0])).append("</th><td>").append(esc(row[1])).append("</td></tr>\n");
        }
        sb.append("</table>\n");
        for (Figure f : figures) {
            sb.append("<figure>\n<h2>").append(esc(f.title())).append("</h2>\n<img src=\"").append(esc(f.png()))
                    .append("\" alt=\"").append(esc(f.title())).append("\">\n<figcaption>").append(esc(f.caption()))
                    .append("</figcaption>\n</figure>\n");
        }
        sb.append("<p>Files: <code>results.json</code>, <code>model.safetensors</code>, ")
                .append("<code>gallery.safetensors</code>.</p>\n</body>\n</html>\n");
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
