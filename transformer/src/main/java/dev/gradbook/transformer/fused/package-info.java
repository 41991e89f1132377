/**
 * Hand-written kernels for the transformer's hot spots, kept apart from the readable path.
 *
 * <p>Everything in the model packages is composed from core tensor ops, so autograd derives each
 * gradient and the code reads like the equations. Composition has a price: layer norm is nine
 * small ops, each with its own pass over memory, its own temporary tensors and its own backward
 * closure. The classes here compute the same functions in one or two passes with plain loops and
 * register their derivative with {@link dev.gradbook.core.Autograd#customOp}:
 * <ul>
 *   <li>{@link dev.gradbook.transformer.fused.FusedLayerNorm}: a drop-in
 *       {@link dev.gradbook.nn.LayerNorm};</li>
 *   <li>{@link dev.gradbook.transformer.fused.FusedGelu}: GELU with GPT-2's tanh approximation;</li>
 *   <li>{@link dev.gradbook.transformer.fused.FusedAttentionSoftmax}:
 *       {@code softmax(scale * S + mask)} of scaled dot-product attention;</li>
 *   <li>{@link dev.gradbook.transformer.fused.FusedCrossEntropy}: log-softmax, pick and mean.</li>
 * </ul>
 * Each one is tested against its composed twin, values and gradients. Models use them when
 * their configuration says {@code fused}; turning that off gives the same numbers (to float
 * rounding) the slow, readable way.
 */
package dev.gradbook.transformer.fused;
