package dev.oneshot.siamese.experiments;

import dev.oneshot.siamese.data.AffineAugment;
import dev.oneshot.siamese.data.GrayImages;
import dev.oneshot.siamese.data.ImageOptions;
import dev.oneshot.siamese.eval.OmniglotRuns;
import dev.oneshot.siamese.model.SiameseModel;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * How the rotations' models (kept by {@code OmniglotRotations} with {@code -Drotations.save=DIR})
 * fare on the same runs as another source of handwriting might give them: every run image
 * redrawn at 105 × 105 before the model's own reading — characters drawn larger or smaller (a
 * tighter scan, another hand), strokes thicker (another pen), light strokes on dark paper, or the
 * levels of a scan (grey paper at 0.8 with ink at 0.2; a faint pencil, 0.55 on paper at 0.9; light
 * falling off across the page, the paper from 1 to 0.55 and the ink a third of it).
 * Both the supports and the queries of a run change, as they would for a new source.
 *
 * <p>Run: {@code java -cp ... dev.oneshot.siamese.experiments.OmniglotOtherHands [stretch_levels] DIR...}
 * ({@code stretch_levels}: read with {@link dev.oneshot.siamese.data.InkLevels} whatever the cards say; after
 * {@code OmniglotRotations} has built the rotations' runs in {@code java.io.tmpdir}).
 */
public final class OmniglotOtherHands {
    private OmniglotOtherHands() {
    }

    /** A change of every 105 × 105 run image (dark strokes on white, values in [0, 1]). */
    interface Redraw {
        float[] apply(float[] g, int side);
    }

    public static void main(String[] args) throws IOException {
        Path runs = Path.of(System.getProperty("java.io.tmpdir"), "omniglot-rotation-runs-20");
        java.util.Map<String, Redraw> redraws = new java.util.LinkedHashMap<>();
        redraws.put("as drawn", (g, s) -> g);
        redraws.put("zoom 1.4", (g, s) -> AffineAugment.apply(g, 1, s, s, new AffineAugment.Params(0, 0, 0, 1.4, 1.4, 0, 0), 1f));
        redraws.put("zoom 0.7", (g, s) -> AffineAugment.apply(g, 1, s, s, new AffineAugment.Params(0, 0, 0, 0.7, 0.7, 0, 0), 1f));
        redraws.put("moved 15 px", (g, s) -> AffineAugment.apply(g, 1, s, s, AffineAugment.Params.translation(15, 15), 1f));
        redraws.put("thicker pen", (g, s) -> darkest(g, s, 2));
        redraws.put("light on dark", (g, s) -> {
            float[] out = new float[g.length];
            for (int i = 0; i < g.length; i++) {
                out[i] = 1f - g[i];
            }
            return out;
        });
        redraws.put("grey paper", (g, s) -> levels(g, 0.2f, 0.8f));
        redraws.put("faint pencil", (g, s) -> levels(g, 0.55f, 0.9f));
        redraws.put("uneven light", (g, s) -> {
            float[] out = new float[g.length];
            for (int i = 0; i < g.length; i++) { // paper from 0.55 at the left edge to 1 at the right, ink a third of it
                float paper = 0.55f + 0.45f * (i % s) / (s - 1);
                out[i] = paper * (g[i] + (1 - g[i]) / 3f);
            }
            return out;
        });
        boolean stretch = false;
        for (String dir : args) {
            if (dir.equals("stretch_levels")) { // the models' reading with the levels stretched (InkLevels)
                stretch = true;
                continue;
            }
            System.out.println("models " + dir + (stretch ? ", levels stretched" : ""));
            for (java.util.Map.Entry<String, Redraw> r : redraws.entrySet()) {
                double sum = 0;
                StringBuilder per = new StringBuilder();
                int rotations = 0;
                for (int k = 1; k <= OmniglotRotations.ROTATIONS.size(); k++) {
                    Path file = Path.of(dir, "rotation-" + String.join("+", OmniglotRotations.ROTATIONS.get(k - 1))
                            + ".safetensors");
                    if (!Files.isRegularFile(file)) {
                        continue;
                    }
                    SiameseModel model = SiameseModel.load(file);
                    Path copy = redrawn(runs.resolve("rotation" + k), r.getKey(), r.getValue());
                    ImageOptions reading = model.card().input().imageOptions();
                    OmniglotRuns scored = OmniglotRuns.read(copy, stretch ? reading.levelsStretched(true) : reading);
                    double acc = scored.evaluate(OmniglotRuns.embeddings(model.twin())).accuracy();
                    sum += acc;
                    rotations++;
                    per.append(String.format(Locale.ROOT, " %.3f", acc));
                }
                System.out.printf(Locale.ROOT, "  %-14s mean %.4f over %d rotations:%s%n", r.getKey(), sum / rotations,
                        rotations, per);
            }
        }
    }

    /** A scan's levels: ink (0) read as {@code ink}, paper (1) as {@code paper}, linearly between. */
    static float[] levels(float[] g, float ink, float paper) {
        float[] out = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            out[i] = ink + (paper - ink) * g[i];
        }
        return out;
    }

    /** Grey erosion of the dark strokes: each pixel the darkest within {@code r} (a (2r+1)² square). */
    static float[] darkest(float[] g, int side, int r) {
        float[] out = new float[g.length];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                float m = 1f;
                for (int dy = -r; dy <= r; dy++) {
                    for (int dx = -r; dx <= r; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        if (yy >= 0 && yy < side && xx >= 0 && xx < side) {
                            m = Math.min(m, g[yy * side + xx]);
                        }
                    }
                }
                out[y * side + x] = m;
            }
        }
        return out;
    }

    /** A copy of one rotation's runs with every image redrawn (made once per redraw). */
    private static Path redrawn(Path runs, String name, Redraw redraw) throws IOException {
        Path out = runs.resolveSibling(runs.getFileName() + "-" + name.replace(' ', '-').replace('.', '_'));
        if (Files.isDirectory(out)) {
            return out;
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(runs)) {
            files = new ArrayList<>(s.filter(Files::isRegularFile).toList());
        }
        for (Path f : files) {
            Path to = out.resolve(runs.relativize(f).toString());
            Files.createDirectories(to.getParent());
            if (!f.toString().endsWith(".png")) {
                Files.copy(f, to);
                continue;
            }
            GrayImages.Plane p = GrayImages.read(f, ImageOptions.nativeSize());
            float[] g = redraw.apply(p.pixels(), p.height());
            BufferedImage img = new BufferedImage(p.width(), p.height(), BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < p.height(); y++) {
                for (int x = 0; x < p.width(); x++) {
                    int v = Math.round(Math.max(0f, Math.min(1f, g[y * p.width() + x])) * 255f);
                    img.getRaster().setSample(x, y, 0, v);
                }
            }
            ImageIO.write(img, "png", to.toFile());
        }
        return out;
    }
}
