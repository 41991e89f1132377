package dev.gradbook.transformer.text;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PorterStemmerTest {
    /** Word -> stem pairs printed in Porter's 1980 paper, step by step. */
    private static final String[][] PAPER = {
            // step 1a
            {"caresses", "caress"}, {"ponies", "poni"}, {"ties", "ti"}, {"caress", "caress"}, {"cats", "cat"},
            // step 1b
            {"feed", "feed"}, {"agreed", "agre"}, {"plastered", "plaster"}, {"bled", "bled"}, {"motoring", "motor"},
            {"sing", "sing"}, {"conflated", "conflat"}, {"troubled", "troubl"}, {"sized", "size"},
            {"hopping", "hop"}, {"tanned", "tan"}, {"falling", "fall"}, {"hissing", "hiss"}, {"fizzed", "fizz"},
            {"failing", "fail"}, {"filing", "file"},
            // step 1c
            {"happy", "happi"}, {"sky", "sky"},
            // step 2 (full stems after all steps)
            {"relational", "relat"}, {"conditional", "condit"}, {"rational", "ration"}, {"valenci", "valenc"},
            {"hesitanci", "hesit"}, {"digitizer", "digit"}, {"conformabli", "conform"}, {"radicalli", "radic"},
            {"differentli", "differ"}, {"vileli", "vile"}, {"analogousli", "analog"},
            {"vietnamization", "vietnam"}, {"predication", "predic"}, {"operator", "oper"},
            {"feudalism", "feudal"}, {"decisiveness", "decis"}, {"hopefulness", "hope"},
            {"callousness", "callous"}, {"formaliti", "formal"}, {"sensitiviti", "sensit"},
            {"sensibiliti", "sensibl"},
            // step 3
            {"triplicate", "triplic"}, {"formative", "form"}, {"formalize", "formal"}, {"electriciti", "electr"},
            {"electrical", "electr"}, {"hopeful", "hope"}, {"goodness", "good"},
            // step 4
            {"revival", "reviv"}, {"allowance", "allow"}, {"inference", "infer"}, {"airliner", "airlin"},
            {"gyroscopic", "gyroscop"}, {"adjustable", "adjust"}, {"defensible", "defens"}, {"irritant", "irrit"},
            {"replacement", "replac"}, {"adjustment", "adjust"}, {"dependent", "depend"}, {"adoption", "adopt"},
            {"homologou", "homolog"}, {"communism", "commun"}, {"activate", "activ"}, {"angulariti", "angular"},
            {"homologous", "homolog"}, {"effective", "effect"}, {"bowdlerize", "bowdler"},
            // step 5
            {"probate", "probat"}, {"rate", "rate"}, {"cease", "ceas"}, {"controll", "control"}, {"roll", "roll"},
            // the paper's closing examples
            {"generalizations", "gener"}, {"oscillators", "oscil"},
            {"connect", "connect"}, {"connected", "connect"}, {"connecting", "connect"},
            {"connection", "connect"}, {"connections", "connect"}};

    @Test
    void stemsEveryExampleOfThePaper() {
        for (String[] pair : PAPER) {
            assertEquals(pair[1], PorterStemmer.stem(pair[0]), pair[0]);
        }
    }

    @Test
    void measureCountsVowelConsonantRuns() {
        // the paper's examples: m = 0 tr, ee, tree, y, by; m = 1 trouble, oats, trees, ivy; m = 2 troubles, private
        for (String w : new String[] {"tr", "ee", "tree", "y", "by"}) {
            assertEquals(0, PorterStemmer.measure(w, w.length()), w);
        }
        for (String w : new String[] {"trouble", "oats", "trees", "ivy"}) {
            assertEquals(1, PorterStemmer.measure(w, w.length()), w);
        }
        for (String w : new String[] {"troubles", "private", "oaten", "orrery"}) {
            assertEquals(2, PorterStemmer.measure(w, w.length()), w);
        }
    }

    @Test
    void shortWordsAndCaseAreHandled() {
        assertEquals("is", PorterStemmer.stem("is"));
        assertEquals("a", PorterStemmer.stem("A"));
        assertEquals("connect", PorterStemmer.stem("CONNECTING"));
    }
}
