/**
 * Hand-written kernels for the transformer's hot spots, kept apart from the readable path.
 *
 * <p>Everything in the model packages is composed from core tensor ops, so autograd derives each
 * gradient and the code reads like the equations. Composition has a price: layer norm is nine
 * small ops, each with its own pass over memory, its own temporary tensors and its own backward
 * closure. The classes here compute the same functions in one or two passes with plain loops and
 * register their derivative with {@link dev.gradbook.core.Autograd#customOp}:
 * <ul>
 *   <li>{@link dev.gradbook.transformer.fused.FusedLayerNorm}: the twin of a
 *       {@link dev.gradbook.nn.LayerNorm}, sharing its parameters;</li>
 *   <li>{@link dev.gradbook.transformer.fused.FusedGelu}: GELU with GPT-2's tanh approximation;</li>
 *   <li>{@link dev.gradbook.transformer.fused.FusedScaledDotProductAttention} with
 *       {@link dev.gradbook.transformer.fused.FusedAttentionSoftmax}:
 *       {@code softmax(scale * S + mask)} of scaled dot-product attention in one pass.</li>
 * </ul>
 * Each one is tested against its composed twin, values and gradients. Models are always built
 * from the readable modules; {@link dev.gradbook.transformer.fused.Fused#apply} swaps the twins
 * in from outside, as LoRA swaps in adapters. The softmax and log-softmax of core (used by the
 * loss) have a hand-written kernel of their own, chosen like the matmul kernel
 * ({@link dev.gradbook.core.kernels.Kernels#useHandWrittenSoftmax}).
 */
package dev.gradbook.transformer.fused;
