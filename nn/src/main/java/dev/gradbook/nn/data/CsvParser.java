package dev.gradbook.nn.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The record splitter behind {@link Csv}: turns text into rows of fields, following RFC 4180
 * (https://www.rfc-editor.org/rfc/rfc4180), section 2.
 *
 * <ul>
 *   <li>Rows end at {@code \n}, {@code \r\n} or {@code \r}; blank lines are skipped.</li>
 *   <li>A field that starts with a double quote runs to the matching closing quote and may hold
 *       delimiters and line breaks; {@code ""} inside it stands for one quote.</li>
 *   <li>A quote inside an unquoted field, or text after a closing quote, is an error naming the
 *       line, as is a quoted field that is never closed.</li>
 * </ul>
 * Without {@code quoting} (tab-separated files, whose text may contain quotes) a field is simply
 * everything up to the next delimiter.
 */
final class CsvParser {
    /** The fields of one row and the line (counting from 1) on which the row starts. */
    record Row(int line, String[] fields) {
    }

    private final String text;
    private final char delimiter;
    private final boolean quoting;
    private final String source;
    private int pos;
    private int line = 1;

    private CsvParser(String text, char delimiter, boolean quoting, String source) {
        this.text = text;
        this.delimiter = delimiter;
        this.quoting = quoting;
        this.source = source;
        this.pos = text.startsWith("\uFEFF") ? 1 : 0; // a byte-order mark is not part of the data
    }

    /** Every non-blank row of {@code text}; {@code source} names the file in error messages. */
    static List<Row> parse(String text, char delimiter, boolean quoting, String source) {
        CsvParser parser = new CsvParser(text, delimiter, quoting, source);
        List<Row> rows = new ArrayList<>();
        while (parser.pos < text.length()) {
            int startLine = parser.line;
            List<String> fields = parser.row();
            boolean blank = fields.size() == 1 && fields.get(0) == null;
            if (!blank) {
                for (int i = 0; i < fields.size(); i++) {
                    if (fields.get(i) == null) {
                        fields.set(i, "");
                    }
                }
                rows.add(new Row(startLine, fields.toArray(new String[0])));
            }
        }
        return rows;
    }

    /** One row, consuming its line break. An empty unquoted field is returned as null (to spot blank lines). */
    private List<String> row() {
        List<String> fields = new ArrayList<>();
        while (true) {
            fields.add(quoting && pos < text.length() && text.charAt(pos) == '"' ? quoted() : unquoted());
            if (pos < text.length() && text.charAt(pos) == delimiter) {
                pos++;
                continue;
            }
            endOfLine();
            return fields;
        }
    }

    private String unquoted() {
        int start = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == delimiter || c == '\n' || c == '\r') {
                break;
            }
            if (quoting && c == '"') {
                throw error(line, "a quote inside an unquoted field (quote the whole field and double inner quotes)");
            }
            pos++;
        }
        return pos == start ? null : text.substring(start, pos);
    }

    private String quoted() {
        int openedOn = line;
        pos++; // the opening quote
        StringBuilder field = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error(openedOn, "a quoted field is never closed");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                if (pos < text.length() && text.charAt(pos) == '"') {
                    field.append('"'); // "" stands for one quote
                    pos++;
                    continue;
                }
                break;
            }
            if (c == '\n') {
                line++;
            }
            field.append(c);
        }
        if (pos < text.length()) {
            char next = text.charAt(pos);
            if (next != delimiter && next != '\n' && next != '\r') {
                throw error(line, "unexpected '" + next + "' after a closing quote");
            }
        }
        return field.toString();
    }

    private void endOfLine() {
        if (pos < text.length() && text.charAt(pos) == '\r') {
            pos++;
        }
        if (pos < text.length() && text.charAt(pos) == '\n') {
            pos++;
        }
        line++;
    }

    private IllegalArgumentException error(int atLine, String problem) {
        return new IllegalArgumentException(source + ", line " + atLine + ": " + problem);
    }
}
