package dev.gradbook.transformer.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts text into chunks before byte-pair encoding, so that merges never cross a chunk boundary
 * ("pre-tokenization"). Without it, BPE trained on English learns tokens such as {@code "e t"}
 * or {@code "dog."}, and the same word gets different tokens depending on what follows it.
 *
 * <p>The rule, a simplified form of GPT-2's (Radford et al. 2019, section 2.2): a chunk is
 * <ol>
 *   <li>an optional single space, then a letter followed by letters and combining marks
 *       ({@code " hello"}, {@code "Été"}, {@code "東京"});</li>
 *   <li>an optional single space, then a run of digits ({@code " 2024"});</li>
 *   <li>an optional single space, then a run of anything else that is not whitespace:
 *       punctuation, symbols, emoji with their joiners and variation selectors ({@code "!?"},
 *       {@code " 👩‍💻"});</li>
 *   <li>otherwise a run of whitespace, which leaves its last space to the word after it, so
 *       {@code "a   b"} becomes {@code "a", "  ", " b"}.</li>
 * </ol>
 * Keeping the space at the front of the word (GPT-2's choice) lets {@code " the"} become one
 * token, which covers most uses of the word; English contractions are not special-cased (GPT-2
 * splits off {@code 's}, {@code 't}, ...; here {@code "don't"} is {@code "don", "'", "t"}).
 *
 * <p>Every character falls in exactly one of the four classes, so the chunks always
 * concatenate back to the input: pre-tokenization never loses text.
 */
public final class PreTokenizer {
    // UNICODE_CHARACTER_CLASS makes \s Unicode white space (including U+00A0 and U+3000).
    private static final Pattern CHUNK = Pattern.compile(
            " ?\\p{L}[\\p{L}\\p{M}]*"       // 1. word
            + "| ?\\p{N}+"                  // 2. number
            + "| ?[^\\s\\p{L}\\p{N}]+"      // 3. punctuation, symbols, emoji
            + "|\\s+(?!\\S)|\\s+",          // 4. white space, minus the space a word takes
            Pattern.UNICODE_CHARACTER_CLASS);

    private PreTokenizer() {
    }

    /** The chunks of {@code text}, in order; their concatenation is {@code text}. */
    public static List<String> split(String text) {
        List<String> chunks = new ArrayList<>();
        Matcher m = CHUNK.matcher(text);
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                throw new IllegalStateException("PreTokenizer: no rule matched the text at index " + end);
            }
            chunks.add(m.group());
            end = m.end();
        }
        if (end != text.length()) {
            throw new IllegalStateException("PreTokenizer: no rule matched the text at index " + end);
        }
        return chunks;
    }
}
