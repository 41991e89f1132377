package dev.gradbook.nn.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file all at once or not at all, so that a crash or an error in the middle of a
 * save never leaves a half-written checkpoint where a good one used to be.
 *
 * <ol>
 *   <li>Write everything to a new temporary file in the same directory (a rename is only
 *       atomic within one file system).</li>
 *   <li>{@code fsync} it ({@link FileChannel#force}), so its bytes are on disk before its name
 *       is.</li>
 *   <li>Rename it over the target. POSIX {@code rename} replaces the target atomically: a
 *       reader sees the old file or the new one, never a mixture. Where an atomic move is not
 *       available, fall back to an ordinary replacing move.</li>
 * </ol>
 * If any step fails, the temporary file is deleted and the target is untouched.
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /** Writes the new content of a file to the channel it is given. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Replaces {@code target} with what {@code writer} writes, atomically. */
    public static void write(Path target, Writer writer) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        boolean moved = false;
        try {
            temp = createTemp(dir, target.getFileName().toString());
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                writer.writeTo(channel);
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + target + ": " + e, e);
        } finally {
            if (!moved && temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the original error matters more than a leftover temporary file
                }
            }
        }
    }

    /** A new, empty file {@code .<name>.<unique>.tmp} beside the target, with the usual permissions. */
    private static Path createTemp(Path dir, String name) throws IOException {
        long unique = ProcessHandle.current().pid() * 1_000_003L + System.nanoTime();
        while (true) {
            Path temp = dir.resolve("." + name + "." + Long.toHexString(unique++) + ".tmp");
            try {
                Files.newByteChannel(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return temp;
            } catch (FileAlreadyExistsException taken) {
                // another save chose the same name: try the next one
            }
        }
    }

    /** Makes the rename itself durable; not every platform can open a directory, and then it is skipped. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // the file itself is complete; only its survival of a power cut is less certain
        }
    }
}
