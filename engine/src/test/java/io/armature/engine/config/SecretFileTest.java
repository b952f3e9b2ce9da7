package io.armature.engine.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.armature.engine.ring.NodeId;
import io.armature.spi.transport.Endpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFileTest {
    @TempDir
    Path dir;

    @BeforeEach
    void posixOnly() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "needs POSIX permissions");
    }

    private Path secret(final String name, final String content, final String mode) throws IOException {
        final Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    @Test
    void aFileReadableByTheOwnerOnlyIsAccepted() throws IOException {
        assertArrayEquals("s3cret-of-the-cluster".getBytes(StandardCharsets.UTF_8),
            SecretFile.read(secret("ok", "s3cret-of-the-cluster", "rw-------")));
        assertArrayEquals("read-only".getBytes(StandardCharsets.UTF_8), SecretFile.read(secret("ro", "read-only", "r--------")));
    }

    @Test
    void aWorldReadableFileIsRefusedWithAMessageNamingThePath() throws IOException {
        final Path p = secret("loose", "s3cret", "rw-r--r--");
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SecretFile.read(p));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("group or others") && e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void groupReadableGroupWritableAndOthersWritableFilesAreRefused() throws IOException {
        for (final String mode : new String[] {"rw-r-----", "rw--w----", "rw----r--", "rw-----w-"}) {
            final Path p = secret("mode-" + mode, "s3cret", mode);
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SecretFile.read(p), mode);
            assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        }
    }

    @Test
    void missingEmptyAndNewlineOnlyFilesAreRefusedByPath() throws IOException {
        final Path missing = dir.resolve("absent");
        final IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> SecretFile.read(missing));
        assertTrue(m.getMessage().contains(missing.toString()) && m.getMessage().contains("does not exist"), m.getMessage());
        for (final String content : new String[] {"", "\n", "\r\n\n"}) {
            final Path p = secret("empty" + content.length(), content, "rw-------");
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SecretFile.read(p));
            assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("empty"), e.getMessage());
        }
    }

    @Test
    void aDirectoryAndAnOversizedFileAreRefused() throws IOException {
        final IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> SecretFile.read(dir));
        assertTrue(d.getMessage().contains("not a regular file"), d.getMessage());
        final Path big = secret("big", "x".repeat(SecretFile.MAX_BYTES + 1), "rw-------");
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SecretFile.read(big));
        assertTrue(e.getMessage().contains(big.toString()) && e.getMessage().contains(String.valueOf(SecretFile.MAX_BYTES)),
            e.getMessage());
    }

    @Test
    void trailingLineEndsAreNotPartOfTheSecretButOtherWhitespaceIs() throws IOException {
        final byte[] a = SecretFile.read(secret("a", "abc\n", "rw-------"));
        final byte[] b = SecretFile.read(secret("b", "abc", "rw-------"));
        final byte[] c = SecretFile.read(secret("c", "abc\r\n", "rw-------"));
        assertArrayEquals(b, a);
        assertArrayEquals(b, c);
        assertArrayEquals(" abc ".getBytes(StandardCharsets.UTF_8), SecretFile.read(secret("d", " abc \n", "rw-------")));
    }

    @Test
    void theConfigurationRefusesAnEmptySecretAndNeverPrintsIt() {
        final NodeConfig.Builder b = NodeConfig.builder(new NodeId("n"), new Endpoint("n", 1));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.secret(new byte[0]).build());
        assertTrue(e.getMessage().startsWith("node.secret"), e.getMessage());
        final NodeConfig config = b.secret("hunter2-hunter2".getBytes(StandardCharsets.UTF_8)).build();
        assertTrue(config.toString().contains("secret=set") && !config.toString().contains("hunter2"), config.toString());
        config.secret()[0] = 'X';
        assertArrayEquals("hunter2-hunter2".getBytes(StandardCharsets.UTF_8), config.secret());
    }
}
