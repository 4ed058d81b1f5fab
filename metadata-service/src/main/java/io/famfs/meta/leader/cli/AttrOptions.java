package io.famfs.meta.leader.cli;

import picocli.CommandLine.Option;

/** Mode, owner and group of what creat and mkdir make (famfs's -m/-u/-g). */
public final class AttrOptions {
    @Option(
            names = {"-m", "--mode"},
            converter = Octal.class,
            paramLabel = "MODE",
            description = "Permission bits in octal (default: 0644 for files, 0755 for directories).")
    Integer mode;

    @Option(
            names = {"-u", "--uid"},
            description = "Owner (default: yours).")
    Long uid;

    @Option(
            names = {"-g", "--gid"},
            description = "Group (default: yours).")
    Long gid;

    int uid() {
        return Ids.id(uid, Ids.uid(), "--uid");
    }

    int gid() {
        return Ids.id(gid, Ids.gid(), "--gid");
    }
}
