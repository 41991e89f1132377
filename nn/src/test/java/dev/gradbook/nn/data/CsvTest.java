package dev.gradbook.nn.data;

import dev.gradbook.core.IntTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvTest {

    private static InputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Table read(String text) {
        return Csv.read(utf8(text), "test.csv");
    }

    private static String error(String text) {
        return assertThrows(IllegalArgumentException.class, () -> read(text)).getMessage();
    }

    @Test
    void quotedFieldsHoldCommasQuotesAndLineBreaks() {
        Table t = read("name,quote,n\r\n"
                + "\"Allen, Miss. Elisabeth\",\"she said \"\"hi\"\"\",1\r\n"
                + "plain,\"two\nlines\",2\r\n"
                + "\"\",x,3\n");
        assertEquals(List.of("name", "quote", "n"), t.columnNames());
        assertEquals(3, t.rows());
        assertEquals("Allen, Miss. Elisabeth", t.get(0, "name"));
        assertEquals("she said \"hi\"", t.get(0, "quote"));
        assertEquals("two\nlines", t.get(1, "quote"));
        assertNull(t.get(2, "name"), "an empty quoted field is missing too");
        assertArrayEquals(new double[] {1, 2, 3}, t.numeric("n"));
        assertEquals(2, t.line(0));
        assertEquals(3, t.line(1));
        assertEquals(5, t.line(2), "the quoted line break moves the next row to line 5");
    }

    @Test
    void missingValuesAreNullOrNaN() {
        Table t = read("a,b,c\n1,NA,x\n?,2.5,\n,-3e2,NA\n");
        assertEquals(2, t.missingCount("a"));
        assertEquals(1, t.missingCount("b"));
        assertEquals(2, t.missingCount("c"));
        double[] a = t.numeric("a");
        assertEquals(1.0, a[0]);
        assertTrue(Double.isNaN(a[1]) && Double.isNaN(a[2]));
        assertArrayEquals(new double[] {Double.NaN, 2.5, -300}, t.numeric("b"));
        assertArrayEquals(new String[] {"x", null, null}, t.column("c"));
        assertTrue(t.isNumeric("b"));
        assertTrue(!t.isNumeric("c"));

        Table complete = t.dropMissing("b");
        assertEquals(2, complete.rows());
        assertEquals(3, complete.line(0), "rows keep their file line");
        assertEquals(0, t.dropMissing().rows());

        var x = t.toTensor("a", "b");
        assertArrayEquals(new int[] {3, 2}, x.shape());
        assertEquals(2.5f, x.get(1, 1));
        assertTrue(Float.isNaN(x.get(0, 1)));
    }

    @Test
    void errorsNameTheFileAndTheLine() {
        assertEquals("test.csv, line 3: 2 fields, but the header has 3", error("a,b,c\n1,2,3\n4,5\n"));
        assertEquals("test.csv, line 2: a quoted field is never closed", error("a,b\n\"open,1\n2,3\n"));
        assertTrue(error("a,b\n1,x\"y\"\n").startsWith("test.csv, line 2: a quote inside an unquoted field"));
        assertEquals("test.csv, line 2: unexpected 'x' after a closing quote", error("a,b\n\"q\"x,1\n"));

        // a number error after a quoted line break still finds the right line
        Table t = read("a,b\n\"multi\nline\",1\nz,oops\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.numeric("b"));
        assertEquals("test.csv, line 4: column 'b': 'oops' is not a number", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.numeric("nope"));
        assertTrue(e.getMessage().contains("no column named 'nope'") && e.getMessage().contains("[a, b]"));
    }

    @Test
    void readsGzipByExtensionAndTsvWithoutQuoting(@TempDir Path dir) throws IOException {
        Path gz = dir.resolve("small.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("x,y\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8));
        }
        Table t = Csv.read(gz);
        assertArrayEquals(new double[] {2, 4}, t.numeric("y"));
        assertEquals(gz.toString(), t.source());

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "x,y\n1,2\n3\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Csv.read(bad));
        assertEquals(bad + ", line 3: 1 fields, but the header has 2", e.getMessage());

        Table tsv = Csv.readTsv(utf8("label\ttext\nham\the said \"hi, there\"\nspam\t\"free\" money\n"), "mail.tsv");
        assertArrayEquals(new String[] {"he said \"hi, there\"", "\"free\" money"}, tsv.column("text"));
    }

    @Test
    void readsTheScikitLearnLayout() {
        LabeledData d = Csv.readSklearn(utf8("3,2,cat,dog\n1.5,2,0\n3,4,1\n5,-6,1\n"), "pets.csv");
        assertEquals(3, d.size());
        assertEquals(2, d.numFeatures());
        assertEquals(List.of("cat", "dog"), d.classNames());
        assertArrayEquals(new float[] {1.5f, 2, 3, 4, 5, -6}, d.features().data());
        assertArrayEquals(new int[] {0, 1, 1}, d.labels());
        assertArrayEquals(new int[] {0, 1, 1}, d.labelTensor().data());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Csv.readSklearn(utf8("2,2,cat,dog\n1,2,0\n3,4,2\n"), "pets.csv"));
        assertEquals("pets.csv, line 3: label 2 but only 2 classes [cat, dog]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Csv.readSklearn(utf8("3,2,cat,dog\n1,2,0\n"), "pets.csv"));
        assertEquals("pets.csv: the first line announces 3 rows, the file has 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Csv.readSklearn(utf8("1,2,cat,dog\n1,abc,0\n"), "pets.csv"));
        assertEquals("pets.csv, line 2, field 2: 'abc' is not a number", e.getMessage());

        LabeledData plain = Csv.readLabeled(utf8("0,1,2\n3,4,0\n"), "plain.csv");
        assertEquals(List.of("0", "1", "2"), plain.classNames());
        assertArrayEquals(new int[] {2, 0}, plain.labels());
    }
}
