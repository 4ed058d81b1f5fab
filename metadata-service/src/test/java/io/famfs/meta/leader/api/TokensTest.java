package io.famfs.meta.leader.api;

import static org.junit.jupiter.api.Assertions.*;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import io.famfs.meta.testing.TestDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class TokensTest {

    @Test
    void aTokenIsGeneratedOnceIntoAPrivateFileAndKept() throws Exception {
        try (TestDevice holder = TestDevice.create(0)) {
            Path state = holder.dir();
            String token = Tokens.resolve(null, state);
            Path file = state.resolve(Tokens.FILE);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals(token, Files.readString(file).trim());
            assertTrue(token.length() >= 40, token);
            assertEquals(token, Tokens.resolve(null, state), "the second start reads the same token");
            assertEquals("given", Tokens.resolve(" given ", state), "a configured token wins");
            assertEquals(token, Files.readString(file).trim(), "and leaves the file alone");
        }
    }

    @Test
    void anEmptyTokenFileIsRefusedNotTakenAsNoToken() throws Exception {
        try (TestDevice holder = TestDevice.create(0)) {
            Files.writeString(holder.dir().resolve(Tokens.FILE), "\n");
            FamfsException e = assertThrows(FamfsException.class, () -> Tokens.resolve(null, holder.dir()));
            assertEquals(ErrorCode.FAILED_PRECONDITION, e.code());
            assertTrue(e.getMessage().contains("empty"), e.getMessage());
        }
    }

    @Test
    void onlyTheExactBearerTokenMatches() {
        assertTrue(Tokens.matches("Bearer s3cret", "s3cret"));
        assertTrue(Tokens.matches("bearer s3cret", "s3cret"), "the scheme is case-insensitive");
        assertFalse(Tokens.matches("Bearer S3CRET", "s3cret"), "the token is not");
        assertFalse(Tokens.matches(null, "s3cret"));
        assertFalse(Tokens.matches("", "s3cret"));
        assertFalse(Tokens.matches("s3cret", "s3cret"));
        assertFalse(Tokens.matches("Basic s3cret", "s3cret"));
        assertFalse(Tokens.matches("Bearer s3cre", "s3cret"));
        assertFalse(Tokens.matches("Bearer s3cret2", "s3cret"));
        assertFalse(Tokens.matches("Bearer ", "s3cret"));
    }
}
