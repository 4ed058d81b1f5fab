package io.famfs.meta.leader.api;

import io.famfs.meta.error.ErrorCode;
import io.famfs.meta.error.FamfsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The bearer token every API call but health and metrics needs: the configured one, or one the leader generated on
 * its first start and keeps in {@code STATE_DIR/token} (mode 0600), where the CLI finds it.
 */
public final class Tokens {
    private Tokens() {}

    public static final String FILE = "token";

    /** The token: {@code configured} when given, else the state folder's, made when missing. */
    public static String resolve(String configured, Path stateDir) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        Path file = stateDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
                if (token.isEmpty()) {
                    throw new FamfsException(
                            ErrorCode.FAILED_PRECONDITION,
                            "the token file " + file + " is empty; delete it or pass --token");
                }
                return token;
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            // Made with mode 0600 from the start: never readable by others, not even for a moment.
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, token + "\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
            return token;
        } catch (IOException e) {
            throw new FamfsException(ErrorCode.IO, "cannot read or make the token " + file + ": " + e.getMessage(), e);
        }
    }

    /** True when the Authorization header carries exactly {@code token} (compared in constant time). */
    public static boolean matches(String authorizationHeader, String token) {
        // The scheme name is case-insensitive (RFC 9110 11.1); the token is not.
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorizationHeader.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
    }
}
