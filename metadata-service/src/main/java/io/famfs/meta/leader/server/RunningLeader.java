package io.famfs.meta.leader.server;

import io.famfs.meta.leader.api.Requests;
import io.famfs.meta.leader.api.Tokens;
import io.famfs.meta.leader.client.LeaderClient;
import io.famfs.meta.leader.core.Leader;
import io.famfs.meta.leader.core.LeaderSettings;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A leader and its servers, started together (the leader command's and the demo's): the core on the device, the
 * token, the REST and gRPC servers, and {@code STATE_DIR/leader.json} with the addresses the CLI reads. Closing stops
 * the servers gracefully, then the core, and removes the address file.
 */
public final class RunningLeader implements AutoCloseable {
    private final Leader leader;
    private final LeaderServer server;
    private final Path addressFile;
    private final String host;
    private final boolean tokenGenerated;

    private RunningLeader(Leader leader, LeaderServer server, Path addressFile, String host, boolean tokenGenerated) {
        this.leader = leader;
        this.server = server;
        this.addressFile = addressFile;
        this.host = host;
        this.tokenGenerated = tokenGenerated;
    }

    /**
     * Starts the core ({@link Leader#start}, progress to {@code log}) and the servers on {@code host}; {@code token}
     * null means the state folder's (made on first start).
     */
    public static RunningLeader start(
            LeaderSettings settings, String host, int restPort, int grpcPort, String token, PrintWriter log) {
        Leader leader = Leader.start(settings, log);
        try {
            settings.defaultInterleave().validate(leader.devSize());
            String bearer = Tokens.resolve(token, settings.stateDir());
            var striping = settings.defaultInterleave();
            LeaderServer server = LeaderServer.start(
                    leader,
                    new LeaderServer.Settings(host, restPort, grpcPort, bearer),
                    new Requests.Context(leader.devSize(), striping.contiguous() ? null : striping));
            RunningLeader running = new RunningLeader(
                    leader,
                    server,
                    settings.stateDir().resolve(LeaderClient.ADDRESS_FILE),
                    host,
                    token == null || token.isBlank());
            running.writeAddressFile(settings.device());
            return running;
        } catch (RuntimeException e) {
            leader.close();
            throw e;
        }
    }

    private void writeAddressFile(Path device) {
        String text = new JsonObject()
                .put("rest", restUrl())
                .put("grpc", grpcAddress())
                .put("pid", ProcessHandle.current().pid())
                .put("device", device.toString())
                .encodePrettily();
        Path tmp = addressFile.resolveSibling(addressFile.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text + "\n");
            Files.move(tmp, addressFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot write " + addressFile, e);
        }
    }

    public Leader leader() {
        return leader;
    }

    public LeaderServer server() {
        return server;
    }

    public String restUrl() {
        return "http://" + hostForUrl() + ":" + server.restPort();
    }

    public String grpcAddress() {
        return hostForUrl() + ":" + server.grpcPort();
    }

    private String hostForUrl() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    public Path addressFile() {
        return addressFile;
    }

    /** The token file, or null when the token was given (and so is not written anywhere). */
    public Path tokenFile() {
        return tokenGenerated ? addressFile.resolveSibling(Tokens.FILE) : null;
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(addressFile);
        } catch (IOException ignored) {
            // a stale address file only sends clients to a closed port
        }
        server.close();
    }
}
