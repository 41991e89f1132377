package dev.gradbook.nn.data;

import dev.gradbook.core.IntTensor;
import dev.gradbook.core.Tensor;

import java.util.List;

/**
 * A classification data set as read from a file: features {@code (N, D)}, the class index of
 * each example, and the class names ({@code classNames.get(labels[i])} names example i's class).
 */
public record LabeledData(Tensor features, int[] labels, List<String> classNames) {

    public LabeledData {
        if (features.dim() != 2 || features.size(0) != labels.length) {
            throw new IllegalArgumentException("LabeledData: features " + java.util.Arrays.toString(features.shape())
                    + " need one row per label (" + labels.length + " labels)");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException("LabeledData: label " + labels[i] + " of example " + i
                        + " is outside [0, " + classNames.size() + ")");
            }
        }
        labels = labels.clone();
        classNames = List.copyOf(classNames);
    }

    public int size() {
        return labels.length;
    }

    public int numFeatures() {
        return features.size(1);
    }

    public int numClasses() {
        return classNames.size();
    }

    /** The labels as class indices (N), the form cross-entropy takes. */
    public IntTensor labelTensor() {
        return IntTensor.of(labels);
    }

    /** Features and labels as a {@link TensorDataset}, ready for a {@link DataLoader}. */
    public TensorDataset toDataset() {
        return new TensorDataset(features, labelTensor());
    }
}
