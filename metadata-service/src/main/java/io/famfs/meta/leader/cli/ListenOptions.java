package io.famfs.meta.leader.cli;

import picocli.CommandLine.Option;

/** Where a leader listens (the leader command's and the demo's). */
public final class ListenOptions {
    @Option(
            names = "--host",
            paramLabel = "HOST",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    public String host;

    @Option(
            names = "--rest-port",
            paramLabel = "PORT",
            defaultValue = "9480",
            description = "REST port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    public int restPort;

    @Option(
            names = "--grpc-port",
            paramLabel = "PORT",
            defaultValue = "9481",
            description = "gRPC port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    public int grpcPort;
}
