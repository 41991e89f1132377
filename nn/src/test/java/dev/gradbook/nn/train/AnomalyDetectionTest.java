package dev.gradbook.nn.train;

import dev.gradbook.core.Autograd;
import dev.gradbook.core.Tensor;
import dev.gradbook.nn.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How to find where a NaN comes from: {@link Autograd#detectAnomaly()} checks every op and
 * names the first one that turns finite inputs into NaN or infinity.
 */
class AnomalyDetectionTest {
    private static final Tensor X = Tensor.vector(0.01f, -0.02f, 0.015f);   // data very close to the mean

    /** Gaussian negative log-likelihood with a learned variance: 1/2 ln var + (x - mu)^2 / (2 var). */
    private static Tensor gaussianNll(Tensor mu, Tensor var) {
        return var.log().mul(0.5f).add(X.sub(mu).square().div(var.mul(2f))).mean();
    }

    @Test
    void aVarianceStepBelowZeroIsTracedToTheLog() {
        Tensor mu = Tensor.vector(0f).requiresGrad(true);
        Tensor var = Tensor.vector(0.1f).requiresGrad(true);   // no softplus keeping it positive: the bug
        SGD sgd = new SGD(Map.of("mu", mu, "var", var), 0.1f);

        // step 1 is fine, but the data are so tight that dL/dvar ~ 5 and the step overshoots 0
        gaussianNll(mu, var).backward();
        sgd.step();
        assertTrue(var.item() < 0, "var after the step: " + var.item());

        // without detection the loss is silently NaN...
        assertTrue(Float.isNaN(gaussianNll(mu, var).item()));
        // ...with it, the op is named
        try (var anomaly = Autograd.detectAnomaly()) {
            var e = assertThrows(ArithmeticException.class, () -> gaussianNll(mu, var));
            assertTrue(e.getMessage().contains("'log'"), e.getMessage());
        }
    }

    @Test
    void anInfiniteGradientIsTracedToItsBackward() {
        // sqrt is finite at 0 but its slope 1 / (2 sqrt x) is not: only backward can see it
        Tensor x = Tensor.vector(0f, 4f).requiresGrad(true);
        try (var anomaly = Autograd.detectAnomaly()) {
            Tensor loss = x.sqrt().sum();
            var e = assertThrows(ArithmeticException.class, loss::backward);
            assertTrue(e.getMessage().contains("backward of 'sqrt'"), e.getMessage());
        }
    }
}
