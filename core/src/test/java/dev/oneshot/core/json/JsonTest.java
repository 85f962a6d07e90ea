package dev.oneshot.core.json;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The writer side: {@link Json#write}, {@link Json.Builder}, {@link Json#describe}. */
class JsonTest {
    @Test
    void objectKeepsInsertionOrderAndTypes() {
        String json = Json.object().put("z", 1).put("a", 0.5).put("ok", true).put("name", "x")
                .put("nested", Json.object().put("k", 2L)).put("xs", new double[] {1, 0.25})
                .put("ns", new int[] {3, 4}).putNull("none").toString();
        assertEquals("{\"z\":1,\"a\":0.5,\"ok\":true,\"name\":\"x\",\"nested\":{\"k\":2},"
                + "\"xs\":[1.0,0.25],\"ns\":[3,4],\"none\":null}", json);
        assertEquals("{}", Json.object().toString());
    }

    @Test
    void builderTakesListsMapsAndAnyWritableValue() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", List.of(1, "two"));
        String json = Json.object().put("list", List.of(true, 2.5)).put("map", m).put("num", (Object) new Json.Num("1e3"))
                .put("f", 0.1f).put("s", (String) null).put("arr", (int[]) null).put("sub", (Json.Builder) null)
                .putRaw("raw", " [1, {\"x\":null}] ").toString();
        assertEquals("{\"list\":[true,2.5],\"map\":{\"b\":[1,\"two\"]},\"num\":1e3,\"f\":0.1,\"s\":null,\"arr\":null,"
                + "\"sub\":null,\"raw\": [1, {\"x\":null}] }", json);
    }

    @Test
    void nonFiniteNumbersAreNull() {
        assertEquals("null", Json.write(Double.NaN));
        assertEquals("null", Json.write(Double.POSITIVE_INFINITY));
        assertEquals("null", Json.write(Float.NEGATIVE_INFINITY));
        assertEquals("[null,-2.0,1.0E-4]", Json.write(new double[] {Double.NaN, -2, 1e-4}));
        assertEquals("[null,0.1,1.0E10]", Json.write(new float[] {Float.NaN, 0.1f, 1e10f}));
        assertEquals("{\"t\":null}", Json.object().put("t", Double.NEGATIVE_INFINITY).toString());
        assertEquals("{\"t\":null}", Json.object().put("t", Float.NaN).toString());
    }

    @Test
    void floatsKeepFloatDigitsAndDoublesDoubleDigits() {
        assertEquals("0.1", Json.write(0.1f));
        assertEquals("0.10000000149011612", Json.write((double) 0.1f));
        assertEquals("{\"f\":0.1,\"d\":0.10000000149011612}",
                Json.object().put("f", 0.1f).put("d", (double) 0.1f).toString());
        assertEquals("-0.0", Json.write(-0.0));
        assertEquals("1.0E-300", Json.write(1e-300));
    }

    @Test
    void integersAreExact() {
        assertEquals("[1,-2,3,9223372036854775807]",
                Json.write(List.of((byte) 1, (short) -2, 3, Long.MAX_VALUE)));
        assertEquals("[-9223372036854775808,0]", Json.write(new long[] {Long.MIN_VALUE, 0}));
        assertEquals("{\"n\":9007199254740993}", Json.object().put("n", 9007199254740993L).toString());
    }

    @Test
    void nullAndTheNullSentinelAreNull() {
        List<Object> values = new ArrayList<>(Arrays.asList(null, Json.NULL));
        assertEquals("[null,null]", Json.write(values));
        assertEquals("null", Json.write(null));
    }

    @Test
    void stringsAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\\n\\r\\t\\b\\f\\u0001/é\"", Json.write("a\"b\\c\n\r\t\b\f\u0001/é"));
        assertEquals("{\"k\\\"ey\":\"v\"}", Json.object().put("k\"ey", "v").toString());
        assertEquals("{\"k\\u001f\":1}", Json.write(Map.of("k\u001f", 1)));
    }

    @Test
    void whatWasWrittenReadsBackEqual() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "é😀\u0000\"");
        m.put("n", new Json.Num("-12.5e-3"));
        m.put("l", List.of(Boolean.TRUE, Json.NULL, List.of()));
        m.put("o", new LinkedHashMap<>());
        assertEquals(m, Json.parse(Json.write(m)));
    }

    @Test
    void duplicateKeysAreRejected() {
        Json.Builder o = Json.object().put("a", 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.put("a", 2));
        assertEquals("Json: duplicate key \"a\"", e.getMessage());
        assertEquals("{\"a\":1}", o.toString());
    }

    @Test
    void anUnknownTypeIsRefusedNamingItsClass() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(new Object() {
        })));
        assertEquals(true, e.getMessage().startsWith("Json.write: cannot write a dev.oneshot.core.json.JsonTest$"),
                e.getMessage());
        Json.Builder b = Json.object();
        IllegalArgumentException path = assertThrows(IllegalArgumentException.class, () -> b.put("p", Path.of("x")));
        assertEquals(true, path.getMessage().startsWith("Json.write: cannot write a sun.nio.fs."), path.getMessage());
        assertEquals("{}", b.toString(), "a refused value leaves the builder as it was");
        assertEquals("Json.write: an object key must be a String, got a java.lang.Integer",
                assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, 2))).getMessage());
    }

    @Test
    void aCycleIsRefusedNotAStackOverflow() {
        List<Object> self = new ArrayList<>();
        self.add(self);
        assertEquals("Json.write: nesting deeper than 64 levels (does a map or list contain itself?)",
                assertThrows(IllegalArgumentException.class, () -> Json.write(self)).getMessage());
    }

    @Test
    void putRawChecksItsText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.object().putRaw("x", "{\"a\":1"));
        assertEquals("Json.Builder.putRaw(\"x\"): not valid JSON: unexpected end of JSON, expected ',' or '}' at character 6",
                e.getMessage());
    }

    @Test
    void describeNamesTheJsonTypeFound() {
        assertEquals("a string \"abc\"", Json.describe("abc"));
        assertEquals("1.5", Json.describe(new Json.Num("1.5")));
        assertEquals("true", Json.describe(Boolean.TRUE));
        assertEquals("null", Json.describe(Json.NULL));
        assertEquals("an array", Json.describe(List.of()));
        assertEquals("an object", Json.describe(Map.of()));
        assertEquals("a string \"" + "x".repeat(40) + "…\"", Json.describe("x".repeat(1000)));
    }

    @Test
    void writeIndentedLaysOutOneFieldPerLineAndKeepsNumberArraysAndStringsWhole() {
        java.util.Map<String, Object> inner = new java.util.LinkedHashMap<>();
        inner.put("sizes", new int[] {2, 3});
        inner.put("note", "a, b: {c}");
        java.util.Map<String, Object> o = new java.util.LinkedHashMap<>();
        o.put("name", "x");
        o.put("inner", inner);
        o.put("empty", java.util.List.of());
        o.put("names", java.util.List.of("p", "q"));
        assertEquals("{\n  \"name\": \"x\",\n  \"inner\": {\n    \"sizes\": [2,3],\n    \"note\": \"a, b: {c}\"\n  },\n"
                + "  \"empty\": [],\n  \"names\": [\n    \"p\",\n    \"q\"\n  ]\n}", Json.writeIndented(o));
        assertEquals(Json.parse(Json.write(o)), Json.parse(Json.writeIndented(o)), "the same value");
    }
}
