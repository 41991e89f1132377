package dev.gradbook.transformer.data;

/**
 * How an (instruction, response) pair is written out as one training text. Instruction tuning
 * teaches a model to answer in a fixed layout, and the same layout must be used at inference: the
 * prompt is the template up to the response, and the model writes the rest.
 *
 * <p>{@link #alpaca()} is the layout of Stanford Alpaca (Taori et al. 2023, the repository's
 * training prompt, "without input" variant): a one-sentence preamble, then the instruction and
 * the response under {@code ### Instruction:} and {@code ### Response:} headers.
 *
 * @param preamble       text before the instruction
 * @param instructionTag header of the instruction
 * @param responseTag    header of the response; the prompt ends right after it
 */
public record InstructionTemplate(String preamble, String instructionTag, String responseTag) {

    /** The Alpaca layout. */
    public static InstructionTemplate alpaca() {
        return new InstructionTemplate(
                "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n",
                "### Instruction:\n", "\n\n### Response:\n");
    }

    /** The text the model is given: everything up to where the response starts. */
    public String prompt(String instruction) {
        if (instruction == null || instruction.isEmpty()) {
            throw new IllegalArgumentException("InstructionTemplate.prompt: the instruction is empty");
        }
        return preamble + instructionTag + instruction + responseTag;
    }

    /** The whole training text: the prompt followed by the response. */
    public String render(String instruction, String response) {
        return prompt(instruction) + response;
    }
}
