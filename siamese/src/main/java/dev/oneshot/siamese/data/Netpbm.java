package dev.oneshot.siamese.data;

import java.util.Locale;

/**
 * A strict reader of the Netpbm grey and colour formats: PGM {@code P5} (binary) and {@code P2}
 * (plain/ASCII), PPM {@code P6} (binary).
 *
 * <p>Header: the magic, then width, height and maxval as positive decimal integers (no sign, no
 * overflow), separated by whitespace (space, TAB, CR, LF, VT, FF) and {@code #} comments, which
 * run to the end of the line and may appear anywhere between the magic and maxval. For the binary
 * formats exactly one whitespace byte follows maxval and the raster starts right after it; for
 * {@code P2} the samples are decimal integers separated by whitespace (no comments), each at most
 * maxval. maxval 1–255 means one byte per sample, 256–65535 two bytes, big-endian.
 *
 * <p>Values are sample / maxval, so in [0, 1]. Colour becomes luma with the weights
 * {@link GrayImages} uses, (0.299 R + 0.587 G + 0.114 B) / maxval, which for maxval 255 is exactly
 * {@link GrayImages#luma}. A grey PGM therefore decodes to the same floats as a grey PNG of the same
 * 8- or 16-bit samples.
 *
 * <p>The data length must match exactly: short data fails, and so do trailing bytes (for
 * {@code P2} trailing whitespace is allowed). Sizes are checked against the input length before
 * anything is allocated. Every refusal is a {@link NetpbmFormatException} naming the file, the field,
 * the expectation and what was found.
 */
public final class Netpbm {
    /** File name extensions of the formats read (lower case). */
    public static final java.util.List<String> EXTENSIONS = java.util.List.of("pgm", "ppm", "pnm");

    private static final int MAX_MAXVAL = 65535;

    private Netpbm() {
    }

    /**
     * Whether {@code bytes} start like a Netpbm file: {@code P} and a digit 1–7 followed by whitespace,
     * a comment or the end. The unsupported variants (P1, P3, P4, P7) are detected too, so that they
     * fail with a Netpbm error rather than an unknown-format one.
     */
    public static boolean looksLikeNetpbm(byte[] bytes) {
        return bytes.length >= 2 && bytes[0] == 'P' && bytes[1] >= '1' && bytes[1] <= '7'
                && (bytes.length == 2 || isSpace(bytes[2]) || bytes[2] == '#');
    }

    /** Whether {@code name} ends with {@code .pgm}, {@code .ppm} or {@code .pnm} (any case). */
    public static boolean hasNetpbmExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * Decodes a P2, P5 or P6 image at its native size; {@code name} (a path or zip entry) is used
     * in error messages.
     *
     * @throws NetpbmFormatException when the bytes are not a well-formed P2/P5/P6 image
     */
    public static GrayImages.Plane decode(byte[] bytes, String name) throws NetpbmFormatException {
        return new Parser(bytes, name).parse();
    }

    static boolean isSpace(int b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == '\f';
    }

    private static final class Parser {
        private final byte[] b;
        private final String name;
        private int pos;

        Parser(byte[] bytes, String name) {
            this.b = bytes;
            this.name = name;
        }

        private NetpbmFormatException error(String field, String expected, String actual) {
            return new NetpbmFormatException(name, field, expected, actual);
        }

        /** The byte at {@code i} for a message: {@code 'c'}, {@code byte 0xNN} or {@code end of data}. */
        private String describe(int i) {
            if (i >= b.length) {
                return "end of data";
            }
            int c = b[i] & 0xff;
            return c >= 0x21 && c < 0x7f ? "'" + (char) c + "'" : String.format(Locale.ROOT, "byte 0x%02x", c);
        }

        GrayImages.Plane parse() throws NetpbmFormatException {
            if (b.length < 2 || b[0] != 'P' || (b[1] != '2' && b[1] != '5' && b[1] != '6')) {
                String got = b.length == 0 ? "an empty file"
                        : b.length == 1 ? describe(0) + " then end of data" : describe(0) + " " + describe(1);
                throw error("magic", "P2, P5 or P6 (plain PGM, binary PGM, binary PPM)", got);
            }
            char kind = (char) b[1];
            pos = 2;
            int width = headerInt("width");
            int height = headerInt("height");
            int maxval = headerInt("maxval");
            if (maxval > MAX_MAXVAL) {
                throw error("maxval", "1 to " + MAX_MAXVAL, Integer.toString(maxval));
            }
            int channels = kind == '6' ? 3 : 1;
            // width·height ≤ (2^31 − 1)² < 2^63; the channel and byte factors could overflow a long,
            // so the products are compared saturated.
            long samples = saturatedProduct((long) width * height, channels);
            long remaining = b.length - pos;
            if (kind == '2') {
                // headerInt ensured the byte after maxval is whitespace, '#' or the end; a comment is
                // not allowed there nor in the raster.
                if (pos < b.length && b[pos] == '#') {
                    throw error("maxval", "whitespace after maxval", describe(pos));
                }
                if (samples > remaining) {
                    throw error("data", "at least " + samples + " bytes for " + width + "×" + height
                            + " plain samples", remaining + " bytes");
                }
                return plain(width, height, maxval);
            }
            if (pos >= b.length || !isSpace(b[pos])) {
                throw error("maxval", "a single whitespace byte after maxval", describe(pos));
            }
            pos++;
            remaining--;
            int bps = maxval < 256 ? 1 : 2;
            long needed = saturatedProduct(samples, bps);
            String expected = java.math.BigInteger.valueOf(width).multiply(java.math.BigInteger.valueOf(height))
                    .multiply(java.math.BigInteger.valueOf((long) channels * bps)) + " bytes for " + width + "×"
                    + height + "×" + channels + "×" + bps + "-byte samples";
            if (needed > remaining) {
                throw error("data", expected, remaining + " bytes (truncated)");
            }
            if (needed < remaining) {
                throw error("data", expected, remaining + " bytes (" + (remaining - needed) + " trailing)");
            }
            return binary(width, height, channels, bps, maxval);
        }

        private static long saturatedProduct(long a, long b) {
            long hi = Math.multiplyHigh(a, b), lo = a * b;
            return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
        }

        /** Skips whitespace and comments (at least one separator), then reads a positive decimal int. */
        private int headerInt(String field) throws NetpbmFormatException {
            int start = pos;
            while (pos < b.length) {
                if (isSpace(b[pos])) {
                    pos++;
                } else if (b[pos] == '#') {
                    while (pos < b.length && b[pos] != '\n' && b[pos] != '\r') {
                        pos++;
                    }
                } else {
                    break;
                }
            }
            String what = "a positive decimal integer";
            if (pos == start && pos < b.length) {
                throw error(field, "whitespace before " + field, describe(pos));
            }
            if (pos >= b.length || b[pos] < '0' || b[pos] > '9') {
                throw error(field, what, describe(pos));
            }
            int digitsFrom = pos;
            long v = 0;
            while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
                v = v * 10 + (b[pos] - '0');
                pos++;
                if (v > Integer.MAX_VALUE) {
                    while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
                        pos++;
                    }
                    String digits = new String(b, digitsFrom, Math.min(pos - digitsFrom, 30),
                            java.nio.charset.StandardCharsets.US_ASCII);
                    throw error(field, what + " at most " + Integer.MAX_VALUE,
                            digits + (pos - digitsFrom > 30 ? "…" : "") + " (overflow)");
                }
            }
            if (v == 0) {
                throw error(field, what, "0");
            }
            if (pos < b.length && !isSpace(b[pos]) && b[pos] != '#') {
                throw error(field, what + " followed by whitespace", v + " followed by " + describe(pos));
            }
            return (int) v;
        }

        private GrayImages.Plane binary(int w, int h, int channels, int bps, int maxval)
                throws NetpbmFormatException {
            int n = w * h;
            float[] out = new float[n];
            double max = maxval;
            int p = pos;
            int[] rgb = new int[3];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < channels; c++) {
                    int s = bps == 1 ? b[p] & 0xff : ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
                    if (s > maxval) {
                        throw error(sampleField(i, w, channels == 3 ? "RGB".charAt(c) : 0),
                                "at most maxval " + maxval, Integer.toString(s));
                    }
                    rgb[c] = s;
                    p += bps;
                }
                out[i] = channels == 1 ? (float) (rgb[0] / max)
                        : (float) ((0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) / max);
            }
            return new GrayImages.Plane(out, h, w);
        }

        private GrayImages.Plane plain(int w, int h, int maxval) throws NetpbmFormatException {
            int n = w * h;
            float[] out = new float[n];
            double max = maxval;
            for (int i = 0; i < n; i++) {
                int start = pos;
                while (pos < b.length && isSpace(b[pos])) {
                    pos++;
                }
                String field = sampleField(i, w, (char) 0);
                if (pos >= b.length) {
                    throw error("data", n + " samples", i + " samples (truncated)");
                }
                if (pos == start) {
                    throw error(field, "whitespace before the sample", describe(pos));
                }
                if (b[pos] < '0' || b[pos] > '9') {
                    throw error(field, "a decimal integer", describe(pos));
                }
                int digitsFrom = pos;
                long v = 0;
                while (pos < b.length && b[pos] >= '0' && b[pos] <= '9') {
                    if (v <= maxval) {
                        v = v * 10 + (b[pos] - '0');
                    }
                    pos++;
                }
                if (v > maxval) {
                    int len = pos - digitsFrom;
                    throw error(field, "at most maxval " + maxval, new String(b, digitsFrom, Math.min(len, 30),
                            java.nio.charset.StandardCharsets.US_ASCII) + (len > 30 ? "…" : ""));
                }
                out[i] = (float) (v / max);
            }
            while (pos < b.length && isSpace(b[pos])) {
                pos++;
            }
            if (pos < b.length) {
                throw error("data", n + " samples then only whitespace",
                        (b.length - pos) + " trailing bytes starting with " + describe(pos));
            }
            return new GrayImages.Plane(out, h, w);
        }

        private static String sampleField(int i, int w, char channel) {
            return "sample at row " + (i / w) + ", column " + (i % w) + (channel == 0 ? "" : " (" + channel + ")");
        }
    }
}
