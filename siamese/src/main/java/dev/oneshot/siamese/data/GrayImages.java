package dev.oneshot.siamese.data;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Decoding of PNG/JPEG/BMP/GIF (whatever {@code javax.imageio} reads) and Netpbm PGM/PPM
 * ({@code P2}, {@code P5}, {@code P6}, read by {@link Netpbm}) into one grey plane in [0, 1], then
 * {@link ImageOptions} (resize, invert).
 *
 * <p>Netpbm is recognised by its magic ({@code P} and a digit), whatever the file is called, and
 * also by a {@code .pgm/.ppm/.pnm} name, so that a broken Netpbm file fails with the Netpbm
 * reader's precise {@link NetpbmFormatException} rather than "unknown format".
 *
 * <p>Colour becomes luma with the Rec. 601 weights, Y = 0.299 R + 0.587 G + 0.114 B, on the
 * stored (gamma-encoded) 8-bit values, divided by 255. Grey files without a palette (8- or
 * 16-bit, 1-bit) are read as raw samples / (2^bits − 1), so no colour-space conversion moves
 * them. Palette files (Omniglot's 1-bit PNGs are one) go through the palette, then luma.
 * Alpha is ignored.
 */
public final class GrayImages {
    /**
     * Most pixels decoded from one image (4096 × 4096): a header may claim any size, and the
     * decoder allocates the raster before it reads a single pixel.
     */
    public static final long MAX_PIXELS = 1L << 24;
    /**
     * Most pixels one byte of a compressed file can describe: a 1-bit PNG holds 8 per byte of
     * inflated data and deflate expands at most 1032:1 (a JPEG needs ~2 bits per 8×8 block).
     * A header claiming more pixels than its file could hold is refused before decoding.
     */
    public static final long MAX_PIXELS_PER_BYTE = 8L * 1032;

    private GrayImages() {
    }

    /** A decoded and converted image. */
    public record Plane(float[] pixels, int height, int width) {
    }

    /** Reads {@code file}; fails naming the file when it is not a readable image. */
    public static Plane read(Path file, ImageOptions options) throws IOException {
        return decode(Files.readAllBytes(file), file.toString(), options);
    }

    /**
     * Decodes {@code bytes}; {@code name} (a path or zip entry) is used in error messages.
     *
     * @throws IOException naming {@code name} when no image reader accepts the bytes
     */
    public static Plane decode(byte[] bytes, String name, ImageOptions options) throws IOException {
        if (Netpbm.looksLikeNetpbm(bytes) || Netpbm.hasNetpbmExtension(name)) {
            Plane p = Netpbm.decode(bytes, name);
            return convert(p.pixels(), p.height(), p.width(), options);
        }
        BufferedImage img = null;
        // An in-memory stream: ImageIO.read would buffer through a temporary file by default.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (readers.hasNext()) {
                ImageReader reader = readers.next();
                try {
                    reader.setInput(in, true, true);
                    checkSize(reader.getWidth(0), reader.getHeight(0), bytes.length);
                    img = reader.read(0);
                } finally {
                    reader.dispose();
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot decode image " + name + ": " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IOException("cannot decode image " + name + ": not a PNG, JPEG or other format "
                    + "javax.imageio reads, nor Netpbm P2/P5/P6 (" + bytes.length + " bytes)");
        }
        return convert(toGray(img), img.getHeight(), img.getWidth(), options);
    }

    /** Refuses a claimed size larger than {@link #MAX_PIXELS} or than the file's bytes can encode. */
    private static void checkSize(int width, int height, int fileBytes) throws IOException {
        long pixels = (long) width * height;
        long limit = Math.min(MAX_PIXELS, MAX_PIXELS_PER_BYTE * fileBytes);
        if (width <= 0 || height <= 0 || pixels > limit) {
            throw new IOException("header claims " + width + "×" + height + " = "
                    + pixels + " pixels; at most " + limit + " are read from a " + fileBytes + "-byte file (limits: "
                    + MAX_PIXELS + " pixels, " + MAX_PIXELS_PER_BYTE + " per byte)");
        }
    }

    /**
     * A native-size plane as {@code options} ask (what every reader of images applies, files and
     * IDX alike): its levels stretched ({@link InkLevels}), its strokes redrawn with one pen
     * ({@link StrokeWidth}) and cropped to its ink ({@link InkFit}) when asked, resized, and — when
     * {@link ImageOptions#invert} asks for strokes of 1 on 0 — turned v → 1 − v if it is drawn on
     * light paper ({@link #lightPaper}); an image already light on dark is kept as it is. {@code g}
     * is not modified; the plane returned may share it when nothing changes.
     */
    public static Plane convert(float[] g, int h, int w, ImageOptions options) {
        if (options.stretchLevels()) {
            g = InkLevels.stretch(g, h, w);
        }
        boolean lightPaper = options.invert() && lightPaper(g);
        g = StrokeWidth.apply(g, h, w, options, lightPaper);
        if (options.fitInk()) {
            Plane window = InkFit.crop(g, h, w, options.height(), options.width(), lightPaper);
            g = window.pixels();
            h = window.height();
            w = window.width();
        }
        if (options.resizes()) {
            g = Resize.resize(g, h, w, options.height(), options.width(), options.method());
            h = options.height();
            w = options.width();
        }
        if (lightPaper) {
            float[] inverted = new float[g.length];
            for (int i = 0; i < g.length; i++) {
                inverted[i] = 1f - g[i];
            }
            g = inverted;
        }
        return new Plane(g, h, w);
    }

    /**
     * Whether at least half of the values are above ½: the paper (the majority of a drawing's
     * pixels) is light and the strokes dark — a scan or Omniglot's files, not MNIST's digits.
     */
    public static boolean lightPaper(float[] g) {
        int light = 0;
        for (float v : g) {
            if (v > 0.5f) {
                light++;
            }
        }
        return 2L * light >= g.length;
    }

    /** Luma of an 8-bit sRGB triple, in [0, 1]. */
    public static float luma(int r, int g, int b) {
        return (float) ((0.299 * r + 0.587 * g + 0.114 * b) / 255.0);
    }

    static float[] toGray(BufferedImage img) {
        int h = img.getHeight(), w = img.getWidth();
        float[] out = new float[h * w];
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        if (cm instanceof IndexColorModel icm) {
            float[] table = new float[icm.getMapSize()];
            for (int k = 0; k < table.length; k++) {
                table[k] = luma(icm.getRed(k), icm.getGreen(k), icm.getBlue(k));
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = table[r.getSample(x, y, 0)];
                }
            }
        } else if (cm.getNumColorComponents() == 1) {
            double max = (1L << r.getSampleModel().getSampleSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (float) (r.getSample(x, y, 0) / max);
                }
            }
        } else {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int argb = img.getRGB(x, y);
                    out[y * w + x] = luma((argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff);
                }
            }
        }
        return out;
    }
}
