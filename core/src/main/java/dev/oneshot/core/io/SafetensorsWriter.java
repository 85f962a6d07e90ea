package dev.oneshot.core.io;

import dev.oneshot.core.json.Json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes safetensors files, byte-identical to the reference implementation
 * (Hugging Face {@code safetensors}, whose Python {@code save_file} calls the Rust one).
 *
 * <h2>The layout</h2>
 * <pre>
 *   [8 bytes]  N, the header length, unsigned little-endian
 *   [N bytes]  the header: compact UTF-8 JSON, padded with spaces (0x20) to a multiple of 8
 *   [...]      the data: every tensor's bytes, back to back, no gaps
 * </pre>
 * Tensors are laid out <em>largest dtype first</em> — in the reference's {@link DType} order,
 * descending — and then by name (ascending, comparing UTF-8 bytes as Rust compares strings).
 * With the header a multiple of 8 that keeps every tensor aligned to its element size. The
 * header lists {@code "__metadata__"} first (only when the metadata map is non-empty; its
 * keys sorted for reproducibility), then each tensor in data order:
 * <pre>{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}</pre>
 *
 * <h2>Metadata: exactly what you pass</h2>
 * This writer writes exactly the metadata map it is given: an empty map writes no
 * {@code "__metadata__"} at all, which is what the reference does for {@code metadata=None}
 * and what its golden test vector contains. Hugging Face tools expect {@code "format":"pt"}
 * on model files; {@link Safetensors#saveModel} adds it. Keeping the two apart lets this class
 * reproduce any reference file while the model-level method is always compatible.
 *
 * <h2>Atomic replacement</h2>
 * {@link #write} ({@link AtomicFile}) never leaves a half-written file under the target name: it writes a
 * temporary file in the same directory, forces it to disk ({@code fsync}), and renames it
 * over the target with {@code ATOMIC_MOVE}, then forces the directory. If anything fails, the
 * temporary file is deleted and an existing target is untouched. Temporary files are named
 * {@code .NAME.<16 hex digits>.tmp} and locked while written; those of writers that were
 * killed are removed by the next save of the same target ({@link LockedTempFile}).
 */
public final class SafetensorsWriter {
    private SafetensorsWriter() {
    }

    /** Test seam: called after each tensor's bytes have been written to the temporary file. */
    @FunctionalInterface
    interface AfterTensorHook {
        void afterTensor(String name) throws IOException;
    }

    /**
     * Writes {@code tensors} and exactly {@code metadata} (may be empty) to {@code file},
     * atomically replacing it if it exists.
     *
     * @throws IllegalArgumentException for duplicate names, a tensor named {@code __metadata__},
     *     or a name/metadata string that is not valid Unicode (an unpaired surrogate)
     */
    public static void write(Path file, Collection<StoredTensor> tensors, Map<String, String> metadata)
            throws IOException {
        write(file, tensors, metadata, name -> { });
    }

    static void write(Path file, Collection<StoredTensor> tensors, Map<String, String> metadata,
            AfterTensorHook hook) throws IOException {
        List<StoredTensor> ordered = dataOrder(tensors);
        byte[] header = header(ordered, metadata);
        AtomicFile.write(file, ch -> {
            AtomicFile.writeFully(ch, ByteBuffer.wrap(header));
            for (StoredTensor t : ordered) {
                AtomicFile.writeFully(ch, ByteBuffer.wrap(t.bytesNoCopy()));
                hook.afterTensor(t.name());
            }
        });
    }

    /** The whole file as bytes, without touching the disk (same bytes {@link #write} writes). */
    public static byte[] toBytes(Collection<StoredTensor> tensors, Map<String, String> metadata) {
        List<StoredTensor> ordered = dataOrder(tensors);
        byte[] header = header(ordered, metadata);
        long total = header.length;
        for (StoredTensor t : ordered) {
            total += t.byteLength();
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("toBytes: " + total + " bytes do not fit one Java array; use write()");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).put(header);
        for (StoredTensor t : ordered) {
            out.put(t.bytesNoCopy());
        }
        return out.array();
    }

    /** Largest dtype first (reference enum order, descending), then name by UTF-8 bytes. */
    static List<StoredTensor> dataOrder(Collection<StoredTensor> tensors) {
        Set<String> seen = new HashSet<>();
        for (StoredTensor t : tensors) {
            if (!seen.add(t.name())) {
                throw new IllegalArgumentException("safetensors write: tensor name '" + t.name() + "' appears twice");
            }
            if (t.name().equals("__metadata__")) {
                throw new IllegalArgumentException("safetensors write: '__metadata__' is reserved and cannot name a tensor");
            }
            utf8("tensor name", t.name());
        }
        List<StoredTensor> list = new ArrayList<>(tensors);
        list.sort(Comparator.comparing(StoredTensor::dtype).reversed()
                .thenComparing((a, b) -> Arrays.compareUnsigned(utf8("tensor name", a.name()), utf8("tensor name", b.name()))));
        return list;
    }

    /** The 8-byte length prefix followed by the padded header. */
    static byte[] header(List<StoredTensor> ordered, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append("\"__metadata__\":{");
            List<Map.Entry<String, String>> entries = new ArrayList<>(metadata.entrySet());
            entries.sort((a, b) -> Arrays.compareUnsigned(utf8("metadata key", a.getKey()), utf8("metadata key", b.getKey())));
            String sep = "";
            for (Map.Entry<String, String> e : entries) {
                utf8("metadata value of '" + e.getKey() + "'", e.getValue());
                json.append(sep);
                json.append(Json.quote(e.getKey()));
                json.append(':');
                json.append(Json.quote(e.getValue()));
                sep = ",";
            }
            json.append('}');
            if (!ordered.isEmpty()) {
                json.append(',');
            }
        }
        long offset = 0;
        String sep = "";
        for (StoredTensor t : ordered) {
            json.append(sep);
            json.append(Json.quote(t.name()));
            json.append(":{\"dtype\":\"").append(t.dtype().safetensorsName()).append("\",\"shape\":[");
            int[] shape = t.shape();
            for (int i = 0; i < shape.length; i++) {
                json.append(i == 0 ? "" : ",").append(shape[i]);
            }
            json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + t.byteLength()).append("]}");
            offset += t.byteLength();
            sep = ",";
        }
        json.append('}');
        byte[] text = json.toString().getBytes(StandardCharsets.UTF_8); // already checked to be valid Unicode
        int padded = (text.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(text);
        while (out.hasRemaining()) {
            out.put((byte) ' ');
        }
        return out.array();
    }

    /** UTF-8 bytes of {@code s}, refusing unpaired surrogates instead of writing '?'. */
    private static byte[] utf8(String what, String s) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(java.nio.CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("safetensors write: " + what + " '" + s
                    + "' is not valid Unicode (unpaired surrogate), so it has no UTF-8 encoding", e);
        }
    }
}
