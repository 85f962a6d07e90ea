package dev.oneshot.app.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny Java2D plotting helper: one panel (a rectangle of a canvas) with data ranges, a frame
 * with "nice" ticks, axis labels and a title, and lines, bars, scatter markers, vertical lines
 * and a legend in data coordinates. No chart library. Typical use:
 * <pre>{@code
 * BufferedImage img = Canvas.canvas(640, 400);
 * Plot p = new Plot(img.createGraphics(), 0, 0, 640, 400).title("loss").x(0, 100).y(0, 1);
 * p.axes("step", "loss");
 * p.line(xs, ys, Canvas.color(0), 1.5f, "loss");
 * p.legend();
 * Canvas.save(img, file);
 * }</pre>
 */
public final class Plot {
    /** A legend entry: a line, a filled box or a marker. */
    private record Entry(String label, Color color, char kind, Marker marker) {
    }

    /** Scatter marker shapes. */
    public enum Marker { CIRCLE, TRIANGLE, SQUARE }

    private final Graphics2D g;
    private final int left;
    private final int top;
    private final int width;
    private final int height;
    private double x0 = 0;
    private double x1 = 1;
    private double y0 = 0;
    private double y1 = 1;
    private String title = "";
    private final List<Entry> legend = new ArrayList<>();

    /** A panel occupying (x, y, w, h) of the canvas; the plot area leaves margins for ticks and labels. */
    public Plot(Graphics2D g, int x, int y, int w, int h) {
        this.g = g;
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        this.left = x + 62;
        this.top = y + 34;
        this.width = w - 62 - 18;
        this.height = h - 34 - 48;
    }

    public Plot title(String t) {
        this.title = t;
        return this;
    }

    public Plot x(double lo, double hi) {
        x0 = lo;
        x1 = hi > lo ? hi : lo + 1;
        return this;
    }

    public Plot y(double lo, double hi) {
        y0 = lo;
        y1 = hi > lo ? hi : lo + 1;
        return this;
    }

    double px(double x) {
        return left + (x - x0) / (x1 - x0) * width;
    }

    double py(double y) {
        return top + height - (y - y0) / (y1 - y0) * height;
    }

    /** Frame, ticks with labels, axis labels and the title. */
    public void axes(String xLabel, String yLabel) {
        g.setFont(Canvas.FONT);
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        for (double t : Ticks.of(x0, x1, Math.max(2, width / 90))) {
            int sx = (int) Math.round(px(t));
            g.setColor(new Color(235, 235, 235));
            g.drawLine(sx, top, sx, top + height);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(sx, top + height, sx, top + height + 4);
            String s = Ticks.format(t);
            g.drawString(s, sx - fm.stringWidth(s) / 2, top + height + 17);
        }
        for (double t : Ticks.of(y0, y1, Math.max(2, height / 60))) {
            int sy = (int) Math.round(py(t));
            g.setColor(new Color(235, 235, 235));
            g.drawLine(left, sy, left + width, sy);
            g.setColor(Color.DARK_GRAY);
            g.drawLine(left - 4, sy, left, sy);
            String s = Ticks.format(t);
            g.drawString(s, left - 7 - fm.stringWidth(s), sy + fm.getAscent() / 2 - 1);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(left, top, width, height);
        g.drawString(xLabel, left + (width - fm.stringWidth(xLabel)) / 2, top + height + 36);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(top + (height + fm.stringWidth(yLabel)) / 2), left - 46);
        g.setTransform(saved);
        g.setFont(Canvas.TITLE);
        g.setColor(Color.BLACK);
        g.drawString(title, left, top - 12);
        g.setFont(Canvas.FONT);
    }

    /** A polyline through (x[i], y[i]); NaN points break the line. A non-null label goes into the legend. */
    public void line(double[] x, double[] y, Color c, float strokeWidth, String label) {
        Path2D.Double path = new Path2D.Double();
        boolean pen = false;
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(y[i]) || Double.isNaN(x[i])) {
                pen = false;
                continue;
            }
            double sx = px(x[i]);
            double sy = py(Math.max(y0, Math.min(y1, y[i])));
            if (pen) {
                path.lineTo(sx, sy);
            } else {
                path.moveTo(sx, sy);
                pen = true;
            }
        }
        g.setColor(c);
        g.setStroke(new BasicStroke(strokeWidth, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(path);
        g.setStroke(new BasicStroke(1f));
        if (label != null) {
            legend.add(new Entry(label, c, 'l', null));
        }
    }

    /** Bars of equal width starting at {@code starts[i]} with height {@code heights[i]}. */
    public void bars(double[] starts, double binWidth, double[] heights, Color c, String label) {
        for (int i = 0; i < starts.length; i++) {
            double xa = px(starts[i]);
            double xb = px(starts[i] + binWidth);
            double ya = py(Math.min(y1, heights[i]));
            double yb = py(Math.max(y0, 0));
            g.setColor(c);
            g.fill(new java.awt.geom.Rectangle2D.Double(xa, ya, Math.max(1, xb - xa), Math.max(0, yb - ya)));
        }
        if (label != null) {
            legend.add(new Entry(label, c, 'b', null));
        }
    }

    /** One marker at (x, y). */
    public void point(double x, double y, Color c, Marker m, double size) {
        g.setColor(c);
        marker(px(x), py(y), m, size);
    }

    private void marker(double sx, double sy, Marker m, double size) {
        switch (m) {
            case CIRCLE -> g.fill(new java.awt.geom.Ellipse2D.Double(sx - size / 2, sy - size / 2, size, size));
            case SQUARE -> g.fill(new java.awt.geom.Rectangle2D.Double(sx - size / 2, sy - size / 2, size, size));
            case TRIANGLE -> {
                Path2D.Double t = new Path2D.Double();
                t.moveTo(sx, sy - size * 0.65);
                t.lineTo(sx + size * 0.6, sy + size * 0.45);
                t.lineTo(sx - size * 0.6, sy + size * 0.45);
                t.closePath();
                g.fill(t);
            }
        }
    }

    /** Markers at every (x[i], y[i]). */
    public void scatter(double[] x, double[] y, Color c, Marker m, double size, String label) {
        for (int i = 0; i < x.length; i++) {
            point(x[i], y[i], c, m, size);
        }
        if (label != null) {
            legend.add(new Entry(label, c, 'm', m));
        }
    }

    /** A dashed vertical line at x with a text label beside it. */
    public void vline(double x, Color c, String label) {
        int sx = (int) Math.round(px(x));
        g.setColor(c);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        g.drawLine(sx, top, sx, top + height);
        g.setStroke(new BasicStroke(1f));
        g.setFont(Canvas.FONT);
        int tw = g.getFontMetrics().stringWidth(label);
        int tx = sx + 5 + tw > left + width ? sx - 5 - tw : sx + 5;
        g.drawString(label, tx, top + 16);
    }

    /** Text at a data point, offset by (dx, dy) pixels. */
    public void text(double x, double y, int dx, int dy, String s, Color c) {
        g.setFont(Canvas.FONT);
        g.setColor(c);
        g.drawString(s, (int) Math.round(px(x)) + dx, (int) Math.round(py(y)) + dy);
    }

    /** The legend box in the top-right corner. */
    public void legend() {
        legend(false, false);
    }

    /** The legend box in the chosen corner of the plot area. */
    public void legend(boolean leftSide, boolean bottom) {
        if (legend.isEmpty()) {
            return;
        }
        g.setFont(Canvas.FONT);
        FontMetrics fm = g.getFontMetrics();
        int w = 0;
        for (Entry e : legend) {
            w = Math.max(w, fm.stringWidth(e.label()));
        }
        int boxW = w + 40;
        int boxH = legend.size() * 18 + 8;
        int bx = leftSide ? left + 8 : left + width - boxW - 8;
        int by = bottom ? top + height - boxH - 8 : top + 8;
        g.setColor(new Color(255, 255, 255, 225));
        g.fillRect(bx, by, boxW, boxH);
        g.setColor(Color.GRAY);
        g.drawRect(bx, by, boxW, boxH);
        for (int i = 0; i < legend.size(); i++) {
            Entry e = legend.get(i);
            int cy = by + 13 + i * 18;
            g.setColor(e.color());
            switch (e.kind()) {
                case 'l' -> {
                    g.setStroke(new BasicStroke(2.5f));
                    g.drawLine(bx + 6, cy - 4, bx + 28, cy - 4);
                    g.setStroke(new BasicStroke(1f));
                }
                case 'b' -> g.fillRect(bx + 8, cy - 10, 18, 11);
                default -> marker(bx + 17, cy - 4, e.marker(), 9);
            }
            g.setColor(Color.BLACK);
            g.drawString(e.label(), bx + 34, cy);
        }
    }
}
