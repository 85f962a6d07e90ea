package dev.oneshot.core.io;

import dev.oneshot.core.json.Json;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads safetensors files strictly, treating every file as possibly hostile.
 *
 * <p>See {@link SafetensorsWriter} for the layout. Before a single tensor byte is allocated the
 * reader checks, in order, and rejects with a {@link SafetensorsFormatException} naming the file:
 * <ol>
 *   <li>the file has at least the 8-byte length prefix;</li>
 *   <li>the header length N is at most {@value #MAX_HEADER_BYTES} (the reference's limit) and
 *       the header fits in the file;</li>
 *   <li>the header is valid UTF-8 and strict JSON ({@link Json}): one object, no
 *       duplicate keys, nested at most {@value #MAX_HEADER_DEPTH} deep;</li>
 *   <li>{@code "__metadata__"}, if present, maps strings to strings;</li>
 *   <li>every other key maps to exactly {@code dtype} (a known {@link DType}), {@code shape}
 *       (non-negative integers that fit an {@code int}, whose product does not overflow) and
 *       {@code data_offsets} (two non-negative integers, begin ≤ end), and
 *       end − begin = numel × dtype size;</li>
 *   <li>the tensors, sorted by begin, tile the data section exactly: the first starts at 0,
 *       each starts where the previous ends (no overlap, no gap), none ends past the data
 *       section, and the last ends at the end of the file (no trailing bytes).</li>
 * </ol>
 * Because of the last rule the sum of all tensor sizes equals the data section's size, so the
 * reader never allocates more than the file holds. Data is read through a {@link FileChannel}.
 */
public final class SafetensorsReader {
    /** The reference implementation's header size limit. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** Object → object → array ({@code {"w":{"shape":[2,3]}}}) is as deep as a header goes. */
    public static final int MAX_HEADER_DEPTH = 3;

    private SafetensorsReader() {
    }

    /** One header entry, validated on its own (the layout is checked afterwards). */
    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {
    }

    /** Reads and validates the whole file. */
    public static SafetensorsFile read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new SafetensorsFormatException(file, "file is " + size
                        + " bytes, shorter than the 8-byte header length prefix");
            }
            ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(file, ch, prefix, 0);
            long n = prefix.getLong(0);
            if (n < 0 || n > MAX_HEADER_BYTES) {
                throw new SafetensorsFormatException(file, "header length " + Long.toUnsignedString(n)
                        + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
            }
            if (n > size - 8) {
                throw new SafetensorsFormatException(file, "header length " + n + " runs past the end of the file: only "
                        + (size - 8) + " bytes follow the 8-byte length prefix");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
            readFully(file, ch, headerBytes, 8);
            String headerText = decodeUtf8(file, headerBytes);
            Object json;
            try {
                json = Json.parse(headerText, MAX_HEADER_DEPTH);
            } catch (IllegalArgumentException e) {
                throw new SafetensorsFormatException(file, "header is not valid JSON: " + e.getMessage(), e);
            }
            if (!(json instanceof Map<?, ?> top)) {
                throw new SafetensorsFormatException(file, "header must be a JSON object, got " + kind(json));
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<?, ?> e : top.entrySet()) {
                String key = (String) e.getKey();
                if (key.equals("__metadata__")) {
                    metadata = metadata(file, e.getValue());
                } else {
                    entries.add(entry(file, key, e.getValue()));
                }
            }
            long dataStart = 8 + n;
            checkLayout(file, entries, size - dataStart);

            Map<String, StoredTensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) { // sorted by begin by checkLayout
                long length = e.end - e.begin;
                if (length > Integer.MAX_VALUE - 8) {
                    throw new SafetensorsFormatException(file, "tensor '" + e.name + "' is " + length
                            + " bytes; this reader holds a tensor in one Java array (at most "
                            + (Integer.MAX_VALUE - 8) + " bytes)");
                }
                ByteBuffer data = ByteBuffer.allocate((int) length);
                readFully(file, ch, data, dataStart + e.begin);
                tensors.put(e.name, StoredTensor.adopt(e.name, e.dtype, e.shape, data.array()));
            }
            return new SafetensorsFile(tensors, metadata);
        }
    }

    private static String decodeUtf8(Path file, ByteBuffer bytes) throws SafetensorsFormatException {
        bytes.flip();
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(bytes.remaining());
        CoderResult r = decoder.decode(bytes, out, true);
        if (r.isUnderflow()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            int at = bytes.position();
            throw new SafetensorsFormatException(file, "header is not valid UTF-8: invalid byte sequence at header byte "
                    + at + " (0x" + String.format("%02X", bytes.get(at) & 0xFF) + ")");
        }
        return out.flip().toString();
    }

    private static Map<String, String> metadata(Path file, Object value) throws SafetensorsFormatException {
        if (!(value instanceof Map<?, ?> map)) {
            throw new SafetensorsFormatException(file, "\"__metadata__\" must be an object of strings, got " + kind(value));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new SafetensorsFormatException(file, "\"__metadata__\" value of " + Json.quote((String) e.getKey())
                        + " must be a string, got " + kind(e.getValue()));
            }
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    private static Entry entry(Path file, String name, Object value) throws SafetensorsFormatException {
        String where = "tensor " + Json.quote(name);
        if (!(value instanceof Map<?, ?> info)) {
            throw new SafetensorsFormatException(file, where + ": expected an object with dtype, shape and data_offsets, got "
                    + kind(value));
        }
        for (Object k : info.keySet()) {
            if (!Set.of("dtype", "shape", "data_offsets").contains(k)) {
                throw new SafetensorsFormatException(file, where + ": unknown field " + Json.quote((String) k)
                        + " (expected only dtype, shape, data_offsets)");
            }
        }
        Object dtypeValue = required(file, where, info, "dtype");
        if (!(dtypeValue instanceof String dtypeName)) {
            throw new SafetensorsFormatException(file, where + ": dtype must be a string, got " + kind(dtypeValue));
        }
        DType dtype = DType.fromSafetensorsName(dtypeName);
        if (dtype == null) {
            throw new SafetensorsFormatException(file, where + ": unknown dtype " + Json.quote(dtypeName)
                    + " (expected one of " + java.util.Arrays.toString(DType.values()) + ")");
        }

        List<?> shapeList = list(file, where, "shape", required(file, where, info, "shape"));
        int[] shape = new int[shapeList.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = nonNegative(shapeList.get(i));
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new SafetensorsFormatException(file, where + ": shape[" + i + "] must be a non-negative integer at most "
                        + Integer.MAX_VALUE + ", got " + show(shapeList.get(i)));
            }
            shape[i] = (int) d;
            try {
                numel = Math.multiplyExact(numel, d);
            } catch (ArithmeticException overflow) {
                throw new SafetensorsFormatException(file, where + ": shape " + shapeList
                        + " has more elements than a 64-bit count holds");
            }
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(numel, dtype.byteSize());
        } catch (ArithmeticException overflow) {
            throw new SafetensorsFormatException(file, where + ": shape " + shapeList + " × " + dtype.byteSize()
                    + "-byte " + dtype + " overflows a 64-bit byte count");
        }

        List<?> offsets = list(file, where, "data_offsets", required(file, where, info, "data_offsets"));
        if (offsets.size() != 2) {
            throw new SafetensorsFormatException(file, where + ": data_offsets must be [begin, end], got "
                    + offsets.size() + " values " + offsets);
        }
        long begin = nonNegative(offsets.get(0));
        long end = nonNegative(offsets.get(1));
        if (begin < 0 || end < 0) {
            throw new SafetensorsFormatException(file, where + ": data_offsets must be two non-negative integers, got "
                    + offsets);
        }
        if (begin > end) {
            throw new SafetensorsFormatException(file, where + ": data_offsets begin " + begin + " is after end " + end);
        }
        if (end - begin != bytes) {
            throw new SafetensorsFormatException(file, where + ": data_offsets " + offsets + " span " + (end - begin)
                    + " bytes, but " + dtype + " shape " + shapeList + " needs " + numel + " × " + dtype.byteSize()
                    + " = " + bytes + " bytes");
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    /** Sorts {@code entries} by begin and checks they tile [0, dataLength) exactly. */
    private static void checkLayout(Path file, List<Entry> entries, long dataLength) throws SafetensorsFormatException {
        for (Entry e : entries) {
            if (e.end > dataLength) {
                throw new SafetensorsFormatException(file, "tensor " + Json.quote(e.name) + ": data_offsets ["
                        + e.begin + ", " + e.end + "] run past the end of the data section (" + dataLength + " bytes)");
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        Entry previous = null;
        for (Entry e : entries) {
            if (e.begin < expected) {
                throw new SafetensorsFormatException(file, "tensor " + Json.quote(e.name) + " at ["
                        + e.begin + ", " + e.end + ") overlaps tensor " + Json.quote(previous.name) + " at ["
                        + previous.begin + ", " + previous.end + ")");
            }
            if (e.begin > expected) {
                throw new SafetensorsFormatException(file, "gap in the data section: bytes [" + expected + ", " + e.begin
                        + ") belong to no tensor (expected tensor " + Json.quote(e.name) + " to begin at "
                        + expected + ", it begins at " + e.begin + ")");
            }
            expected = e.end;
            previous = e;
        }
        if (expected != dataLength) {
            throw new SafetensorsFormatException(file, (dataLength - expected) + " trailing bytes after the last tensor: "
                    + "the tensors end at data offset " + expected + ", the data section is " + dataLength + " bytes");
        }
    }

    private static Object required(Path file, String where, Map<?, ?> info, String field)
            throws SafetensorsFormatException {
        Object v = info.get(field);
        if (v == null) {
            throw new SafetensorsFormatException(file, where + ": missing field \"" + field + "\"");
        }
        return v;
    }

    private static List<?> list(Path file, String where, String field, Object v) throws SafetensorsFormatException {
        if (!(v instanceof List<?> l)) {
            throw new SafetensorsFormatException(file, where + ": " + field + " must be an array, got " + kind(v));
        }
        return l;
    }

    private static long nonNegative(Object v) {
        return v instanceof Json.Num num ? num.asNonNegativeLong() : -1;
    }

    /** A number as written, anything else described. */
    private static String show(Object v) {
        return v instanceof Json.Num ? v.toString() : kind(v);
    }

    private static String kind(Object v) {
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List<?> l) {
            return "an array " + l;
        }
        if (v instanceof String s) {
            return "the string " + Json.quote(s);
        }
        return v instanceof Json.Num ? "the number " + v : String.valueOf(v);
    }

    private static void readFully(Path file, FileChannel ch, ByteBuffer into, long position) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int read = ch.read(into, at);
            if (read < 0) {
                throw new EOFException(file + ": file ended at byte " + at + " while reading (was it truncated meanwhile?)");
            }
            at += read;
        }
    }
}
