package dev.gradbook.transformer.gpt;

import dev.gradbook.core.Rng;
import dev.gradbook.core.Shape;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.io.Safetensors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GPT-2 weights in and out: the state-dict layouts of Hugging Face's {@code GPT2LMHeadModel} and
 * of nanoGPT's {@code GPT}, mapped onto Gradbook's {@link Gpt}. The three models compute the same
 * function (Radford et al. 2019); only the names and the storage of the matrices differ:
 * <pre>
 *   theirs (either layout)                 ours                               how
 *   transformer.wte.weight     (V, C)      wte.weight                         as is
 *   transformer.wpe.weight     (T, C)      wpe.weight                         as is
 *   transformer.h.i.ln_1.*                 blocks.i.ln1.*                     as is
 *   transformer.h.i.attn.c_attn.*          blocks.i.attn.{query,key,value}.*  q, k, v packed side by side: split
 *   transformer.h.i.attn.c_proj.*          blocks.i.attn.proj.*               a matrix
 *   transformer.h.i.ln_2.*                 blocks.i.ln2.*                     as is
 *   transformer.h.i.mlp.c_fc.*             blocks.i.mlp.fc.*                  a matrix
 *   transformer.h.i.mlp.c_proj.*           blocks.i.mlp.proj.*                a matrix
 *   transformer.ln_f.*                     lnF.*                              as is
 *   lm_head.weight             (V, C)      head.weight, or none when tied     tied when equal to wte
 * </pre>
 * The matrices: Gradbook's {@code Linear} and PyTorch's {@code nn.Linear} (nanoGPT) store
 * {@code (out, in)} and compute {@code y = x Wᵀ + b}; Hugging Face's GPT-2 uses OpenAI's
 * {@code Conv1D}, which stores {@code (in, out)} and computes {@code y = x W + b}, so its matrices
 * are transposed on the way in and out. {@code c_attn} computes the query, key and value at once:
 * its output columns are {@code [q | k | v]}, {@code C} each.
 *
 * <p>Reading skips the causal-mask buffers ({@code attn.bias}, {@code attn.masked_bias}) that
 * some versions save, and from a file every integer tensor ({@code position_ids} in I64, masks in
 * BOOL or U8) and any dtype Gradbook cannot read; it strips the {@code transformer.} prefix when it is there or not (Hugging
 * Face's {@code GPT2Model} files lack it) and nanoGPT's {@code _orig_mod.} (left by
 * {@code torch.compile}); any other name is an error. The number of heads is not visible in the
 * shapes: take it from the model's {@code config.json} ({@code n_head}) or nanoGPT's
 * {@code model_args}. nanoGPT's MLP uses the exact GELU where GPT-2 and Gradbook use the tanh
 * approximation: its weights load the same, its logits differ by about 1e-3.
 */
public final class Gpt2Weights {
    /** Where a state dict comes from, or goes to. */
    public enum Layout {
        /** {@code GPT2LMHeadModel}: Conv1D matrices stored {@code (in, out)}, lm_head tied and often absent. */
        HUGGING_FACE,
        /** nanoGPT's {@code GPT}: {@code nn.Linear} matrices stored {@code (out, in)}, lm_head present. */
        NANOGPT
    }

    private static final String[] MATRICES = {"attn.c_proj", "mlp.c_fc", "mlp.c_proj"};
    private static final String[] OUR_MATRICES = {"attn.proj", "mlp.fc", "mlp.proj"};

    private Gpt2Weights() {
    }

    /** A Gpt with the weights of a GPT-2 safetensors file in {@code layout}; {@code nHead} from its config. */
    public static Gpt load(Path file, Layout layout, int nHead) {
        // integer tensors (I64 position_ids, BOOL or U8 causal masks) are buffers, not weights
        Map<String, Tensor> theirs = Safetensors.load(file, Safetensors.READABLE).tensors();
        try {
            return load(theirs, layout, nHead);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** A Gpt with the weights of a GPT-2 state dict in {@code layout}. */
    public static Gpt load(Map<String, Tensor> stateDict, Layout layout, int nHead) {
        Map<String, Tensor> ours = toGradbook(stateDict, layout);
        Gpt gpt = new Gpt(configOf(ours, nHead), new Rng(0));
        gpt.loadStateDict(ours);
        return gpt;
    }

    /** Writes {@code model} as a GPT-2 safetensors file in {@code layout}, for PyTorch tooling. */
    public static void save(Path file, Gpt model, Layout layout) {
        Safetensors.save(file, fromGradbook(model, layout), Map.of("format", "pt"));
    }

    /** The state dict renamed, split and transposed into Gradbook's {@link Gpt} names. */
    public static Map<String, Tensor> toGradbook(Map<String, Tensor> stateDict, Layout layout) {
        Map<String, Tensor> theirs = withoutPrefixes(stateDict);
        Map<String, Tensor> ours = new LinkedHashMap<>();
        Tensor wte = take(theirs, "wte.weight");
        int c = wte.size(1);
        ours.put("wte.weight", wte);
        ours.put("wpe.weight", take(theirs, "wpe.weight"));
        int nLayer = 0;
        while (theirs.containsKey("h." + nLayer + ".attn.c_attn.weight")) {
            String h = "h." + nLayer + ".";
            String b = "blocks." + nLayer + ".";
            layerNorm(theirs, h + "ln_1", ours, b + "ln1", c);
            Tensor qkv = take(theirs, h + "attn.c_attn.weight");
            checkShape(h + "attn.c_attn.weight", qkv, layout == Layout.HUGGING_FACE ? new int[] {c, 3 * c}
                    : new int[] {3 * c, c}, layout);
            List<Tensor> wq = matrix(qkv, layout).split(c, 0);                  // 3 x (C, C), (out, in)
            Tensor bias = theirs.remove(h + "attn.c_attn.bias");
            String[] parts = {"query", "key", "value"};
            for (int k = 0; k < 3; k++) {
                ours.put(b + "attn." + parts[k] + ".weight", wq.get(k));
                if (bias != null) {
                    ours.put(b + "attn." + parts[k] + ".bias", bias.narrow(0, k * c, c));
                }
            }
            layerNorm(theirs, h + "ln_2", ours, b + "ln2", c);
            for (int m = 0; m < MATRICES.length; m++) {
                ours.put(b + OUR_MATRICES[m] + ".weight", matrix(take(theirs, h + MATRICES[m] + ".weight"), layout));
                Tensor mb = theirs.remove(h + MATRICES[m] + ".bias");
                if (mb != null) {
                    ours.put(b + OUR_MATRICES[m] + ".bias", mb);
                }
            }
            theirs.remove(h + "attn.bias");                                     // the causal mask, a buffer
            theirs.remove(h + "attn.masked_bias");
            nLayer++;
        }
        if (nLayer == 0) {
            throw new IllegalArgumentException("no GPT-2 blocks: expected transformer.h.0.attn.c_attn.weight");
        }
        layerNorm(theirs, "ln_f", ours, "lnF", c);
        Tensor head = theirs.remove("lm_head.weight");
        if (head != null && !head.allClose(wte, 0f, 0f)) {
            ours.put("head.weight", head);                                      // untied: a head of its own
        }
        if (!theirs.isEmpty()) {
            throw new IllegalArgumentException("names that are not part of GPT-2: " + theirs.keySet());
        }
        return ours;
    }

    /** Gradbook's {@link Gpt} state dict in GPT-2's names and {@code layout}: the inverse of {@link #toGradbook}. */
    public static Map<String, Tensor> fromGradbook(Gpt model, Layout layout) {
        GptConfig config = model.config;
        if (config.rotary()) {
            throw new IllegalArgumentException("Gpt2Weights: GPT-2 has a learned position table, this model uses RoPE");
        }
        if (!config.bias() && layout == Layout.HUGGING_FACE) {
            throw new IllegalArgumentException("Gpt2Weights: Hugging Face's GPT-2 always has biases, this model has none");
        }
        Map<String, Tensor> ours = model.stateDict();
        Map<String, Tensor> theirs = new LinkedHashMap<>();
        theirs.put("transformer.wte.weight", ours.get("wte.weight").copy());
        theirs.put("transformer.wpe.weight", ours.get("wpe.weight").copy());
        for (int i = 0; i < config.nLayer(); i++) {
            String h = "transformer.h." + i + ".";
            String b = "blocks." + i + ".";
            putLayerNorm(ours, b + "ln1", theirs, h + "ln_1", config.bias());
            List<Tensor> q = new ArrayList<>();
            List<Tensor> qb = new ArrayList<>();
            for (String part : new String[] {"query", "key", "value"}) {
                q.add(ours.get(b + "attn." + part + ".weight"));
                qb.add(ours.get(b + "attn." + part + ".bias"));
            }
            theirs.put(h + "attn.c_attn.weight", matrix(Tensor.cat(q, 0), layout));   // (3C, C) or (C, 3C)
            if (config.bias()) {
                theirs.put(h + "attn.c_attn.bias", Tensor.cat(qb, 0));
            }
            putLayerNorm(ours, b + "ln2", theirs, h + "ln_2", config.bias());
            for (int m = 0; m < MATRICES.length; m++) {
                theirs.put(h + MATRICES[m] + ".weight", matrix(ours.get(b + OUR_MATRICES[m] + ".weight"), layout));
                if (config.bias()) {
                    theirs.put(h + MATRICES[m] + ".bias", ours.get(b + OUR_MATRICES[m] + ".bias").copy());
                }
            }
        }
        putLayerNorm(ours, "lnF", theirs, "transformer.ln_f", config.bias());
        Tensor head = config.tiedHead() ? ours.get("wte.weight") : ours.get("head.weight");
        theirs.put("lm_head.weight", head.copy());
        return theirs;
    }

    /** A Linear's {@code (out, in)} matrix from theirs, or theirs from ours: a transpose for Conv1D. */
    private static Tensor matrix(Tensor w, Layout layout) {
        Tensor plain = w.detach();
        return layout == Layout.HUGGING_FACE ? plain.transpose(0, 1).copy() : plain.copy();
    }

    private static void layerNorm(Map<String, Tensor> theirs, String from, Map<String, Tensor> ours, String to, int c) {
        ours.put(to + ".weight", take(theirs, from + ".weight"));
        Tensor bias = theirs.remove(from + ".bias");                              // nanoGPT with bias=False has none
        ours.put(to + ".bias", bias != null ? bias : Tensor.zeros(c));
    }

    private static void putLayerNorm(Map<String, Tensor> ours, String from, Map<String, Tensor> theirs, String to,
                                     boolean bias) {
        theirs.put(to + ".weight", ours.get(from + ".weight").copy());
        Tensor b = ours.get(from + ".bias");
        if (bias) {
            theirs.put(to + ".bias", b.copy());
        } else if (!b.allClose(Tensor.zeros(b.shape()), 0f, 0f)) {
            throw new IllegalArgumentException("Gpt2Weights: nanoGPT with bias=False has no layer-norm bias, but "
                    + from + ".bias is not zero");
        }
    }

    /** The config the (already renamed) weights describe; only the number of heads must be told. */
    static GptConfig configOf(Map<String, Tensor> ours, int nHead) {
        int[] wte = ours.get("wte.weight").shape();
        int blockSize = ours.get("wpe.weight").size(0);
        int nLayer = 0;
        while (ours.containsKey("blocks." + nLayer + ".attn.query.weight")) {
            nLayer++;
        }
        boolean bias = ours.containsKey("blocks.0.attn.query.bias");
        boolean tied = !ours.containsKey("head.weight");
        return GptConfig.gpt2().withNHead(1).withNEmbd(wte[1]).withNHead(nHead)   // one head divides any width
                .withVocabSize(wte[0]).withBlockSize(blockSize).withNLayer(nLayer).withBias(bias).withTiedHead(tied);
    }

    private static Map<String, Tensor> withoutPrefixes(Map<String, Tensor> stateDict) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        stateDict.forEach((name, t) -> {
            String n = name.startsWith("_orig_mod.") ? name.substring("_orig_mod.".length()) : name;
            n = n.startsWith("transformer.") ? n.substring("transformer.".length()) : n;
            if (out.put(n, t) != null) {
                throw new IllegalArgumentException("'" + name + "' appears twice, with and without a prefix");
            }
        });
        return out;
    }

    private static Tensor take(Map<String, Tensor> theirs, String name) {
        Tensor t = theirs.remove(name);
        if (t == null) {
            throw new IllegalArgumentException("missing '" + name + "' (a GPT-2 state dict has transformer." + name + ")");
        }
        return t;
    }

    private static void checkShape(String name, Tensor t, int[] expected, Layout layout) {
        if (!java.util.Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException(name + " is " + Shape.format(t.shape()) + ", but in the " + layout
                    + " layout it is " + Shape.format(expected) + " (the other layout stores it transposed)");
        }
    }
}
