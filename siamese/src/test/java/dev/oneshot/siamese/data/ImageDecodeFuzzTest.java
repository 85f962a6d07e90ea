package dev.oneshot.siamese.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oneshot.core.testing.FuzzContract;

import java.io.IOException;

/**
 * Fuzz targets for the image loader: PNG/JPEG/BMP/GIF through javax.imageio and Netpbm through
 * the project's own parser. Regression mode replays
 * {@code src/test/resources/dev/oneshot/siamese/data/ImageDecodeFuzzTestInputs/<method>/}.
 */
class ImageDecodeFuzzTest {
    private static final ImageOptions SIZE_28 = ImageOptions.square(28);
    /**
     * What decoding may allocate per pixel, garbage included: javax.imageio's decoders allocate
     * several times the raster while decoding (its GIF reader ~80 bytes per pixel of an
     * interlaced image — the fuzzer's first finding, {@code crash-332f95e…}), then the grey
     * plane and the resize. The pixel bound is what keeps this linear in the input's size.
     */
    static final long BYTES_PER_PIXEL = 128;

    /**
     * Any bytes named {@code input.png}: the format is sniffed (Netpbm magic, else javax.imageio).
     * A 28 × 28 plane of values in [0, 1], or an {@link IOException} naming the input. The decoder
     * refuses headers claiming more than {@link GrayImages#MAX_PIXELS} pixels or more than the
     * file's bytes can encode ({@link GrayImages#MAX_PIXELS_PER_BYTE}), so allocation is at most
     * {@link #BYTES_PER_PIXEL} per pixel that many bytes can hold.
     */
    @FuzzTest(maxDuration = "5m")
    void decodeImage(byte[] bytes) {
        check("input.png", bytes);
    }

    /** Any bytes named {@code input.pgm}: always the Netpbm parser (a {@link NetpbmFormatException} on refusal). */
    @FuzzTest(maxDuration = "5m")
    void decodeNetpbm(byte[] bytes) {
        check("input.pgm", bytes);
    }

    private static void check(String name, byte[] bytes) {
        FuzzContract.check(name, bytes.length, BYTES_PER_PIXEL * GrayImages.MAX_PIXELS_PER_BYTE, () -> {
            GrayImages.Plane p = GrayImages.decode(bytes, name, SIZE_28);
            if (p.height() != 28 || p.width() != 28 || p.pixels().length != 28 * 28) {
                throw new AssertionError(name + ": decoded to " + p.height() + "×" + p.width() + " with "
                        + p.pixels().length + " values, expected 28×28");
            }
            for (int i = 0; i < p.pixels().length; i++) {
                float v = p.pixels()[i];
                if (!(v >= 0f && v <= 1f)) {
                    throw new AssertionError(name + ": pixel " + i + " is " + v + ", outside [0, 1]");
                }
            }
        }, IOException.class);
    }
}
