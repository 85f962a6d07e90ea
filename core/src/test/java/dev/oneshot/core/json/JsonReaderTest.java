package dev.oneshot.core.json;

import dev.oneshot.core.io.SafetensorsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The strict reader ({@link Json#parse}) at the safetensors header's depth limit of 3 and at the
 * default, and the serde_json-compatible {@link Json#quote}.
 */
class JsonReaderTest {
    private static final int HEADER_DEPTH = SafetensorsReader.MAX_HEADER_DEPTH;

    @Test
    void parsesObjectsArraysStringsNumbersAndLiteralsKeepingKeyOrder() {
        Object v = Json.parse(" {\"b\" : [0, 12, -3, 2.5e-3], \"a\":{\"t\":true,\"f\":false,\"n\":null}} \n\t ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("b", "a"), List.copyOf(m.keySet()));
        assertEquals(List.of(new Json.Num("0"), new Json.Num("12"), new Json.Num("-3"),
                new Json.Num("2.5e-3")), m.get("b"));
        Map<?, ?> a = (Map<?, ?>) m.get("a");
        assertEquals(Boolean.TRUE, a.get("t"));
        assertEquals(Boolean.FALSE, a.get("f"));
        assertEquals(Json.NULL, a.get("n"));
    }

    @Test
    void decodesEveryEscapeIncludingSurrogatePairs() {
        assertEquals("\" \\ / \b \f \n \r \t é 😀 \u0000",
                Json.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00E9 \\ud83d\\uDE00 \\u0000\""));
        assertEquals("😀", Json.parse("\"😀\""));
    }

    @Test
    void onlyPlainNonNegativeIntegersAreIntegers() {
        assertEquals(0, new Json.Num("0").asNonNegativeLong());
        assertEquals(Long.MAX_VALUE, new Json.Num("9223372036854775807").asNonNegativeLong());
        assertEquals(-1, new Json.Num("9223372036854775808").asNonNegativeLong());
        assertEquals(-1, new Json.Num("-1").asNonNegativeLong());
        assertEquals(-1, new Json.Num("1.0").asNonNegativeLong());
        assertEquals(-1, new Json.Num("1e2").asNonNegativeLong());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{}}                 | unexpected '}' after the end of the JSON value at character 2",
        "{\"a\":1,\"a\":2}    | duplicate key \"a\" at character 7",
        "{\"a\":1,}          | expected a string key",
        "[1,]                | expected a value",
        "[01]                | leading zero in a number",
        "[1.]                | expected a digit after the decimal point",
        "[1e]                | expected a digit in the exponent",
        "[-]                 | expected a digit",
        "[+1]                | unexpected '+', expected a value",
        "[NaN]               | unexpected 'N', expected a value",
        "[tru]               | unexpected 't', expected a value",
        "{'a':1}             | expected a string key",
        "\"a                 | unterminated string",
        "\"\\x\"             | invalid escape \\x",
        "\"\\u12\"           | \\u escape needs 4 hex digits",
        "\"\\udc00\"         | unpaired low surrogate \\uDC00",
        "\"\\ud800\\u0041\"  | is followed by \\u0041, which is not a low surrogate",
        "\"\\ud800x\"        | unpaired high surrogate \\uD800",
        "[[[[]]]]            | nesting deeper than 3 levels",
        "{\"a\":{\"b\":{\"c\":{}}}} | nesting deeper than 3 levels",
        "`  `                | unexpected end of JSON, expected a value",
        "{\"a\" 1}           | unexpected '1', expected ':'",
        "/*c*/{}             | unexpected '/', expected a value",
    })
    void rejects(String json, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(json, HEADER_DEPTH));
        assertTrue(e.getMessage().contains(expected), "for " + json + ": " + e.getMessage());
    }

    @Test
    void rejectsRawControlCharactersInStrings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("\"a\nb\""));
        assertEquals("raw control character U+000A in a string (must be escaped) at character 2", e.getMessage());
    }

    @Test
    void threeLevelsIsEnoughForARealHeader() {
        Map<?, ?> header = (Map<?, ?>) Json.parse("{\"__metadata__\":{\"k\":\"v\"},\"w\":{\"dtype\":\"F32\","
                + "\"shape\":[2,3],\"data_offsets\":[0,24]}}", HEADER_DEPTH);
        assertEquals(List.of(new Json.Num("2"), new Json.Num("3")), ((Map<?, ?>) header.get("w")).get("shape"));
    }

    @Test
    void theDefaultDepthIs64() {
        assertEquals(List.of(), unwrap(Json.parse("[".repeat(64) + "]".repeat(64)), 63));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.parse("[".repeat(65) + "]".repeat(65)));
        assertEquals("nesting deeper than 64 levels at character 64", e.getMessage());
        assertEquals("{\"a\":{}}", Json.write(Json.parse("{\"a\":{}}", 2)));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":{}}", 1));
    }

    @Test
    void depthZeroAllowsOnlyAScalar() {
        assertEquals(new Json.Num("7"), Json.parse(" 7 ", 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("[]", 0));
        assertEquals("nesting deeper than 0 levels at character 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("1", -1));
    }

    @Test
    void duplicateKeysAreRefusedAtAnyDepth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.parse("[[[[{\"k\":1,\"k\":1}]]]]"));
        assertEquals("duplicate key \"k\" at character 11", e.getMessage());
    }

    @Test
    void arraysAreReadOnlyAndObjectsKeepFileOrder() {
        Map<?, ?> m = (Map<?, ?>) Json.parse("{\"z\":[1],\"a\":null,\"m\":\"x\"}");
        assertEquals(List.of("z", "a", "m"), List.copyOf(m.keySet()));
        assertTrue(m instanceof java.util.LinkedHashMap);
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) m.get("z")).clear());
        assertEquals(Json.NULL, m.get("a"));
        assertEquals("null", Json.NULL.toString());
    }

    @Test
    void numbersKeepTheirLiteral() {
        Json.Num n = (Json.Num) Json.parse("-2.50e+3");
        assertEquals("-2.50e+3", n.literal());
        assertEquals("-2.50e+3", n.toString());
        assertEquals(-2500.0, n.doubleValue());
        assertEquals(Double.POSITIVE_INFINITY, new Json.Num("1e999").doubleValue());
        assertEquals("12345678901234567890123", Json.parse("12345678901234567890123").toString());
    }

    @Test
    void longValueOnlyForIntegersThatFit() {
        assertEquals(-3, new Json.Num("-3").longValue());
        assertEquals(0, new Json.Num("-0").longValue());
        assertEquals(Long.MIN_VALUE, new Json.Num("-9223372036854775808").longValue());
        assertEquals("not an integer: 2.5",
                assertThrows(IllegalArgumentException.class, () -> new Json.Num("2.5").longValue()).getMessage());
        assertEquals("not an integer: 1e2",
                assertThrows(IllegalArgumentException.class, () -> new Json.Num("1e2").longValue()).getMessage());
        assertEquals("integer outside the 64-bit range: 9223372036854775808",
                assertThrows(IllegalArgumentException.class, () -> new Json.Num("9223372036854775808").longValue())
                        .getMessage());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "1x    | not a JSON number: \"1x\" (unexpected character at 1)",
        "01    | not a JSON number: \"01\" (leading zero in a number at character 1)",
        "+1    | not a JSON number: \"+1\" (unexpected '+' in a number, expected a digit at character 0)",
        "NaN   | not a JSON number: \"NaN\" (unexpected 'N' in a number, expected a digit at character 0)",
        "1.    | not a JSON number: \"1.\" (expected a digit after the decimal point, got end of JSON at character 2)",
        "` 1`  | not a JSON number: \" 1\" (unexpected ' ' in a number, expected a digit at character 0)",
        "``    | not a JSON number: \"\" (unexpected end of JSON in a number, expected a digit at character 0)",
    })
    void aNumIsAJsonNumber(String literal, String expected) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, () -> new Json.Num(literal)).getMessage());
    }

    private static Object unwrap(Object v, int levels) {
        for (int i = 0; i < levels; i++) {
            v = ((List<?>) v).get(0);
        }
        return v;
    }

    @Test
    void quotesLikeSerdeJson() {
        assertEquals("\"a\\\"b\\\\c\\bd\\fe\\nf\\rg\\th\\u0001i\\u001fj\u007f/é😀\"",
                Json.quote("a\"b\\c\bd\fe\nf\rg\th\u0001i\u001fj\u007f/é😀"));
    }

    @Test
    void quoteThenParseIsTheIdentity() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x300; c++) {
            all.append(c);
        }
        all.append("😀\u2028\uffff");
        assertEquals(all.toString(), Json.parse(Json.quote(all.toString())));
    }
}
