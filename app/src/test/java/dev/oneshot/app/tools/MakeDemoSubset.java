package dev.oneshot.app.tools;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the small Fashion-MNIST subset that {@code oneshot demo --data bundled} ships in the jar:
 * the first {@code TRAIN} training and {@code TEST} test images of every class, in file order,
 * as IDX .gz files with the usual names. Run once from the repository root:
 * <pre>{@code
 * java -cp app/target/test-classes dev.oneshot.app.tools.MakeDemoSubset \
 *     /usr/share/datasets/fashion-mnist app/src/main/resources/dev/oneshot/app/demo
 * }</pre>
 * The output is deterministic (same input files ⇒ same bytes: gzip with a zero timestamp).
 */
public final class MakeDemoSubset {
    static final int TRAIN = 150;
    static final int TEST = 60;
    static final int CLASSES = 10;
    static final int PIXELS = 28 * 28;

    private MakeDemoSubset() {
    }

    public static void main(String[] args) throws IOException {
        Path src = Path.of(args.length > 0 ? args[0] : "/usr/share/datasets/fashion-mnist");
        Path dst = Files.createDirectories(Path.of(args.length > 1 ? args[1]
                : "app/src/main/resources/dev/oneshot/app/demo"));
        copy(src, dst, "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", TRAIN);
        copy(src, dst, "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", TEST);
    }

    private static void copy(Path src, Path dst, String imagesName, String labelsName, int perClass) throws IOException {
        byte[] images = gunzip(src.resolve(imagesName), 16);
        byte[] labels = gunzip(src.resolve(labelsName), 8);
        int[] taken = new int[CLASSES];
        ByteArrayOutputStream img = new ByteArrayOutputStream();
        ByteArrayOutputStream lab = new ByteArrayOutputStream();
        int n = 0;
        for (int i = 0; i < labels.length && n < perClass * CLASSES; i++) {
            int c = labels[i];
            if (taken[c] < perClass) {
                taken[c]++;
                n++;
                img.write(images, i * PIXELS, PIXELS);
                lab.write(c);
            }
        }
        write(dst.resolve(imagesName), new int[] {0x803, n, 28, 28}, img.toByteArray());
        write(dst.resolve(labelsName), new int[] {0x801, n}, lab.toByteArray());
        System.out.println(dst.resolve(imagesName) + ": " + n + " images");
    }

    private static byte[] gunzip(Path file, int header) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            new DataInputStream(in).readFully(new byte[header]);
            return in.readAllBytes();
        }
    }

    private static void write(Path file, int[] header, byte[] body) throws IOException {
        try (OutputStream os = Files.newOutputStream(file);
             DataOutputStream out = new DataOutputStream(new GZIPOutputStream(os) {
                 {
                     def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
                 }
             })) {
            for (int h : header) {
                out.writeInt(h);
            }
            out.write(body);
        }
    }
}
