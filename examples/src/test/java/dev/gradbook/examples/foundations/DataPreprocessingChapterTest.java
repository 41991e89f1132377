package dev.gradbook.examples.foundations;

import dev.gradbook.examples.ChapterRunner;
import dev.gradbook.examples.cli.Result;
import dev.gradbook.examples.plot.PlotTest;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataPreprocessingChapterTest {
    @Test
    void missingCountsAndSurvivalRatesMatchAPlainReading() throws Exception {
        ChapterRunner.Run run = ChapterRunner.quick("data-preprocessing");
        Result r = run.result();

        // penguins: no field is quoted, so a plain split on commas finds every field
        List<String[]> penguins = rows("tabular/penguins.csv", false);
        String[] header = penguins.get(0);
        for (int c = 0; c < header.length; c++) {
            int missing = 0;
            for (String[] row : penguins.subList(1, penguins.size())) {
                missing += row[c].equals("NA") || row[c].isEmpty() ? 1 : 0;
            }
            assertEquals(missing, r.get("missing.penguins." + header[c]), header[c]);
        }

        // titanic: only the quoted name holds commas, so the other four fields are split from the right
        List<String[]> titanic = rows("tabular/titanic.csv", true);
        String[] columns = {"survived", "sex", "age", "passengerClass"};
        for (int c = 0; c < columns.length; c++) {
            int missing = 0;
            for (String[] row : titanic) {
                missing += row[c].equals("NA") || row[c].isEmpty() ? 1 : 0;
            }
            assertEquals(missing, r.get("missing.titanic." + columns[c]), columns[c]);
        }
        assertEquals(263, r.get("missing.titanic.age"), "DATASETS.md: age is NA for 263 passengers");
        for (String cls : new String[] {"1st", "2nd", "3rd"}) {
            for (String sex : new String[] {"female", "male"}) {
                int n = 0;
                int yes = 0;
                for (String[] row : titanic) {
                    if (row[3].equals(cls) && row[1].equals(sex)) {
                        n++;
                        yes += row[0].equals("yes") ? 1 : 0;
                    }
                }
                assertEquals((double) yes / n, r.get("survival." + cls + "." + sex), 1e-12, cls + " " + sex);
            }
        }
        assertTrue(r.get("survival.1st.female") > r.get("survival.3rd.male") + 0.5);

        assertEquals(342, r.get("split_train") + r.get("split_val") + r.get("split_test"), "complete penguin rows");
        assertTrue(r.get("train_z_mean_max_abs") < 1e-5 && r.get("train_z_sd_max_error") < 1e-5);
        assertEquals(1, r.get("outliers_iqr.penguins.body_mass_g_typo"), "the IQR fences catch the typo");
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("survival.png")) > 5);
        assertTrue(PlotTest.distinctColours(run.outDir().resolve("penguins.png")) > 5);
    }

    /** Data rows (and, for penguins, the header) of a shipped CSV, split without a CSV parser. */
    private static List<String[]> rows(String path, boolean titanic) throws Exception {
        String text;
        try (InputStream in = DataPreprocessingChapterTest.class.getResourceAsStream("/datasets/" + path)) {
            assertNotNull(in, path);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String[] lines = text.split("\n");
        List<String[]> out = new ArrayList<>();
        for (int i = titanic ? 1 : 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            // titanic rows look like "Name, with commas",yes,female,29,1st
            out.add(titanic ? line.substring(line.lastIndexOf('"') + 2).split(",", -1) : line.split(",", -1));
        }
        return out;
    }
}
