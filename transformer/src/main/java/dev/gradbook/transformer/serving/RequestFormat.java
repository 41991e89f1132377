package dev.gradbook.transformer.serving;

import dev.gradbook.nn.io.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON of {@link ModelServer}: {@code {"input": [numbers]}} in, {@code {"output": [...], "class": k}} out. */
final class RequestFormat {
    private RequestFormat() {
    }

    /** The input vector of a request body; IllegalArgumentException naming what is wrong. */
    static float[] parseInput(String body, int inputSize) {
        Object parsed;
        try {
            parsed = Json.parse(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> map) || !(map.get("input") instanceof List<?> values)) {
            throw new IllegalArgumentException("expected {\"input\": [" + inputSize + " numbers]}");
        }
        if (values.size() != inputSize) {
            throw new IllegalArgumentException("wrong shape: input has " + values.size() + " values, the model takes "
                    + inputSize);
        }
        float[] x = new float[inputSize];
        for (int i = 0; i < inputSize; i++) {
            if (!(values.get(i) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw new IllegalArgumentException("input[" + i + "] is not a finite number");
            }
            x[i] = n.floatValue();
        }
        return x;
    }

    static Map<String, Object> answer(float[] output) {
        List<Object> values = new ArrayList<>(output.length);
        int best = 0;
        for (int i = 0; i < output.length; i++) {
            values.add((double) output[i]);
            best = output[i] > output[best] ? i : best;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("output", values);
        json.put("class", (long) best);
        return json;
    }
}
