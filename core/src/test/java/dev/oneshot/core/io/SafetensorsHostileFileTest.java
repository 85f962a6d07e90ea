package dev.oneshot.core.io;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every way a file can lie, each rejected with a {@link SafetensorsFormatException} whose
 * message names the file and the problem.
 */
class SafetensorsHostileFileTest {
    @TempDir
    Path dir;

    /** A file: length prefix (the header's true length), the header, then {@code dataBytes} zero bytes. */
    static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return raw(h.length, h, dataBytes);
    }

    /** A file with an arbitrary length prefix. */
    static byte[] raw(long prefix, byte[] header, int dataBytes) {
        return ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(prefix).put(header).array();
    }

    /** One F32 tensor entry. */
    static String f32(String name, String shape, String offsets) {
        return "\"" + name + "\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    static Stream<Arguments> hostileFiles() {
        String ok = f32("a", "[1]", "[0,4]");
        return Stream.of(
                arguments("empty file", new byte[0], "file is 0 bytes, shorter than the 8-byte header length prefix"),
                arguments("shorter than 8 bytes", new byte[5], "file is 5 bytes, shorter than the 8-byte"),
                arguments("header length over the limit", raw(100_000_001, new byte[0], 0),
                        "header length 100000001 exceeds the limit of 100000000 bytes"),
                arguments("header length above 2^63", raw(-1, new byte[0], 0),
                        "header length 18446744073709551615 exceeds the limit"),
                arguments("header past end of file", raw(100, "{}".getBytes(StandardCharsets.UTF_8), 8),
                        "header length 100 runs past the end of the file: only 10 bytes follow"),
                arguments("header not UTF-8", raw(4, new byte[] {'{', (byte) 0xff, '}', ' '}, 0),
                        "header is not valid UTF-8: invalid byte sequence at header byte 1 (0xFF)"),
                arguments("overlong UTF-8", raw(4, new byte[] {'{', (byte) 0xc0, (byte) 0xaf, '}'}, 0),
                        "header is not valid UTF-8: invalid byte sequence at header byte 1 (0xC0)"),
                arguments("truncated JSON", file("{\"a\":", 0), "header is not valid JSON: unexpected end of JSON"),
                arguments("trailing garbage", file("{}x", 0), "unexpected 'x' after the end of the JSON value"),
                arguments("header not an object", file("[]", 0), "header must be a JSON object, got an array []"),
                arguments("duplicate tensor name", file("{" + ok + "," + ok + "}", 4), "duplicate key \"a\""),
                arguments("duplicate field", file("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\"}}", 0),
                        "duplicate key \"dtype\""),
                arguments("nesting too deep", file("{\"a\":{\"shape\":[[1]]}}", 0), "nesting deeper than 3 levels"),
                arguments("unpaired surrogate", file("{\"\\ud800\":{}}", 0), "unpaired"),
                arguments("tensor info not an object", file("{\"a\":[1]}", 0),
                        "tensor \"a\": expected an object with dtype, shape and data_offsets, got an array [1]"),
                arguments("unknown field", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4),
                        "tensor \"a\": unknown field \"x\" (expected only dtype, shape, data_offsets)"),
                arguments("unknown dtype", file("{\"a\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4),
                        "tensor \"a\": unknown dtype \"F128\" (expected one of [BOOL, U8"),
                arguments("dtype not a string", file("{\"a\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}", 4),
                        "tensor \"a\": dtype must be a string, got the number 4"),
                arguments("missing dtype", file("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4),
                        "tensor \"a\": missing field \"dtype\""),
                arguments("missing shape", file("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4),
                        "tensor \"a\": missing field \"shape\""),
                arguments("missing data_offsets", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4),
                        "tensor \"a\": missing field \"data_offsets\""),
                arguments("shape not an array", file("{" + f32("a", "4", "[0,16]") + "}", 16),
                        "tensor \"a\": shape must be an array, got the number 4"),
                arguments("negative dimension", file("{" + f32("a", "[2,-1]", "[0,4]") + "}", 4),
                        "tensor \"a\": shape[1] must be a non-negative integer at most 2147483647, got -1"),
                arguments("fractional dimension", file("{" + f32("a", "[1.5]", "[0,4]") + "}", 4),
                        "shape[0] must be a non-negative integer at most 2147483647, got 1.5"),
                arguments("integer-valued float dimension", file("{" + f32("a", "[1.0]", "[0,4]") + "}", 4),
                        "shape[0] must be a non-negative integer at most 2147483647, got 1.0"),
                arguments("exponent dimension", file("{" + f32("a", "[1e0]", "[0,4]") + "}", 4), "got 1e0"),
                arguments("string dimension", file("{" + f32("a", "[\"1\"]", "[0,4]") + "}", 4), "got the string \"1\""),
                arguments("dimension beyond int", file("{" + f32("a", "[4294967296]", "[0,4]") + "}", 4),
                        "got 4294967296"),
                arguments("element count overflows", file("{" + f32("a", "[2147483647,2147483647,2147483647]", "[0,4]") + "}", 4),
                        "tensor \"a\": shape [2147483647, 2147483647, 2147483647] has more elements than a 64-bit count holds"),
                arguments("byte count overflows",
                        file("{\"a\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,2],\"data_offsets\":[0,8]}}", 8),
                        "× 8-byte F64 overflows a 64-bit byte count"),
                arguments("one offset", file("{" + f32("a", "[1]", "[4]") + "}", 4),
                        "tensor \"a\": data_offsets must be [begin, end], got 1 values [4]"),
                arguments("three offsets", file("{" + f32("a", "[1]", "[0,4,4]") + "}", 4), "got 3 values"),
                arguments("negative offset", file("{" + f32("a", "[1]", "[-4,0]") + "}", 4),
                        "tensor \"a\": data_offsets must be two non-negative integers, got [-4, 0]"),
                arguments("fractional offset", file("{" + f32("a", "[1]", "[0,4.0]") + "}", 4),
                        "data_offsets must be two non-negative integers, got [0, 4.0]"),
                arguments("offset beyond long", file("{" + f32("a", "[1]", "[0,99999999999999999999]") + "}", 4),
                        "data_offsets must be two non-negative integers"),
                arguments("begin after end", file("{" + f32("a", "[0]", "[8,4]") + "}", 4),
                        "tensor \"a\": data_offsets begin 8 is after end 4"),
                arguments("size disagrees with shape", file("{" + f32("a", "[2]", "[0,4]") + "}", 4),
                        "tensor \"a\": data_offsets [0, 4] span 4 bytes, but F32 shape [2] needs 2 × 4 = 8 bytes"),
                arguments("offsets past the data", file("{" + ok + "}", 0),
                        "tensor \"a\": data_offsets [0, 4] run past the end of the data section (0 bytes)"),
                arguments("huge tensor, tiny file", file("{" + f32("a", "[1000000000]", "[0,4000000000]") + "}", 0),
                        "data_offsets [0, 4000000000] run past the end of the data section (0 bytes)"),
                arguments("overlapping tensors", file("{" + f32("a", "[2]", "[0,8]") + "," + f32("b", "[2]", "[4,12]") + "}", 12),
                        "tensor \"b\" at [4, 12) overlaps tensor \"a\" at [0, 8)"),
                arguments("aliased tensors", file("{" + f32("a", "[1]", "[0,4]") + "," + f32("b", "[1]", "[0,4]") + "}", 4),
                        "overlaps tensor"),
                arguments("gap between tensors", file("{" + f32("a", "[1]", "[0,4]") + "," + f32("b", "[1]", "[8,12]") + "}", 12),
                        "gap in the data section: bytes [4, 8) belong to no tensor (expected tensor \"b\" to begin at 4, it begins at 8)"),
                arguments("data not starting at 0", file("{" + f32("a", "[1]", "[4,8]") + "}", 8),
                        "gap in the data section: bytes [0, 4) belong to no tensor"),
                arguments("trailing bytes", file("{" + ok + "}", 8),
                        "4 trailing bytes after the last tensor: the tensors end at data offset 4, the data section is 8 bytes"),
                arguments("trailing bytes, no tensors", file("{}", 1), "1 trailing bytes after the last tensor"),
                arguments("metadata not an object", file("{\"__metadata__\":\"pt\"}", 0),
                        "\"__metadata__\" must be an object of strings, got the string \"pt\""),
                arguments("metadata value not a string", file("{\"__metadata__\":{\"epoch\":3}}", 0),
                        "\"__metadata__\" value of \"epoch\" must be a string, got the number 3"),
                arguments("metadata value null", file("{\"__metadata__\":{\"k\":null}}", 0), "must be a string, got null"),
                arguments("metadata nested object", file("{\"__metadata__\":{\"k\":{}}}", 0), "must be a string, got an object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileFiles")
    void rejectsHostileFile(String description, byte[] content, String expectedMessagePart) throws IOException {
        Path file = dir.resolve("hostile.safetensors");
        Files.write(file, content);
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expectedMessagePart),
                "expected the message to contain\n  " + expectedMessagePart + "\nbut it was\n  " + e.getMessage());
    }
}
