package dev.oneshot.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.oneshot.core.io.SafetensorsReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential test of {@link Json#parse} against Jackson (test scope only), configured as a
 * strict RFC 8259 parser: duplicate keys and trailing tokens rejected, no comments, single
 * quotes, NaN, leading zeros or trailing commas (Jackson's defaults). Seeded generators make
 * valid JSON values of the shape a safetensors header has (object → object → array, strings
 * with escapes and surrogate pairs, every number form) and mutate them (delete, insert, swap,
 * duplicate, truncate, replace a character). For each input both parsers must accept — with
 * equal values — or both reject; ours is run twice, at the header's depth limit
 * ({@link SafetensorsReader#MAX_HEADER_DEPTH}) and at {@link Json#DEFAULT_MAX_DEPTH}.
 *
 * <p>Intended differences, each asserted rather than skipped:
 * <ul>
 *   <li>nesting deeper than the limit: ours refuses (a header never needs more than 3), Jackson
 *       accepts;</li>
 *   <li>an unpaired UTF-16 surrogate in a <code>&#92;u</code> escape: ours refuses (it has no
 *       UTF-8 encoding, so no tensor could be named so), Jackson accepts it into the string;</li>
 *   <li>empty or all-whitespace input: Jackson's {@code readTree} returns "missing", ours
 *       rejects — counted as both rejecting.</li>
 * </ul>
 */
class JsonDifferentialTest {
    private static final int HEADER_DEPTH = SafetensorsReader.MAX_HEADER_DEPTH;

    private static final JsonMapper JACKSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
            .build();

    /** Characters a mutation inserts or substitutes: JSON's own, and a few it forbids. */
    private static final String MUTATION_CHARS = "{}[]\":,\\/ \t\n\r0123456789-+.eEtrufalsn\u0001\u007fé😀'";

    static LongStream seeds() {
        return LongStream.range(0, 40);
    }

    /** Per seed: 25 valid values and 75 mutants of them. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void acceptsAndRejectsWhatJacksonDoes(long seed) {
        Random rng = new Random(seed);
        int accepted = 0, rejected = 0;
        for (int i = 0; i < 25; i++) {
            String valid = new Gen(rng).value(0);
            assertSame(valid, "valid #" + i + " of seed " + seed);
            assertSame(valid, Json.DEFAULT_MAX_DEPTH, "valid #" + i + " of seed " + seed + " at the default depth");
            accepted++;
            for (int k = 0; k < 3; k++) {
                String mutant = mutate(valid, rng);
                String what = "mutant #" + k + " of valid #" + i + " of seed " + seed;
                assertSame(mutant, Json.DEFAULT_MAX_DEPTH, what + " at the default depth");
                if (assertSame(mutant, what)) {
                    accepted++;
                } else {
                    rejected++;
                }
            }
        }
        assertTrue(rejected > 10 && accepted > 25, "seed " + seed + ": too few of one kind (accepted "
                + accepted + ", rejected " + rejected + "): the generator no longer tests both sides");
    }

    /** Asserts both parsers agree on {@code text} at the header's depth; returns whether they accept it. */
    private static boolean assertSame(String text, String what) {
        return assertSame(text, HEADER_DEPTH, what);
    }

    /** Asserts both parsers agree on {@code text} with our depth limit {@code maxDepth}; returns whether they accept it. */
    private static boolean assertSame(String text, int maxDepth, String what) {
        Object ours = null;
        String oursError = null;
        try {
            ours = Json.parse(text, maxDepth);
        } catch (IllegalArgumentException e) {
            oursError = e.getMessage();
        }
        JsonNode theirs = null;
        String theirsError = null;
        try {
            theirs = JACKSON.readTree(text);
            if (theirs == null || theirs.isMissingNode()) {
                theirsError = "no value (empty input)";
            }
        } catch (Exception e) {
            theirsError = e.getMessage();
        }
        if (oursError == null && theirsError == null) {
            assertEquals(canonical(theirs), canonical(ours), what + ": both accept " + show(text) + " but the values differ");
            return true;
        }
        if (oursError != null && theirsError != null) {
            return false;
        }
        if (oursError != null && theirs != null) {
            if (depth(theirs) > maxDepth) {
                assertTrue(oursError.startsWith("nesting deeper than " + maxDepth + " levels"), what + ": " + oursError);
                return false;
            }
            if (hasUnpairedSurrogate(theirs)) {
                assertTrue(oursError.contains("surrogate"), what + ": " + oursError);
                return false;
            }
        }
        fail(what + ": " + show(text) + " — ours " + (oursError == null ? "accepts" : "rejects (" + oursError + ")")
                + ", Jackson " + (theirsError == null ? "accepts" : "rejects (" + theirsError + ")"));
        return false;
    }

    // ------------------------------------------------------------------ generators

    /** Valid JSON in the shape of a safetensors header (depth ≤ {@link #HEADER_DEPTH}). */
    private static final class Gen {
        final Random rng;

        Gen(Random rng) {
            this.rng = rng;
        }

        String value(int depth) {
            int pick = rng.nextInt(depth < HEADER_DEPTH ? 7 : 5);
            return switch (pick) {
                case 0, 1 -> string();
                case 2 -> number();
                case 3 -> new String[] {"true", "false", "null"}[rng.nextInt(3)];
                case 4 -> depth == 0 ? object(depth) : number();
                case 5 -> array(depth);
                default -> object(depth);
            };
        }

        String object(int depth) {
            StringBuilder sb = new StringBuilder("{").append(ws());
            int n = rng.nextInt(4);
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String key = string();
                if (keys.contains(key)) {
                    continue;
                }
                keys.add(key);
                sb.append(keys.size() > 1 ? "," + ws() : "").append(key).append(ws()).append(':').append(ws())
                        .append(value(depth + 1)).append(ws());
            }
            return sb.append('}').toString();
        }

        String array(int depth) {
            StringBuilder sb = new StringBuilder("[").append(ws());
            int n = rng.nextInt(4);
            for (int i = 0; i < n; i++) {
                sb.append(i > 0 ? "," + ws() : "").append(value(depth + 1)).append(ws());
            }
            return sb.append(']').toString();
        }

        String string() {
            String[] pieces = {"w", "dtype", "shape", "data_offsets", "__metadata__", "F32", "é", "😀", " ",
                "\\n", "\\t", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\r", "\\u00e9", "\\u0000", "\\uD83D\\uDE00",
                "\\u20AC", "a.b", "0"};
            StringBuilder sb = new StringBuilder("\"");
            int n = rng.nextInt(4);
            for (int i = 0; i < n; i++) {
                sb.append(pieces[rng.nextInt(pieces.length)]);
            }
            return sb.append('"').toString();
        }

        String number() {
            StringBuilder sb = new StringBuilder();
            if (rng.nextInt(4) == 0) {
                sb.append('-');
            }
            sb.append(rng.nextInt(3) == 0 ? "0" : Long.toString(1 + (long) (rng.nextDouble() * Math.pow(10, rng.nextInt(12)))));
            if (rng.nextInt(3) == 0) {
                sb.append('.').append(rng.nextInt(1000));
            }
            if (rng.nextInt(4) == 0) {
                sb.append(rng.nextBoolean() ? 'e' : 'E').append(new String[] {"", "+", "-"}[rng.nextInt(3)])
                        .append(rng.nextInt(40));
            }
            return sb.toString();
        }

        String ws() {
            return rng.nextInt(4) == 0 ? new String[] {" ", "\n", "\t", "\r\n ", "  "}[rng.nextInt(5)] : "";
        }
    }

    private static String mutate(String s, Random rng) {
        StringBuilder sb = new StringBuilder(s);
        int edits = 1 + rng.nextInt(2);
        for (int e = 0; e < edits; e++) {
            int at = sb.length() == 0 ? 0 : rng.nextInt(sb.length());
            String c = randomChar(rng);
            switch (rng.nextInt(6)) {
                case 0 -> {
                    if (sb.length() > 0) {
                        sb.deleteCharAt(at);
                    }
                }
                case 1 -> sb.insert(at, c);
                case 2 -> {
                    if (sb.length() > 0) {
                        sb.replace(at, at + 1, c);
                    }
                }
                case 3 -> {
                    if (at + 1 < sb.length()) {
                        char a = sb.charAt(at);
                        sb.setCharAt(at, sb.charAt(at + 1));
                        sb.setCharAt(at + 1, a);
                    }
                }
                case 4 -> {
                    if (sb.length() > 0) {
                        sb.insert(at, sb.charAt(at));
                    }
                }
                default -> sb.setLength(at);
            }
        }
        return sb.toString();
    }

    private static String randomChar(Random rng) {
        int i = rng.nextInt(MUTATION_CHARS.codePointCount(0, MUTATION_CHARS.length()));
        return new String(Character.toChars(MUTATION_CHARS.codePointAt(MUTATION_CHARS.offsetByCodePoints(0, i))));
    }

    // ------------------------------------------------------------------ comparing

    /** One text form for both trees: numbers as BigDecimal without trailing zeros, strings quoted. */
    private static String canonical(Object v) {
        if (v instanceof JsonNode n) {
            if (n.isObject()) {
                StringBuilder sb = new StringBuilder("{");
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    sb.append(Json.quote(e.getKey())).append(':').append(canonical(e.getValue())).append(',');
                }
                return sb.append('}').toString();
            }
            if (n.isArray()) {
                StringBuilder sb = new StringBuilder("[");
                n.forEach(x -> sb.append(canonical(x)).append(','));
                return sb.append(']').toString();
            }
            if (n.isTextual()) {
                return Json.quote(n.textValue());
            }
            if (n.isNumber()) {
                return n.decimalValue().stripTrailingZeros().toString();
            }
            return n.isNull() ? "null" : Boolean.toString(n.booleanValue());
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            m.forEach((k, x) -> sb.append(Json.quote((String) k)).append(':').append(canonical(x)).append(','));
            return sb.append('}').toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            l.forEach(x -> sb.append(canonical(x)).append(','));
            return sb.append(']').toString();
        }
        if (v instanceof String s) {
            return Json.quote(s);
        }
        if (v instanceof Json.Num num) {
            return new BigDecimal(num.literal()).stripTrailingZeros().toString();
        }
        return v == Json.NULL ? "null" : v.toString();
    }

    private static int depth(JsonNode n) {
        int d = 0;
        for (JsonNode c : n) {
            d = Math.max(d, depth(c));
        }
        return n.isContainerNode() ? d + 1 : 0;
    }

    private static boolean hasUnpairedSurrogate(JsonNode n) {
        if (n.isTextual() && !isWellFormed(n.textValue())) {
            return true;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            if (!isWellFormed(it.next().getKey())) {
                return true;
            }
        }
        for (JsonNode c : n) {
            if (hasUnpairedSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String show(String text) {
        StringBuilder sb = new StringBuilder("'");
        text.codePoints().forEach(c -> sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", c)
                : new String(Character.toChars(c))));
        return sb.append('\'').toString();
    }
}
