package dev.oneshot.app.report;

import dev.oneshot.siamese.data.LabeledImages;
import dev.oneshot.siamese.eval.Embedder;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Nearest-neighbour strips: one row per query image, followed by its k nearest other images of
 * the same set in embedding space with their squared distances; a green frame marks a neighbour
 * of the query's class, a red one a neighbour of another class.
 */
public final class NeighbourStrips {
    static final int SCALE = 3;
    static final int CELL = 28 * SCALE + 16;

    private NeighbourStrips() {
    }

    /** The k nearest rows of {@code f} to row {@code q}, nearest first, q itself excluded. */
    public static int[] nearest(Embedder.Features f, int q, int k) {
        double[] d = new double[f.rows()];
        for (int i = 0; i < d.length; i++) {
            d[i] = i == q ? Double.POSITIVE_INFINITY : f.squaredDistance(q, i);
        }
        return IntStream.range(0, d.length).boxed().sorted((a, b) -> Double.compare(d[a], d[b]) != 0
                ? Double.compare(d[a], d[b]) : Integer.compare(a, b)).limit(k).mapToInt(Integer::intValue).toArray();
    }

    /** Draws the strips of {@code queries} (indices into {@code data}, 28×28 grey images) to {@code file}. */
    public static void draw(LabeledImages data, Embedder.Features f, int[] queries, int k, Path file)
            throws IOException {
        int labelW = 150;
        int w = labelW + (k + 1) * CELL + 30;
        int h = 40 + queries.length * (CELL + 24);
        BufferedImage img = Canvas.canvas(w, h);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(Canvas.TITLE);
        g.setColor(Color.BLACK);
        g.drawString("Query → its " + k + " nearest test images (squared distance; green = same class)", 10, 24);
        g.setFont(Canvas.FONT);
        for (int r = 0; r < queries.length; r++) {
            int q = queries[r];
            int y = 40 + r * (CELL + 24);
            g.setColor(Color.BLACK);
            g.drawString("query: " + data.className(data.label(q)), 10, y + CELL / 2);
            tile(g, data, q, labelW, y, Color.DARK_GRAY);
            g.drawString("query", labelW + 8, y + CELL + 14);
            int[] nn = nearest(f, q, k);
            for (int j = 0; j < nn.length; j++) {
                int x = labelW + (j + 1) * CELL + 30;
                boolean same = data.label(nn[j]) == data.label(q);
                tile(g, data, nn[j], x, y, same ? DemoPlots.GENUINE : DemoPlots.IMPOSTOR);
                g.setColor(Color.BLACK);
                String s = String.format(Locale.ROOT, "%.3f %s", f.squaredDistance(q, nn[j]),
                        shortName(data.className(data.label(nn[j]))));
                g.drawString(s, x + 2, y + CELL + 14);
            }
        }
        g.dispose();
        Canvas.save(img, file);
    }

    private static void tile(Graphics2D g, LabeledImages data, int i, int x, int y, Color frame) {
        float[] px = data.image(i);
        int side = (int) Math.round(Math.sqrt(px.length));
        BufferedImage t = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        for (int yy = 0; yy < side; yy++) {
            for (int xx = 0; xx < side; xx++) {
                int v = Math.round(255 * Math.max(0, Math.min(1, px[yy * side + xx])));
                t.getRaster().setSample(xx, yy, 0, 255 - v); // dark garment on light paper
            }
        }
        int size = CELL - 16;
        g.drawImage(t, x + 4, y + 4, size, size, null);
        g.setColor(frame);
        g.setStroke(new BasicStroke(3f));
        g.drawRect(x + 2, y + 2, size + 4, size + 4);
        g.setStroke(new BasicStroke(1f));
    }

    private static String shortName(String s) {
        return s.length() <= 8 ? s : s.substring(0, 7) + "…";
    }
}
