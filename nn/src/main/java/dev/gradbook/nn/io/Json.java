package dev.gradbook.nn.io;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A small, strict JSON reader and writer (RFC 8259), enough for the safetensors header and the
 * configurations stored in its metadata, written here so that Gradbook needs no JSON library.
 *
 * <p>Values map to Java as: object = {@code LinkedHashMap<String, Object>} (file order kept),
 * array = {@code List<Object>}, string = {@code String}, integer = {@code Long}, other numbers =
 * {@code Double}, {@code true}/{@code false} = {@code Boolean}, {@code null} = {@code null}.
 *
 * <p>Strict means: no comments, no trailing commas, no leading zeros, no raw control characters
 * in strings, nothing but whitespace after the value, and no key twice in one object (RFC 8259
 * allows duplicates with unspecified meaning; a checkpoint must not be ambiguous). Nesting is
 * limited, so hostile input cannot exhaust the stack, and so is the number of values, so it cannot
 * exhaust the heap. Strings must be valid Unicode: a lone UTF-16 surrogate ({@code "\ud800"}
 * without its partner) has no UTF-8 encoding and is refused on reading and on writing, as the
 * reference safetensors implementation refuses it. Errors are IllegalArgumentExceptions that give
 * the character position and quote at most a short prefix of the offending text ({@link #quote}).
 */
public final class Json {
    private static final int MAX_DEPTH = 64;
    /** The most values one text may hold; each costs some heap, so a limit bounds the memory. */
    static final int MAX_VALUES = 1 << 20;
    /** How much of an offending string an error message quotes. */
    private static final int QUOTE_CHARS = 40;

    private final String text;
    private int pos;
    private int values;

    private Json(String text) {
        this.text = text;
    }

    // ------------------------------------------------------------------ reading

    /** The value that {@code text} holds. */
    public static Object parse(String text) {
        Json p = new Json(text);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.error("unexpected '" + text.charAt(p.pos) + "' after the end of the value");
        }
        return value;
    }

    /**
     * Reads {@code text}, which must hold one JSON object, and hands each member to
     * {@code member} as soon as it is read, in file order: only one member's value is in memory
     * at a time. Keys must be distinct.
     */
    static void parseObject(String text, BiConsumer<String, Object> member) {
        Json p = new Json(text);
        p.skipWhitespace();
        if (p.peek() != '{') {
            throw new IllegalArgumentException("the text is not a JSON object");
        }
        p.members(0, member);
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.error("unexpected '" + text.charAt(p.pos) + "' after the end of the value");
        }
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
        if (++values > MAX_VALUES) {
            throw error("more than " + MAX_VALUES + " values");
        }
        if (pos >= text.length()) {
            throw error("unexpected end of text, expected a value");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected '" + c + "', expected a value");
        }
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> out = new LinkedHashMap<>();
        members(depth, out::put);
        return out;
    }

    /** The members of the object at {@code pos}, each handed on as read; a repeated key is an error. */
    private void members(int depth, BiConsumer<String, Object> member) {
        Set<String> keys = new HashSet<>();
        pos++; // {
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            int keyAt = pos;
            String key = string();
            if (!keys.add(key)) {
                pos = keyAt;
                throw error("duplicate key " + quote(key));
            }
            skipWhitespace();
            expect(':');
            skipWhitespace();
            member.accept(key, value(depth + 1));
            skipWhitespace();
            if (peek() == ',') {
                pos++;
                continue;
            }
            expect('}');
            return;
        }
    }

    private List<Object> array(int depth) {
        List<Object> out = new ArrayList<>();
        pos++; // [
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return out;
        }
        while (true) {
            skipWhitespace();
            out.add(value(depth + 1));
            skipWhitespace();
            if (peek() == ',') {
                pos++;
                continue;
            }
            expect(']');
            return out;
        }
    }

    private String string() {
        pos++; // opening quote
        int start = pos;
        // the common case, a string without escapes, is a substring of the text
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                return text.substring(start, pos++);
            }
            if (c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
                break;
            }
            pos++;
        }
        StringBuilder sb = new StringBuilder().append(text, start, pos);
        while (true) {
            if (pos >= text.length()) {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c < 0x20) {
                pos--;
                throw error("raw control character U+" + String.format("%04X", (int) c) + " in a string");
            }
            if (c == '\\') {
                c = escape();
            }
            if (Character.isHighSurrogate(c)) {
                sb.append(c);
                c = lowSurrogate();
            } else if (Character.isLowSurrogate(c)) {
                pos -= pos >= 6 && text.charAt(pos - 6) == '\\' ? 6 : 1;
                throw error("lone UTF-16 surrogate U+" + String.format("%04X", (int) c) + " (not valid Unicode)");
            }
            sb.append(c);
        }
    }

    /** The character an escape stands for; {@code pos} is just after the backslash. */
    private char escape() {
        if (pos >= text.length()) {
            throw error("unterminated string");
        }
        char e = text.charAt(pos++);
        switch (e) {
            case '"', '\\', '/':
                return e;
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'u':
                if (pos + 4 > text.length()) {
                    throw error("incomplete \\u escape");
                }
                int code = 0;
                for (int i = 0; i < 4; i++) {
                    char h = text.charAt(pos++);
                    int digit = h < 128 ? Character.digit(h, 16) : -1; // ASCII hex digits only
                    if (digit < 0) {
                        throw error("bad hex digit in a \\u escape");
                    }
                    code = code * 16 + digit;
                }
                return (char) code;
            default:
                pos--;
                throw error("unknown escape '\\" + e + "'");
        }
    }

    /** The low surrogate that must follow a high one, raw or escaped. */
    private char lowSurrogate() {
        int at = pos;
        char c = pos < text.length() ? text.charAt(pos) : 0;
        if (c == '\\') {
            pos++;
            c = escape();
        } else {
            pos++;
        }
        if (!Character.isLowSurrogate(c)) {
            pos = at;
            throw error("lone UTF-16 surrogate: a high surrogate not followed by a low one (not valid Unicode)");
        }
        return c;
    }

    /** {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?} */
    private Object number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            throw error("expected a digit");
        }
        boolean integer = true;
        if (peek() == '.') {
            pos++;
            integer = false;
            if (!digits()) {
                throw error("expected a digit after the decimal point");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            integer = false;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                throw error("expected a digit in the exponent");
            }
        }
        String literal = text.substring(start, pos);
        if (!integer) {
            return Double.parseDouble(literal);
        }
        try {
            return Long.parseLong(literal);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("integer " + quote(literal) + " does not fit in 64 bits");
        }
    }

    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected '" + text.charAt(pos) + "', expected a value");
        }
        pos += word.length();
        return value;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error(pos >= text.length() ? "unexpected end of text, expected '" + c + "'"
                    : "expected '" + c + "' but found '" + text.charAt(pos) + "'");
        }
        pos++;
    }

    private IllegalArgumentException error(String problem) {
        return new IllegalArgumentException("invalid JSON at character " + pos + ": " + problem);
    }

    /** {@code s} in single quotes for an error message, cut short by {@link #brief} if it is long. */
    static String quote(String s) {
        return "'" + brief(s) + "'";
    }

    /**
     * {@code s} itself, or if it is long its first characters followed by "..." and its length,
     * so that a hostile input of a million characters gives an error message of one line.
     */
    static String brief(String s) {
        if (s.length() <= QUOTE_CHARS) {
            return s;
        }
        int cut = Character.isHighSurrogate(s.charAt(QUOTE_CHARS - 1)) ? QUOTE_CHARS - 1 : QUOTE_CHARS;
        return s.substring(0, cut) + "... (" + s.length() + " characters)";
    }

    // ------------------------------------------------------------------ writing

    /** Compact JSON for a value made of maps with string keys, lists, strings, numbers, booleans and null. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb);
        return sb.toString();
    }

    private static void write(Object value, StringBuilder sb) {
        if (value == null || value instanceof Boolean || value instanceof Long || value instanceof Integer) {
            sb.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("Json.write: " + d + " is not a JSON number");
            }
            sb.append(value); // Java's shortest repr, which reads back to the same float or double
        } else if (value instanceof String s) {
            writeString(s, sb);
        } else if (value instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                writeString((String) e.getKey(), sb);
                sb.append(':');
                write(e.getValue(), sb);
            }
            sb.append('}');
        } else if (value instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(list.get(i), sb);
            }
            sb.append(']');
        } else {
            throw new IllegalArgumentException("Json.write: cannot write a " + value.getClass().getSimpleName());
        }
    }

    private static void writeString(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1));
                if (!paired) {
                    throw new IllegalArgumentException("Json.write: " + quote(s) + " holds a lone UTF-16 surrogate U+"
                            + String.format("%04X", (int) c) + " at index " + i + ", which has no UTF-8 encoding");
                }
                sb.append(c).append(s.charAt(++i));
                continue;
            }
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
