package dev.oneshot.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The strict header JSON reader and the serde_json-compatible string writer. */
class SafetensorsHeaderJsonTest {
    @Test
    void parsesObjectsArraysStringsNumbersAndLiteralsKeepingKeyOrder() {
        Object v = HeaderJson.parse(" {\"b\" : [0, 12, -3, 2.5e-3], \"a\":{\"t\":true,\"f\":false,\"n\":null}} \n\t ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("b", "a"), List.copyOf(m.keySet()));
        assertEquals(List.of(new HeaderJson.Num("0"), new HeaderJson.Num("12"), new HeaderJson.Num("-3"),
                new HeaderJson.Num("2.5e-3")), m.get("b"));
        Map<?, ?> a = (Map<?, ?>) m.get("a");
        assertEquals(Boolean.TRUE, a.get("t"));
        assertEquals(Boolean.FALSE, a.get("f"));
        assertEquals(HeaderJson.NULL, a.get("n"));
    }

    @Test
    void decodesEveryEscapeIncludingSurrogatePairs() {
        assertEquals("\" \\ / \b \f \n \r \t é 😀 \u0000",
                HeaderJson.parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00E9 \\ud83d\\uDE00 \\u0000\""));
        assertEquals("😀", HeaderJson.parse("\"😀\""));
    }

    @Test
    void onlyPlainNonNegativeIntegersAreIntegers() {
        assertEquals(0, new HeaderJson.Num("0").asNonNegativeLong());
        assertEquals(Long.MAX_VALUE, new HeaderJson.Num("9223372036854775807").asNonNegativeLong());
        assertEquals(-1, new HeaderJson.Num("9223372036854775808").asNonNegativeLong());
        assertEquals(-1, new HeaderJson.Num("-1").asNonNegativeLong());
        assertEquals(-1, new HeaderJson.Num("1.0").asNonNegativeLong());
        assertEquals(-1, new HeaderJson.Num("1e2").asNonNegativeLong());
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
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HeaderJson.parse(json));
        assertTrue(e.getMessage().contains(expected), "for " + json + ": " + e.getMessage());
    }

    @Test
    void rejectsRawControlCharactersInStrings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HeaderJson.parse("\"a\nb\""));
        assertEquals("raw control character U+000A in a string (must be escaped) at character 2", e.getMessage());
    }

    @Test
    void threeLevelsIsEnoughForARealHeader() {
        HeaderJson.parse("{\"__metadata__\":{\"k\":\"v\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}}");
    }

    @Test
    void quotesLikeSerdeJson() {
        assertEquals("\"a\\\"b\\\\c\\bd\\fe\\nf\\rg\\th\\u0001i\\u001fj\u007f/é😀\"",
                HeaderJson.quote("a\"b\\c\bd\fe\nf\rg\th\u0001i\u001fj\u007f/é😀"));
    }

    @Test
    void quoteThenParseIsTheIdentity() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x300; c++) {
            all.append(c);
        }
        all.append("😀\u2028\uffff");
        assertEquals(all.toString(), HeaderJson.parse(HeaderJson.quote(all.toString())));
    }
}
