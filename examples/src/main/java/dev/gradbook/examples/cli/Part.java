package dev.gradbook.examples.cli;

/** The parts of the Generative-AI roadmap (ROADMAP.md), in reading order. */
public enum Part {
    FOUNDATIONS("Part 1 - Foundations"),
    CLASSICAL_ML("Part 2 - Classical machine learning"),
    NEURAL_NETWORKS("Part 3 - Neural networks"),
    LANGUAGE("Part 4 - Language: from words to transformers"),
    LLMS("Part 5 - Large language models: pre-training, fine-tuning, alignment"),
    GENERATIVE("Part 6 - Generative models"),
    RETRIEVAL("Part 7 - Retrieval-augmented generation"),
    NEW_ARCHITECTURES("Part 8 - Newer architectures"),
    EFFICIENCY("Part 9 - Making models small, fast and useful");

    public final String title;

    Part(String title) {
        this.title = title;
    }
}
