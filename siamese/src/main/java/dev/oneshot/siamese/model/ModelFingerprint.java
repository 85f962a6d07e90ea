package dev.oneshot.siamese.model;

import dev.oneshot.core.tensor.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SHA-256 fingerprint of a model's weights, which ties a stored gallery to the network
 * that computed its embeddings.
 *
 * <p><b>Recipe</b> (so that any tool can recompute it). Take the state dict (parameters and
 * buffers) as name → float32 tensor and visit the entries in ascending order of name
 * ({@link String#compareTo}; for the ASCII names used here that is byte order). For each
 * entry feed SHA-256 with:
 * <ol>
 *   <li>the name in UTF-8, then one 0x00 byte;</li>
 *   <li>the rank, then every dimension, each as a 32-bit little-endian int;</li>
 *   <li>the values in row-major order, each as its 32-bit IEEE-754 pattern, little-endian
 *       ({@link Float#floatToRawIntBits}: −0 and NaN payloads count as different weights).</li>
 * </ol>
 * The fingerprint is the digest as 64 lowercase hex digits. A model's fingerprint is that of
 * {@link SiameseModel#stateDict()}, under the names its file stores ({@code embedding.0.weight},
 * …, {@code head.fc.weight}). A gallery of precomputed embeddings without any model hashes the
 * empty sequence (e3b0c442…b855).
 */
public final class ModelFingerprint {
    private ModelFingerprint() {
    }

    /** The fingerprint of a state dict (any iteration order; the recipe sorts by name). */
    public static String of(Map<String, Tensor> stateDict) {
        MessageDigest sha = sha256();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, Tensor> e : new TreeMap<>(stateDict).entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            sha.update(name);
            sha.update((byte) 0);
            int[] shape = e.getValue().shape();
            buf.clear();
            buf.putInt(shape.length);
            for (int s : shape) {
                buf.putInt(s);
            }
            sha.update(buf.array(), 0, buf.position());
            float[] v = e.getValue().data();
            int n = e.getValue().numel();
            for (int i = 0; i < n; ) {
                buf.clear();
                while (i < n && buf.remaining() >= 4) {
                    buf.putInt(Float.floatToRawIntBits(v[i++]));
                }
                sha.update(buf.array(), 0, buf.position());
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
