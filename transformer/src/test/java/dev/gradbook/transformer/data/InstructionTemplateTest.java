package dev.gradbook.transformer.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstructionTemplateTest {
    @Test
    void alpacaLayout() {
        String text = InstructionTemplate.alpaca().render("Add 2 and 3.", "5");
        assertTrue(text.startsWith("Below is an instruction that describes a task."));
        assertTrue(text.endsWith("### Instruction:\nAdd 2 and 3.\n\n### Response:\n5"), text);
        assertEquals(text, InstructionTemplate.alpaca().prompt("Add 2 and 3.") + "5");
        assertThrows(IllegalArgumentException.class, () -> InstructionTemplate.alpaca().prompt(""));
    }
}
