package dev.gradbook.nn.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces a file all at once or not at all, so that a crash or an error in the middle of a
 * save never leaves a half-written checkpoint where a good one used to be.
 *
 * <ol>
 *   <li>Find the real file: if the target is a symbolic link, the file it points to is
 *       replaced and the link stays a link.</li>
 *   <li>Delete stale temporary files of this target, left by saves that were killed (their
 *       process is gone): without this, every kill would leave a full-size copy behind.</li>
 *   <li>Write everything to a new temporary file {@code .<name>.<pid>.<n>.tmp} in the same
 *       directory (a rename is only atomic within one file system), created with the
 *       permissions of the file it replaces, so a private {@code 0600} checkpoint stays
 *       private.</li>
 *   <li>{@code fsync} it ({@link FileChannel#force}), so its bytes are on disk before its name
 *       is.</li>
 *   <li>Rename it over the target. POSIX {@code rename} replaces the target atomically: a
 *       reader sees the old file or the new one, never a mixture. Where an atomic move is not
 *       available, fall back to an ordinary replacing move.</li>
 * </ol>
 * If any step fails, the temporary file is deleted and the target is untouched.
 */
public final class AtomicFile {
    /** Symbolic links followed before giving up (Linux's own limit is 40). */
    private static final int MAX_LINKS = 40;
    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicLong COUNTER = new AtomicLong();
    /** Temporary files being written by this process right now: never stale. */
    private static final Set<Path> IN_PROGRESS = ConcurrentHashMap.newKeySet();

    private AtomicFile() {
    }

    /** Writes the new content of a file to the channel it is given. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Replaces {@code target} (or the file it links to) with what {@code writer} writes, atomically. */
    public static void write(Path target, Writer writer) {
        Path temp = null;
        boolean moved = false;
        try {
            Path real = followLinks(target);
            Path dir = real.toAbsolutePath().getParent();
            String name = real.getFileName().toString();
            deleteStaleTemps(dir, name);
            temp = createTemp(dir, name, permissionsOf(real));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                writer.writeTo(channel);
                channel.force(true);
            }
            try {
                Files.move(temp, real, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, real, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + target + ": " + e, e);
        } finally {
            if (temp != null) {
                IN_PROGRESS.remove(temp);
                if (!moved) {
                    try {
                        Files.deleteIfExists(temp);
                    } catch (IOException ignored) {
                        // the original error matters more than a leftover temporary file
                    }
                }
            }
        }
    }

    /** The file that {@code path} names after following symbolic links (it need not exist). */
    static Path followLinks(Path path) throws IOException {
        Path p = path.toAbsolutePath();
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops == MAX_LINKS) {
                throw new IOException("more than " + MAX_LINKS + " symbolic links from " + path
                        + " (a loop?)");
            }
            p = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
        }
        return p;
    }

    /** The POSIX permissions of an existing file, or null (no file yet, or not a POSIX file system). */
    private static Set<PosixFilePermission> permissionsOf(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try {
            return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException notPosix) {
            return null;
        }
    }

    /**
     * A new, empty file {@code .<name>.<pid>.<n>.tmp} beside the target. With {@code permissions},
     * it has exactly those from its creation (before any byte is written), whatever the umask.
     */
    private static Path createTemp(Path dir, String name, Set<PosixFilePermission> permissions) throws IOException {
        FileAttribute<?>[] attributes = permissions == null ? new FileAttribute<?>[0]
                : new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)};
        while (true) {
            Path temp = dir.resolve("." + name + "." + PID + "." + COUNTER.incrementAndGet() + ".tmp");
            IN_PROGRESS.add(temp); // before it exists, so that a save on another thread never takes it for stale
            try {
                Files.newByteChannel(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attributes)
                        .close();
            } catch (FileAlreadyExistsException taken) {
                IN_PROGRESS.remove(temp);
                continue; // left by an earlier process with our pid: try the next number
            } catch (IOException | RuntimeException e) {
                IN_PROGRESS.remove(temp);
                throw e;
            }
            try {
                if (permissions != null) {
                    Files.setPosixFilePermissions(temp, permissions); // the umask may have removed some
                }
            } catch (IOException | RuntimeException e) {
                IN_PROGRESS.remove(temp);
                Files.deleteIfExists(temp);
                throw e;
            }
            return temp;
        }
    }

    /**
     * Deletes {@code .<name>.<pid>.<n>.tmp} files whose process has ended: saves that were
     * killed. Temporary files of a live process (another save in progress) are left alone.
     */
    private static void deleteStaleTemps(Path dir, String name) {
        Pattern ours = Pattern.compile(Pattern.quote("." + name + ".") + "(\\d{1,18})\\.\\d{1,19}\\.tmp");
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir,
                f -> ours.matcher(f.getFileName().toString()).matches())) {
            for (Path f : files) {
                Matcher m = ours.matcher(f.getFileName().toString());
                if (m.matches() && !IN_PROGRESS.contains(f) && isStale(Long.parseLong(m.group(1)))) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException | UncheckedIOException ignored) {
            // cleaning up is a courtesy: the save itself does not depend on it
        }
    }

    private static boolean isStale(long pid) {
        return pid == PID || ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
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
